/*
 * kernel/resource.c - resource limits and resource usage: getrlimit,
 * ugetrlimit, setrlimit, prlimit64 and getrusage.
 *
 * Owns: the meaning of task->rlim[] (the defaults, and the rules for
 * changing a limit) and the usage figures getrusage and wait4 report
 * (task->maxrss, the children's sums).  Who enforces each limit is listed
 * in include/resource.h; this file only keeps them.
 *
 * Changing a limit (do_prlimit, Linux's rules and order):
 *	unknown resource                   -EINVAL
 *	soft above hard                    -EINVAL
 *	RLIMIT_NOFILE hard above NR_OPEN   -EPERM  (Linux: fs.nr_open)
 *	raising the hard limit             allowed: everyone is root
 *	                                   (CAP_SYS_RESOURCE)
 * Lowering a limit below what is in use already (open descriptors, mapped
 * memory) takes nothing away; it only refuses the next request.
 *
 * Usage: utime/stime are ticks charged by sched_tick; min_flt/maj_flt are
 * counted by the fault path; nvcsw/nivcsw by schedule; maxrss is the
 * largest RSS of any address space the task has had (mm->hiwater_rss, kept
 * across execve, as Linux's).  The children's figures are summed into the
 * parent when it reaps them (kernel/proc.c: do_wait4 -> rusage_add_child),
 * and include their own reaped children, as Linux's RUSAGE_CHILDREN does.
 *
 * Locks: none.  A task's figures change with interrupts off (the tick) or
 * by the task itself; a limit is checked and stored without sleeping in
 * between, so no other task sees half of it (one CPU, no preemption).
 */
#include <errno.h>
#include <kernel.h>
#include <proc.h>
#include <resource.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <timer.h>
#include <uaccess.h>
#include <vm.h>

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1		/* one thread per process: as SELF */
#define OLD_RLIM_MAX	0x7fffffffu	/* old getrlimit's ceiling */
#define MIB		(1024u * 1024)

_Static_assert(sizeof(struct rusage32) == 72, "Linux i386 struct rusage");
_Static_assert(sizeof(struct rlimit) == 8, "Linux i386 struct rlimit");

struct rlimit64 {
	uint64_t cur, max;
};

/* Linux's INIT_RLIMITS, with Walnut's sizes where Linux computes them at
 * boot (NPROC, SIGPENDING: the task table), and RLIMIT_MEMLOCK unlimited:
 * Linux lets root (CAP_IPC_LOCK) lock any amount; here everyone is root,
 * but a process that lowers its limit is held to it. */
static const struct rlimit default_rlim[RLIM_NLIMITS] = {
	[RLIMIT_CPU]        = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE]      = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA]       = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK]      = { USER_STACK_LIMIT, RLIM_INFINITY },
	[RLIMIT_CORE]       = { 0, RLIM_INFINITY },
	[RLIMIT_RSS]        = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC]      = { NR_TASKS, NR_TASKS },
	[RLIMIT_NOFILE]     = { NR_OPEN, NR_OPEN },
	[RLIMIT_MEMLOCK]    = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_AS]         = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS]      = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { NR_TASKS, NR_TASKS },
	[RLIMIT_MSGQUEUE]   = { 819200, 819200 },
	[RLIMIT_NICE]       = { 0, 0 },
	[RLIMIT_RTPRIO]     = { 0, 0 },
	[RLIMIT_RTTIME]     = { RLIM_INFINITY, RLIM_INFINITY },
};

void rlimit_defaults(struct task *t)
{
	memcpy(t->rlim, default_rlim, sizeof(t->rlim));
}

uint32_t rlimit(unsigned int resource)
{
	return current->rlim[resource].cur;
}

/* ---- changing limits ---- */

/**
 * do_prlimit - read t's limit for resource into *old and/or set it from
 * *new (either may be NULL).
 * Return: 0, -EINVAL (unknown resource, soft above hard), -EPERM (a hard
 * RLIMIT_NOFILE above NR_OPEN).
 */
static int do_prlimit(struct task *t, unsigned int resource,
		      const struct rlimit *new, struct rlimit *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->cur > new->max)
		return -EINVAL;
	if (new && resource == RLIMIT_NOFILE && new->max > NR_OPEN)
		return -EPERM;
	if (old)
		*old = t->rlim[resource];
	if (new)
		t->rlim[resource] = *new;
	return 0;
}

static long sys_setrlimit(unsigned int resource, const struct rlimit __user *urlim)
{
	struct rlimit new;

	if (copy_from_user(&new, urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current, resource, &new, NULL);
}
SYSCALL(__NR_setrlimit, sys_setrlimit);

/* getrlimit as glibc calls it on i386: the 32-bit values as they are. */
static long sys_ugetrlimit(unsigned int resource, struct rlimit __user *urlim)
{
	struct rlimit r;
	int err = do_prlimit(current, resource, NULL, &r);

	return err ? err : copy_to_user(urlim, &r, sizeof(r));
}
SYSCALL(__NR_ugetrlimit, sys_ugetrlimit);

/* The first i386 getrlimit, from when RLIM_INFINITY was 0x7fffffff: every
 * value is clamped there, so old binaries still read "unlimited". */
static long sys_old_getrlimit(unsigned int resource, struct rlimit __user *urlim)
{
	struct rlimit r;
	int err = do_prlimit(current, resource, NULL, &r);

	if (err)
		return err;
	r.cur = MIN(r.cur, OLD_RLIM_MAX);
	r.max = MIN(r.max, OLD_RLIM_MAX);
	return copy_to_user(urlim, &r, sizeof(r));
}
SYSCALL(__NR_getrlimit, sys_old_getrlimit);

/* 64-bit values to the kernel's: anything from 2^32 - 1 up is infinity. */
static uint32_t rlim_from64(uint64_t v)
{
	return v >= RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)v;
}

