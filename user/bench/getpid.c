/*
 * getpid - the cost of the smallest system call: one trip into the kernel
 * and back.  glibc stopped caching getpid() in 2.25, and Walnut's libc never
 * did, so every call here really enters the kernel.
 */
#include <unistd.h>
#include "bench.h"

enum { BATCHES = 9, CALLS_PER_BATCH = 20000 };

static double ns_per_call(void)
{
	long long t0 = bench_now_ns();
	volatile pid_t sink;

	for (int i = 0; i < CALLS_PER_BATCH; i++)
		sink = getpid();
	(void)sink;
	return (double)(bench_now_ns() - t0) / CALLS_PER_BATCH;
}

int main(void)
{
	double batch[BATCHES];

	(void)ns_per_call();		/* warm the caches and the TLB */
	for (int i = 0; i < BATCHES; i++)
		batch[i] = ns_per_call();
	bench_report("getpid", bench_median(batch, BATCHES), "ns");
	return 0;
}
