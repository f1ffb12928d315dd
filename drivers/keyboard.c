/*
 * drivers/keyboard.c - the PS/2 keyboard behind the i8042 controller.
 *
 * Owns: the i8042's data port 0x60 and status/command port 0x64, IRQ 1, and
 * the keyboard's modifier state.
 * Interface: keyboard_init() once (from tty_init); each key then reaches
 * the console terminal as bytes through tty_console_input().
 * kbd_translate() is the hardware-free half: scancode in, bytes out.
 *
 * The controller: IBM "Personal System/2 Hardware Interface Technical
 * Reference", Keyboard/Auxiliary Device Controller (status register bits,
 * commands 0x20/0x60 and the command byte).  The keyboard sends scancode
 * set 2; the controller translates it to set 1 (command-byte bit 6), which
 * is what this file decodes: a key's make code is 0x01-0x58, its break code
 * the same with bit 7 set, and 0xE0 prefixes the keys the 101-key board
 * added (right Ctrl/Alt, arrows, the editing block, keypad Enter and /).
 *
 * Bytes produced are what Linux's console keymap gives, so programs see the
 * same input as on Linux: Enter is '\r' (ICRNL makes it '\n'), Backspace
 * is DEL (0x7f, VERASE), Ctrl+letter is 1-26, Alt+key is ESC then the key,
 * arrows and the editing keys are VT escape sequences (ESC [ A, ESC [ 3 ~).
 * The keypad types digits as if Num Lock were on; function keys, Num and
 * Scroll Lock do nothing, and the Caps Lock LED is not lit.
 *
 * Locks: the modifier state is touched only by the IRQ 1 handler, with
 * interrupts off.
 */
#include <kernel.h>
#include <trap.h>
#include <tty.h>
#include <x86.h>

#define I8042_DATA		0x60
#define I8042_STATUS		0x64	/* read */
#define I8042_CMD		0x64	/* write */
#define ST_OUTPUT_FULL		0x01	/* a byte waits in the data port */
#define ST_INPUT_FULL		0x02	/* the controller has not taken our write */
#define ST_AUX_DATA		0x20	/* the waiting byte is the mouse's */
#define CMD_READ_CONFIG		0x20	/* the command byte appears at 0x60 */
#define CMD_WRITE_CONFIG	0x60	/* the next byte written to 0x60 is it */
#define CFG_KBD_IRQ		0x01	/* IRQ 1 when a keyboard byte arrives */
#define CFG_KBD_DISABLED	0x10	/* keyboard clock held off */
#define CFG_TRANSLATE		0x40	/* set 2 -> set 1 translation */
#define KBD_IRQ			1
#define I8042_SPINS		100000	/* about 0.1 s of status reads */

#define SC_EXTENDED		0xE0
#define SC_PAUSE_PREFIX		0xE1	/* Pause: E1 1D 45 E1 9D C5, ignored */
#define SC_BREAK		0x80
#define SC_CTRL			0x1D
#define SC_LSHIFT		0x2A
#define SC_RSHIFT		0x36
#define SC_ALT			0x38
#define SC_CAPS_LOCK		0x3A
#define SC_KEYPAD_FIRST		0x47
#define SC_KEYPAD_LAST		0x53
#define ESC			0x1b

/* Set 1 make codes 0x00-0x39, US layout; 0 where a key types nothing. */
static const char keymap[] =
	"\0\033" "1234567890-=" "\177\t" "qwertyuiop[]" "\r\0"
	"asdfghjkl;'`" "\0" "\\zxcvbnm,./" "\0*\0 ";
static const char keymap_shift[] =
	"\0\033" "!@#$%^&*()_+" "\177\t" "QWERTYUIOP{}" "\r\0"
	"ASDFGHJKL:\"~" "\0" "|ZXCVBNM<>?" "\0*\0 ";
static const char keypad[] = "789-456+1230.";	/* 0x47-0x53 */

BUILD_ASSERT(sizeof(keymap) - 1 == 0x3A);
BUILD_ASSERT(sizeof(keymap_shift) == sizeof(keymap));
BUILD_ASSERT(sizeof(keypad) - 1 == SC_KEYPAD_LAST - SC_KEYPAD_FIRST + 1);

/* The 0xE0 keys that type something, as Linux's console sends them. */
static const struct {
	uint8_t code;
	const char *seq;
} extended_keys[] = {
	{ 0x1C, "\r" },		/* keypad Enter */
	{ 0x35, "/" },		/* keypad / */
	{ 0x47, "\033[1~" },	/* Home */
	{ 0x48, "\033[A" },	/* Up */
	{ 0x49, "\033[5~" },	/* Page Up */
	{ 0x4B, "\033[D" },	/* Left */
	{ 0x4D, "\033[C" },	/* Right */
	{ 0x4F, "\033[4~" },	/* End */
	{ 0x50, "\033[B" },	/* Down */
	{ 0x51, "\033[6~" },	/* Page Down */
	{ 0x52, "\033[2~" },	/* Insert */
	{ 0x53, "\033[3~" },	/* Delete */
};

/* Shift, Ctrl, Alt and Caps Lock change state; true if code was one. */
static bool modifier(struct kbd_state *st, uint8_t code, bool ext, bool down)
{
	switch (code) {
	case SC_LSHIFT:
	case SC_RSHIFT:
		/* E0 2A / E0 36 are the fake shifts around Print Screen and
		 * the editing keys: not a Shift key at all. */
		if (!ext)
			*(code == SC_LSHIFT ? &st->shift_l : &st->shift_r) = down;
		return true;
	case SC_CTRL:
		*(ext ? &st->ctrl_r : &st->ctrl_l) = down;
		return true;
	case SC_ALT:
		*(ext ? &st->alt_r : &st->alt_l) = down;
		return true;
	case SC_CAPS_LOCK:
		if (down)
			st->caps_lock = !st->caps_lock;
		return true;
	default:
		return false;
	}
}

