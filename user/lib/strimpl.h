/*
 * strimpl.h - what string.c (the public names and the dispatch),
 * string_i386.c (4 bytes at a time, any i686) and string_sse2.c (16 bytes at
 * a time, only once cpuid has said SSE2) share: the two sets of copying
 * routines, and the small helpers both build on.
 *
 * Private to user/lib.
 */
#ifndef WALNUT_STRIMPL_H
#define WALNUT_STRIMPL_H

#include <stddef.h>
#include <stdint.h>

/* One set of copying routines; string.c calls through the chosen one. */
struct string_impl {
	const char *name;
	void *(*memcpy)(void *, const void *, size_t);
	void *(*memmove)(void *, const void *, size_t);
	void *(*memset)(void *, int, size_t);
};

void *memcpy_i386(void *dst, const void *src, size_t n);
void *memmove_i386(void *dst, const void *src, size_t n);
void *memset_i386(void *dst, int c, size_t n);
void *memcpy_sse2(void *dst, const void *src, size_t n);
void *memmove_sse2(void *dst, const void *src, size_t n);
void *memset_sse2(void *dst, int c, size_t n);

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

#endif /* WALNUT_STRIMPL_H */