static uint64_t rlim_to64(uint32_t v)
{
	return v == RLIM_INFINITY ? RLIM64_INFINITY : v;
}

/**
 * prlimit64(pid, resource, new, old) - get and/or set the limits of
 * process pid (0: the caller).  Linux lets a process do this to another
 * of the same user, or root to any; here everyone is root.
 * Return: 0, -EFAULT (bad new, checked first; bad old, after setting),
 * -ESRCH, or do_prlimit's errors.
 */
static long sys_prlimit64(pid_t pid, unsigned int resource,
			  const struct rlimit64 __user *unew,
			  struct rlimit64 __user *uold)
{
	struct rlimit64 new64, old64;
	struct rlimit new, old;
	struct task *t = pid ? task_by_pid(pid) : current;
	int err;

	if (unew) {
		if (copy_from_user(&new64, unew, sizeof(new64)))
			return -EFAULT;
		new = (struct rlimit){ rlim_from64(new64.cur), rlim_from64(new64.max) };
	}
	if (!t)
		return -ESRCH;
	err = do_prlimit(t, resource, unew ? &new : NULL, uold ? &old : NULL);
	if (err || !uold)
		return err;
	old64 = (struct rlimit64){ rlim_to64(old.cur), rlim_to64(old.max) };
	return copy_to_user(uold, &old64, sizeof(old64));
}
SYSCALL(__NR_prlimit64, sys_prlimit64);

/* ---- usage ---- */

/* The largest RSS t has had, in pages: its past address spaces and the
 * one it has now. */
static uint32_t task_maxrss(const struct task *t)
{
	return MAX(t->maxrss, t->mm ? t->mm->hiwater_rss : 0);
}

void rusage_leave_mm(struct task *t)
{
	t->maxrss = task_maxrss(t);
}

/* A reaped child's figures, its own and its children's, go to parent. */
void rusage_add_child(struct task *parent, const struct task *c)
{
	parent->cutime += c->utime + c->cutime;
	parent->cstime += c->stime + c->cstime;
	parent->cmin_flt += c->min_flt + c->cmin_flt;
	parent->cmaj_flt += c->maj_flt + c->cmaj_flt;
	parent->cnvcsw += c->nvcsw + c->cnvcsw;
	parent->cnivcsw += c->nivcsw + c->cnivcsw;
	parent->cmaxrss = MAX(parent->cmaxrss, MAX(task_maxrss(c), c->cmaxrss));
}

/* The figures of one struct rusage, before they are packed. */
struct usage {
	uint64_t utime, stime;		/* ticks */
	unsigned long minflt, majflt, nvcsw, nivcsw;
	uint32_t maxrss;		/* pages */
};

static void usage_self(const struct task *t, struct usage *u)
{
	*u = (struct usage){ t->utime, t->stime, t->min_flt, t->maj_flt,
			     t->nvcsw, t->nivcsw, task_maxrss(t) };
}

static void usage_children(const struct task *t, struct usage *u)
{
	*u = (struct usage){ t->cutime, t->cstime, t->cmin_flt, t->cmaj_flt,
			     t->cnvcsw, t->cnivcsw, t->cmaxrss };
}

static void pack_rusage(const struct usage *u, struct rusage32 *ru)
{
	*ru = (struct rusage32){
		.utime_sec = (int32_t)(u->utime / HZ),
		.utime_usec = (int32_t)(u->utime % HZ * (1000000 / HZ)),
		.stime_sec = (int32_t)(u->stime / HZ),
		.stime_usec = (int32_t)(u->stime % HZ * (1000000 / HZ)),
		.maxrss = (int32_t)(u->maxrss * (PAGE_SIZE / 1024)),
		.minflt = (int32_t)u->minflt,
		.majflt = (int32_t)u->majflt,
		.nvcsw = (int32_t)u->nvcsw,
		.nivcsw = (int32_t)u->nivcsw,
	};
}

/* What wait4 reports for child c: its own usage plus its reaped
 * children's (Linux's RUSAGE_BOTH); the largest RSS of either. */
void rusage_of_child(const struct task *c, struct rusage32 *ru)
{
	struct usage self, kids;

	usage_self(c, &self);
	usage_children(c, &kids);
	self.utime += kids.utime;
	self.stime += kids.stime;
	self.minflt += kids.minflt;
	self.majflt += kids.majflt;
	self.nvcsw += kids.nvcsw;
	self.nivcsw += kids.nivcsw;
	self.maxrss = MAX(self.maxrss, kids.maxrss);
	pack_rusage(&self, ru);
}

static long sys_getrusage(int who, struct rusage32 __user *uru)
{
	struct usage u;
	struct rusage32 ru;

	if (who == RUSAGE_SELF || who == RUSAGE_THREAD)
		usage_self(current, &u);
	else if (who == RUSAGE_CHILDREN)
		usage_children(current, &u);
	else
		return -EINVAL;
	pack_rusage(&u, &ru);
	return copy_to_user(uru, &ru, sizeof(ru));
}
SYSCALL(__NR_getrusage, sys_getrusage);
