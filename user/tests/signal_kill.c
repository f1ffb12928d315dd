/*
 * signal_kill - kill(2) as a probe and its errors, and the two signals no
 * process may catch, ignore or block.
 */
#include <limits.h>
#include "testlib.h"

static void noop(int sig UNUSED)
{
}

static void test_kill_probes(void)
{
	int status;
	pid_t pid = spawn(child_pause_forever, NULL);

	check_errno("signal_kill_probe_self", kill(getpid(), 0) == 0, "kill(self, 0)");
	check_errno("signal_kill_probe_live_child", pid > 0 && kill(pid, 0) == 0,
	      "kill(child, 0)");
	kill(pid, SIGKILL);
	wait_for(pid, &status);
	/* Reaped, so gone.  This assumes the pid is not reused at once; Linux
	 * hands out pids in increasing order, and Walnut should too. */
	expect_errno("signal_kill_reaped_child_esrch", kill(pid, 0), ESRCH);
	expect_errno("signal_kill_nonexistent_pid_esrch", kill(INT_MAX, 0), ESRCH);
	expect_errno("signal_kill_bad_signal_einval", kill(getpid(), 1000), EINVAL);
	expect_errno("signal_kill_negative_signal_einval", kill(getpid(), -1), EINVAL);
}

static void test_uncatchable(int sig, const char *catch_name, const char *ignore_name)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = noop;
	expect_errno(catch_name, sigaction(sig, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	expect_errno(ignore_name, sigaction(sig, &sa, NULL), EINVAL);
	/* Reading the disposition is allowed, and it is still the default. */
	check(sig == SIGKILL ? "signal_kill_sigkill_disposition_readable"
			     : "signal_kill_sigstop_disposition_readable",
	      sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_DFL,
	      "sigaction(%d, NULL, &old) failed or not SIG_DFL", sig);
}

static void test_signal_rejects_sigkill(void)
{
	errno = 0;
	check("signal_kill_signal_sigkill_sig_err", signal(SIGKILL, SIG_IGN) == SIG_ERR &&
	      errno == EINVAL, "signal(SIGKILL, SIG_IGN) accepted (errno %d)", errno);
	expect_errno("signal_kill_sigaction_signal_0_einval", sigaction(0, NULL, NULL), EINVAL);
	expect_errno("signal_kill_sigaction_signal_65_einval", sigaction(65, NULL, NULL), EINVAL);
}

/* A child that blocks every signal (SIGKILL silently stays unblocked) and
 * then ignores SIGTERM still dies of SIGKILL. */
static int child_blocks_everything(void *ready_fd)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (write(*(int *)ready_fd, "r", 1) != 1)
		return 1;
	for (;;)
		pause();
}

static void test_sigkill_cannot_be_blocked(void)
{
	int fds[2];
	char c;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	pid = spawn(child_blocks_everything, &fds[1]);
	if (pid > 0 && read(fds[0], &c, 1) == 1)
		kill(pid, SIGKILL);
	expect_killed("signal_kill_sigkill_kills_despite_full_mask", pid, SIGKILL);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	test_kill_probes();
	test_uncatchable(SIGKILL, "signal_kill_sigkill_handler_einval",
			 "signal_kill_sigkill_ignore_einval");
	test_uncatchable(SIGSTOP, "signal_kill_sigstop_handler_einval",
			 "signal_kill_sigstop_ignore_einval");
	test_signal_rejects_sigkill();
	test_sigkill_cannot_be_blocked();
	return test_exit_code();
}
