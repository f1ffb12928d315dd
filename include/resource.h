/* include/resource.h - resource limits and usage (kernel/resource.c), and
 * what an address space may grow by (mm/acct.c).
 *
 * Every task has its own limits, task->rlim[RLIMIT_x], Linux's numbers and
 * Linux i386's representation: 32-bit values, RLIM_INFINITY = 0xffffffff.
 * A forked child copies its parent's; execve keeps them.  pid 1 (and every
 * kernel thread) starts with rlimit_defaults().  The calls:
 *
 *	getrlimit (76)   the old i386 call: values clamped to 0x7fffffff
 *	ugetrlimit (191) getrlimit as glibc calls it: 32-bit values
 *	setrlimit (75)   32-bit values
 *	prlimit64 (340)  get and/or set, 64-bit values, any pid
 *
 * Who enforces what (the rest are stored and reported only):
 *	RLIMIT_AS, RLIMIT_DATA   mm/acct.c: may_expand_vm (mmap, brk, stack)
 *	RLIMIT_STACK             mm/vm.c: find_extend_vma (growth past it
 *	                         is SIGSEGV)
 *	RLIMIT_MEMLOCK           mm/acct.c: mlock_limit_check, mlock_future_ok
 *	RLIMIT_NPROC             kernel/proc.c: do_fork (-EAGAIN)
 *	RLIMIT_NOFILE            fs/fd.c: fd_install (-EMFILE), dup2, F_DUPFD;
 *	                         fs/select.c: poll's nfds
 *
 * Locks: a task's limits change only by a system call that does not sleep
 * between its check and its store (uniprocessor, no kernel preemption), so
 * readers see a whole struct rlimit.
 */
#ifndef WALNUT_RESOURCE_H
#define WALNUT_RESOURCE_H

#include <types.h>

/* Linux's resource numbers (asm-generic/resource.h). */
enum rlimit_resource {
	RLIMIT_CPU,		/* seconds of CPU */
	RLIMIT_FSIZE,		/* bytes of one file */
	RLIMIT_DATA,		/* bytes of private writable memory and brk */
	RLIMIT_STACK,		/* bytes of the main stack */
	RLIMIT_CORE,		/* bytes of a core file */
	RLIMIT_RSS,		/* bytes resident (Linux ignores it too) */
	RLIMIT_NPROC,		/* processes */
	RLIMIT_NOFILE,		/* one more than the highest descriptor */
	RLIMIT_MEMLOCK,		/* bytes locked in memory */
	RLIMIT_AS,		/* bytes of address space */
	RLIMIT_LOCKS,
	RLIMIT_SIGPENDING,
	RLIMIT_MSGQUEUE,
	RLIMIT_NICE,
	RLIMIT_RTPRIO,
	RLIMIT_RTTIME,
	RLIM_NLIMITS
};

#define RLIM_INFINITY	0xffffffffu		/* i386's ~0UL */
#define RLIM64_INFINITY	0xffffffffffffffffull

/* Linux i386's struct rlimit (unsigned longs): setrlimit and ugetrlimit
 * copy it as it is; the kernel keeps limits in this form too. */
struct rlimit {
	uint32_t cur;		/* the soft limit, enforced */
	uint32_t max;		/* the hard limit: ceiling for cur */
};

struct task;

void rlimit_defaults(struct task *t);
uint32_t rlimit(unsigned int resource);	/* current's soft limit */

/* getrusage's figures, kept in struct task (kernel/resource.c). */
void rusage_leave_mm(struct task *t);	/* before t drops its mm: keep the
					   high-water RSS for ru_maxrss */
void rusage_add_child(struct task *parent, const struct task *child);
struct rusage32;
void rusage_of_child(const struct task *c, struct rusage32 *ru);

/* Linux i386's struct rusage: two timevals of 32-bit fields, 14 longs. */
struct rusage32 {
	int32_t utime_sec, utime_usec;
	int32_t stime_sec, stime_usec;
	int32_t maxrss;		/* KiB */
	int32_t ixrss, idrss, isrss;
	int32_t minflt, majflt;
	int32_t nswap, inblock, oublock, msgsnd, msgrcv, nsignals;
	int32_t nvcsw, nivcsw;
};

/* mm/acct.c: may an address space grow?  The caller holds mmap_lock. */
struct mm;
bool may_expand_vm(struct mm *mm, uint32_t vm_flags, uint32_t npages);
uint32_t mm_pages_in(struct mm *mm, uint32_t start, uint32_t end,
		     uint32_t vm_mask);	/* of VMAs with all of vm_mask */
int vm_enough_memory(uint32_t npages);	/* 0, or -ENOMEM */
int mlock_limit_check(uint32_t locked_pages);	/* 0 -EPERM -ENOMEM */
bool mlock_future_ok(struct mm *mm, uint32_t vm_flags, uint32_t npages);

#endif
