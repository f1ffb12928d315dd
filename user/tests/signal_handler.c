/*
 * signal_handler - delivery to handlers, masks, ignoring, and what a signal
 * does to a process that is computing or blocked in a system call.
 *
 * Signals that must arrive while the process is inside a blocking call are
 * sent repeatedly by a helper child (every SEND_GAP_MS), so nothing here
 * depends on winning a race and no read can block forever.
 */
#include "testlib.h"

enum { SEND_GAP_MS = 50, SENDS_MAX = 100, WANT_ASYNC_HITS = 10, COMPUTE_MS_MAX = 1500 };

static volatile sig_atomic_t last_signo, runs, depth, max_depth;

static void record(int sig)
{
	last_signo = sig;
	runs++;
}

static void install(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = flags;
	if (sigaction(sig, &sa, NULL) != 0)
		check_errno("signal_handler_sigaction_installs", 0, "signal %d", sig);
}

static void set_blocked(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

static int is_blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig) == 1;
}

/* One handler for two signals: the number it is given must be the one sent. */
static void test_handler_sees_signo(void)
{
	install(SIGUSR1, record, 0);
	install(SIGUSR2, record, 0);
	runs = 0;
	kill(getpid(), SIGUSR1);
	check("signal_handler_runs_with_signo_usr1", runs == 1 && last_signo == SIGUSR1,
	      "%d runs, signo %d", (int)runs, (int)last_signo);
	raise(SIGUSR2);
	check("signal_handler_runs_with_signo_usr2", runs == 2 && last_signo == SIGUSR2,
	      "%d runs, signo %d", (int)runs, (int)last_signo);
	check("signal_handler_mask_restored_after_handler", !is_blocked(SIGUSR1),
	      "SIGUSR1 still blocked after its handler returned");
}

/* Raises its own signal: without SA_NODEFER that one waits until we return. */
static void reraise(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	runs++;
	if (runs == 1)
		raise(sig);
	depth--;
}

static void test_signal_blocked_in_own_handler(void)
{
	install(SIGUSR1, reraise, 0);
	runs = depth = max_depth = 0;
	raise(SIGUSR1);
	check("signal_handler_own_signal_deferred_until_return", runs == 2 && max_depth == 1,
	      "%d runs, nested %d deep", (int)runs, (int)max_depth);
}

