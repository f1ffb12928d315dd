/*
 * tests/tty_test.c - host unit tests of the line discipline in
 * drivers/tty.c, the real file, linked with stand-ins for what it needs
 * from the rest of the kernel.
 *
 * The terminal under test records its output (echo and writes) in `out`.
 * Input goes in through tty_receive_char with interrupts off, as an
 * interrupt handler would give it.  Sleeping is scripted: a test lists
 * events (bytes arriving, a signal) with the fake jiffy at which each
 * happens; sleep_on() jumps to the next event, or to current->wake_at if
 * that comes first (a timed sleep, as the timer tick would end it).  A
 * reader that would sleep with nothing left to happen and no timeout is
 * "stuck": the stand-in records that and makes a signal pending, so the
 * read returns and the test fails on `stuck`.
 *
 * User memory is ordinary host memory, except the bytes from `user_fault`
 * on: copy_to_user/copy_from_user of a range reaching them fails.  ioctl
 * takes its pointer as a 32-bit number, which a host pointer need not fit
 * in, so ioctl tests use user_mem, which user addresses UVA(offset) name.
 */
/* Only stdio.h from the C library: stdlib.h and friends define wait flags
 * that clash with the kernel's <proc.h>. */
#include <fcntl.h>
#include <stdio.h>

#include <hosttest.h>
#include <errno.h>
#include <kernel.h>
#include <proc.h>
#include <sched.h>
#include <signals.h>
#include <string.h>
#include <timer.h>
#include <tty.h>
#include <uaccess.h>
#include <vfs.h>
#include <x86.h>

/* ---- stand-ins for the kernel ---- */

static struct mm *some_mm = (struct mm *)&some_mm;	/* any non-NULL */
static struct task self = { .pid = 10, .pgid = 10, .sid = 10 };
static struct task other = { .pid = 20, .pgid = 20, .sid = 20 };
static struct task kthread = { .pid = 30, .pgid = 30, .sid = 30 };
struct task *current = &self;

struct event {
	uint64_t at;		/* fake jiffy */
	const char *feed;	/* bytes that arrive, or NULL */
	bool signal;		/* a signal becomes pending */
};

static struct event script[8];
static unsigned int nr_events, next_event;
static uint64_t fake_jiffies;
static bool sig_pending, stuck;
static unsigned int sleeps, wakeups;
static int last_sig_pgrp, last_sig, nr_sigs;
static const char *user_fault;		/* first byte that faults */
static const char *during_copy;		/* input arriving mid copy_to_user */

static struct tty tt;
static char out[16384];
static size_t out_len;

static void feed(const char *s)
{
	bool was_on = irq_save();

	for (; *s; s++)
		tty_receive_char(&tt, (uint8_t)*s);
	irq_restore(was_on);
}

static void fire(const struct event *e)
{
	if (e->at > fake_jiffies)
		fake_jiffies = e->at;
	if (e->feed)
		feed(e->feed);
	if (e->signal)
		sig_pending = true;
}

static void at(uint64_t when, const char *bytes, bool signal)
{
	script[nr_events++] = (struct event){ when, bytes, signal };
}

void sleep_on(struct wait_queue *wq, enum sleep_kind kind)
{
	uint64_t wake_at = current->wake_at;

	assert(!irqs_enabled());
	sleeps++;
	if (next_event < nr_events &&
	    (!wake_at || script[next_event].at <= wake_at)) {
		fire(&script[next_event++]);
	} else if (wake_at) {
		fake_jiffies = MAX(fake_jiffies, wake_at);
	} else {
		stuck = true;
		sig_pending = true;	/* make the sleeper give up */
	}
}

void wake_up(struct wait_queue *wq)
{
	wakeups++;
}

bool current_signal_pending(void)
{
	return sig_pending;
}

uint64_t jiffies_read(void)
{
	return fake_jiffies;
}

int send_signal_pgrp(int pgrp, int sig)
{
	last_sig_pgrp = pgrp;
	last_sig = sig;
	nr_sigs++;
	return 0;
}

int for_each_task(int (*fn)(struct task *t, void *arg), void *arg)
{
	struct task *all[] = { &self, &other, &kthread };

	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		int rc = fn(all[i], arg);

		if (rc)
			return rc;
	}
	return 0;
}

#define USER_MEM_UVA	0x400000u
#define UVA(off)	(USER_MEM_UVA + (uint32_t)(off))
static char user_mem[4096];

/* A user address of user_mem, or else an ordinary host pointer. */
static char *user_to_host(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	if (v >= USER_MEM_UVA && v - USER_MEM_UVA < sizeof(user_mem))
		return user_mem + (v - USER_MEM_UVA);
	return (char *)p;
}

static bool user_ok(const char *c, size_t len)
{
	return !user_fault || c + len <= user_fault || c > user_fault;
}

static void feed(const char *s);

