/* include/tty.h - the console terminal (drivers/tty.c) and the input
 * devices that feed it (drivers/keyboard.c, drivers/serial.c).
 *
 * One struct tty is one terminal: an input queue filled from interrupt
 * handlers, a line discipline with Linux's termios(3) semantics (canonical
 * editing and echo, or raw reads with VMIN/VTIME), and an output sink.  The
 * kernel has one real terminal, the console: its input is the PS/2 keyboard
 * and COM1, its output both COM1 and the VGA text screen.  Self-tests make
 * terminals of their own with a sink that records the echo.
 *
 * Interface, in the order the kernel meets it:
 *   tty_init()                   kmain, once interrupts work: set up the
 *                                console and start keyboard and COM1 input
 *   tty_open_console(&file)      an open file on the console (init's 0,1,2)
 *   tty_file_ops                 what /dev/console and /dev/tty open to
 *   tty_console_input(c)         keyboard / serial IRQ handlers, irqs off
 *
 * For code that drives a terminal without hardware (the self-tests):
 *   tty_setup(tty, name, sink)   a fresh terminal with Linux's defaults
 *   tty_receive_char(tty, c)     one input byte, as an interrupt would give it
 *   tty_read / tty_write         read(2) and write(2), with kernel or user buffers
 *   tty_get_termios / tty_set_termios / tty_flush_input / tty_input_count
 *
 * The ABI is Linux i386's: ioctl numbers (asm-generic/ioctls.h), the
 * kernel's struct termios as TCGETS passes it (asm-generic/termbits.h, not
 * the C library's struct), flag and c_cc values (same file).
 */
#ifndef WALNUT_TTY_H
#define WALNUT_TTY_H

#include <types.h>
#include <wait.h>

/* ---- the user ABI ---- */

/* ioctl commands, Linux i386 numbers. */
#define TCGETS		0x5401	/* struct termios * : get */
#define TCSETS		0x5402	/* struct termios * : set now */
#define TCSETSW		0x5403	/* ... after output drains */
#define TCSETSF		0x5404	/* ... after output drains, input flushed */
#define TCSBRK		0x5409	/* int: 0 sends a break; tcdrain() passes 1 */
#define TCXONC		0x540A	/* int: TCOOFF, TCOON, TCIOFF, TCION */
#define TCFLSH		0x540B	/* int: TCIFLUSH, TCOFLUSH, TCIOFLUSH */
#define TIOCSCTTY	0x540E	/* int: become the controlling terminal */
#define TIOCGPGRP	0x540F	/* pid_t * : foreground process group */
#define TIOCSPGRP	0x5410	/* const pid_t * */
#define TIOCGWINSZ	0x5413	/* struct winsize * */
#define TIOCSWINSZ	0x5414	/* const struct winsize * */
#define FIONREAD	0x541B	/* int * : bytes a read could return now */
#define TIOCNOTTY	0x5422	/* give up the controlling terminal */
#define TIOCGSID	0x5429	/* pid_t * : the terminal's session */

/* TCXONC and TCFLSH arguments. */
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

/* c_cc indices. */
#define VINTR		0	/* ^C: SIGINT */
#define VQUIT		1	/* ^\: SIGQUIT */
#define VERASE		2	/* DEL: erase a character */
#define VKILL		3	/* ^U: erase the line */
#define VEOF		4	/* ^D: end of file / push the line */
#define VTIME		5	/* raw reads: timeout, tenths of a second */
#define VMIN		6	/* raw reads: bytes to wait for */
#define VSWTC		7
#define VSTART		8	/* ^Q: resume output (IXON) */
#define VSTOP		9	/* ^S: stop output (IXON) */
#define VSUSP		10	/* ^Z: SIGTSTP */
#define VEOL		11	/* another end-of-line character */
#define VREPRINT	12	/* ^R: retype the line (IEXTEN) */
#define VDISCARD	13
#define VWERASE		14	/* ^W: erase a word (IEXTEN) */
#define VLNEXT		15	/* ^V: take the next character literally (IEXTEN) */
#define VEOL2		16	/* yet another end-of-line (IEXTEN) */
#define NCCS		19

