/*
 * memcpy_bw - bandwidth of the C library's memory and string routines, in
 * MiB/s of the bytes one call covers: memcpy, memmove (overlapping, so it
 * must copy backwards), memset, memcmp, memchr, strlen and strcmp.
 *
 * Sizes: 64 bytes, where the call's fixed cost (and the dispatch) shows;
 * 4 KiB, whose buffers stay in every cache ("warm"); and 1 MiB, larger than
 * any cache the guest models.  Under QEMU's TCG the caches that matter are the
 * host's, so 1 MiB is "streaming", not "cold".  memcpy_4k_odd is 4093 bytes
 * from src+1 to dst+2: neither end aligned.
 *
 * Each figure: the batch size grows until one batch lasts about BATCH_MS,
 * then the median of BATCHES timed batches.  The size reaches the routine
 * through a volatile, so the compiler cannot expand the call inline (gcc
 * would turn a constant-size memcpy into its own "rep movsl").
 *
 * On Walnut, the lines ending in _i386 repeat the copying figures with the
 * library's 32-bit fallback forced (user/lib/string.c); on Linux the hook
 * is absent and they are skipped.
 */
#include <string.h>
#include "bench.h"

enum { BIG = 1 << 20, BATCHES = 5, BATCH_MS = 60, PAGE = 4096 };

/*
 * src and dst are 1 MiB + 5 pages apart, not a power of two: QEMU's software
 * TLB is direct-mapped, and two buffers whose pages fall in the same slots
 * evict each other's entry at every switch from a load to a store.  That
 * case gets its own figure, memcpy_1m_alias, with dst_alias exactly 1 MiB
 * past src, as two 1 MiB buffers malloc'd one after the other would be.
 */
static char area[2 * BIG + 6 * PAGE] __attribute__((aligned(PAGE)));
static char *const src = area;
static char *const dst = area + BIG + 5 * PAGE;
static char *const dst_alias = area + BIG;
static char str_a[4096 + 64] __attribute__((aligned(64)));
static char str_b[4096 + 64] __attribute__((aligned(64)));

static volatile size_t sink;

/* The compiler must assume the buffers were read and written. */
#define TOUCHED() __asm__ volatile("" : : : "memory")

struct op {
	const char *name;
	void (*run)(size_t len);
	size_t len;
};

static void run_memcpy(size_t len)
{
	memcpy(dst, src, len);
	TOUCHED();
}

static void run_memcpy_alias(size_t len)
{
	memcpy(dst_alias, src, len);
	TOUCHED();
}

static void run_memcpy_odd(size_t len)
{
	memcpy(dst + 2, src + 1, len);
	TOUCHED();
}

static void run_memmove_back(size_t len)
{
	memmove(dst + 16, dst, len);	/* overlaps: copies from the end down */
	TOUCHED();
}

static void run_memset(size_t len)
{
	memset(dst, (int)(len & 0x7f), len);
	TOUCHED();
}

static void run_memcmp(size_t len)
{
	sink = (size_t)memcmp(str_a, str_b, len);	/* equal: reads all of both */
}

static void run_memchr(size_t len)
{
	sink = (size_t)memchr(str_a, '!', len);		/* absent: reads all */
}

static void run_strlen(size_t len)
{
	(void)len;					/* str_a's length */
	sink = strlen(str_a);
}

static void run_strcmp(size_t len)
{
	(void)len;
	sink = (size_t)strcmp(str_a, str_b);		/* equal: reads all */
}

/* The nanoseconds that reps calls of op take. */
static long long time_reps(const struct op *op, long reps)
{
	volatile size_t len = op->len;
	long long t0 = bench_now_ns();

	for (long i = 0; i < reps; i++)
		op->run(len);
	return bench_now_ns() - t0;
}

static double mib_per_s(const struct op *op)
{
	double batch[BATCHES];
	long long ns;
	long reps = 1;

	while ((ns = time_reps(op, reps)) < BATCH_MS * 1000000LL / 4)
		reps *= 2;
	reps = (long)((double)reps * BATCH_MS * 1e6 / (double)ns) + 1;
	for (int i = 0; i < BATCHES; i++) {
		ns = time_reps(op, reps);
		batch[i] = (double)op->len * (double)reps / (1 << 20) / ((double)ns / 1e9);
	}
	return bench_median(batch, BATCHES);
}

static void report(const struct op *ops, int n, const char *suffix)
{
	char name[64];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%s", ops[i].name, suffix);
		bench_report(name, mib_per_s(&ops[i]), "MiB/s");
	}
}

/* Two equal 4 KiB strings of letters, and every buffer touched once. */
static void setup(void)
{
	for (size_t i = 0; i < sizeof(area); i++)
		area[i] = (char)('a' + i % 26);
	for (size_t i = 0; i < 4096; i++)
		str_a[i] = str_b[i] = (char)('a' + i % 26);
	str_a[4096] = str_b[4096] = '\0';
}

static const struct op ops[] = {
	{ "memcpy_64", run_memcpy, 64 },
	{ "memcpy_4k", run_memcpy, 4096 },
	{ "memcpy_4k_odd", run_memcpy_odd, 4093 },
	{ "memcpy_1m", run_memcpy, BIG },
	{ "memcpy_1m_alias", run_memcpy_alias, BIG },
	{ "memmove_4k_back", run_memmove_back, 4096 },
	{ "memset_4k", run_memset, 4096 },
	{ "memset_1m", run_memset, BIG },
	{ "memcmp_4k", run_memcmp, 4096 },
	{ "memchr_4k", run_memchr, 4096 },
	{ "strlen_4k", run_strlen, 4096 },
	{ "strcmp_4k", run_strcmp, 4096 },
};

/* Repeated with the 32-bit fallback forced, on Walnut (the scanning
 * routines are the same in both of its sets). */
static const struct op fallback_ops[] = {
	{ "memcpy_4k", run_memcpy, 4096 },
	{ "memcpy_1m", run_memcpy, BIG },
	{ "memset_4k", run_memset, 4096 },
};

/* user/lib/string.c's hook; weak, so this builds against any C library. */
int __walnut_string_use(const char *impl) __attribute__((weak));

int main(void)
{
	setup();
	report(ops, sizeof(ops) / sizeof(ops[0]), "");
	if (__walnut_string_use && __walnut_string_use("i386") == 0)
		report(fallback_ops, sizeof(fallback_ops) / sizeof(fallback_ops[0]), "_i386");
	return 0;
}
