/*
 * proc.c - processes: fork, _exit, the wait family, kill, process groups
 * and sessions, ids, resource limits and usage, sched_yield.
 *
 * Signal numbers passed to kill() and found in wait statuses are newlib's
 * (xlat.c renumbers them), so WTERMSIG(status) == SIGTERM holds.  Every
 * wait goes through wait4 (114), as glibc's do.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
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

/*
 * The kernel writes the status and the usage straight into *status and
 * *ru (struct rusage is Linux's: user/include/sys/resource.h), so a bad
 * pointer fails with EFAULT as on Linux; the signal number in the status
 * is renumbered afterwards.
 */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	long r;

	/* WNOHANG, WUNTRACED, WCONTINUED are Linux's numbers already. */
	r = LX4(SYS_wait4, pid, status, options, ru);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	if (status && r > 0)
		*status = xlat_wstatus_from_linux(*status);
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

/* RUSAGE_* and struct rusage are Linux's (user/include/sys/resource.h). */
int getrusage(int who, struct rusage *ru)
{
	return lx_ret(LX2(SYS_getrusage, who, ru));
}

/*
 * Limits: RLIMIT_* and struct rlimit are Linux i386's, 32-bit values, so
 * getrlimit is ugetrlimit (191, what glibc's i386 build calls) and
 * setrlimit is setrlimit (75), both unchanged.  prlimit goes through
 * prlimit64 (340), whose 64-bit values any limit from 2^32 - 1 up reads as
 * RLIM_INFINITY, as glibc converts them.
 */
int getrlimit(int resource, struct rlimit *rlim)
{
	return lx_ret(LX2(SYS_ugetrlimit, resource, rlim));
}

int setrlimit(int resource, const struct rlimit *rlim)
{
	return lx_ret(LX2(SYS_setrlimit, resource, rlim));
}

struct lx_rlimit64 {
	uint64_t cur, max;
};

static uint64_t rlim_to64(rlim_t v)
{
	return v == RLIM_INFINITY ? ~0ULL : v;
}

static rlim_t rlim_from64(uint64_t v)
{
	return v >= RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)v;
}

int prlimit(pid_t pid, int resource, const struct rlimit *new_limit,
	    struct rlimit *old_limit)
{
	struct lx_rlimit64 new64, old64;
	long r;

	if (new_limit)
		new64 = (struct lx_rlimit64){ rlim_to64(new_limit->rlim_cur),
					      rlim_to64(new_limit->rlim_max) };
	r = LX4(SYS_prlimit64, pid, resource, new_limit ? &new64 : NULL,
		old_limit ? &old64 : NULL);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	if (old_limit)
		*old_limit = (struct rlimit){ rlim_from64(old64.cur),
					      rlim_from64(old64.max) };
	return 0;
}

int sched_yield(void)
{
	return lx_ret(LX0(SYS_sched_yield));
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
