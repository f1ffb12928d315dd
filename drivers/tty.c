/*
 * drivers/tty.c - terminals: the input queue, the line discipline (Linux's
 * N_TTY as termios(3) describes it), and the file operations behind
 * /dev/console and /dev/tty.
 *
 * Owns: struct tty (include/tty.h) and the one real terminal, console_tty,
 * whose output goes to the VGA screen and COM1 and whose input comes from
 * the keyboard and COM1 interrupts.  docs/tty.md draws the whole path.
 *
 * Interface (include/tty.h): tty_init() once; tty_console_input(c) from the
 * input drivers' interrupt handlers; tty_file_ops / tty_open_console() for
 * open files; tty_setup, tty_receive_char, tty_read, tty_write and the
 * termios calls for anyone driving a terminal without hardware.
 *
 * A byte's way in: tty_receive_char() applies the input flags (ISTRIP,
 * IXON, IGNCR/ICRNL/INLCR), then the signal characters (ISIG), then either
 * canonical editing (canon_char: erase, kill, word erase, literal next,
 * reprint, end of line, end of file) or raw queueing (raw_char), echoing
 * through out_*() to the sink as it goes, and wakes readers.  tty_read()
 * takes bytes out again in the reader's own context.
 *
 * Invariants, with indices counted mod 2^32 and slot = index % TTY_BUF_SIZE:
 *   read_head <= canon_head <= edit_head <= read_head + TTY_BUF_SIZE;
 *   in raw mode (ICANON clear) canon_head == edit_head;
 *   in canonical mode [canon_head, edit_head), the line being edited, holds
 *   no marks, and canon_head != read_head only when a whole line is ready.
 *
 * Locks: a terminal's state is guarded by interrupts being off (one CPU).
 * The receive path runs in interrupt handlers; process context turns
 * interrupts off (irq_save) around every look at the queue or termios, and
 * around output, so that echo from an interrupt never lands in the middle
 * of a write's byte (drivers/vga.c keeps its cursor in plain variables).
 * Nothing touches user memory with interrupts off: a read peeks into a
 * stack buffer, copies out, then consumes; a write copies in, then sends.
 * reader_busy is a sleeping lock that lets one reader at a time do that, as
 * Linux's atomic_read_lock does, so two readers never get the same bytes.
 *
 * Sleeps: tty_read (for input, for reader_busy) and tty_write (while VSTOP
 * holds output), interruptibly.  tty_receive_char never sleeps.
 */
#ifdef WALNUT_HOST
#include <fcntl.h>	/* tests/tty_test.c: vfs.h leaves O_* to the host's */
#endif
#include <console.h>
#include <errno.h>
#include <kernel.h>
#include <poll.h>
#include <proc.h>
#include <sched.h>
#include <signals.h>
#include <string.h>
#include <timer.h>
#include <tty.h>
#include <uaccess.h>
#include <vfs.h>
#include <x86.h>

#define BUF_MASK	(TTY_BUF_SIZE - 1)
BUILD_ASSERT((TTY_BUF_SIZE & BUF_MASK) == 0);

#define IO_CHUNK	128	/* bytes copied through a stack buffer at a time */
#define OUT_BUF		64	/* bytes of output gathered before the sink */
#define CTRL(c)		((c) & 0x1f)
#define CONSOLE_ROWS	25	/* drivers/vga.c's screen */
#define CONSOLE_COLS	80

struct tty console_tty;
static bool console_ready;	/* console_tty is set up: input may come */