#define _POSIX_VDISABLE	0	/* a c_cc slot holding this is switched off */

/* c_iflag */
#define IGNBRK		0000001
#define BRKINT		0000002
#define IGNPAR		0000004
#define PARMRK		0000010
#define INPCK		0000020
#define ISTRIP		0000040	/* clear bit 7 of input */
#define INLCR		0000100	/* NL -> CR on input */
#define IGNCR		0000200	/* drop CR on input */
#define ICRNL		0000400	/* CR -> NL on input */
#define IUCLC		0001000
#define IXON		0002000	/* VSTOP/VSTART control output */
#define IXANY		0004000	/* any input restarts output */
#define IXOFF		0010000
#define IMAXBEL		0020000	/* ring the bell when input is full */
#define IUTF8		0040000

/* c_oflag */
#define OPOST		0000001	/* process output */
#define OLCUC		0000002
#define ONLCR		0000004	/* NL -> CR NL on output */
#define OCRNL		0000010	/* CR -> NL on output */
#define ONOCR		0000020
#define ONLRET		0000040

/* c_cflag */
#define CBAUD		0010017
#define B9600		0000015
#define B38400		0000017
#define CSIZE		0000060
#define CS8		0000060
#define CSTOPB		0000100
#define CREAD		0000200
#define PARENB		0000400
#define PARODD		0001000
#define HUPCL		0002000
#define CLOCAL		0004000

/* c_lflag */
#define ISIG		0000001	/* VINTR, VQUIT, VSUSP send signals */
#define ICANON		0000002	/* line editing; read returns lines */
#define XCASE		0000004
#define ECHO		0000010	/* echo input */
#define ECHOE		0000020	/* VERASE rubs out: "\b \b" */
#define ECHOK		0000040	/* newline after VKILL */
#define ECHONL		0000100	/* echo NL even without ECHO */
#define NOFLSH		0000200	/* signals do not flush the input */
#define TOSTOP		0000400
#define ECHOCTL		0001000	/* echo control characters as ^X */
#define ECHOPRT		0002000
#define ECHOKE		0004000	/* VKILL rubs out the whole line */
#define FLUSHO		0010000
#define PENDIN		0040000
#define IEXTEN		0100000	/* VWERASE, VLNEXT, VREPRINT, VEOL2 */
#define EXTPROC		0200000

typedef uint32_t tcflag_t;
typedef uint8_t cc_t;

/* What TCGETS/TCSETS copy: 36 bytes, no padding. */
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;		/* line discipline: 0, N_TTY */
	cc_t c_cc[NCCS];
};

struct winsize {
	uint16_t ws_row, ws_col;
	uint16_t ws_xpixel, ws_ypixel;
};

/* ---- the kernel's terminal ---- */

#define TTY_BUF_SIZE	4096	/* input queue bytes; a power of two */

struct tty;

/* Where a terminal's output goes.  Called with interrupts off, from the
 * receive path (echo) and from tty_write; must not sleep. */
typedef void (*tty_sink_fn)(struct tty *tty, const char *s, size_t n);

/* Where a read or write buffer lives. */
enum tty_space {
	TTY_USER,		/* a user pointer: copy_to_user/copy_from_user */
	TTY_KERNEL,		/* a kernel pointer (self-tests, kernel callers) */
};

/* When tty_set_termios acts (TCSETS, TCSETSW, TCSETSF). */
enum tty_set_when {
	TTY_SET_NOW,
	TTY_SET_DRAIN,		/* output is synchronous: the same as NOW */
	TTY_SET_FLUSH,		/* and discard unread input first */
};

