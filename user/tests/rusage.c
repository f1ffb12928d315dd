/*
 * rusage - getrusage(2) and wait4's usage: CPU time, minor faults and the
 * largest resident set grow as a process works; a child's figures reach
 * its parent's RUSAGE_CHILDREN only once it is reaped, and wait4 reports
 * them too; a sleep counts a voluntary context switch; RUSAGE_THREAD works
 * (as SELF: one thread); EINVAL for a bad who, EFAULT for a bad pointer.  And
 * sched_yield(2) returns 0.
 *
 * The EFAULT check calls getrusage (77) through syscall(): glibc's
 * wrapper converts the structure in user space and would fault there.
 */
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "testlib.h"

#ifndef RUSAGE_THREAD
#define RUSAGE_THREAD	1
#endif

#define MIB		(1024 * 1024)

static long long cpu_us(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000LL +
	       ru->ru_utime.tv_usec + ru->ru_stime.tv_usec;
}

/* Spins until the process has used ms of CPU (or 5 s of wall time). */
static void burn_cpu(long ms)
{
	struct rusage ru;
	long long start, t0 = mono_ns();

	getrusage(RUSAGE_SELF, &ru);
	start = cpu_us(&ru);
	do
		getrusage(RUSAGE_SELF, &ru);
	while (cpu_us(&ru) - start < ms * 1000 && mono_ns() - t0 < 5000000000LL);
}

/* Touches every page of a fresh len-byte mapping, then unmaps it. */
static void touch_pages(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
}

static void self(void)
{
	struct rusage a, b;

	check_errno("rusage_self_ok", getrusage(RUSAGE_SELF, &a) == 0, "getrusage");
	burn_cpu(100);
	touch_pages(4 * MIB);
	getrusage(RUSAGE_SELF, &b);
	check("rusage_self_cpu_time_grows", cpu_us(&b) - cpu_us(&a) >= 100000,
	      "grew %lld us", cpu_us(&b) - cpu_us(&a));
	check("rusage_self_minflt_counts_touches", b.ru_minflt - a.ru_minflt >= 1024,
	      "minflt %ld -> %ld", a.ru_minflt, b.ru_minflt);
	check("rusage_self_maxrss_kib", b.ru_maxrss >= 4096 && b.ru_maxrss < 1024 * 1024,
	      "maxrss %ld KiB", b.ru_maxrss);
	check_errno("rusage_thread_ok", getrusage(RUSAGE_THREAD, &a) == 0,
		    "getrusage(RUSAGE_THREAD)");
	a.ru_nvcsw = b.ru_nvcsw;
	sleep_ms(20);
	getrusage(RUSAGE_SELF, &b);
	check("rusage_sleep_counts_voluntary_switch", b.ru_nvcsw > a.ru_nvcsw,
	      "nvcsw %ld -> %ld", a.ru_nvcsw, b.ru_nvcsw);
}

/* The child works (100 ms of CPU, 2 MiB touched), then waits for the
 * parent to close the pipe fds[2] before it exits. */
static int child_works(void *fds)
{
	burn_cpu(100);
	touch_pages(2 * MIB);
	return child_wait_for_eof(fds);
}

static void children(void)
{
	struct rusage before, during, after, w;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	getrusage(RUSAGE_CHILDREN, &before);
	pid = spawn(child_works, fds);
	close(fds[0]);
	sleep_ms(50);
	getrusage(RUSAGE_CHILDREN, &during);
	check("rusage_children_unchanged_before_reaped",
	      cpu_us(&during) == cpu_us(&before) && during.ru_minflt == before.ru_minflt,
	      "cpu %lld -> %lld us", cpu_us(&before), cpu_us(&during));
	close(fds[1]);
	check_errno("rusage_wait4_reaps", wait4(pid, &status, 0, &w) == pid, "wait4");
	check("rusage_wait4_reports_child", cpu_us(&w) >= 100000 && w.ru_minflt >= 512 &&
	      w.ru_maxrss >= 2048, "cpu %lld us minflt %ld maxrss %ld",
	      cpu_us(&w), w.ru_minflt, w.ru_maxrss);
	getrusage(RUSAGE_CHILDREN, &after);
	check("rusage_children_added_when_reaped",
	      cpu_us(&after) - cpu_us(&before) >= 100000 &&
	      after.ru_minflt - before.ru_minflt >= 512 && after.ru_maxrss >= 2048,
	      "cpu +%lld us minflt +%ld maxrss %ld", cpu_us(&after) - cpu_us(&before),
	      after.ru_minflt - before.ru_minflt, after.ru_maxrss);
}

static void errors(void)
{
	struct rusage ru;

	expect_errno("rusage_bad_who_einval", getrusage(5, &ru), EINVAL);
	expect_errno("rusage_bad_pointer_efault",
		     syscall(SYS_getrusage, RUSAGE_SELF, (void *)1), EFAULT);
	expect_errno("rusage_children_bad_pointer_efault",
		     syscall(SYS_getrusage, RUSAGE_CHILDREN, (void *)1), EFAULT);
	check_errno("rusage_sched_yield_returns_zero", sched_yield() == 0, "sched_yield");
}

int main(void)
{
	self();
	children();
	errors();
	return test_exit_code();
}