/* Linux's tty_std_termios (drivers/tty/tty_io.c) and INIT_C_CC. */
static const struct termios default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_cc = {
		[VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
		[VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VTIME] = 0,
		[VMIN] = 1, [VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'),
		[VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'),
		[VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'),
		[VLNEXT] = CTRL('V'),
	},
};

static bool is_ctrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

/* Is c the character in this c_cc slot?  A slot of 0 is switched off. */
static bool is_cc(cc_t slot, uint8_t c)
{
	return slot != _POSIX_VDISABLE && c == slot;
}

static uint32_t queue_room(const struct tty *tty)
{
	return TTY_BUF_SIZE - (tty->edit_head - tty->read_head);
}

static void queue_put(struct tty *tty, uint8_t c, enum tty_mark mark)
{
	tty->buf[tty->edit_head & BUF_MASK] = (char)c;
	tty->mark[tty->edit_head & BUF_MASK] = (uint8_t)mark;
	tty->edit_head++;
}

/* ---- output: echo and write, with interrupts off ---- */

/* Output gathered on the stack and handed to the sink in one call. */
struct out {
	struct tty *tty;
	size_t len;
	char b[OUT_BUF];
};

static void out_flush(struct out *o)
{
	if (o->len)
		o->tty->sink(o->tty, o->b, o->len);
	o->len = 0;
}

/* Make room for n bytes that must reach the sink together ("\r\n", "^C"). */
static void out_reserve(struct out *o, size_t n)
{
	if (sizeof(o->b) - o->len < n)
		out_flush(o);
}

/* One byte as it is, keeping the column that erasing a tab needs. */
static void out_raw(struct out *o, char c)
{
	struct tty *tty = o->tty;

	out_reserve(o, 1);
	o->b[o->len++] = c;
	switch (c) {
	case '\r':
		tty->column = tty->canon_column = 0;
		break;
	case '\n':
		tty->canon_column = tty->column;
		break;
	case '\t':
		tty->column = (tty->column | 7) + 1;
		break;
	case '\b':
		if (tty->column)
			tty->column--;
		break;
	default:
		if (!is_ctrl((uint8_t)c))
			tty->column++;
	}
}

/* One byte of program output or echo, through OPOST processing. */
static void out_post(struct out *o, char c)
{
	tcflag_t oflag = o->tty->termios.c_oflag;

	if (oflag & OPOST) {
		if (c == '\n' && (oflag & ONLCR)) {
			out_reserve(o, 2);
			out_raw(o, '\r');
		} else if (c == '\r' && (oflag & OCRNL)) {
			c = '\n';
		}
	}
	out_raw(o, c);
}

/* Echo an input byte: control characters as ^X under ECHOCTL. */
static void echo_char(struct out *o, uint8_t c)
{
	if ((o->tty->termios.c_lflag & ECHOCTL) && is_ctrl(c) && c != '\t' &&
	    c != '\n') {
		out_reserve(o, 2);
		out_raw(o, '^');
		out_raw(o, (char)(c ^ 0x40));
	} else {
		out_post(o, (char)c);
	}
}

static void bell(struct out *o)
{
	if (o->tty->termios.c_iflag & IMAXBEL)
		out_post(o, '\a');
}

/* ---- canonical editing ---- */

/* The column at which the echo of edit-line slot upto begins. */
static unsigned int edit_column(const struct tty *tty, uint32_t upto)
{
	bool ctl2 = tty->termios.c_lflag & ECHOCTL;
	unsigned int col = tty->canon_column;

	for (uint32_t i = tty->canon_head; i != upto; i++) {
		uint8_t c = (uint8_t)tty->buf[i & BUF_MASK];

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_ctrl(c))
			col += ctl2 ? 2 : 0;
		else
			col++;
	}
	return col;
}

/* Take back the echo of c, the edit line's last byte, just removed. */
static void rub_out(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;
	unsigned int cols;

	if (c == '\t') {
		/* A tab printed nothing: back up to where it started. */
		unsigned int start = edit_column(tty, tty->edit_head);

		for (cols = tty->column > start ? tty->column - start : 0; cols;
		     cols--)
			out_raw(o, '\b');
		return;
	}
	cols = !is_ctrl(c) ? 1 : (tty->termios.c_lflag & ECHOCTL) ? 2 : 0;
	for (; cols; cols--) {
		out_raw(o, '\b');
		out_raw(o, ' ');
		out_raw(o, '\b');
	}
}

/* VKILL rubs the line out only with all of these; else it echoes itself. */
#define KILL_RUBS_OUT	(ECHO | ECHOE | ECHOK | ECHOKE)

enum erase_kind {
	ERASE_CHAR,	/* VERASE or ^H: one byte */
	ERASE_WORD,	/* VWERASE: back over spaces, then a word */
	ERASE_LINE,	/* VKILL: the whole edit line */
};

/* VKILL without ECHOKE: echo the kill character, not the erasing. */
static void kill_line_quietly(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;
	tcflag_t lflag = tty->termios.c_lflag;

	tty->edit_head = tty->canon_head;
	if (!(lflag & ECHO))
		return;
	echo_char(o, c);
	if (lflag & ECHOK)
		out_post(o, '\n');
}

static bool is_word_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '_';
}

/* Erase from the end of the edit line, rubbing the echo out as Linux's
 * n_tty eraser() does; c is the character that asked. */
static void erase(struct out *o, enum erase_kind kind, uint8_t c)
{
	struct tty *tty = o->tty;
	tcflag_t lflag = tty->termios.c_lflag;
	bool seen_word = false;

	if (tty->edit_head == tty->canon_head)
		return;
	if (kind == ERASE_LINE && (lflag & KILL_RUBS_OUT) != KILL_RUBS_OUT) {
		kill_line_quietly(o, c);
		return;
	}
	while (tty->edit_head != tty->canon_head) {
		uint32_t slot = (tty->edit_head - 1) & BUF_MASK;
		uint8_t last = (uint8_t)tty->buf[slot];

		if (kind == ERASE_WORD) {
			if (is_word_char(last))
				seen_word = true;
			else if (seen_word)
				break;
		}
		tty->edit_head--;
		if ((lflag & ECHO) && kind == ERASE_CHAR && !(lflag & ECHOE))
			echo_char(o, c);
		else if (lflag & ECHO)
			rub_out(o, last);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: show the edit line again on a fresh line. */
static void reprint(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;

	echo_char(o, c);
	out_post(o, '\n');
	for (uint32_t i = tty->canon_head; i != tty->edit_head; i++)
		echo_char(o, (uint8_t)tty->buf[i & BUF_MASK]);
}

/* An ordinary byte joins the edit line, keeping one slot for its end. */
static void add_char(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;

	if (queue_room(tty) < 2) {
		bell(o);
		return;
	}
	if (tty->termios.c_lflag & ECHO) {
		if (tty->edit_head == tty->canon_head)
			tty->canon_column = tty->column;
		echo_char(o, c);
	}
	queue_put(tty, c, TTY_MARK_NONE);
}

/* '\n', VEOL, VEOL2 (mark EOL) or VEOF (mark EOF): the line is readable. */
static void end_line(struct out *o, uint8_t c, enum tty_mark mark)
{
	struct tty *tty = o->tty;
	tcflag_t lflag = tty->termios.c_lflag;

	if (queue_room(tty) < 1) {
		bell(o);
		return;
	}
	if (mark == TTY_MARK_EOL && c == '\n') {
		if (lflag & (ECHO | ECHONL))
			out_post(o, '\n');
	} else if (mark == TTY_MARK_EOL && (lflag & ECHO)) {
		echo_char(o, c);
	}
	queue_put(tty, c, mark);
	tty->canon_head = tty->edit_head;
	wake_up(&tty->read_wait);
}

static void canon_char(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;
	const cc_t *cc = tty->termios.c_cc;
	tcflag_t lflag = tty->termios.c_lflag;
	bool iexten = lflag & IEXTEN;

	if (is_cc(cc[VERASE], c) || c == '\b')
		erase(o, ERASE_CHAR, c);
	else if (is_cc(cc[VKILL], c))
		erase(o, ERASE_LINE, c);
	else if (iexten && is_cc(cc[VWERASE], c))
		erase(o, ERASE_WORD, c);
	else if (iexten && is_cc(cc[VLNEXT], c)) {
		tty->lnext = true;
		if ((lflag & (ECHO | ECHOCTL)) == (ECHO | ECHOCTL)) {
			out_raw(o, '^');	/* the literal will overwrite it */
			out_raw(o, '\b');
		}
	} else if (iexten && (lflag & ECHO) && is_cc(cc[VREPRINT], c))
		reprint(o, c);
	else if (c == '\n' || is_cc(cc[VEOL], c) ||
		 (iexten && is_cc(cc[VEOL2], c)))
		end_line(o, c, TTY_MARK_EOL);
	else if (is_cc(cc[VEOF], c))
		end_line(o, c, TTY_MARK_EOF);	/* not echoed, as on Linux */
	else
		add_char(o, c);
}

/* ---- raw mode, flow control, signals ---- */

static void raw_char(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;

	if (queue_room(tty) < 1) {
		bell(o);
		return;
	}
	if (tty->termios.c_lflag & ECHO) {
		if (c == '\n')
			out_post(o, '\n');
		else
			echo_char(o, c);
	}
	queue_put(tty, c, TTY_MARK_NONE);
	tty->canon_head = tty->edit_head;
	wake_up(&tty->read_wait);
}

static void start_output(struct tty *tty)
{
	tty->stopped = false;
	wake_up(&tty->write_wait);
}

/* IXON: VSTOP holds output, VSTART (or, with IXANY, any byte) resumes it.
 * True if c was used up. */
static bool flow_char(struct tty *tty, uint8_t c)
{
	const cc_t *cc = tty->termios.c_cc;

	if (is_cc(cc[VSTART], c)) {
		start_output(tty);
		return true;
	}
	if (is_cc(cc[VSTOP], c)) {
		tty->stopped = true;
		return true;
	}
	if (tty->stopped && (tty->termios.c_iflag & IXANY))
		start_output(tty);
	return false;
}

/* Interrupts off.  Drop all unread input, finished lines too. */
static void flush_input_locked(struct tty *tty)
{
	tty->read_head = tty->canon_head = tty->edit_head;
	tty->lnext = false;
	tty->flush_gen++;
}

/* ISIG: VINTR, VQUIT and VSUSP signal the foreground process group and
 * (unless NOFLSH) throw the pending input away.  True if c was one. */
static bool signal_char(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;
	const cc_t *cc = tty->termios.c_cc;
	int sig;

	if (is_cc(cc[VINTR], c))
		sig = SIGINT;
	else if (is_cc(cc[VQUIT], c))
		sig = SIGQUIT;
	else if (is_cc(cc[VSUSP], c))
		sig = SIGTSTP;
	else
		return false;
	if (!(tty->termios.c_lflag & NOFLSH))
		flush_input_locked(tty);
	if (tty->termios.c_iflag & IXON)
		start_output(tty);
	if (tty->termios.c_lflag & ECHO)
		echo_char(o, c);
	if (tty->fg_pgrp > 0)
		send_signal_pgrp(tty->fg_pgrp, sig);
	return true;
}

static void receive(struct out *o, uint8_t c)
{
	struct tty *tty = o->tty;
	tcflag_t iflag = tty->termios.c_iflag;
	tcflag_t lflag = tty->termios.c_lflag;

	if (iflag & ISTRIP)
		c &= 0x7f;
	if (tty->lnext) {		/* after VLNEXT: no special meaning */
		tty->lnext = false;
		if (lflag & ICANON)
			add_char(o, c);
		else
			raw_char(o, c);
		return;
	}
	if ((iflag & IXON) && flow_char(tty, c))
		return;
	if (c == '\r') {
		if (iflag & IGNCR)
			return;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if ((lflag & ISIG) && signal_char(o, c))
		return;
	if (lflag & ICANON)
		canon_char(o, c);
	else
		raw_char(o, c);
}

/**
 * tty_receive_char - one byte of input, as a device interrupt delivers it.
 * Context: interrupts off; never sleeps.  Echo goes to the sink at once.
 * A byte that does not fit in the input queue is dropped (IMAXBEL rings).
 */
void tty_receive_char(struct tty *tty, uint8_t c)
{
	struct out o = { .tty = tty };

	assert(!irqs_enabled());
	receive(&o, c);
	out_flush(&o);
}

/* ---- reading ---- */

/* What one peek at the queue found. */
struct take {
	uint32_t slots;		/* queue slots to consume (an EOF mark too) */
	size_t bytes;		/* bytes copied out */
	bool line_end;		/* canonical: a line (or EOF) ended here */
	uint32_t gen;		/* flush_gen at the peek */
};

/* Interrupts off.  Copy up to max readable bytes into kbuf without
 * consuming them; in canonical mode stop after a line's end.  An EOF mark
 * is consumed but never copied. */
static void peek_input(const struct tty *tty, char *kbuf, size_t max,
		       struct take *t)
{
	bool canon = tty->termios.c_lflag & ICANON;

	*t = (struct take){ .gen = tty->flush_gen };
	for (uint32_t i = tty->read_head; i != tty->canon_head; i++) {
		uint8_t mark = tty->mark[i & BUF_MASK];

		if (t->bytes == max)
			break;
		t->slots++;
		if (mark == TTY_MARK_EOF) {
			t->line_end = canon;
			if (canon)
				break;
			continue;
		}
		kbuf[t->bytes++] = tty->buf[i & BUF_MASK];
		if (canon && mark == TTY_MARK_EOL) {
			t->line_end = true;
			break;
		}
	}
}

static int copy_out(void *dst, const char *kbuf, size_t n, enum tty_space space)
{
	if (space == TTY_KERNEL) {
		memcpy(dst, kbuf, n);
		return 0;
	}
	return copy_to_user(dst, kbuf, n) ? -EFAULT : 0;
}

static int copy_in(char *kbuf, const void *src, size_t n, enum tty_space space)
{
	if (space == TTY_KERNEL) {
		memcpy(kbuf, src, n);
		return 0;
	}
	return copy_from_user(kbuf, src, n) ? -EFAULT : 0;
}

/* Move what is readable now to dst + *done, up to len in all; stop after a
 * canonical line.  0, or -EFAULT (then nothing more was consumed). */
static int take_input(struct tty *tty, char *dst, size_t len,
		      enum tty_space space, size_t *done, bool *line_end)
{
	char kbuf[IO_CHUNK];

	*line_end = false;
	while (*done < len && !*line_end) {
		struct take t;
		bool was_on = irq_save();

		peek_input(tty, kbuf, MIN(len - *done, sizeof(kbuf)), &t);
		irq_restore(was_on);
		if (!t.slots)
			return 0;
		if (copy_out(dst + *done, kbuf, t.bytes, space))
			return -EFAULT;
		was_on = irq_save();
		if (tty->flush_gen == t.gen)	/* else a flush took them */
			tty->read_head += t.slots;
		irq_restore(was_on);
		*done += t.bytes;
		*line_end = t.line_end;
	}
	return 0;
}

static bool input_ready(const struct tty *tty)
{
	return tty->canon_head != tty->read_head;
}

/* Sleep until input is ready or jiffies reach deadline (0: none).
 * 0 (ready, or timed out: the caller looks), or -ERESTARTSYS.  The timer
 * tick wakes a task whose wake_at has passed, whatever queue it sleeps on
 * (kernel/sched.c: tick_task), the same way sleep_ticks() sleeps. */
static int wait_input(struct tty *tty, uint64_t deadline)
{
	int err;

	if (!deadline)
		return wait_event_interruptible(&tty->read_wait, input_ready(tty));
	current->wake_at = deadline;
	err = wait_event_interruptible(&tty->read_wait, input_ready(tty) ||
				       jiffies_read() >= deadline);
	current->wake_at = 0;
	return err;
}

/* Raw mode: has the read got what VMIN/VTIME ask for (termios(3))? */
static bool raw_read_done(const struct termios *t, size_t done, size_t len)
{
	cc_t vmin = t->c_cc[VMIN], vtime = t->c_cc[VTIME];

	if (vmin == 0)
		return done > 0 || vtime == 0;	/* VTIME: wait for one byte */
	return done >= MIN((size_t)vmin, len);
}

static uint64_t vtime_ticks(const struct termios *t)
{
	return (uint64_t)t->c_cc[VTIME] * (HZ / 10);	/* tenths of a second */
}

/* The body of read(2), reader_busy held.  Canonical: one line at most.
 * Raw: VMIN bytes, with VTIME as an overall timeout (VMIN 0) or an
 * inter-byte one that starts with the first byte (VMIN > 0). */
static long read_input(struct tty *tty, char *dst, size_t len, bool nonblock,
		       enum tty_space space)
{
	uint64_t deadline = 0;
	size_t done = 0;
	bool first = true;

	for (;;) {
		struct termios t;
		size_t before = done;
		bool line_end;
		int err = take_input(tty, dst, len, space, &done, &line_end);

		if (err)
			return done ? (long)done : err;
		tty_get_termios(tty, &t);
		if (done == len)
			return (long)done;
		if (t.c_lflag & ICANON) {
			if (line_end || done)	/* done: a flush cut the line */
				return (long)done;
		} else {
			if (raw_read_done(&t, done, len))
				return (long)done;
			if (t.c_cc[VTIME] && (t.c_cc[VMIN] ? done > before : first))
				deadline = jiffies_read() + vtime_ticks(&t);
			if (deadline && jiffies_read() >= deadline)
				return (long)done;
		}
		if (nonblock)
			return done ? (long)done : -EAGAIN;
		err = wait_input(tty, deadline);
		if (err)
			return done ? (long)done : err;
		first = false;
	}
}

static int reader_lock(struct tty *tty, bool nonblock)
{
	bool was_on = irq_save();
	int err = 0;

	if (tty->reader_busy && nonblock)
		err = -EAGAIN;
	else	/* interrupts stay off from the test to the claim */
		err = wait_event_interruptible(&tty->reader_wait,
					       !tty->reader_busy);
	if (!err)
		tty->reader_busy = true;
	irq_restore(was_on);
	return err;
}

static void reader_unlock(struct tty *tty)
{
	bool was_on = irq_save();

	tty->reader_busy = false;
	wake_up(&tty->reader_wait);
	irq_restore(was_on);
}

/**
 * tty_read - read(2) on a terminal.
 * @f_flags: the file's O_* flags (O_NONBLOCK).
 * Context: process; may sleep, interruptibly.  No locks held.
 * Return: bytes read (0: end of file, or VMIN/VTIME ran out); -EAGAIN if
 * O_NONBLOCK and nothing is ready; -ERESTARTSYS if a signal came before any
 * byte; -EFAULT if the buffer is bad and nothing was read.
 */
long tty_read(struct tty *tty, void *buf, size_t len, unsigned int f_flags,
	      enum tty_space space)
{
	bool nonblock = f_flags & O_NONBLOCK;
	long n;
	int err;

	if (!len)
		return 0;
	len = MIN(len, (size_t)INT32_MAX);	/* the result must fit */
	err = reader_lock(tty, nonblock);
	if (err)
		return err;
	n = read_input(tty, buf, len, nonblock, space);
	reader_unlock(tty);
	return n;
}

/* ---- writing ---- */

/**
 * tty_write - write(2) on a terminal: OPOST processing, then the sink.
 * Context: process; may sleep while VSTOP holds output.  No locks held.
 * Return: bytes written; -EFAULT if the buffer is bad and nothing was
 * written; -ERESTARTSYS if a signal came while output was stopped, before
 * any byte.
 */
long tty_write(struct tty *tty, const void *buf, size_t len,
	       enum tty_space space)
{
	char kbuf[IO_CHUNK];
	size_t done = 0;

	len = MIN(len, (size_t)INT32_MAX);
	while (done < len) {
		size_t n = MIN(len - done, sizeof(kbuf));
		struct out o = { .tty = tty };
		bool was_on;
		int err = copy_in(kbuf, (const char *)buf + done, n, space);

		if (err)
			return done ? (long)done : err;
		was_on = irq_save();
		err = wait_event_interruptible(&tty->write_wait, !tty->stopped);
		for (size_t i = 0; !err && i < n; i++)
			out_post(&o, kbuf[i]);
		out_flush(&o);
		irq_restore(was_on);
		if (err)
			return done ? (long)done : err;
		done += n;
	}
	return (long)done;
}

/* ---- termios and the rest of the state ---- */

void tty_get_termios(struct tty *tty, struct termios *out)
{
	bool was_on = irq_save();

	*out = tty->termios;
	irq_restore(was_on);
}

/* Interrupts off.  ICANON changed: what is queued is re-read under the new
 * mode.  Into raw mode, the half-typed line becomes readable; into
 * canonical mode, all unread input becomes one readable line (as Linux's
 * n_tty_set_termios does). */
static void switch_mode(struct tty *tty, bool canon)
{
	if (canon && tty->edit_head != tty->read_head) {
		for (uint32_t i = tty->read_head; i != tty->edit_head; i++)
			tty->mark[i & BUF_MASK] = TTY_MARK_NONE;
		tty->mark[(tty->edit_head - 1) & BUF_MASK] = TTY_MARK_EOL;
	}
	tty->canon_head = tty->edit_head;
	tty->lnext = false;
	tty->flush_gen++;	/* a reader's peek no longer matches */
}

/**
 * tty_set_termios - TCSETS, TCSETSW, TCSETSF.
 * Output is written synchronously, so there is never anything to drain.
 * c_line is kept at 0 (N_TTY, the only discipline).  Context: any; takes
 * no locks.  Return: 0.
 */
int tty_set_termios(struct tty *tty, const struct termios *t,
		    enum tty_set_when when)
{
	bool was_on = irq_save();
	tcflag_t old_lflag = tty->termios.c_lflag;

	if (when == TTY_SET_FLUSH)
		flush_input_locked(tty);
	tty->termios = *t;
	tty->termios.c_line = 0;
	if ((old_lflag ^ t->c_lflag) & ICANON)
		switch_mode(tty, t->c_lflag & ICANON);
	if (!(t->c_iflag & IXON) && tty->stopped)
		start_output(tty);
	wake_up(&tty->read_wait);
	irq_restore(was_on);
	return 0;
}

void tty_flush_input(struct tty *tty)
{
	bool was_on = irq_save();

	flush_input_locked(tty);
	irq_restore(was_on);
}

/* FIONREAD: what a read could return now (EOF marks do not count). */
size_t tty_input_count(struct tty *tty)
{
	bool was_on = irq_save();
	size_t n = 0;

	for (uint32_t i = tty->read_head; i != tty->canon_head; i++)
		if (tty->mark[i & BUF_MASK] != TTY_MARK_EOF)
			n++;
	irq_restore(was_on);
	return n;
}

/* ---- ioctl ---- */

struct pgrp_probe {
	pid_t pgrp, sid;
	bool exists, in_session;
};

static int probe_pgrp(struct task *t, void *arg)
{
	struct pgrp_probe *p = arg;

	if (t->mm && t->pgid == p->pgrp) {	/* processes, not kernel threads */
		p->exists = true;
		p->in_session |= t->sid == p->sid;
	}
	return 0;
}

/* Is tty the caller's controlling terminal?  Walnut keeps no per-process
 * note of it: the terminal says which session it belongs to, and a caller
 * in that session has it.  One no session has claimed yet is anyone's. */
static bool is_callers_tty(const struct tty *tty)
{
	return !tty->session || tty->session == current->sid;
}

/* TIOCSPGRP, with Linux's checks (tiocspgrp in drivers/tty/tty_jobctrl.c):
 * -ENOTTY if this is another session's terminal, -EINVAL for a negative
 * group, -ESRCH if no process has that group id, -EPERM if the group is
 * in another session than the caller's. */
static long set_fg_pgrp(struct tty *tty, pid_t pgrp)
{
	struct pgrp_probe p = { .pgrp = pgrp, .sid = current->sid };
	bool was_on;

	if (!is_callers_tty(tty))
		return -ENOTTY;
	if (pgrp < 0)
		return -EINVAL;
	if (pgrp > 0)
		for_each_task(probe_pgrp, &p);
	if (!p.exists)
		return -ESRCH;
	if (!p.in_session)
		return -EPERM;
	was_on = irq_save();
	tty->fg_pgrp = pgrp;
	irq_restore(was_on);
	return 0;
}

/* TIOCSCTTY: a session leader makes this its session's terminal, its own
 * group the foreground.  Taking one another session holds needs arg 1
 * (Linux also wants CAP_SYS_ADMIN; every Walnut process is root). */
static long set_ctty(struct tty *tty, uint32_t steal)
{
	bool was_on;

	if (current->sid != current->pid)
		return -EPERM;
	if (tty->session == current->sid)
		return 0;
	if (tty->session && steal != 1)
		return -EPERM;
	was_on = irq_save();
	tty->session = current->sid;
	tty->fg_pgrp = current->pgid;
	irq_restore(was_on);
	return 0;
}

/* TIOCNOTTY: give the terminal up.  When the session leader does, the
 * terminal has no session any more, and its foreground group gets SIGHUP
 * and SIGCONT, as on Linux (disassociate_ctty). */
static long drop_ctty(struct tty *tty)
{
	int fg;
	bool was_on;

	if (!tty->session || tty->session != current->sid)
		return -ENOTTY;
	if (current->sid != current->pid)
		return 0;	/* Linux forgets it for this process only */
	was_on = irq_save();
	fg = tty->fg_pgrp;
	tty->session = 0;
	tty->fg_pgrp = 0;
	irq_restore(was_on);
	if (fg > 0) {
		send_signal_pgrp(fg, SIGHUP);
		send_signal_pgrp(fg, SIGCONT);
	}
	return 0;
}

static long set_winsize(struct tty *tty, const struct winsize *ws)
{
	bool was_on = irq_save();
	bool changed = memcmp(ws, &tty->winsize, sizeof(*ws)) != 0;
	int fg = tty->fg_pgrp;

	tty->winsize = *ws;
	irq_restore(was_on);
	if (changed && fg > 0)
		send_signal_pgrp(fg, SIGWINCH);
	return 0;
}

/* TCXONC: suspend or resume output; input flow control is a no-op (the
 * console has nobody to send VSTOP to). */
static long flow_control(struct tty *tty, uint32_t action)
{
	bool was_on;

	if (action > TCION)
		return -EINVAL;
	was_on = irq_save();
	if (action == TCOOFF)
		tty->stopped = true;
	else if (action == TCOON)
		start_output(tty);
	irq_restore(was_on);
	return 0;
}

/* TCFLSH: output is never queued, so only the input side does anything. */
static long flush_queues(struct tty *tty, uint32_t which)
{
	if (which > TCIOFLUSH)
		return -EINVAL;
	if (which != TCOFLUSH)
		tty_flush_input(tty);
	return 0;
}

/* An ioctl's argument as the user pointer it is. */
static void *uptr(uint32_t uarg)
{
	return (void *)(uintptr_t)uarg;
}

static long put_user_int(uint32_t uarg, int v)
{
	return copy_to_user(uptr(uarg), &v, sizeof(v)) ? -EFAULT : 0;
}

static long ioctl_termios(struct tty *tty, unsigned int cmd, uint32_t uarg)
{
	static const enum tty_set_when when[] = {
		[TCSETS - TCSETS] = TTY_SET_NOW,
		[TCSETSW - TCSETS] = TTY_SET_DRAIN,
		[TCSETSF - TCSETS] = TTY_SET_FLUSH,
	};
	struct termios t;

	if (cmd == TCGETS) {
		tty_get_termios(tty, &t);
		return copy_to_user(uptr(uarg), &t, sizeof(t)) ? -EFAULT : 0;
	}
	if (copy_from_user(&t, uptr(uarg), sizeof(t)))
		return -EFAULT;
	return tty_set_termios(tty, &t, when[cmd - TCSETS]);
}

static long ioctl_job_control(struct tty *tty, unsigned int cmd, uint32_t uarg)
{
	pid_t pgrp;

	switch (cmd) {
	case TIOCGPGRP:
		return put_user_int(uarg, tty->fg_pgrp);
	case TIOCSPGRP:
		if (copy_from_user(&pgrp, uptr(uarg), sizeof(pgrp)))
			return -EFAULT;
		return set_fg_pgrp(tty, pgrp);
	case TIOCGSID:
		if (!tty->session || tty->session != current->sid)
			return -ENOTTY;
		return put_user_int(uarg, tty->session);
	case TIOCSCTTY:
		return set_ctty(tty, uarg);
	default:	/* TIOCNOTTY */
		return drop_ctty(tty);
	}
}

static long ioctl_winsize(struct tty *tty, unsigned int cmd, uint32_t uarg)
{
	struct winsize ws;

	if (cmd == TIOCGWINSZ) {
		ws = tty->winsize;	/* set as a whole with interrupts off */
		return copy_to_user(uptr(uarg), &ws, sizeof(ws)) ?
			-EFAULT : 0;
	}
	if (copy_from_user(&ws, uptr(uarg), sizeof(ws)))
		return -EFAULT;
	return set_winsize(tty, &ws);
}

/**
 * tty_ioctl - the terminal ioctls, Linux i386 numbers (include/tty.h).
 * @arg: a user pointer for most commands, an integer for TCSBRK, TCXONC
 * and TCFLSH.
 * Context: process; takes no locks; may fault on user memory.
 * Return: 0; -EFAULT for a bad pointer; -EINVAL for a bad argument;
 * -ENOTTY for a command terminals do not have, or a job-control command
 * on another session's terminal; TIOCSPGRP's and TIOCSCTTY's own errors
 * (set_fg_pgrp, set_ctty).
 */
long tty_ioctl(struct tty *tty, unsigned int cmd, uint32_t arg)
{
	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return ioctl_termios(tty, cmd, arg);
	case TCSBRK:		/* tcdrain(): output is already out */
		return 0;
	case TCXONC:
		return flow_control(tty, arg);
	case TCFLSH:
		return flush_queues(tty, arg);
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
	case TIOCSCTTY:
	case TIOCNOTTY:
		return ioctl_job_control(tty, cmd, arg);
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return ioctl_winsize(tty, cmd, arg);
	case FIONREAD:
		return put_user_int(arg, (int)tty_input_count(tty));
	default:
		return -ENOTTY;
	}
}

/* ---- setting up; the console; open files ---- */

/**
 * tty_setup - make tty a fresh terminal with Linux's default termios, an
 * 80x25 window, no foreground group, and output going to sink(sink_data).
 * Context: before any input can reach it.
 */
void tty_setup(struct tty *tty, const char *name, tty_sink_fn sink,
	       void *sink_data)
{
	memset(tty, 0, sizeof(*tty));
	tty->name = name;
	tty->sink = sink;
	tty->sink_data = sink_data;
	tty->termios = default_termios;
	tty->winsize = (struct winsize){ .ws_row = CONSOLE_ROWS,
					 .ws_col = CONSOLE_COLS };
	wait_queue_init(&tty->read_wait);
	wait_queue_init(&tty->reader_wait);
	wait_queue_init(&tty->write_wait);
}

/* drivers/vga.c draws printable bytes and moves for these; it has no
 * escape sequences, so other control bytes would only draw glyphs. */
static bool vga_shows(uint8_t c)
{
	return !is_ctrl(c) || c == '\n' || c == '\r' || c == '\b' || c == '\t';
}

/* The console's sink: the VGA screen and COM1.  VGA gets only what it can
 * show (vga_shows).  serial_putc already sends '\n' as CR
 * LF, so the CR of an ONLCR "\r\n" pair (kept together by out_reserve) is
 * not sent twice. */
static void console_sink(struct tty *tty, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];

		if (vga_shows(c))
			vga_putc((char)c);
		if (!(c == '\r' && i + 1 < n && s[i + 1] == '\n'))
			serial_putc((char)c);
	}
}

/**
 * tty_init - set up the console terminal and start its input: the COM1
 * receive interrupt and the PS/2 keyboard.  Context: kmain, once, after
 * console_init, pic_init and idt_init.
 */
void tty_init(void)
{
	tty_setup(&console_tty, "console", console_sink, NULL);
	console_ready = true;
	serial_rx_start();
	keyboard_init();
}

/* One byte from the keyboard or COM1.  Context: their IRQ handlers. */
void tty_console_input(uint8_t c)
{
	if (console_ready)
		tty_receive_char(&console_tty, c);
}

/* file->private is the terminal; a file opened through an inode whose
 * open() did not set it (devfs before it knows ttys) is the console. */
static struct tty *file_tty(struct file *f)
{
	return f->private ? f->private : &console_tty;
}

/* Linux's rule for a terminal opened by a session leader: if no session
 * holds it, it becomes the leader's session's controlling terminal; its
 * foreground group stays unset until TIOCSPGRP.  Linux leaves
 * /dev/console out of this rule; Walnut's console is its only terminal,
 * and init gets its own this way.  (O_NOCTTY would prevent it, but
 * file_alloc does not keep that flag.) */
static void claim_for_session(struct tty *tty)
{
	bool was_on = irq_save();

	if (!tty->session && current->sid == current->pid)
		tty->session = current->sid;
	irq_restore(was_on);
}

static int tty_f_open(struct inode *inode, struct file *f)
{
	if (!f->private)
		f->private = &console_tty;
	claim_for_session(f->private);
	return 0;
}

static long tty_f_read(struct file *f, void __user *buf, size_t len,
		       uint64_t *pos)
{
	return tty_read(file_tty(f), buf, len, f->flags, TTY_USER);
}

static long tty_f_write(struct file *f, const void __user *buf, size_t len,
			uint64_t *pos)
{
	return tty_write(file_tty(f), buf, len, TTY_USER);
}

static long tty_f_ioctl(struct file *f, unsigned int cmd, uint32_t arg)
{
	return tty_ioctl(file_tty(f), cmd, arg);
}

/* poll(2): readable when a read would not wait (Linux's n_tty_poll): a
 * whole line in canonical mode; in raw mode VMIN bytes if VTIME is 0,
 * else one.  Always writable.  Interrupts are off (include/poll.h). */
static unsigned int tty_f_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = file_tty(f);
	const struct termios *t = &tty->termios;
	uint32_t want = 1;

	poll_wait(&tty->read_wait, pt);
	if (!(t->c_lflag & ICANON) && t->c_cc[VTIME] == 0 && t->c_cc[VMIN] > 0)
		want = t->c_cc[VMIN];
	return (tty->canon_head - tty->read_head >= want ? POLLIN | POLLRDNORM : 0) |
	       POLLOUT | POLLWRNORM;
}

/* No llseek: lseek on a terminal is -ESPIPE, as on Linux. */
const struct file_ops tty_file_ops = {
	.open = tty_f_open,
	.read = tty_f_read,
	.write = tty_f_write,
	.ioctl = tty_f_ioctl,
	.poll = tty_f_poll,
};

/**
 * tty_open_console - an open file on the console, read-write, for init's
 * descriptors 0, 1 and 2 when there is no /dev/console to open.  Like an
 * open of /dev/console, it makes the console the caller's session's
 * controlling terminal if the caller leads a session and no session holds
 * the console (claim_for_session); user/sbin/init.c relies on that instead
 * of calling setsid and TIOCSCTTY.
 * Context: process (pid 1 before it execs).
 * Return: 0 and *out (one reference: file_put it or fd_install it), or
 * -ENOMEM.
 */
int tty_open_console(struct file **out)
{
	struct file *f = file_alloc(&tty_file_ops, O_RDWR);

	if (!f)
		return -ENOMEM;
	f->private = &console_tty;
	f->anon_mode = S_IFCHR | 0620;
	claim_for_session(&console_tty);
	*out = f;
	return 0;
}