/* What a slot of the input queue ends, in canonical mode. */
enum tty_mark {
	TTY_MARK_NONE,		/* an ordinary byte */
	TTY_MARK_EOL,		/* ends a line; read returns the byte */
	TTY_MARK_EOF,		/* VEOF ended the line; read drops the byte */
};

/*
 * A terminal.  Fields are private to drivers/tty.c.  Guards:
 *   [I] set by tty_setup   [i] interrupts off (receive path and readers)
 *   [r] the reader that holds reader_busy
 * The input queue is a ring of free-running indices, read_head <=
 * canon_head <= edit_head (mod 2^32): [read_head, canon_head) is what
 * readers may take; [canon_head, edit_head) is the line still being edited
 * (empty in raw mode).
 */
struct tty {
	const char *name;			/* [I] */
	tty_sink_fn sink;			/* [I] */
	void *sink_data;			/* [I] the sink's own */

	struct termios termios;			/* [i] */
	struct winsize winsize;			/* [i] */
	int fg_pgrp;				/* [i] 0: none */
	int session;				/* [i] whose controlling terminal;
						   0: none */

	char buf[TTY_BUF_SIZE];			/* [i] input queue */
	uint8_t mark[TTY_BUF_SIZE];		/* [i] enum tty_mark per slot */
	uint32_t read_head;			/* [i] next byte to read */
	uint32_t canon_head;			/* [i] end of readable input */
	uint32_t edit_head;			/* [i] end of all input */
	uint32_t flush_gen;			/* [i] bumped by each flush */

	unsigned int column;			/* [i] output column, for erase */
	unsigned int canon_column;		/* [i] column the edit line began */
	bool lnext;				/* [i] VLNEXT seen: next is literal */
	bool stopped;				/* [i] VSTOP seen: writers wait */

	bool reader_busy;			/* [i] one reader at a time */
	struct wait_queue read_wait;		/* input arrived, mode changed */
	struct wait_queue reader_wait;		/* reader_busy cleared */
	struct wait_queue write_wait;		/* output restarted */
};

extern const struct file_ops tty_file_ops;
extern struct tty console_tty;

struct file;

void tty_init(void);
int tty_open_console(struct file **out);
void tty_console_input(uint8_t c);

void tty_setup(struct tty *tty, const char *name, tty_sink_fn sink,
	       void *sink_data);
void tty_receive_char(struct tty *tty, uint8_t c);
long tty_read(struct tty *tty, void *buf, size_t len, unsigned int f_flags,
	      enum tty_space space);
long tty_write(struct tty *tty, const void *buf, size_t len,
	       enum tty_space space);
long tty_ioctl(struct tty *tty, unsigned int cmd, uint32_t arg);
void tty_get_termios(struct tty *tty, struct termios *out);
int tty_set_termios(struct tty *tty, const struct termios *t,
		    enum tty_set_when when);
void tty_flush_input(struct tty *tty);
size_t tty_input_count(struct tty *tty);

/* ---- the console's input devices ---- */

/* drivers/serial.c: COM1's receive interrupt (IRQ 4) feeds the console. */
void serial_rx_start(void);

/* drivers/keyboard.c: the PS/2 keyboard (IRQ 1) feeds the console. */
void keyboard_init(void);

/* Scancode set 1 to bytes, kept apart from the hardware so a self-test can
 * press keys.  One key event gives at most KBD_MAX_SEQ bytes (an arrow key
 * is "ESC [ A"; Alt+key is ESC, key). */
#define KBD_MAX_SEQ	4

struct kbd_state {
	bool shift_l, shift_r;
	bool ctrl_l, ctrl_r;
	bool alt_l, alt_r;
	bool caps_lock;
	bool extended;		/* the previous byte was the 0xE0 prefix */
};

size_t kbd_translate(struct kbd_state *st, uint8_t scancode,
		     char out[KBD_MAX_SEQ]);

#endif