int copy_to_user(void *udst, const void *ksrc, size_t len)
{
	char *dst = user_to_host(udst);

	if (during_copy) {	/* an interrupt while the copy faults a page in */
		feed(during_copy);
		during_copy = NULL;
	}

	if (!user_ok(dst, len))
		return -EFAULT;
	memcpy(dst, ksrc, len);
	return 0;
}

int copy_from_user(void *kdst, const void *usrc, size_t len)
{
	const char *src = user_to_host(usrc);

	if (!user_ok(src, len))
		return -EFAULT;
	memcpy(kdst, src, len);
	return 0;
}

/* mm/reclaim.c needs the filesystem, which is not linked here; the
 * terminal allocates nothing, so the allocator only needs these to link. */
enum alloc_ctx alloc_ctx_here(enum alloc_ctx ctx)
{
	return ctx;
}

size_t try_to_free_pages(enum alloc_ctx ctx, size_t nr_pages)
{
	return 0;
}

void serial_putc(char c) { }
void vga_putc(char c) { }
void serial_rx_start(void) { }
void keyboard_init(void) { }

struct file *file_alloc(const struct file_ops *ops, unsigned int flags)
{
	static struct file f;

	f = (struct file){ .refcount = 1, .flags = flags, .ops = ops };
	return &f;
}

/* ---- helpers ---- */

static void record(struct tty *tty, const char *s, size_t n);

static void fresh(void)
{
	self.mm = other.mm = some_mm;	/* kthread has none */
	tty_setup(&tt, "test", record, NULL);
	out_len = 0;
}

static void record(struct tty *tty, const char *s, size_t n)
{
	assert(!irqs_enabled());
	assert(out_len + n <= sizeof(out));
	memcpy(out + out_len, s, n);
	out_len += n;
}

static void set_raw(cc_t vmin, cc_t vtime)
{
	struct termios t;

	tty_get_termios(&tt, &t);
	t.c_lflag &= ~(tcflag_t)ICANON;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	tty_set_termios(&tt, &t, TTY_SET_NOW);
}

static void change_flags(tcflag_t *field_of_copy(struct termios *), tcflag_t set,
			 tcflag_t clear);

static tcflag_t *lflag_of(struct termios *t) { return &t->c_lflag; }
static tcflag_t *iflag_of(struct termios *t) { return &t->c_iflag; }
static tcflag_t *oflag_of(struct termios *t) { return &t->c_oflag; }

static void change_flags(tcflag_t *field_of_copy(struct termios *), tcflag_t set,
			 tcflag_t clear)
{
	struct termios t;

	tty_get_termios(&tt, &t);
	*field_of_copy(&t) = (*field_of_copy(&t) | set) & ~clear;
	tty_set_termios(&tt, &t, TTY_SET_NOW);
}

static long rd(char *buf, size_t len, unsigned int flags)
{
	memset(buf, 0, len);
	return tty_read(&tt, buf, len, flags, TTY_KERNEL);
}

/* s with control bytes spelled out, for failure messages. */
static const char *shown(const char *s, size_t n)
{
	static char b[4][512];
	static int which;
	char *p = b[which++ % 4], *end = p + sizeof(b[0]) - 5;
	char *q = p;

	for (size_t i = 0; i < n && q < end; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			*q++ = (char)c;
		else
			q += sprintf(q, "\\x%02x", c);
	}
	*q = '\0';
	return p;
}

#define CHECK_BYTES(got, got_len, want)					\
	do {								\
		size_t wl_ = strlen(want);				\
									\
		if ((size_t)(got_len) != wl_ || memcmp((got), (want), wl_)) { \
			host_failf(__FILE__, __LINE__, "got \"%s\", want \"%s\"", \
				   shown((got), (got_len)), shown((want), wl_)); \
			return;						\
		}							\
	} while (0)

#define CHECK_OUT(want)	CHECK_BYTES(out, out_len, want)

/* A read of up to len bytes returns exactly want. */
#define CHECK_READ(len, flags, want)					\
	do {								\
		char b_[8192];						\
		long n_ = rd(b_, (len), (flags));			\
									\
		if (n_ < 0) {						\
			host_failf(__FILE__, __LINE__, "read: error %ld", n_); \
			return;						\
		}							\
		CHECK_BYTES(b_, n_, want);				\
	} while (0)

#define CHECK_READ_ERR(len, flags, err)					\
	do {								\
		char b_[64];						\
		long n_ = rd(b_, (len), (flags));			\
									\
		if (n_ != (err)) {					\
			host_failf(__FILE__, __LINE__, "read gave %ld, want %d", \
				   n_, (err));				\
			return;						\
		}							\
	} while (0)

/* ---- defaults ---- */

