/*
 * string_sse2.c - memcpy, memmove and memset sixteen bytes at a time, in
 * SSE2's 128-bit registers: the set string.c chooses when cpuid says the
 * CPU has SSE2.
 *
 * user/user.mk compiles this file alone with -msse2 (the rest of Walnut's
 * user space is -march=i686, which has no SSE), so nothing here may run
 * before string.c has checked cpuid: only string.c calls in.  The kernel
 * saves the XMM registers with the rest of the FPU state (fxsave) on every
 * context switch and around signal handlers.  Also -fno-builtin and
 * -fno-tree-loop-distribute-patterns, as for string_i386.c.
 *
 * Only copying and filling are here.  Scanning (memchr, memcmp, strlen,
 * strcmp) with pcmpeqb, pminub and pmovmskb was written and measured too:
 * under QEMU 7.2's TCG it was no faster than string_i386.c's four words per
 * loop step, and its strlen ran at 60% of their speed, so every program
 * scans with those (docs/userspace.md).
 *
 * Rules every routine keeps:
 *  - Sixteen bytes come in as two 8-byte loads (load16, below), at any
 *    alignment, and only bytes inside [src, src+n) are read.
 *  - The long loops store to an aligned destination; sizes under 16 bytes
 *    use strimpl.h's word-sized helpers.
 */
#include <emmintrin.h>
#include "strimpl.h"

typedef __m128i vec;
typedef uint64_t __attribute__((aligned(1), may_alias)) str_u64;

/*
 * The 16 bytes at p, at any alignment, as movq + movhps.  QEMU 7.2's TCG
 * runs a single 16-byte load (movdqu, movdqa, movups or movaps alike) at
 * half the speed of that pair: measured inside Walnut, a 4 KiB copy loop
 * moved 2,300 MiB/s one way and 5,200 MiB/s the other.  16-byte stores
 * are fast.  gcc would pick the single load, hence the asm.
 */
static inline vec load16(const void *p)
{
	vec v;

	__asm__("movq %1, %0\n\tmovhps %2, %0"
		: "=x"(v)
		: "m"(*(const str_u64 *)p), "m"(*(const str_u64 *)((const char *)p + 8)));
	return v;
}

static inline void storeu(void *p, vec v)
{
	_mm_storeu_si128((vec *)p, v);
}

static inline void store_aligned(void *p, vec v)
{
	_mm_store_si128((vec *)p, v);
}

/* n <= 64 bytes, any overlap: every byte is loaded before any is stored;
 * the pieces overlap in the middle instead of looping. */
static void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n > 32) {
		vec a = load16(s), b = load16(s + 16), y = load16(s + n - 32), z = load16(s + n - 16);

		storeu(d, a);
		storeu(d + 16, b);
		storeu(d + n - 32, y);
		storeu(d + n - 16, z);
	} else if (n >= 16) {
		vec a = load16(s), z = load16(s + n - 16);

		storeu(d, a);
		storeu(d + n - 16, z);
	} else if (n >= 8) {
		vec a = _mm_loadl_epi64((const vec *)s), z = _mm_loadl_epi64((const vec *)(s + n - 8));

		_mm_storel_epi64((vec *)d, a);
		_mm_storel_epi64((vec *)(d + n - 8), z);
	} else {
		copy_under_8(d, s, n);
	}
}

/*
 * 64 bytes from s to the aligned d: all four loads, then all four stores,
 * so when s and d are near each other a store only overwrites source bytes
 * this block has read already (either direction).  Grouping also switches
 * between the source's page and the destination's twice per 64 bytes, not
 * eight times: QEMU's TLB is direct-mapped, and two pages that share a slot
 * evict each other on every switch.
 */
static inline void copy_64_to_aligned(unsigned char *d, const unsigned char *s)
{
	vec a = load16(s), b = load16(s + 16), c = load16(s + 32), e = load16(s + 48);

	store_aligned(d, a);
	store_aligned(d + 16, b);
	store_aligned(d + 32, c);
	store_aligned(d + 48, e);
}

/*
 * n > 64 bytes, upwards: memcpy, and memmove when the destination starts
 * below the source.  The first and last 16 bytes are loaded first and stored
 * last; in between, blocks go to aligned destination addresses in increasing
 * order, each read before it is written, so a store only ever overwrites
 * source bytes already read.
 */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	vec head = load16(s), tail = load16(s + n - 16);
	size_t i = 16 - ((uintptr_t)d & 15);	/* d + i is aligned; the head covers below */
	size_t end = n - 16;			/* the tail covers from here */

	for (; i + 64 <= end; i += 64)
		copy_64_to_aligned(d + i, s + i);
	for (; i < end; i += 16)
		store_aligned(d + i, load16(s + i));
	storeu(d, head);
	storeu(d + end, tail);
}

/* n > 64 bytes, downwards, when the destination starts inside the source:
 * copy_forward mirrored, so a store only overwrites source bytes above the
 * ones still to be read. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	vec head = load16(s), tail = load16(s + n - 16);
	/* The highest aligned block at or below the tail; the head covers [0, 16). */
	long i = (long)(((uintptr_t)d + n - 16) & ~(uintptr_t)15) - (long)(uintptr_t)d;

	for (; i > 48; i -= 64)
		copy_64_to_aligned(d + i - 48, s + i - 48);
	for (; i > 0; i -= 16)
		store_aligned(d + i, load16(s + i));
	storeu(d, head);
	storeu(d + n - 16, tail);
}

void *memcpy_sse2(void *dst, const void *src, size_t n)
{
	if (n <= 64)
		copy_small(dst, src, n);
	else
		copy_forward(dst, src, n);
	return dst;
}

/* Upwards unless dst starts inside [src, src+n). */
void *memmove_sse2(void *dst, const void *src, size_t n)
{
	if (n <= 64)
		copy_small(dst, src, n);
	else if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

/*
 * Unaligned blocks at both ends, aligned ones in between.  The long loop
 * counts 64-byte blocks down and moves one pointer: two instructions fewer
 * per 64 bytes than an index compared against the end, which under TCG made
 * 1 MiB fills about 10% faster.
 */
void *memset_sse2(void *dst, int c, size_t n)
{
	unsigned char *d = dst, *p, *end;
	vec v = _mm_set1_epi8((char)c);
	size_t blocks;

	if (n < 16) {
		if (n >= 8) {
			_mm_storel_epi64((vec *)d, v);
			_mm_storel_epi64((vec *)(d + n - 8), v);
		} else {
			set_under_8(d, repeat_byte(c), n);
		}
		return dst;
	}
	end = d + n - 16;			/* the tail block covers from here */
	storeu(d, v);
	storeu(end, v);
	p = (unsigned char *)(((uintptr_t)d + 16) & ~(uintptr_t)15);
	blocks = p < end ? (size_t)(end - p) / 64 : 0;
	for (; blocks > 0; blocks--, p += 64) {
		store_aligned(p, v);
		store_aligned(p + 16, v);
		store_aligned(p + 32, v);
		store_aligned(p + 48, v);
	}
	for (; p < end; p += 16)
		store_aligned(p, v);
	return dst;
}
