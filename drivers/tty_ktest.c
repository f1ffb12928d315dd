/*
 * drivers/tty_ktest.c - self-tests of the terminal line discipline and the
 * keyboard's scancode decoding, on the kernel's own wait queues, timer and
 * user-copy code.  Each test drives a terminal of its own, whose output is
 * recorded here instead of going to the screen, by handing it bytes with
 * interrupts off as an interrupt handler would; reads use kernel buffers.
 * tests/tty_test.c covers the discipline's corners on the host.
 */
#include <errno.h>
#include <ktest.h>
#include <string.h>
#include <timer.h>
#include <tty.h>
#include <vfs.h>

static struct tty ktty;
static char echo[256];
static size_t echo_len;

static void record(struct tty *tty, const char *s, size_t n)
{
	n = MIN(n, sizeof(echo) - echo_len);
	memcpy(echo + echo_len, s, n);
	echo_len += n;
}

static void fresh(void)
{
	tty_setup(&ktty, "ktest", record, NULL);
	echo_len = 0;
}

static void type(const char *s)
{
	bool was_on = irq_save();

	for (; *s; s++)
		tty_receive_char(&ktty, (uint8_t)*s);
	irq_restore(was_on);
}

static bool echo_is(const char *want)
{
	return echo_len == strlen(want) && memcmp(echo, want, echo_len) == 0;
}