static void host_tty_termios_is_linux_layout_and_defaults(void)
{
	static const cc_t linux_cc[NCCS] = "\003\034\177\025\004\0\1\0\021\023"
					   "\032\0\022\017\027\026\0";
	struct termios t;

	fresh();
	CHECK(sizeof(struct termios) == 36);
	CHECK(offsetof(struct termios, c_line) == 16);
	CHECK(offsetof(struct termios, c_cc) == 17);
	tty_get_termios(&tt, &t);
	CHECK(t.c_iflag == 0x500);	/* ICRNL IXON, as stty -g shows */
	CHECK(t.c_oflag == 0x5);	/* OPOST ONLCR */
	CHECK(t.c_cflag == 0x4bf);	/* B38400 CS8 CREAD HUPCL */
	CHECK(t.c_lflag == 0x8a3b);
	CHECK(t.c_line == 0);
	CHECK(memcmp(t.c_cc, linux_cc, NCCS) == 0);
	CHECK(tt.winsize.ws_row == 25 && tt.winsize.ws_col == 80);
	CHECK(tt.fg_pgrp == 0);
}

static void host_tty_receive_needs_interrupts_off(void)
{
	fresh();
	EXPECT_PANIC_MSG(tty_receive_char(&tt, 'a'), "irqs_enabled");
}

/* ---- canonical mode ---- */

static void host_tty_canon_line_with_icrnl_and_echo(void)
{
	fresh();
	feed("hi\r");
	CHECK_READ(100, 0, "hi\n");
	CHECK_OUT("hi\r\n");
}

static void host_tty_canon_partial_line_not_readable(void)
{
	fresh();
	feed("abc");
	CHECK_READ_ERR(10, O_NONBLOCK, -EAGAIN);
	CHECK(tty_input_count(&tt) == 0);
	feed("\n");
	CHECK(tty_input_count(&tt) == 4);
	CHECK_READ(10, O_NONBLOCK, "abc\n");
}

static void host_tty_canon_erase_del_and_ctrl_h(void)
{
	fresh();
	feed("abx\x7fy\bc\n");
	CHECK_READ(100, 0, "abc\n");
	CHECK_OUT("abx\b \by\b \bc\r\n");
}

static void host_tty_canon_erase_stops_at_line_start(void)
{
	fresh();
	feed("one\n\x7f\x7f" "a\n");
	CHECK_READ(100, 0, "one\n");
	CHECK_READ(100, 0, "a\n");
	CHECK_OUT("one\r\na\r\n");
}

static void host_tty_canon_erase_without_echoe_echoes_erase_char(void)
{
	fresh();
	change_flags(lflag_of, 0, ECHOE);
	feed("ab\x7f\n");
	CHECK_READ(100, 0, "a\n");
	CHECK_OUT("ab^?\r\n");
}

static void host_tty_canon_erase_control_char_two_columns(void)
{
	fresh();
	feed("a\x01\x7f\n");
	CHECK_READ(100, 0, "a\n");
	CHECK_OUT("a^A\b \b\b \b\r\n");
}

/* A tab is rubbed out by backing up to where it started, which depends on
 * the column the line began at (after a prompt). */
static void host_tty_canon_erase_tab_after_prompt(void)
{
	fresh();
	CHECK(tty_write(&tt, "$$$ ", 4, TTY_KERNEL) == 4);
	feed("a\t\x7f");
	CHECK_OUT("$$$ a\t\b\b\b");
	CHECK(tt.column == 5);
	feed("\t\x7f\x7f\n");
	CHECK_READ(100, 0, "\n");
}

static void host_tty_canon_kill_rubs_out_line(void)
{
	fresh();
	feed("junk\x15ok\n");
	CHECK_READ(100, 0, "ok\n");
	CHECK_OUT("junk\b \b\b \b\b \b\b \bok\r\n");
}

static void host_tty_canon_kill_without_echoke(void)
{
	fresh();
	change_flags(lflag_of, 0, ECHOKE);
	feed("junk\x15ok\n");
	CHECK_READ(100, 0, "ok\n");
	CHECK_OUT("junk^U\r\nok\r\n");
}

static void host_tty_canon_word_erase(void)
{
	fresh();
	feed("foo bar  \x17" "baz\n");
	CHECK_READ(100, 0, "foo baz\n");
}

static void host_tty_canon_eof_at_line_start_reads_zero(void)
{
	fresh();
	feed("\x04");
	CHECK_READ(100, 0, "");
	CHECK_OUT("");		/* ^D is not echoed */
	feed("x\n");
	CHECK_READ(100, 0, "x\n");
}

static void host_tty_canon_eof_mid_line_pushes_it(void)
{
	fresh();
	feed("ab\x04");
	CHECK(tty_input_count(&tt) == 2);
	CHECK_READ(100, 0, "ab");
	CHECK_READ_ERR(100, O_NONBLOCK, -EAGAIN);
	CHECK_OUT("ab");
}

static void host_tty_canon_one_line_per_read(void)
{
	fresh();
	feed("one\ntwo\n");
	CHECK_READ(100, 0, "one\n");
	CHECK_READ(100, 0, "two\n");
}

static void host_tty_canon_long_line_in_small_reads(void)
{
	fresh();
	feed("abcdef\n");
	CHECK_READ(4, 0, "abcd");
	CHECK_READ(4, 0, "ef\n");
}

