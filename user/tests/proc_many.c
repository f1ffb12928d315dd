/*
 * proc_many - 100 children alive at the same time, then all reaped.
 *
 * Each child writes one byte to a "ready" pipe and blocks reading a "hold"
 * pipe.  No child can exit before the parent closes the hold pipe, so once
 * the parent has read 100 ready bytes all 100 are alive at once.  Each then
 * exits with its own index, and the parent checks every status against the
 * pid it got from fork.
 */
#include "testlib.h"

enum { NCHILD = 100 };

static int hold[2], ready[2];

static int held_child(int index)
{
	char c;

	close(hold[1]);
	close(ready[0]);
	if (write(ready[1], "r", 1) != 1)
		return 200;
	if (read(hold[0], &c, 1) != 0)
		return 201;
	return index;
}

/* Forks the children; returns how many were forked before a failure. */
static int fork_all(pid_t *pids)
{
	for (int i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(held_child(i));
		if (pids[i] < 0) {
			check_errno("proc_many_fork_100", 0, "fork %d failed", i);
			return i;
		}
	}
	check("proc_many_fork_100", 1, "forked all");
	return NCHILD;
}

/* Reaps with wait(), so the kernel picks the order, and matches pids. */
static void reap_all(const pid_t *pids, int forked)
{
	int right = 0, wrong = 0, unknown = 0, status;

	for (int n = 0; n < forked; n++) {
		pid_t got = wait(&status);
		int i;

		for (i = 0; i < forked && pids[i] != got; i++)
			;
		if (i == forked)
			unknown++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == i)
			right++;
		else
			wrong++;
	}
	check("proc_many_all_reaped_with_own_status", right == NCHILD,
	      "%d right, %d wrong status, %d unknown pid", right, wrong, unknown);
	expect_errno("proc_many_none_left_after_reaping", wait(&status), ECHILD);
}

int main(void)
{
	static pid_t pids[NCHILD];
	char buf[NCHILD];
	int forked;
	ssize_t got;

	if (pipe(hold) != 0 || pipe(ready) != 0) {
		check_errno("proc_many_pipes", 0, "pipe");
		return test_exit_code();
	}
	forked = fork_all(pids);
	close(ready[1]);
	close(hold[0]);
	got = read_full(ready[0], buf, (size_t)forked);
	check("proc_many_100_alive_at_once", got == NCHILD,
	      "%d children reported ready", (int)got);
	close(hold[1]);		/* release them all */
	close(ready[0]);
	reap_all(pids, forked);
	return test_exit_code();
}