/* Read with a kernel buffer; true if it gave exactly want. */
static bool reads(unsigned int flags, const char *want)
{
	char buf[64];
	long n = tty_read(&ktty, buf, sizeof(buf), flags, TTY_KERNEL);

	return n == (long)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

static void set_raw(cc_t vmin, cc_t vtime)
{
	struct termios t;

	tty_get_termios(&ktty, &t);
	t.c_lflag &= ~(tcflag_t)ICANON;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	tty_set_termios(&ktty, &t, TTY_SET_NOW);
}

KTEST(tty_canonical_erase_kill_and_icrnl)
{
	fresh();
	type("ab\x7f" "c\x15xy\r");
	KT_ASSERT(reads(0, "xy\n"));
	KT_ASSERT(echo_is("ab\b \bc\b \b\b \bxy\r\n"));
	return 0;
}

KTEST(tty_canonical_waits_for_whole_line)
{
	fresh();
	type("abc");
	KT_ASSERT(tty_read(&ktty, echo, 8, O_NONBLOCK, TTY_KERNEL) == -EAGAIN);
	KT_ASSERT(tty_input_count(&ktty) == 0);
	type("\n");
	KT_ASSERT(tty_input_count(&ktty) == 4);
	KT_ASSERT(reads(0, "abc\n"));
	return 0;
}

KTEST(tty_eof_at_line_start_and_mid_line)
{
	fresh();
	type("\x04");
	KT_ASSERT(reads(0, ""));
	type("ab\x04");
	KT_ASSERT(reads(0, "ab"));
	KT_ASSERT(tty_read(&ktty, echo, 8, O_NONBLOCK, TTY_KERNEL) == -EAGAIN);
	return 0;
}

/* No foreground group: ^C signals nobody, but still flushes and echoes. */
KTEST(tty_intr_flushes_input)
{
	fresh();
	type("line\npartial\x03");
	KT_ASSERT(tty_input_count(&ktty) == 0);
	KT_ASSERT(echo_is("line\r\npartial^C"));
	type("next\n");
	KT_ASSERT(reads(0, "next\n"));
	return 0;
}

KTEST(tty_raw_vmin0_vtime0_returns_at_once)
{
	fresh();
	set_raw(0, 0);
	KT_ASSERT(reads(0, ""));
	type("q\r");
	KT_ASSERT(reads(0, "q\n"));
	return 0;
}

/* VMIN 0, VTIME 1: with no input, read sleeps a tenth of a second on the
 * real timer, then returns 0. */
KTEST(tty_raw_vtime_times_out_on_the_clock)
{
	uint64_t start, took;

	fresh();
	set_raw(0, 1);
	start = jiffies_read();
	KT_ASSERT(reads(0, ""));
	took = jiffies_read() - start;
	KT_ASSERT(took >= HZ / 10 && took < HZ);
	return 0;
}

/* A user pointer into the kernel is refused, and the line stays queued. */
KTEST(tty_user_copies_refuse_kernel_addresses)
{
	struct termios t;
	char buf[8];

	fresh();
	type("ok\n");
	KT_ASSERT(tty_read(&ktty, buf, sizeof(buf), 0, TTY_USER) == -EFAULT);
	KT_ASSERT(tty_write(&ktty, buf, sizeof(buf), TTY_USER) == -EFAULT);
	KT_ASSERT(tty_ioctl(&ktty, TCGETS, (uint32_t)&t) == -EFAULT);
	KT_ASSERT(tty_ioctl(&ktty, TCSETS, (uint32_t)&t) == -EFAULT);
	KT_ASSERT(tty_ioctl(&ktty, 0x5401 + 0x80, 0) == -ENOTTY);
	KT_ASSERT(reads(0, "ok\n"));
	return 0;
}

KTEST(tty_write_maps_newline)
{
	fresh();
	KT_ASSERT(tty_write(&ktty, "a\nb", 3, TTY_KERNEL) == 3);
	KT_ASSERT(echo_is("a\r\nb"));
	return 0;
}

/* Press and release keys; collect what they type. */
static size_t keys(struct kbd_state *st, const uint8_t *codes, size_t n,
		   char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += kbd_translate(st, codes[i], out + len);
	return len;
}

#define KEYS_TYPE(want, ...)						\
	do {								\
		static const uint8_t c_[] = { __VA_ARGS__ };		\
		struct kbd_state st_ = { 0 };				\
		char o_[32];						\
		size_t n_ = keys(&st_, c_, sizeof(c_), o_);		\
									\
		KT_ASSERT(n_ == sizeof(want) - 1 &&			\
			  memcmp(o_, want, n_) == 0);			\
	} while (0)

KTEST(kbd_scancode_set1_decoding)
{
	KEYS_TYPE("a1", 0x1E, 0x9E, 0x02, 0x82);
	KEYS_TYPE("A!", 0x2A, 0x1E, 0x02, 0xAA, 0x9E);		/* Shift */
	KEYS_TYPE("Aa!", 0x3A, 0xBA, 0x1E, 0x2A, 0x1E, 0x02, 0xAA); /* Caps */
	KEYS_TYPE("\x03\x1c", 0x1D, 0x2E, 0xAE, 0x2B, 0x9D);	/* Ctrl-C, Ctrl-\ */
	KEYS_TYPE("\x03", 0xE0, 0x1D, 0x2E, 0xE0, 0x9D);	/* right Ctrl */
	KEYS_TYPE("\r\x7f\t", 0x1C, 0x0E, 0x0F);		/* Enter, BS, Tab */
	KEYS_TYPE("\033[A\033[3~", 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x53);
	KEYS_TYPE("x", 0xE0, 0x2A, 0x2D, 0xE0, 0xAA);	/* fake shift */
	KEYS_TYPE("\033a", 0x38, 0x1E, 0xB8);			/* Alt-a */
	KEYS_TYPE("7.", 0x47, 0x53);				/* keypad */
	KEYS_TYPE("", 0x3B, 0x45, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
	return 0;
}

/* Key presses through the discipline: "ls", a typo erased, Enter. */
KTEST(kbd_keys_reach_a_reader)
{
	static const uint8_t codes[] = { 0x26, 0x1F, 0x2D, 0x0E, 0x1C };
	struct kbd_state st = { 0 };
	bool was_on;
	char seq[KBD_MAX_SEQ];

	fresh();
	was_on = irq_save();
	for (size_t i = 0; i < sizeof(codes); i++) {
		size_t n = kbd_translate(&st, codes[i], seq);

		for (size_t j = 0; j < n; j++)
			tty_receive_char(&ktty, (uint8_t)seq[j]);
	}
	irq_restore(was_on);
	KT_ASSERT(reads(0, "ls\n"));
	return 0;
}