/* A full queue takes no more ordinary bytes, but keeps room for the newline. */
static void host_tty_canon_full_queue_keeps_room_for_newline(void)
{
	static char line[5001], b[5000];
	long n;

	fresh();
	memset(line, 'x', 5000);
	line[5000] = '\0';
	feed(line);
	CHECK(tt.edit_head - tt.read_head == TTY_BUF_SIZE - 1);
	feed("\n");
	n = rd(b, 5000, 0);
	CHECK(n == TTY_BUF_SIZE);
	CHECK(b[n - 2] == 'x' && b[n - 1] == '\n');
}

static void host_tty_canon_reads_more_than_one_chunk(void)
{
	char line[301], b[400];
	long n;

	fresh();
	memset(line, 'y', 299);
	line[299] = '\n';
	line[300] = '\0';
	feed(line);
	n = rd(b, sizeof(b), 0);
	CHECK(n == 300 && memcmp(b, line, 300) == 0);
}

static void host_tty_canon_literal_next(void)
{
	fresh();
	tt.fg_pgrp = 10;
	feed("\x16\x03\x16\x7f\n");
	CHECK(nr_sigs == 0);
	CHECK_READ(100, 0, "\x03\x7f\n");
	CHECK_OUT("^\b^C^\b^?\r\n");
}

static void host_tty_canon_reprint(void)
{
	fresh();
	feed("ab\x12");
	CHECK_OUT("ab^R\r\nab");
}

static void host_tty_canon_veol_ends_line(void)
{
	struct termios t;

	fresh();
	tty_get_termios(&tt, &t);
	t.c_cc[VEOL] = ';';
	tty_set_termios(&tt, &t, TTY_SET_NOW);
	feed("a;b\n");
	CHECK_READ(100, 0, "a;");
	CHECK_READ(100, 0, "b\n");
}

static void host_tty_input_cr_nl_flags(void)
{
	fresh();
	change_flags(iflag_of, 0, ICRNL);
	feed("a\rb\n");
	CHECK_READ(100, 0, "a\rb\n");
	change_flags(iflag_of, IGNCR, 0);
	feed("c\rd\n");
	CHECK_READ(100, 0, "cd\n");
	change_flags(iflag_of, INLCR, IGNCR);
	feed("e\n\x04");
	CHECK_READ(100, 0, "e\r");
}

static void host_tty_echo_off_but_echonl(void)
{
	fresh();
	change_flags(lflag_of, ECHONL, ECHO);
	feed("secret\n");
	CHECK_READ(100, 0, "secret\n");
	CHECK_OUT("\r\n");
}

/* ---- signals ---- */

static void host_tty_intr_signals_fg_group_and_flushes(void)
{
	fresh();
	tt.fg_pgrp = 10;
	feed("abc\nde\x03");
	CHECK(nr_sigs == 1 && last_sig == SIGINT && last_sig_pgrp == 10);
	CHECK(tty_input_count(&tt) == 0);
	CHECK_READ_ERR(10, O_NONBLOCK, -EAGAIN);
	CHECK_OUT("abc\r\nde^C");
	feed("x\n");
	CHECK_READ(10, 0, "x\n");
}

static void host_tty_quit_and_susp(void)
{
	fresh();
	tt.fg_pgrp = 10;
	feed("\x1c");
	CHECK(nr_sigs == 1 && last_sig == SIGQUIT);
	feed("\x1a");
	CHECK(nr_sigs == 2 && last_sig == SIGTSTP);
	CHECK_OUT("^\\^Z");
}

static void host_tty_intr_without_fg_group_only_flushes(void)
{
	fresh();
	feed("abc\x03");
	CHECK(nr_sigs == 0);
	CHECK(tt.edit_head == tt.read_head);
}

static void host_tty_noflsh_keeps_input(void)
{
	fresh();
	tt.fg_pgrp = 10;
	change_flags(lflag_of, NOFLSH, 0);
	feed("ab\n\x03");
	CHECK(nr_sigs == 1);
	CHECK_READ(10, 0, "ab\n");
}

static void host_tty_isig_off_intr_is_data(void)
{
	fresh();
	tt.fg_pgrp = 10;
	change_flags(lflag_of, 0, ISIG);
	feed("a\x03\n");
	CHECK(nr_sigs == 0);
	CHECK_READ(10, 0, "a\x03\n");
	CHECK_OUT("a^C\r\n");
}

static void host_tty_signal_interrupts_canon_read(void)
{
	fresh();
	feed("part");
	at(5, NULL, true);
	CHECK_READ_ERR(10, 0, -ERESTARTSYS);
	CHECK(!stuck);
}

/* ---- blocking and raw mode ---- */

static void host_tty_canon_read_sleeps_until_line(void)
{
	fresh();
	at(1, "ab", false);
	at(2, "c\r", false);
	CHECK_READ(10, 0, "abc\n");
	CHECK(sleeps == 2 && !stuck);
}

