/*
 * proc_fork_bomb - fork until the kernel says no, then recover.
 *
 * Children do nothing but pause; the parent forks until fork fails (EAGAIN
 * when the process table is full, ENOMEM when memory is) or MAX_CHILDREN is
 * reached, kills and reaps every child, and checks that a fresh fork works.
 * The kernel must refuse cleanly, not panic or wedge.
 *
 * Walnut's process table holds some 64-128 processes.  On Linux a low
 * RLIMIT_NPROC plays the table's part; root is exempt from it, so as root
 * the Linux build first becomes "nobody" (a Linux-only convenience: the
 * guest has no users).  If that fails, the cap is what stops the loop.
 */
#include "testlib.h"
#if defined(__GLIBC__)
#include <sys/resource.h>
#endif

enum { MAX_CHILDREN = 4096, LINUX_NPROC_LIMIT = 256, NOBODY = 65534 };

static void limit_processes(void)
{
#if defined(__GLIBC__)
	struct rlimit rl = { LINUX_NPROC_LIMIT, LINUX_NPROC_LIMIT };

	if (setrlimit(RLIMIT_NPROC, &rl) != 0)
		note("setrlimit(RLIMIT_NPROC): %s", strerror(errno));
	if (getuid() == 0 && (setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
		note("cannot drop root, so RLIMIT_NPROC does not apply: %s", strerror(errno));
#endif
}

/* Forks paused children into pids[]; returns the count, errno of the
 * failure in *fork_errno (0 if the cap stopped it). */
static int fork_until_refused(pid_t *pids, int *fork_errno)
{
	int n;

	*fork_errno = 0;
	for (n = 0; n < MAX_CHILDREN; n++) {
		pids[n] = spawn(child_pause_forever, NULL);
		if (pids[n] < 0) {
			*fork_errno = errno;
			break;
		}
	}
	return n;
}

static void kill_and_reap(const pid_t *pids, int n)
{
	int killed = 0, status;

	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		if (wait_for(pids[i], &status) == pids[i] &&
		    WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			killed++;
	if (!skip_under_emulator("proc_fork_bomb_all_children_killed_and_reaped",
				 "a forked qemu that cannot start its thread aborts"))
		check("proc_fork_bomb_all_children_killed_and_reaped", killed == n,
		      "%d of %d reaped as killed by SIGKILL", killed, n);
	expect_errno("proc_fork_bomb_no_children_left", wait(&status), ECHILD);
}

int main(void)
{
	static pid_t pids[MAX_CHILDREN];
	int fork_errno, n;

	limit_processes();
	n = fork_until_refused(pids, &fork_errno);
	note("forked %d children; fork then %s", n,
	     fork_errno ? strerror(fork_errno) : "not tried again (cap reached)");
	check("proc_fork_bomb_fork_refused_with_eagain_or_enomem",
	      fork_errno == EAGAIN || fork_errno == ENOMEM || n == MAX_CHILDREN,
	      "fork failed after %d children with errno %d (%s)",
	      n, fork_errno, strerror(fork_errno));
	check("proc_fork_bomb_forked_some", n > 0, "first fork failed: %s", strerror(fork_errno));
	kill_and_reap(pids, n);
	expect_exit("proc_fork_bomb_fork_works_afterwards", spawn(child_exit_zero, NULL), 0);
	return test_exit_code();
}
