/*
 * fault_anon - the cost of one anonymous page fault: map 32 MiB of private
 * anonymous memory, write one byte to each page (each write is a zero-fill
 * fault), unmap; the time for the writes divided by the pages, median over
 * rounds.  munmap is outside the clock, mmap too (it only makes a VMA).
 *
 * Linux is asked for small pages (MADV_NOHUGEPAGE), or one fault would fill
 * 512 of them and the figure would not be per page.
 */
#include <stdint.h>
#include <sys/mman.h>
#include "bench.h"

enum { MAP_BYTES = 32 << 20, PAGE = 4096, ROUNDS = 5 };

static double ns_per_fault(void)
{
	volatile char *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long t0;
	double ns;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
#ifdef MADV_NOHUGEPAGE
	madvise((void *)p, MAP_BYTES, MADV_NOHUGEPAGE);
#endif
	t0 = bench_now_ns();
	for (size_t off = 0; off < MAP_BYTES; off += PAGE)
		p[off] = 1;
	ns = (double)(bench_now_ns() - t0) / (MAP_BYTES / PAGE);
	munmap((void *)p, MAP_BYTES);
	return ns;
}

int main(void)
{
	double rounds[ROUNDS];

	ns_per_fault();			/* page tables, allocator warm-up */
	for (int r = 0; r < ROUNDS; r++)
		rounds[r] = ns_per_fault();
	bench_report("fault_anon", bench_median(rounds, ROUNDS), "ns");
	return 0;
}