static void host_tty_raw_vmin1_returns_what_is_there(void)
{
	fresh();
	set_raw(1, 0);
	feed("xyz");
	CHECK_READ(10, 0, "xyz");
	at(3, "q", false);
	CHECK_READ(10, 0, "q");
	CHECK(!stuck);
}

static void host_tty_raw_vmin0_vtime0_never_waits(void)
{
	fresh();
	set_raw(0, 0);
	CHECK_READ(10, 0, "");
	CHECK_READ(10, O_NONBLOCK, "");
	feed("ab");
	CHECK_READ(10, 0, "ab");
	CHECK(sleeps == 0);
}

static void host_tty_raw_vmin_waits_for_count(void)
{
	fresh();
	set_raw(3, 0);
	feed("a");
	at(1, "b", false);
	at(2, "cd", false);
	CHECK_READ(10, 0, "abcd");
	CHECK(sleeps == 2 && !stuck);
}

static void host_tty_raw_vmin_larger_than_read(void)
{
	fresh();
	set_raw(5, 0);
	feed("abc");
	CHECK_READ(2, 0, "ab");
	CHECK(sleeps == 0);
}

static void host_tty_raw_vtime_times_out(void)
{
	fresh();
	set_raw(0, 5);		/* half a second */
	fake_jiffies = 1000;
	CHECK_READ(10, 0, "");
	CHECK(fake_jiffies == 1000 + HZ / 2);
	CHECK(sleeps == 1 && !stuck && current->wake_at == 0);
}

static void host_tty_raw_vtime_returns_early_with_data(void)
{
	fresh();
	set_raw(0, 5);
	at(20, "k", false);
	CHECK_READ(10, 0, "k");
	CHECK(fake_jiffies == 20);
}

/* VMIN > 0, VTIME > 0: the timer starts with the first byte and restarts
 * with each later one. */
static void host_tty_raw_intercharacter_timer(void)
{
	fresh();
	set_raw(5, 2);
	fake_jiffies = 100;
	at(400, "a", false);
	at(410, "b", false);
	CHECK_READ(10, 0, "ab");
	CHECK(fake_jiffies == 410 + 2 * HZ / 10);
	CHECK(!stuck);
}

static void host_tty_raw_nonblock(void)
{
	fresh();
	set_raw(1, 0);
	CHECK_READ_ERR(10, O_NONBLOCK, -EAGAIN);
	set_raw(4, 0);
	feed("ab");
	CHECK_READ(10, O_NONBLOCK, "ab");
}

static void host_tty_raw_signal_returns_bytes_so_far(void)
{
	fresh();
	set_raw(5, 0);
	feed("ab");
	at(1, NULL, true);
	CHECK_READ(10, 0, "ab");
	CHECK_READ_ERR(10, 0, -ERESTARTSYS);
}

static void host_tty_raw_echo(void)
{
	fresh();
	set_raw(1, 0);
	feed("a\x01\r\x7f");
	CHECK_READ(10, 0, "a\x01\n\x7f");
	CHECK_OUT("a^A\r\n^?");
}

static void host_tty_to_raw_makes_edit_line_readable(void)
{
	fresh();
	feed("done\npar");
	set_raw(1, 0);
	CHECK_READ(100, 0, "done\npar");
}

static void host_tty_to_canon_makes_raw_input_a_line(void)
{
	fresh();
	set_raw(1, 0);
	feed("xyz");
	change_flags(lflag_of, ICANON, 0);
	CHECK_READ(100, 0, "xyz");
	CHECK_READ_ERR(10, O_NONBLOCK, -EAGAIN);
}

static void host_tty_tcsetsf_flushes_input(void)
{
	struct termios t;

	fresh();
	feed("abc\nde");
	tty_get_termios(&tt, &t);
	tty_set_termios(&tt, &t, TTY_SET_FLUSH);
	CHECK(tt.edit_head == tt.read_head);
	feed("f\n");
	CHECK_READ(10, 0, "f\n");
}

static void host_tty_one_reader_at_a_time(void)
{
	fresh();
	feed("a\n");
	tt.reader_busy = true;
	CHECK_READ_ERR(10, O_NONBLOCK, -EAGAIN);
	tt.reader_busy = false;
	CHECK_READ(10, 0, "a\n");
	CHECK(!tt.reader_busy);
}

/* ---- output ---- */

static void host_tty_write_onlcr_and_opost(void)
{
	fresh();
	CHECK(tty_write(&tt, "a\nb", 3, TTY_KERNEL) == 3);
	CHECK_OUT("a\r\nb");
	change_flags(oflag_of, 0, ONLCR);
	out_len = 0;
	CHECK(tty_write(&tt, "a\n", 2, TTY_KERNEL) == 2);
	CHECK_OUT("a\n");
	change_flags(oflag_of, ONLCR | OCRNL, 0);
	out_len = 0;
	CHECK(tty_write(&tt, "\r", 1, TTY_KERNEL) == 1);
	CHECK_OUT("\n");
	change_flags(oflag_of, 0, OPOST);
	out_len = 0;
	CHECK(tty_write(&tt, "\r\n", 2, TTY_KERNEL) == 2);
	CHECK_OUT("\r\n");
}

