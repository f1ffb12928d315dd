/*
 * bench.h - what every user/bench program shares: a monotonic clock in
 * nanoseconds, a median, and the one output line the harnesses read.
 *
 * A benchmark prints "BENCH <name> <value> <unit>" lines and nothing else on
 * stdout; Walnut's harness (tools/harness.py) and the maintainers' runs of
 * the same programs on Linux (docs/userspace.md, "Benchmarks") both take
 * the median over rounds, so each program reports one settled figure per
 * line rather than a spread.
 */
#ifndef WALNUT_BENCH_H
#define WALNUT_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline long long bench_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("clock_gettime");
		exit(2);
	}
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place. A median, not a mean: one batch that met a timer tick or
 * a host hiccup under TCG must not move the figure. */
static inline double bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline void bench_report(const char *name, double value, const char *unit)
{
	printf("BENCH %s %.2f %s\n", name, value, unit);
	fflush(stdout);
}

#endif
