/*
 * proc.c - processes: fork, _exit, the wait family, kill, process groups
 * and sessions, ids.
 *
 * Signal numbers passed to kill() and found in wait statuses are newlib's
 * (xlat.c renumbers them), so WTERMSIG(status) == SIGTERM holds.  Every
 * wait goes through wait4 (114), as glibc's do.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "glue.h"

pid_t fork(void)
{
	return lx_ret(LX0(SYS_fork));
}

/* exit_group ends every thread (there is one); plain exit is the fallback
 * for a kernel without it. */
void _exit(int status)
{
	LX1(SYS_exit_group, status);
	for (;;)
		LX1(SYS_exit, status);
}

/* newlib's struct rusage has only the two times; Linux fills 18 longs. */
static void rusage_from_linux(const struct lx_rusage *lx, struct rusage *ru)
{
	ru->ru_utime.tv_sec = lx->utime_sec;
	ru->ru_utime.tv_usec = lx->utime_usec;
	ru->ru_stime.tv_sec = lx->stime_sec;
	ru->ru_stime.tv_usec = lx->stime_usec;
}

/*
 * The kernel writes the status straight into *status, so a bad pointer
 * fails with EFAULT as on Linux; the signal number in it is renumbered
 * afterwards.
 */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	struct lx_rusage lx_ru;
	long r;

	/* WNOHANG, WUNTRACED, WCONTINUED are Linux's numbers already. */
	r = LX4(SYS_wait4, pid, status, options, ru ? &lx_ru : NULL);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	if (status && r > 0)
		*status = xlat_wstatus_from_linux(*status);
	if (ru)
		rusage_from_linux(&lx_ru, ru);
	return r;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

int getrusage(int who, struct rusage *ru)
{
	struct lx_rusage lx_ru;
	long r = LX2(SYS_getrusage, who, &lx_ru);	/* RUSAGE_* agree */

	if (lx_failed(r))
		return __walnut_set_errno(-r);
	rusage_from_linux(&lx_ru, ru);
	return 0;
}

int kill(pid_t pid, int sig)
{
	int lx_sig = xlat_sig_to_linux(sig);

	if (lx_sig < 0)
		return __walnut_fail(EINVAL);
	return lx_ret(LX2(SYS_kill, pid, lx_sig));
}

pid_t getpid(void)
{
	return LX0(SYS_getpid);
}

pid_t getppid(void)
{
	return LX0(SYS_getppid);
}

/* The 32-bit-id calls, which glibc uses; newlib's uid_t is 16 bits, as
 * Walnut's ids are small. */
uid_t getuid(void)
{
	return (uid_t)LX0(SYS_getuid32);
}

uid_t geteuid(void)
{
	return (uid_t)LX0(SYS_geteuid32);
}

gid_t getgid(void)
{
	return (gid_t)LX0(SYS_getgid32);
}

gid_t getegid(void)
{
	return (gid_t)LX0(SYS_getegid32);
}

int setpgid(pid_t pid, pid_t pgid)
{
	return lx_ret(LX2(SYS_setpgid, pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	return lx_ret(LX1(SYS_getpgid, pid));
}

pid_t getpgrp(void)
{
	return lx_ret(LX0(SYS_getpgrp));
}

pid_t setsid(void)
{
	return lx_ret(LX0(SYS_setsid));
}

pid_t getsid(pid_t pid)
{
	return lx_ret(LX1(SYS_getsid, pid));
}

WALNUT_ALIAS(fork, _fork);
WALNUT_ALIAS(wait, _wait);
WALNUT_ALIAS(kill, _kill);
WALNUT_ALIAS(getpid, _getpid);
