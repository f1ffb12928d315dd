/*
 * proc_zombie_orphan - a dead child stays until waited for; a child whose
 * parent dies is adopted and still runs to completion.
 *
 * Who adopts an orphan differs: Walnut's init (pid 1), or on Linux pid 1 or
 * the nearest "child subreaper".  So the test checks that the orphan's
 * parent changed away from the dead one, and notes the new parent.
 */
#include "testlib.h"

enum { ZOMBIE_CODE = 23, ADOPT_WAIT_MS = 5000, STEP_MS = 10 };

/* A zombie keeps its pid and status until wait; only then is it gone. */
static void test_zombie_waits_for_parent(void)
{
	int status = 0;
	pid_t pid = fork(), got;

	if (pid == 0)
		_exit(ZOMBIE_CODE);
	if (pid < 0) {
		check_errno("proc_zombie_orphan_fork", 0, "fork");
		return;
	}
	sleep_ms(300);		/* long past its exit */
	check_errno("proc_zombie_orphan_zombie_still_exists", kill(pid, 0) == 0,
	      "kill(pid, 0)");
	got = waitpid(pid, &status, WNOHANG);
	check("proc_zombie_orphan_zombie_waitable_after_delay",
	      got == pid && WIFEXITED(status) && WEXITSTATUS(status) == ZOMBIE_CODE,
	      "waitpid gave %d, %s", (int)got, status_str(status));
	expect_errno("proc_zombie_orphan_zombie_gone_after_wait", kill(pid, 0), ESRCH);
}

/*
 * The grandchild: waits (bounded) for its parent to die, then reports its
 * new parent through the pipe.  The parent passes its own pid in old_ppid.
 */
static void orphan(int report_fd, pid_t old_ppid)
{
	pid_t now = getppid();

	for (int waited = 0; now == old_ppid && waited < ADOPT_WAIT_MS; waited += STEP_MS) {
		sleep_ms(STEP_MS);
		now = getppid();
	}
	write_full(report_fd, &now, sizeof(now));
	_exit(0);
}

/* Middle process: forks the orphan-to-be, tells us its pid, then dies. */
static void short_lived_parent(int report_fd)
{
	pid_t me = getpid(), kid = fork();

	if (kid == 0)
		orphan(report_fd, me);
	write_full(report_fd, &kid, sizeof(kid));
	_exit(kid > 0 ? 0 : 1);
}

/* After our pipe reached EOF the orphan has exited; its new parent should
 * reap it soon, so we wait (bounded) for its pid to disappear. */
static int gone_within(pid_t pid, int ms)
{
	for (int waited = 0; waited < ms; waited += STEP_MS) {
		if (kill(pid, 0) != 0 && errno == ESRCH)
			return 1;
		sleep_ms(STEP_MS);
	}
	return 0;
}

static void test_orphan_is_adopted(void)
{
	int fds[2];
	pid_t middle, kid = -1, new_ppid = -1;
	char extra;

	if (pipe(fds) != 0) {
		check_errno("proc_zombie_orphan_pipe", 0, "pipe");
		return;
	}
	middle = fork();
	if (middle == 0) {
		close(fds[0]);
		short_lived_parent(fds[1]);
	}
	close(fds[1]);
	expect_exit("proc_zombie_orphan_parent_exits", middle, 0);
	read_full(fds[0], &kid, sizeof(kid));
	read_full(fds[0], &new_ppid, sizeof(new_ppid));
	check("proc_zombie_orphan_reparented_away_from_dead_parent",
	      kid > 0 && new_ppid > 0 && new_ppid != middle,
	      "orphan %d reports parent %d (dead parent was %d)",
	      (int)kid, (int)new_ppid, (int)middle);
	if (new_ppid != 1)
		note("orphan adopted by pid %d, not 1 (a subreaper?)", (int)new_ppid);
	/* EOF: the orphan ran on after its parent died, to its own _exit. */
	check("proc_zombie_orphan_orphan_finishes", read(fds[0], &extra, 1) == 0,
	      "pipe did not reach EOF");
	close(fds[0]);
	check("proc_zombie_orphan_orphan_reaped_by_new_parent", kid > 0 && gone_within(kid, ADOPT_WAIT_MS),
	      "pid %d still exists %d ms after it exited", (int)kid, ADOPT_WAIT_MS);
}

int main(void)
{
	test_zombie_waits_for_parent();
	test_orphan_is_adopted();
	return test_exit_code();
}