static void host_tty_write_large(void)
{
	static char big[1000];

	fresh();
	memset(big, 'z', sizeof(big));
	CHECK(tty_write(&tt, big, sizeof(big), TTY_KERNEL) == (long)sizeof(big));
	CHECK(out_len == sizeof(big) && memcmp(out, big, sizeof(big)) == 0);
}

static void host_tty_ixon_stops_and_starts_output(void)
{
	fresh();
	feed("\x13");
	CHECK(tt.stopped);
	at(1, "\x11", false);
	CHECK(tty_write(&tt, "hi", 2, TTY_KERNEL) == 2);
	CHECK(sleeps == 1 && !tt.stopped);
	CHECK_OUT("hi");
	CHECK(tt.edit_head == tt.read_head);	/* ^S ^Q are not input */
}

static void host_tty_ixany_restarts_on_any_key(void)
{
	fresh();
	change_flags(iflag_of, IXANY, 0);
	feed("\x13" "a");
	CHECK(!tt.stopped);
	change_flags(iflag_of, 0, IXON);
	feed("\x13\n");
	CHECK(!tt.stopped);
	CHECK_READ(10, 0, "a\x13\n");
}

static void host_tty_write_stopped_interrupted(void)
{
	fresh();
	feed("\x13");
	at(1, NULL, true);
	CHECK(tty_write(&tt, "hi", 2, TTY_KERNEL) == -ERESTARTSYS);
	CHECK_OUT("");
}

/* ---- user buffers and ioctl ---- */

static void host_tty_read_bad_buffer_consumes_nothing(void)
{
	char ubuf[16];

	fresh();
	feed("abc\n");
	user_fault = ubuf;
	CHECK(tty_read(&tt, ubuf, sizeof(ubuf), 0, TTY_USER) == -EFAULT);
	user_fault = NULL;
	CHECK(tty_read(&tt, ubuf, sizeof(ubuf), 0, TTY_USER) == 4);
	CHECK(memcmp(ubuf, "abc\n", 4) == 0);
}

/* ^C while a reader copies out what it peeked: the flush wins, and the
 * reader must not consume past what the flush left. */
static void host_tty_flush_during_copy_out(void)
{
	char ubuf[16];

	fresh();
	feed("abc\n");
	during_copy = "\x03" "z";
	CHECK(tty_read(&tt, ubuf, sizeof(ubuf), 0, TTY_USER) == 4);
	CHECK(tt.read_head == tt.canon_head && tt.edit_head - tt.read_head == 1);
	feed("\n");
	CHECK_READ(10, 0, "z\n");
}

static void host_tty_write_bad_buffer(void)
{
	static char ubuf[300];

	fresh();
	memset(ubuf, 'w', sizeof(ubuf));
	user_fault = ubuf;
	CHECK(tty_write(&tt, ubuf, 10, TTY_USER) == -EFAULT);
	CHECK(out_len == 0);
	user_fault = ubuf + 200;	/* the second chunk faults */
	CHECK(tty_write(&tt, ubuf, sizeof(ubuf), TTY_USER) == 128);
	CHECK(out_len == 128);
	user_fault = NULL;
}

static void host_tty_ioctl_termios_round_trip(void)
{
	struct termios *t = (struct termios *)user_mem;

	fresh();
	CHECK(tty_ioctl(&tt, TCGETS, UVA(0)) == 0);
	CHECK(t->c_lflag & ICANON);
	t->c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t->c_cc[VMIN] = 0;
	t->c_line = 7;
	CHECK(tty_ioctl(&tt, TCSETSW, UVA(0)) == 0);
	memset(t, 0xff, sizeof(*t));
	CHECK(tty_ioctl(&tt, TCGETS, UVA(0)) == 0);
	CHECK(!(t->c_lflag & (ICANON | ECHO)) && t->c_cc[VMIN] == 0 &&
	      t->c_line == 0);
}

static void host_tty_ioctl_errors(void)
{
	fresh();
	user_fault = user_mem;
	CHECK(tty_ioctl(&tt, TCGETS, UVA(0)) == -EFAULT);
	CHECK(tty_ioctl(&tt, TCSETS, UVA(0)) == -EFAULT);
	CHECK(tty_ioctl(&tt, TCSETSF, UVA(0)) == -EFAULT);
	CHECK(tty_ioctl(&tt, TIOCGWINSZ, UVA(0)) == -EFAULT);
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -EFAULT);
	CHECK(tty_ioctl(&tt, FIONREAD, UVA(0)) == -EFAULT);
	user_fault = NULL;
	CHECK(tty_ioctl(&tt, 0x5499, 0) == -ENOTTY);
	CHECK(tty_ioctl(&tt, TCFLSH, 3) == -EINVAL);
	CHECK(tty_ioctl(&tt, TCXONC, 4) == -EINVAL);
	CHECK(tty_ioctl(&tt, TCSBRK, 1) == 0);
	CHECK(tty_ioctl(&tt, TCXONC, TCOOFF) == 0 && tt.stopped);
	CHECK(tty_ioctl(&tt, TCXONC, TCOON) == 0 && !tt.stopped);
}