static void test_blocked_signal_pends(void)
{
	install(SIGUSR1, record, 0);
	runs = 0;
	set_blocked(SIG_BLOCK, SIGUSR1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	check("signal_handler_blocked_signal_not_delivered", runs == 0,
	      "handler ran %d times while blocked", (int)runs);
	set_blocked(SIG_UNBLOCK, SIGUSR1);
	/* Two sends while blocked make one pending signal: they do not queue. */
	check("signal_handler_pending_delivered_once_on_unblock", runs == 1,
	      "handler ran %d times after unblock", (int)runs);
}

static void test_ignored_signal(void)
{
	runs = 0;
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	install(SIGUSR1, record, 0);
	/* An ignored signal is discarded, not left pending for a later handler. */
	check("signal_handler_sig_ign_discards", runs == 0, "handler ran %d times", (int)runs);
}

static void test_default_sigterm_kills(void)
{
	pid_t pid = spawn(child_pause_forever, NULL);

	if (pid > 0)
		kill(pid, SIGTERM);
	expect_killed("signal_handler_default_sigterm_kills_child", pid, SIGTERM);
}

/* SIG_IGN survives fork: the child shrugs off SIGTERM and needs SIGKILL. */
static void test_ignore_inherited(void)
{
	pid_t pid;

	signal(SIGTERM, SIG_IGN);
	pid = spawn(child_pause_forever, NULL);
	signal(SIGTERM, SIG_DFL);
	if (pid > 0) {
		kill(pid, SIGTERM);
		sleep_ms(100);
		kill(pid, SIGKILL);
	}
	expect_killed("signal_handler_sig_ign_inherited_by_fork", pid, SIGKILL);
}

static void test_alarm_and_pause(void)
{
	int ret, err;

	install(SIGALRM, record, 0);
	alarm(5);
	check("signal_handler_alarm_returns_remaining", alarm(0) >= 4,
	      "alarm(0) after alarm(5) returned too little");
	runs = last_signo = 0;
	alarm(1);
	ret = pause();
	err = errno;
	check("signal_handler_pause_returns_eintr", ret == -1 && err == EINTR,
	      "pause returned %d, errno %d", ret, err);
	check("signal_handler_alarm_delivers_sigalrm", runs == 1 && last_signo == SIGALRM,
	      "%d runs, signo %d", (int)runs, (int)last_signo);
}

/* Helper child: SIGUSR1 to the parent every SEND_GAP_MS, `sends` times, then
 * one byte into data_fd if it is not -1. */
static pid_t spawn_pesterer(int sends, int data_fd)
{
	pid_t parent = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	for (int i = 0; i < sends; i++) {
		sleep_ms(SEND_GAP_MS);
		kill(parent, SIGUSR1);
	}
	if (data_fd >= 0 && write(data_fd, "x", 1) != 1)
		_exit(1);
	_exit(0);
}

static void test_read_interrupted_without_restart(void)
{
	int fds[2], err, status;
	ssize_t n;
	char c;
	pid_t pid;

	install(SIGUSR1, record, 0);
	if (pipe(fds) != 0)
		return;
	runs = 0;
	pid = spawn_pesterer(SENDS_MAX, -1);
	n = read(fds[0], &c, 1);	/* we hold the write end: it cannot end */
	err = errno;
	check("signal_handler_pipe_read_eintr_without_sa_restart",
	      n == -1 && err == EINTR && runs >= 1,
	      "read returned %d, errno %d, handler ran %d times", (int)n, err, (int)runs);
	kill(pid, SIGKILL);
	wait_for(pid, &status);
	close(fds[0]);
	close(fds[1]);
}

static void test_read_restarted_with_restart(void)
{
	int fds[2], status;
	ssize_t n;
	char c = 0;
	pid_t pid;

	install(SIGUSR1, record, SA_RESTART);
	if (pipe(fds) != 0)
		return;
	runs = 0;
	pid = spawn_pesterer(3, fds[1]);
	n = read(fds[0], &c, 1);
	check("signal_handler_pipe_read_restarted_with_sa_restart",
	      n == 1 && c == 'x' && runs == 3,
	      "read returned %d, handler ran %d times", (int)n, (int)runs);
	wait_for(pid, &status);
	close(fds[0]);
	close(fds[1]);
}

static void test_sigchld_on_child_exit(void)
{
	install(SIGCHLD, record, SA_RESTART);
	runs = last_signo = 0;
	expect_exit("signal_handler_sigchld_child_exits", spawn(child_exit_zero, NULL), 0);
	for (int waited = 0; runs == 0 && waited < 1000; waited += 10)
		sleep_ms(10);
	check("signal_handler_sigchld_delivered_on_child_exit",
	      runs == 1 && last_signo == SIGCHLD, "%d runs, signo %d", (int)runs, (int)last_signo);
	signal(SIGCHLD, SIG_DFL);
}

/* --- register and FPU state across asynchronous signals --- */

static volatile double clobber_sink;
static volatile unsigned clobber_global;
static volatile sig_atomic_t async_hits;

/* Uses the FPU and the integer registers, and writes globals the computation
 * below never reads: only a kernel that fails to restore the interrupted
 * context can make this handler change the computation's result. */
static void clobber(int sig)
{
	double x = sig;

	for (int i = 0; i < 40; i++)
		x = x * 1.5 - i / 3.0;
	clobber_sink = x;
	clobber_global = clobber_global * 2654435761u + (unsigned)sig;
	async_hits++;
}

struct churn { double x, y, sum; unsigned h; };

/*
 * A tight loop with no calls, so its values live in registers (x87 and
 * integer) for its whole length; this is where the signals land.  (x, y)
 * turns by a fixed angle each step: a rotation neither grows nor damps, so a
 * value corrupted at any step still shows in the final result.
 */
static void __attribute__((noinline)) churn_step(struct churn *s, unsigned iters)
{
	const double cos_t = 0.99995000041666528, sin_t = 0.0099998333341666645;
	double x = s->x, y = s->y, sum = s->sum;
	unsigned h = s->h;

	for (unsigned i = 0; i < iters; i++) {
		double nx = x * cos_t - y * sin_t;

		y = x * sin_t + y * cos_t;
		x = nx;
		sum += x * (double)(i & 7);
		h = (h ^ i) * 16777619u;
	}
	s->x = x;
	s->y = y;
	s->sum = sum;
	s->h = h;
}

static void test_async_signals_preserve_registers(void)
{
	struct churn live = { 1, 0, 0, 2166136261u }, ref = live;
	long long deadline = mono_ns() + COMPUTE_MS_MAX * 1000000LL;
	int steps = 0, status;
	pid_t pid;

	install(SIGUSR1, clobber, 0);
	async_hits = 0;
	pid = spawn_pesterer(SENDS_MAX, -1);
	while (async_hits < WANT_ASYNC_HITS && mono_ns() < deadline) {
		churn_step(&live, 20000);
		steps++;
	}
	kill(pid, SIGKILL);
	wait_for(pid, &status);
	signal(SIGUSR1, SIG_IGN);	/* drops any signal still in flight */
	for (int i = 0; i < steps; i++)
		churn_step(&ref, 20000);
	note("%d signals landed during %d compute steps", (int)async_hits, steps);
	check("signal_handler_async_signals_arrived", async_hits > 0, "no signal arrived");
	if (!skip_under_emulator("signal_handler_async_signals_preserve_registers",
				 "it does not keep x87 registers across an asynchronous signal"))
		check("signal_handler_async_signals_preserve_registers",
		      live.x == ref.x && live.y == ref.y && live.sum == ref.sum &&
		      live.h == ref.h,
		      "interrupted run differs: x %.17g/%.17g sum %.17g/%.17g h %#x/%#x",
		      live.x, ref.x, live.sum, ref.sum, live.h, ref.h);
}

int main(void)
{
	test_handler_sees_signo();
	test_signal_blocked_in_own_handler();
	test_blocked_signal_pends();
	test_ignored_signal();
	test_default_sigterm_kills();
	test_ignore_inherited();
	test_alarm_and_pause();
	test_read_interrupted_without_restart();
	test_read_restarted_with_restart();
	test_sigchld_on_child_exit();
	test_async_signals_preserve_registers();
	return test_exit_code();
}
