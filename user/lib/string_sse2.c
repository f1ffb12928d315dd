/*
 * string_sse2.c - memcpy, memmove, memset, memchr, memcmp, strlen and strcmp
 * sixteen bytes at a time, in SSE2's 128-bit registers: the set string.c
 * chooses when cpuid says the CPU has SSE2.
 *
 * user/user.mk compiles this file alone with -msse2 (the rest of Walnut's
 * user space is -march=i686, which has no SSE), so nothing here may run
 * before string.c has checked cpuid: only string.c calls in.  The kernel
 * saves the XMM registers with the rest of the FPU state (fxsave) on every
 * context switch and around signal handlers.  Also -fno-builtin and
 * -fno-tree-loop-distribute-patterns, as for string_i386.c.
 *
 * Rules every routine keeps:
 *  - Sixteen bytes come in as two 8-byte loads (load16, below), at any
 *    alignment, and only bytes inside [p, p+n) are read; the long loops
 *    store to an aligned destination.
 *  - strlen and memchr read aligned 16-byte blocks, which may hold bytes
 *    before the string or after its end, but never span two pages, so
 *    cannot fault; four blocks at a time only from a 64-byte boundary, for
 *    the same reason.  strcmp reads ahead only within the page it is in
 *    (strimpl.h: fits_in_page).
 *  - Sizes under 16 bytes use strimpl.h's word-sized helpers.
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

/* Bit i set iff byte i of x equals byte i of y. */
static inline unsigned equal_bytes(vec x, vec y)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y));
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

/* Unaligned blocks at both ends, aligned ones in between. */
void *memset_sse2(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	vec v = _mm_set1_epi8((char)c);
	size_t i, end;

	if (n < 16) {
		if (n >= 8) {
			_mm_storel_epi64((vec *)d, v);
			_mm_storel_epi64((vec *)(d + n - 8), v);
		} else {
			set_under_8(d, repeat_byte(c), n);
		}
		return dst;
	}
	storeu(d, v);
	storeu(d + n - 16, v);
	end = n - 16;
	for (i = 16 - ((uintptr_t)d & 15); i + 64 <= end; i += 64) {
		store_aligned(d + i, v);
		store_aligned(d + i + 16, v);
		store_aligned(d + i + 32, v);
		store_aligned(d + i + 48, v);
	}
	for (; i < end; i += 16)
		store_aligned(d + i, v);
	return dst;
}

/* Does any of the 64 bytes at p (64-byte aligned) equal its byte in v? */
static inline int any_equal_64(const unsigned char *p, vec v)
{
	vec a = _mm_cmpeq_epi8(load16(p), v);
	vec b = _mm_cmpeq_epi8(load16(p + 16), v);
	vec c = _mm_cmpeq_epi8(load16(p + 32), v);
	vec d = _mm_cmpeq_epi8(load16(p + 48), v);

	return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0;
}

/* The address of the first match in found (bits for the bytes at p), if it
 * lies within the n bytes that count. */
static inline void *match_within(const unsigned char *p, unsigned found, size_t n)
{
	size_t i = (size_t)__builtin_ctz(found);

	return i < n ? (void *)(p + i) : NULL;
}

/*
 * Aligned blocks from the one holding s: the first is shifted so its bits
 * start at s; a match at or past s+n does not count.  n counts the bytes
 * left from p, so s+n is never computed and cannot wrap.
 */
void *memchr_sse2(const void *s, int c, size_t n)
{
	vec v = _mm_set1_epi8((char)c);
	size_t skip = (uintptr_t)s & 15;
	const unsigned char *p = (const unsigned char *)s - skip;
	unsigned found;

	if (n == 0)
		return NULL;
	found = equal_bytes(load16(p), v) >> skip;
	if (found)
		return match_within(s, found, n);
	if (n <= 16 - skip)
		return NULL;
	n -= 16 - skip;
	for (p += 16;; p += 16, n -= 16) {
		while (n > 64 && ((uintptr_t)p & 63) == 0 && !any_equal_64(p, v)) {
			p += 64;
			n -= 64;
		}
		found = equal_bytes(load16(p), v);
		if (found)
			return match_within(p, found, n);
		if (n <= 16)
			return NULL;
	}
}

/* Are the 64 bytes at x and y all equal?  One movemask for four blocks. */
static inline int equal_64(const unsigned char *x, const unsigned char *y)
{
	vec a = _mm_cmpeq_epi8(load16(x), load16(y));
	vec b = _mm_cmpeq_epi8(load16(x + 16), load16(y + 16));
	vec c = _mm_cmpeq_epi8(load16(x + 32), load16(y + 32));
	vec d = _mm_cmpeq_epi8(load16(x + 48), load16(y + 48));

	return _mm_movemask_epi8(_mm_and_si128(_mm_and_si128(a, b), _mm_and_si128(c, d))) == 0xffff;
}

/*
 * 64 bytes at a time while they are equal, then 16 at a time to find the
 * difference; the last block ends at a+n, overlapping the one before (those
 * bytes were equal, so the first difference is still the first).
 */
int memcmp_sse2(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	unsigned equal;
	size_t i;

	if (n < 16)
		return memcmp_i386(a, b, n);
	for (i = 0; i + 64 <= n && equal_64(x + i, y + i); i += 64)
		;
	for (;; i += 16) {
		if (i > n - 16)
			i = n - 16;
		equal = equal_bytes(load16(x + i), load16(y + i));
		if (equal != 0xffff) {
			i += (size_t)__builtin_ctz(~equal);
			return byte_diff(x + i, y + i);
		}
		if (i == n - 16)
			return 0;
	}
}

/* Is there a zero among the 64 bytes at p (64-byte aligned)?  The smallest
 * byte of the four blocks is zero iff one of them holds a zero. */
static inline int any_zero_64(const char *p)
{
	vec m = _mm_min_epu8(_mm_min_epu8(load16(p), load16(p + 16)),
			     _mm_min_epu8(load16(p + 32), load16(p + 48)));

	return equal_bytes(m, _mm_setzero_si128()) != 0;
}

/* Aligned blocks, as memchr; four at a time from a 64-byte boundary. */
size_t strlen_sse2(const char *s)
{
	vec zero = _mm_setzero_si128();
	size_t skip = (uintptr_t)s & 15;
	const char *p = s - skip;
	unsigned found = equal_bytes(load16(p), zero) >> skip;

	if (found)
		return (size_t)__builtin_ctz(found);
	for (p += 16;; p += 16) {
		while (((uintptr_t)p & 63) == 0 && !any_zero_64(p))
			p += 64;
		found = equal_bytes(load16(p), zero);
		if (found)
			return (size_t)(p - s) + (size_t)__builtin_ctz(found);
	}
}

/* Sixteen bytes of each string while both blocks lie within their pages; a
 * byte at a time across a page's end (strimpl.h: fits_in_page). */
int strcmp_sse2(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	vec zero = _mm_setzero_si128();

	for (;;) {
		if (fits_in_page(x, 16) && fits_in_page(y, 16)) {
			vec vx = load16(x);
			/* stop: the bytes that differ or end the string */
			unsigned stop = (~equal_bytes(vx, load16(y)) | equal_bytes(vx, zero)) & 0xffff;

			if (!stop) {
				x += 16;
				y += 16;
				continue;
			}
			x += __builtin_ctz(stop);
			y += __builtin_ctz(stop);
			return byte_diff(x, y);
		}
		if (*x != *y || !*x)
			return byte_diff(x, y);
		x++;
		y++;
	}
}