static void host_tty_ioctl_pgrp(void)
{
	int *pg = (int *)user_mem;

	fresh();
	CHECK(tty_ioctl(&tt, TIOCGPGRP, UVA(0)) == 0 && *pg == 0);
	*pg = -1;
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -EINVAL);
	*pg = 0;
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -ESRCH);
	*pg = 99;
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -ESRCH);
	*pg = 30;		/* a kernel thread is no process group */
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -ESRCH);
	*pg = 20;		/* another session's group */
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -EPERM);
	*pg = 10;
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == 0);
	*pg = 0;
	CHECK(tty_ioctl(&tt, TIOCGPGRP, UVA(0)) == 0 && *pg == 10);
}

static void host_tty_ioctl_controlling_terminal(void)
{
	int *v = (int *)user_mem;

	fresh();
	CHECK(tty_ioctl(&tt, TIOCGSID, UVA(0)) == -ENOTTY);	/* nobody's */
	CHECK(tty_ioctl(&tt, TIOCNOTTY, 0) == -ENOTTY);
	CHECK(tty_ioctl(&tt, TIOCSCTTY, 0) == 0);
	CHECK(tt.session == 10 && tt.fg_pgrp == 10);
	CHECK(tty_ioctl(&tt, TIOCGSID, UVA(0)) == 0 && *v == 10);

	current = &other;	/* another session's leader */
	CHECK(tty_ioctl(&tt, TIOCGSID, UVA(0)) == -ENOTTY);
	*v = 20;
	CHECK(tty_ioctl(&tt, TIOCSPGRP, UVA(0)) == -ENOTTY);
	CHECK(tty_ioctl(&tt, TIOCSCTTY, 0) == -EPERM);
	CHECK(tty_ioctl(&tt, TIOCSCTTY, 1) == 0 && tt.session == 20);
	current = &self;

	CHECK(tty_ioctl(&tt, TIOCSCTTY, 1) == 0 && tt.session == 10);
	CHECK(tty_ioctl(&tt, TIOCNOTTY, 0) == 0);
	CHECK(tt.session == 0 && tt.fg_pgrp == 0);
	CHECK(nr_sigs == 2 && last_sig == SIGCONT && last_sig_pgrp == 10);
}

static void host_tty_ioctl_winsize_and_fionread(void)
{
	struct winsize *ws = (struct winsize *)user_mem;
	int *n = (int *)(user_mem + 64);

	fresh();
	CHECK(tty_ioctl(&tt, TIOCGWINSZ, UVA(0)) == 0);
	CHECK(ws->ws_row == 25 && ws->ws_col == 80);
	tt.fg_pgrp = 10;
	ws->ws_col = 132;
	CHECK(tty_ioctl(&tt, TIOCSWINSZ, UVA(0)) == 0);
	CHECK(nr_sigs == 1 && last_sig == SIGWINCH && tt.winsize.ws_col == 132);
	CHECK(tty_ioctl(&tt, TIOCSWINSZ, UVA(0)) == 0);
	CHECK(nr_sigs == 1);	/* no change, no signal */
	feed("ab\ncd");
	CHECK(tty_ioctl(&tt, FIONREAD, UVA(64)) == 0 && *n == 3);
	CHECK(tty_ioctl(&tt, TCFLSH, TCIFLUSH) == 0);
	CHECK(tty_ioctl(&tt, FIONREAD, UVA(64)) == 0 && *n == 0);
}

static void host_tty_console_file(void)
{
	struct file *f;
	char b[8];

	self.mm = some_mm;
	CHECK(tty_open_console(&f) == 0);
	CHECK(f->ops == &tty_file_ops && f->private == &console_tty);
	CHECK(console_tty.session == 10);	/* pid 10 leads session 10 */
	CHECK((f->anon_mode & S_IFMT) == S_IFCHR);
	CHECK(tty_file_ops.llseek == NULL);
	/* Input before tty_init reaches nobody. */
	tty_console_input('x');
	tty_init();
	cli();
	tty_console_input('y');
	tty_console_input('\r');
	sti();
	f->flags |= O_NONBLOCK;
	CHECK(f->ops->read(f, b, sizeof(b), &f->pos) == 2 && memcmp(b, "y\n", 2) == 0);
	CHECK(f->ops->read(f, b, sizeof(b), &f->pos) == -EAGAIN);
}

/* Opening /dev/console (devfs: inode->fops, no private yet) gives the
 * console, and a session leader's open claims it if nobody holds it. */
