/*
 * <sys/resource.h> - resource limits and usage, replacing newlib's (which
 * has only getrusage, and a struct rusage of two fields).  Everything here
 * is Linux i386's, as glibc declares it without _FILE_OFFSET_BITS=64:
 * RLIMIT_* numbers, a 32-bit rlim_t with RLIM_INFINITY = ~0UL, and the
 * whole struct rusage, so the glue (user/lib/proc.c) passes them to the
 * kernel unchanged.
 */
#ifndef WALNUT_SYS_RESOURCE_H
#define WALNUT_SYS_RESOURCE_H
#define _SYS_RESOURCE_H_	/* newlib's own header: never read */

#include <sys/time.h>
#include <sys/types.h>

#define RLIMIT_CPU		0	/* CPU seconds */
#define RLIMIT_FSIZE		1	/* bytes of one file */
#define RLIMIT_DATA		2	/* bytes of private writable memory */
#define RLIMIT_STACK		3	/* bytes of the main stack */
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6	/* processes */
#define RLIMIT_NOFILE		7	/* descriptors: one above the highest */
#define RLIMIT_OFILE		RLIMIT_NOFILE
#define RLIMIT_MEMLOCK		8	/* bytes locked in memory */
#define RLIMIT_AS		9	/* bytes of address space */
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIMIT_NLIMITS		16
#define RLIM_NLIMITS		RLIMIT_NLIMITS

typedef unsigned long rlim_t;
#define RLIM_INFINITY		(~0UL)
#define RLIM_SAVED_MAX		RLIM_INFINITY
#define RLIM_SAVED_CUR		RLIM_INFINITY

struct rlimit {
	rlim_t rlim_cur;	/* the soft limit: what is enforced */
	rlim_t rlim_max;	/* the hard limit: the ceiling for rlim_cur */
};

#define RUSAGE_SELF		0
#define RUSAGE_CHILDREN		(-1)
#define RUSAGE_THREAD		1

struct rusage {
	struct timeval ru_utime;	/* user CPU time */
	struct timeval ru_stime;	/* system CPU time */
	long ru_maxrss;			/* largest resident set, KiB */
	long ru_ixrss, ru_idrss, ru_isrss;	/* 0 on Linux too */
	long ru_minflt;			/* page faults without I/O */
	long ru_majflt;			/* page faults that read the disk */
	long ru_nswap;
	long ru_inblock, ru_oublock;
	long ru_msgsnd, ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;			/* switches: waited for something */
	long ru_nivcsw;			/* switches: preempted (or yielded) */
};

#ifdef __cplusplus
extern "C" {
#endif

int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);
/* Linux's: get and/or set another process's limits (pid 0: the caller). */
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit,
	    struct rlimit *old_limit);
int getrusage(int who, struct rusage *usage);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_RESOURCE_H */
