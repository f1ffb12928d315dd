/*
 * strimpl.h - what string.c (the public names and the dispatch),
 * string_i386.c (4 bytes at a time, any i686) and string_sse2.c (16 bytes at
 * a time, only once cpuid has said SSE2) share: each set's entry points, and
 * the small helpers both sets build on.
 *
 * Private to user/lib.
 */
#ifndef WALNUT_STRIMPL_H
#define WALNUT_STRIMPL_H

#include <stddef.h>
#include <stdint.h>

/* One set of routines; string.c calls through the chosen one. */
struct string_impl {
	const char *name;
	void *(*memcpy)(void *, const void *, size_t);
	void *(*memmove)(void *, const void *, size_t);
	void *(*memset)(void *, int, size_t);
	void *(*memchr)(const void *, int, size_t);
	int (*memcmp)(const void *, const void *, size_t);
	size_t (*strlen)(const char *);
	int (*strcmp)(const char *, const char *);
};

#define STRING_IMPL_DECLARE(set)					\
	void *memcpy_##set(void *dst, const void *src, size_t n);	\
	void *memmove_##set(void *dst, const void *src, size_t n);	\
	void *memset_##set(void *dst, int c, size_t n);			\
	void *memchr_##set(const void *s, int c, size_t n);		\
	int memcmp_##set(const void *a, const void *b, size_t n);	\
	size_t strlen_##set(const char *s);				\
	int strcmp_##set(const char *a, const char *b)

/* Both are plain macro arguments only to # and ##, so the compiler's own
 * "i386" macro (1) does not get in the way. */
STRING_IMPL_DECLARE(i386);
STRING_IMPL_DECLARE(sse2);

#define STRING_IMPL(set) { #set, memcpy_##set, memmove_##set, memset_##set, \
	memchr_##set, memcmp_##set, strlen_##set, strcmp_##set }

/* string.c: the test and benchmark hooks (user/tests/libc_string.c). */
int __walnut_string_use(const char *name);
const char *__walnut_string_impl(void);
void __walnut_string_init(char **envp);

/*
 * x86 loads and stores at any alignment, so a word may start anywhere; these
 * types tell gcc so (aligned(1)) and that they may alias anything.
 */
typedef uint16_t __attribute__((aligned(1), may_alias)) str_u16;
typedef uint32_t __attribute__((aligned(1), may_alias)) str_u32;

static inline uint32_t load32(const void *p)
{
	return *(const str_u32 *)p;
}

static inline void store32(void *p, uint32_t v)
{
	*(str_u32 *)p = v;
}

/* Each byte of c, four times over. */
static inline uint32_t repeat_byte(int c)
{
	return (unsigned char)c * 0x01010101u;
}

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

/*
 * Does [p, p+len) lie inside p's page?  A routine that must not read past a
 * terminator (strcmp) may still read ahead this far: no page can end in
 * between, so the extra bytes cannot fault.  4096 is the smallest i386
 * page, so the test holds whatever the page size.
 */
static inline int fits_in_page(const void *p, size_t len)
{
	return ((uintptr_t)p & 4095) <= 4096 - len;
}

/*
 * n < 8 bytes from s to d, for any overlap: every byte is loaded before
 * any is stored, and the two words (or halves) overlap instead of looping.
 */
static inline void copy_under_8(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 4) {
		uint32_t head = load32(s), tail = load32(s + n - 4);

		store32(d, head);
		store32(d + n - 4, tail);
	} else if (n >= 2) {
		uint16_t head = *(const str_u16 *)s, tail = *(const str_u16 *)(s + n - 2);

		*(str_u16 *)d = head;
		*(str_u16 *)(d + n - 2) = tail;
	} else if (n == 1) {
		*d = *s;
	}
}

/* n < 8 bytes of v's low byte at d, the same way. */
static inline void set_under_8(unsigned char *d, uint32_t v, size_t n)
{
	if (n >= 4) {
		store32(d, v);
		store32(d + n - 4, v);
	} else if (n >= 2) {
		*(str_u16 *)d = (uint16_t)v;
		*(str_u16 *)(d + n - 2) = (uint16_t)v;
	} else if (n == 1) {
		*d = (unsigned char)v;
	}
}

/* The sign memcmp and strcmp give: bytes compare as unsigned char. */
static inline int byte_diff(const unsigned char *a, const unsigned char *b)
{
	return (int)*a - (int)*b;
}

#endif /* WALNUT_STRIMPL_H */