static size_t copy_seq(const char *seq, char out[KBD_MAX_SEQ])
{
	size_t n = 0;

	while (seq[n] && n < KBD_MAX_SEQ) {
		out[n] = seq[n];
		n++;
	}
	return n;
}

static size_t extended_key(uint8_t code, char out[KBD_MAX_SEQ])
{
	for (size_t i = 0; i < ARRAY_SIZE(extended_keys); i++)
		if (extended_keys[i].code == code)
			return copy_seq(extended_keys[i].seq, out);
	return 0;
}

/* The character an ordinary key types with the modifiers as they are. */
static uint8_t plain_key(const struct kbd_state *st, uint8_t code)
{
	bool shift = st->shift_l || st->shift_r;
	uint8_t c;

	if (code >= SC_KEYPAD_FIRST && code <= SC_KEYPAD_LAST)
		return (uint8_t)keypad[code - SC_KEYPAD_FIRST];
	if (code >= sizeof(keymap) - 1)
		return 0;
	c = (uint8_t)keymap[code];
	if (c >= 'a' && c <= 'z')
		shift ^= st->caps_lock;		/* Caps Lock: letters only */
	return shift ? (uint8_t)keymap_shift[code] : c;
}

/* Ctrl+key, as a terminal sends it: @ A-Z [ \ ] ^ _ (either case) are
 * 0-31, Space is NUL, ? is DEL; other keys are not changed. */
static uint8_t control_key(uint8_t c)
{
	if (c >= 'a' && c <= 'z')
		return c & 0x1f;
	if (c >= '@' && c <= '_')
		return c & 0x1f;
	if (c == ' ')
		return 0;
	if (c == '?')
		return 0x7f;
	return c;
}

/**
 * kbd_translate - one scancode-set-1 byte to the bytes it types.
 * @st: modifier state, updated.
 * @out: at most KBD_MAX_SEQ bytes.
 * Context: any; pure.  Return: how many bytes were put in @out (0 for
 * prefixes, releases, modifiers and keys that type nothing).
 */
size_t kbd_translate(struct kbd_state *st, uint8_t scancode,
		     char out[KBD_MAX_SEQ])
{
	bool down = !(scancode & SC_BREAK);
	uint8_t code = scancode & ~SC_BREAK;
	bool ext = st->extended;
	uint8_t c;
	size_t n = 0;

	if (scancode == SC_EXTENDED) {
		st->extended = true;
		return 0;
	}
	st->extended = false;
	if (scancode == SC_PAUSE_PREFIX || modifier(st, code, ext, down) || !down)
		return 0;
	if (ext)
		return extended_key(code, out);
	c = plain_key(st, code);
	if (!c)
		return 0;
	if (st->ctrl_l || st->ctrl_r)
		c = control_key(c);
	if (st->alt_l || st->alt_r)
		out[n++] = ESC;		/* Linux's "meta sends escape" */
	out[n++] = (char)c;
	return n;
}

static struct kbd_state kbd;	/* [irq 1] */

/* IRQ 1, interrupts off: the controller holds one byte per interrupt. */
static void keyboard_irq(struct trapframe *tf __unused)
{
	uint8_t status = inb(I8042_STATUS);
	char seq[KBD_MAX_SEQ];
	size_t n;

	uint8_t scancode;

	if (!(status & ST_OUTPUT_FULL))
		return;
	scancode = inb(I8042_DATA);
	if (status & ST_AUX_DATA)
		return;		/* a mouse byte that came our way: not a key */
	n = kbd_translate(&kbd, scancode, seq);
	for (size_t i = 0; i < n; i++)
		tty_console_input((uint8_t)seq[i]);
}

static bool wait_status(uint8_t bit, bool set)
{
	for (unsigned int i = 0; i < I8042_SPINS; i++)
		if (!!(inb(I8042_STATUS) & bit) == set)
			return true;
	return false;
}

/* Make sure the controller interrupts for keys and translates to set 1.
 * The BIOS normally leaves it so; a boot loader or firmware may not. */
static void configure_controller(void)
{
	uint8_t config;

	if (!wait_status(ST_INPUT_FULL, false))
		goto fail;
	outb(I8042_CMD, CMD_READ_CONFIG);
	if (!wait_status(ST_OUTPUT_FULL, true))
		goto fail;
	config = inb(I8042_DATA);
	config |= CFG_KBD_IRQ | CFG_TRANSLATE;
	config &= (uint8_t)~CFG_KBD_DISABLED;
	outb(I8042_CMD, CMD_WRITE_CONFIG);
	if (!wait_status(ST_INPUT_FULL, false))
		goto fail;
	outb(I8042_DATA, config);
	return;
fail:
	printk(KERN_WARNING "keyboard: i8042 controller not answering\n");
}

/**
 * keyboard_init - start keyboard input: empty the controller's buffer,
 * check its command byte, take IRQ 1.  Context: tty_init, once.
 */
void keyboard_init(void)
{
	for (unsigned int i = 0; i < 16 && (inb(I8042_STATUS) & ST_OUTPUT_FULL); i++)
		(void)inb(I8042_DATA);		/* keys pressed during boot */
	configure_controller();
	irq_register(KBD_IRQ, keyboard_irq);
}