static void host_tty_open_through_inode_claims_console(void)
{
	struct file f = { .refcount = 1, .flags = O_RDWR, .ops = &tty_file_ops };

	tty_init();
	current = &other;
	CHECK(tty_file_ops.open(NULL, &f) == 0 && f.private == &console_tty);
	CHECK(console_tty.session == 20);
	current = &self;
	f.private = NULL;
	CHECK(tty_file_ops.open(NULL, &f) == 0 && console_tty.session == 20);
	self.sid = 20;		/* not a session leader: never claims */
	console_tty.session = 0;
	CHECK(tty_file_ops.open(NULL, &f) == 0 && console_tty.session == 0);
	self.sid = 10;
}

static const struct host_test tests[] = {
	HOST_TEST(host_tty_termios_is_linux_layout_and_defaults, 0),
	HOST_TEST(host_tty_receive_needs_interrupts_off, 0),
	HOST_TEST(host_tty_canon_line_with_icrnl_and_echo, 0),
	HOST_TEST(host_tty_canon_partial_line_not_readable, 0),
	HOST_TEST(host_tty_canon_erase_del_and_ctrl_h, 0),
	HOST_TEST(host_tty_canon_erase_stops_at_line_start, 0),
	HOST_TEST(host_tty_canon_erase_without_echoe_echoes_erase_char, 0),
	HOST_TEST(host_tty_canon_erase_control_char_two_columns, 0),
	HOST_TEST(host_tty_canon_erase_tab_after_prompt, 0),
	HOST_TEST(host_tty_canon_kill_rubs_out_line, 0),
	HOST_TEST(host_tty_canon_kill_without_echoke, 0),
	HOST_TEST(host_tty_canon_word_erase, 0),
	HOST_TEST(host_tty_canon_eof_at_line_start_reads_zero, 0),
	HOST_TEST(host_tty_canon_eof_mid_line_pushes_it, 0),
	HOST_TEST(host_tty_canon_one_line_per_read, 0),
	HOST_TEST(host_tty_canon_long_line_in_small_reads, 0),
	HOST_TEST(host_tty_canon_full_queue_keeps_room_for_newline, 0),
	HOST_TEST(host_tty_canon_reads_more_than_one_chunk, 0),
	HOST_TEST(host_tty_canon_literal_next, 0),
	HOST_TEST(host_tty_canon_reprint, 0),
	HOST_TEST(host_tty_canon_veol_ends_line, 0),
	HOST_TEST(host_tty_input_cr_nl_flags, 0),
	HOST_TEST(host_tty_echo_off_but_echonl, 0),
	HOST_TEST(host_tty_intr_signals_fg_group_and_flushes, 0),
	HOST_TEST(host_tty_quit_and_susp, 0),
	HOST_TEST(host_tty_intr_without_fg_group_only_flushes, 0),
	HOST_TEST(host_tty_noflsh_keeps_input, 0),
	HOST_TEST(host_tty_isig_off_intr_is_data, 0),
	HOST_TEST(host_tty_signal_interrupts_canon_read, 0),
	HOST_TEST(host_tty_canon_read_sleeps_until_line, 0),
	HOST_TEST(host_tty_raw_vmin1_returns_what_is_there, 0),
	HOST_TEST(host_tty_raw_vmin0_vtime0_never_waits, 0),
	HOST_TEST(host_tty_raw_vmin_waits_for_count, 0),
	HOST_TEST(host_tty_raw_vmin_larger_than_read, 0),
	HOST_TEST(host_tty_raw_vtime_times_out, 0),
	HOST_TEST(host_tty_raw_vtime_returns_early_with_data, 0),
	HOST_TEST(host_tty_raw_intercharacter_timer, 0),
	HOST_TEST(host_tty_raw_nonblock, 0),
	HOST_TEST(host_tty_raw_signal_returns_bytes_so_far, 0),
	HOST_TEST(host_tty_raw_echo, 0),
	HOST_TEST(host_tty_to_raw_makes_edit_line_readable, 0),
	HOST_TEST(host_tty_to_canon_makes_raw_input_a_line, 0),
	HOST_TEST(host_tty_tcsetsf_flushes_input, 0),
	HOST_TEST(host_tty_one_reader_at_a_time, 0),
	HOST_TEST(host_tty_write_onlcr_and_opost, 0),
	HOST_TEST(host_tty_write_large, 0),
	HOST_TEST(host_tty_ixon_stops_and_starts_output, 0),
	HOST_TEST(host_tty_ixany_restarts_on_any_key, 0),
	HOST_TEST(host_tty_write_stopped_interrupted, 0),
	HOST_TEST(host_tty_read_bad_buffer_consumes_nothing, 0),
	HOST_TEST(host_tty_flush_during_copy_out, 0),
	HOST_TEST(host_tty_write_bad_buffer, 0),
	HOST_TEST(host_tty_ioctl_termios_round_trip, 0),
	HOST_TEST(host_tty_ioctl_errors, 0),
	HOST_TEST(host_tty_ioctl_pgrp, 0),
	HOST_TEST(host_tty_ioctl_controlling_terminal, 0),
	HOST_TEST(host_tty_ioctl_winsize_and_fionread, 0),
	HOST_TEST(host_tty_console_file, 0),
	HOST_TEST(host_tty_open_through_inode_claims_console, 0),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
