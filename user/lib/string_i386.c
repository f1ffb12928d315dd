/*
 * string_i386.c - Walnut's memchr, memcmp, strlen and strcmp, and the
 * memcpy, memmove and memset that string.c falls back to when cpuid
 * reports no SSE2 (or WALNUT_STRING=i386 asks for them): four bytes at a
 * time, on any i686.
 *
 * No rep-prefixed instruction anywhere: QEMU's TCG runs those one element
 * per step (string.c).  Plain 4-byte loads and stores instead, unrolled four
 * to a loop iteration so that the loop's own instructions cost less.  The
 * scanning routines serve both sets: SSE2 did not beat them under TCG
 * (string_sse2.c).
 *
 * Rules every routine keeps:
 *  - A word may start at any address (x86 allows it; strimpl.h's load32 and
 *    store32 say so to gcc), so only the destination is aligned, for the
 *    long loops.
 *  - Nothing outside [p, p+n) is read, except by strlen and memchr, through
 *    an aligned block holding at least one byte of the object (an aligned
 *    block never spans two pages, so it cannot fault), and by strcmp, within
 *    the page it is in.
 *  - user/user.mk compiles this file with -fno-builtin and
 *    -fno-tree-loop-distribute-patterns: gcc must not turn a loop here back
 *    into a call to memcpy or memset, which would be this file calling itself.
 */
#include <string.h>
#include "strimpl.h"

/* n <= 16 bytes, any overlap: every byte is loaded before any is stored. */
static void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 8) {
		uint32_t a = load32(s), b = load32(s + 4);
		uint32_t y = load32(s + n - 8), z = load32(s + n - 4);

		store32(d, a);
		store32(d + 4, b);
		store32(d + n - 8, y);
		store32(d + n - 4, z);
	} else {
		copy_under_8(d, s, n);
	}
}

/*
 * n > 16 bytes, upwards, for memcpy and for a memmove whose destination
 * starts below its source.  The first and last words are loaded first and
 * stored last; in between, words go to aligned destination addresses in
 * increasing order, each loaded just before it is stored, so a store can
 * only overwrite source bytes already read.
 */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	uint32_t head = load32(s), tail = load32(s + n - 4);
	size_t i = 4 - ((uintptr_t)d & 3);	/* d + i is aligned; the head covers below */
	size_t end = n - 4;			/* the tail covers from here */

	for (; i + 16 <= end; i += 16) {
		store32(d + i, load32(s + i));
		store32(d + i + 4, load32(s + i + 4));
		store32(d + i + 8, load32(s + i + 8));
		store32(d + i + 12, load32(s + i + 12));
	}
	for (; i < end; i += 4)
		store32(d + i, load32(s + i));
	store32(d, head);
	store32(d + end, tail);
}

/*
 * n > 16 bytes, downwards, for a memmove whose destination starts inside
 * its source: copy_forward mirrored, so a store can only overwrite source
 * bytes above the ones still to be read.
 */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	uint32_t head = load32(s), tail = load32(s + n - 4);
	/* The highest aligned word at or below the tail; the head covers [0, 4). */
	long i = (long)(((uintptr_t)d + n - 4) & ~(uintptr_t)3) - (long)(uintptr_t)d;

	for (; i > 12; i -= 16) {
		store32(d + i, load32(s + i));
		store32(d + i - 4, load32(s + i - 4));
		store32(d + i - 8, load32(s + i - 8));
		store32(d + i - 12, load32(s + i - 12));
	}
	for (; i > 0; i -= 4)
		store32(d + i, load32(s + i));
	store32(d, head);
	store32(d + n - 4, tail);
}

void *memcpy_i386(void *dst, const void *src, size_t n)
{
	if (n <= 16)
		copy_small(dst, src, n);
	else
		copy_forward(dst, src, n);
	return dst;
}

/* Upwards unless dst starts inside [src, src+n): then an upward copy would
 * overwrite source bytes before reading them. */
void *memmove_i386(void *dst, const void *src, size_t n)
{
	if (n <= 16)
		copy_small(dst, src, n);
	else if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

/* Unaligned words at both ends, aligned ones in between. */
void *memset_i386(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint32_t v = repeat_byte(c);
	size_t i, end;

	if (n < 8) {
		set_under_8(d, v, n);
		return dst;
	}
	store32(d, v);
	store32(d + n - 4, v);
	end = n - 4;
	for (i = 4 - ((uintptr_t)d & 3); i + 16 <= end; i += 16) {
		store32(d + i, v);
		store32(d + i + 4, v);
		store32(d + i + 8, v);
		store32(d + i + 12, v);
	}
	for (; i < end; i += 4)
		store32(d + i, v);
	return dst;
}

/*
 * The scanning routines test 16 bytes, four words, per loop iteration, and
 * fold the four tests into one branch: under TCG each instruction costs
 * about the same, so fewer branches and loop steps per byte is what counts.
 */

/*
 * Non-zero iff some byte of x is zero.  Taking 1 from each byte sets bit 7
 * of a zero byte (whose bit 7 ~x keeps); 0x01..0x80 keep bit 7 clear, and
 * 0x81..0xff had it set, which ~x removes.  Only a zero byte borrows from
 * the byte above it, so the lowest flagged byte is always a real zero
 * (those above it may be flagged falsely).
 */
static inline uint32_t has_zero_byte(uint32_t x)
{
	return (x - 0x01010101u) & ~x & 0x80808080u;
}

/* The sign memcmp and strcmp give: bytes compare as unsigned char. */
static inline int byte_diff(const unsigned char *a, const unsigned char *b)
{
	return (int)*a - (int)*b;
}

/* Does any of the 16 bytes at p equal the byte repeated in pattern? */
static inline uint32_t match_in_16(const unsigned char *p, uint32_t pattern)
{
	return has_zero_byte(load32(p) ^ pattern) | has_zero_byte(load32(p + 4) ^ pattern) |
	       has_zero_byte(load32(p + 8) ^ pattern) | has_zero_byte(load32(p + 12) ^ pattern);
}

/* Do the 16 bytes at x and y differ anywhere? */
static inline uint32_t differ_in_16(const unsigned char *x, const unsigned char *y)
{
	return (load32(x) ^ load32(y)) | (load32(x + 4) ^ load32(y + 4)) |
	       (load32(x + 8) ^ load32(y + 8)) | (load32(x + 12) ^ load32(y + 12));
}

/* Is there a zero byte among the 16 at p? */
static inline uint32_t zero_in_16(const unsigned char *p)
{
	return has_zero_byte(load32(p)) | has_zero_byte(load32(p + 4)) |
	       has_zero_byte(load32(p + 8)) | has_zero_byte(load32(p + 12));
}

/*
 * Bytes up to a 16-byte boundary, then aligned blocks of 16 while none holds
 * c, then bytes.  n may be larger than the object if c is in it (C lets
 * memchr stop at the match), so a block may run past the object's end, but
 * an aligned block never spans two pages.
 */
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char ch = (unsigned char)c;
	uint32_t pattern = repeat_byte(c);

	for (; n > 0 && ((uintptr_t)p & 15); p++, n--)
		if (*p == ch)
			return (void *)p;
	for (; n >= 16 && !match_in_16(p, pattern); p += 16, n -= 16)
		;
	for (; n > 0; p++, n--)
		if (*p == ch)
			return (void *)p;
	return NULL;
}

/* Blocks of 16 while they are equal, then bytes to find which one differs. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n >= 16 && !differ_in_16(x, y); x += 16, y += 16, n -= 16)
		;
	for (; n > 0; x++, y++, n--)
		if (*x != *y)
			return byte_diff(x, y);
	return 0;
}

/*
 * Bytes up to a 4-byte boundary, words up to a 16-byte one, then aligned
 * 16-byte blocks: those may read past the terminator, but an aligned block
 * never spans two pages.
 */
size_t strlen(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; (uintptr_t)p & 3; p++)
		if (!*p)
			return (size_t)(p - (const unsigned char *)s);
	while (((uintptr_t)p & 15) && !has_zero_byte(load32(p)))
		p += 4;
	if (((uintptr_t)p & 15) == 0)
		while (!zero_in_16(p))
			p += 16;
	while (*p)
		p++;
	return (size_t)(p - (const unsigned char *)s);
}

/* How many bytes from p to the end of its page. */
static inline size_t room_in_page(const void *p)
{
	return 4096 - ((uintptr_t)p & 4095);
}

/*
 * Blocks of 16 while they are equal and hold no terminator, as far as both
 * strings' pages allow: the loads may read past a terminator, never into a
 * page that may not exist.  Then up to 16 bytes one at a time, which finds
 * where the block differed or ended, or steps across a page's end.
 */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (;;) {
		size_t room = room_in_page(x) < room_in_page(y) ? room_in_page(x) : room_in_page(y);

		for (; room >= 16 && !(differ_in_16(x, y) | zero_in_16(x)); room -= 16) {
			x += 16;
			y += 16;
		}
		for (int i = 0; i < 16; i++, x++, y++)
			if (*x != *y || !*x)
				return byte_diff(x, y);
	}
}
