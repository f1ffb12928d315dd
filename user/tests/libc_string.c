/*
 * libc_string - the C library's memcpy, memmove, memset, memchr, memcmp,
 * strlen and strcmp, each against a byte-at-a-time reference: every
 * alignment (0..15 of each of two pointers, 0..31 of one) with every length
 * up to MAX_LEN, a few large lengths, overlapping memmove both ways, bytes
 * >= 0x80 (which compare as unsigned char), and objects that end right
 * before, or start right after, a page that is not mapped: a routine may
 * read ahead, but never into another page.  Guard bytes around every
 * destination must come out unchanged.  A fault is reported as a FAIL of
 * the check that was running.
 *
 * The references never copy: a buffer holds a pattern that is a function of
 * each byte's position (fill_pattern), so the expected contents after a copy
 * are computed, not copied, and gcc cannot turn a reference loop into a call
 * to the routine under test.
 *
 * On Walnut the library has two sets of copying routines (user/lib/string.c):
 * the checks run with the set chosen at start-up (SSE2 on QEMU's CPU), then
 * again with the 32-bit set forced through the library's test hook, and a
 * child started with WALNUT_STRING=i386 shows that the variable forces it
 * at start-up.  On Linux, glibc's routines run once, as set "glibc".
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "testlib.h"

#ifdef __walnut__
#include <cpuid.h>
int __walnut_string_use(const char *name);
const char *__walnut_string_impl(void);
#endif

enum {
	ALIGNS = 32,		/* alignments 0..31 of a single pointer */
	PAIR_ALIGNS = 16,	/* 0..15 of each of two: every case mod 16, all the
				   routines depend on; 32 took 4 times as long */
	MAX_LEN = 300,		/* every length up to this */
	GUARD = 48,		/* checked bytes either side of a destination */
	BUF = 1024,		/* holds 2 * GUARD + ALIGNS + MAX_LEN + memmove's shifts */
	PAGE = 4096,
};

static const char *set = "glibc";	/* which routines: part of every test name */

/* One check's verdict: how many cases failed, and what the first was. */
struct verdict {
	char name[96];
	long bad;
	char first[200];
};

static void begin(struct verdict *v, const char *what)
{
	snprintf(v->name, sizeof(v->name), "libc_string_%s_%s", set, what);
	v->bad = 0;
	v->first[0] = '\0';
}

static void bad_case(struct verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void bad_case(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->bad++ == 0) {
		va_start(ap, fmt);
		vsnprintf(v->first, sizeof(v->first), fmt, ap);
		va_end(ap);
	}
}

static void finish(struct verdict *v)
{
	check(v->name, v->bad == 0, "%ld bad cases; first: %s", v->bad, v->first);
}

/* The byte at position k of a "source" buffer: every value, and a shifted
 * copy never matches itself (no period of 16, 64 or 256). */
static unsigned char src_byte(size_t k)
{
	return (unsigned char)(k * 7 + (k >> 8) * 29 + 3);
}

/* The byte at position k of a "destination" buffer before the call. */
static unsigned char dst_byte(size_t k)
{
	return (unsigned char)(k * 11 + (k >> 8) * 5 + 0x5a);
}

static void fill_pattern(unsigned char *buf, size_t from, size_t to,
			 unsigned char (*byte)(size_t))
{
	for (size_t k = from; k < to; k++)
		buf[k] = byte(k);
}

/* buf[from, to) must hold byte(k - shift) in [lo, hi) and guard(k) elsewhere;
 * returns the first position that does not, or -1. */
static long first_wrong(const unsigned char *buf, size_t from, size_t to, size_t lo, size_t hi,
			unsigned char (*byte)(size_t), long shift, unsigned char (*guard)(size_t))
{
	for (size_t k = from; k < to; k++) {
		unsigned char want = k >= lo && k < hi ? byte((size_t)((long)k - shift)) : guard(k);

		if (buf[k] != want)
			return (long)k;
	}
	return -1;
}

/* ---- what the SIGSEGV handler reports, should a routine read too far ---- */

static const char *volatile running = "setup";

static void on_segv(int sig)
{
	char line[160];

	(void)sig;
	snprintf(line, sizeof(line), "TEST %s FAIL fault (SIGSEGV): read or wrote past the object\n",
		 running);
	tl_put_line(line);
	_exit(1);
}

/* ---- memcpy and memmove without overlap ---- */

/* 64-byte aligned, so an offset's value mod 64 is its address's: failures
 * say "dst%64=...". */
static unsigned char src_buf[BUF] __attribute__((aligned(64)));
static unsigned char dst_buf[BUF] __attribute__((aligned(64)));

/* One call: copies len bytes between the given offsets of src_buf and
 * dst_buf, then checks the result, the guards, and the return value. */
static void copy_one(struct verdict *v, void *(*copy)(void *, const void *, size_t),
		     size_t so, size_t dof, size_t len)
{
	long wrong;
	void *ret = copy(dst_buf + dof, src_buf + so, len);

	wrong = first_wrong(dst_buf, dof - GUARD, dof + len + GUARD, dof, dof + len,
			    src_byte, (long)dof - (long)so, dst_byte);
	if (ret != dst_buf + dof || wrong >= 0)
		bad_case(v, "src%%64=%zu dst%%64=%zu len %zu: %s at dst[%ld]", so % 64, dof % 64, len,
			 ret != dst_buf + dof ? "wrong return" : "wrong byte", wrong - (long)dof);
	fill_pattern(dst_buf, dof, dof + len, dst_byte);
}

static void check_copy_alignments(const char *what, void *(*copy)(void *, const void *, size_t))
{
	struct verdict v;

	begin(&v, what);
	running = v.name;
	fill_pattern(src_buf, 0, BUF, src_byte);
	fill_pattern(dst_buf, 0, BUF, dst_byte);
	for (size_t sa = 0; sa < PAIR_ALIGNS; sa++) {
		for (size_t da = 0; da < PAIR_ALIGNS; da++) {
			for (size_t len = 0; len <= MAX_LEN; len++)
				copy_one(&v, copy, GUARD + sa, GUARD + da, len);
			/* A stray store beyond the guards would still be here. */
			if (first_wrong(dst_buf, 0, BUF, 0, 0, NULL, 0, dst_byte) >= 0)
				bad_case(&v, "src%%64=%zu dst%%64=%zu: a byte outside the guards changed",
					 (GUARD + sa) % 64, (GUARD + da) % 64);
		}
	}
	finish(&v);
}

/* Large copies between malloc'd buffers, at a few alignments. */
static void check_copy_large(const char *what, void *(*copy)(void *, const void *, size_t))
{
	static const size_t lens[] = { 4096 + 7, 65536 + 3, 1 << 20 };
	static const size_t offs[][2] = { { 0, 0 }, { 1, 3 }, { 15, 2 }, { 8, 40 } };
	size_t max = (1 << 20) + 64 + 2 * GUARD;
	unsigned char *s = malloc(max), *d = malloc(max);
	struct verdict v;

	begin(&v, what);
	running = v.name;
	if (!s || !d) {
		bad_case(&v, "malloc failed");
	} else {
		fill_pattern(s, 0, max, src_byte);
		fill_pattern(d, 0, max, dst_byte);
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			for (size_t j = 0; j < sizeof(offs) / sizeof(offs[0]); j++) {
				size_t so = GUARD + offs[j][0], dof = GUARD + offs[j][1];
				long wrong;

				if (lens[i] > 65536 && j >= 2)
					break;		/* two are enough at 1 MiB */
				copy(d + dof, s + so, lens[i]);
				wrong = first_wrong(d, dof - GUARD, dof + lens[i] + GUARD, dof,
						    dof + lens[i], src_byte, (long)dof - (long)so,
						    dst_byte);
				if (wrong >= 0)
					bad_case(&v, "len %zu src+%zu dst+%zu: wrong byte at %ld",
						 lens[i], offs[j][0], offs[j][1], wrong - (long)dof);
				fill_pattern(d, dof, dof + lens[i], dst_byte);
			}
		}
	}
	free(s);
	free(d);
	finish(&v);
}

/* ---- memmove with overlap ---- */

/* Distances between source and destination, both ways: within one 16-byte
 * block, around one, and around a 64-byte loop step. */
static const long shifts[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100 };

/* memmove(buf + dof, buf + dof - shift, len) inside src_buf: the bytes
 * [dof, dof+len) must be the source's, the rest of the buffer untouched. */
static void move_one(struct verdict *v, size_t dof, long shift, size_t len)
{
	size_t so = (size_t)((long)dof - shift);
	long wrong;
	void *ret = memmove(src_buf + dof, src_buf + so, len);

	wrong = first_wrong(src_buf, (so < dof ? so : dof) - GUARD / 2,
			    (so > dof ? so : dof) + len + GUARD / 2, dof, dof + len, src_byte, shift,
			    src_byte);
	if (ret != src_buf + dof || wrong >= 0)
		bad_case(v, "dst%%64=%zu shift %ld len %zu: %s at dst[%ld]", dof % 64, shift, len,
			 ret != src_buf + dof ? "wrong return" : "wrong byte", wrong - (long)dof);
	fill_pattern(src_buf, dof, dof + len, src_byte);
}

static void check_memmove_overlap(void)
{
	struct verdict v;

	begin(&v, "memmove_overlap_both_ways");
	running = v.name;
	fill_pattern(src_buf, 0, BUF, src_byte);
	for (size_t da = 0; da < PAIR_ALIGNS; da++) {
		for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
			for (size_t len = 0; len <= MAX_LEN / 2; len++) {
				size_t dof = GUARD + 100 + da;

				move_one(&v, dof, shifts[i], len);	/* dst above: backwards */
				move_one(&v, dof, -shifts[i], len);	/* dst below: forwards */
			}
		}
	}
	for (size_t len = MAX_LEN / 2; len <= MAX_LEN; len += 7)
		for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++)
			move_one(&v, GUARD + 100 + len % 16, len % 2 ? shifts[i] : -shifts[i], len);
	move_one(&v, GUARD + 5, 0, 200);			/* onto itself */
	if (first_wrong(src_buf, 0, BUF, 0, 0, NULL, 0, src_byte) >= 0)
		bad_case(&v, "a byte outside the moved ranges changed");
	finish(&v);
}

/* A 64 KiB block moved by a few bytes, both ways, through the long loops. */
static void check_memmove_large(void)
{
	size_t len = 65536 + 5, max = len + 256;
	unsigned char *b = malloc(max);
	struct verdict v;

	begin(&v, "memmove_overlap_64k");
	running = v.name;
	if (!b) {
		bad_case(&v, "malloc failed");
	} else {
		for (long shift = -70; shift <= 70; shift += 23) {
			long wrong;

			fill_pattern(b, 0, max, src_byte);
			memmove(b + 100 + shift, b + 100, len);
			wrong = first_wrong(b, 0, max, (size_t)(100 + shift), (size_t)(100 + shift) + len,
					    src_byte, shift, src_byte);
			if (wrong >= 0)
				bad_case(&v, "shift %ld: wrong byte at %ld", shift, wrong);
		}
	}
	free(b);
	finish(&v);
}

/* ---- memset ---- */

/* 0x80 and 0xff catch a sign-extended byte; 0x1ab must store 0xab. */
static const int fill_values[] = { 0, 0x80, 0xff, 0x1ab, 'x', -1 };

static unsigned char fill_value;

static unsigned char fill_byte(size_t k)
{
	(void)k;
	return fill_value;
}

static void set_one(struct verdict *v, size_t dof, size_t len, int c)
{
	long wrong;
	void *ret;

	fill_value = (unsigned char)c;
	ret = memset(dst_buf + dof, c, len);
	wrong = first_wrong(dst_buf, dof - GUARD, dof + len + GUARD, dof, dof + len, fill_byte, 0,
			    dst_byte);
	if (ret != dst_buf + dof || wrong >= 0)
		bad_case(v, "dst%%64=%zu len %zu c %#x: %s at dst[%ld]", dof % 64, len, c,
			 ret != dst_buf + dof ? "wrong return" : "wrong byte", wrong - (long)dof);
	fill_pattern(dst_buf, dof, dof + len, dst_byte);
}

static void check_memset(void)
{
	size_t nvalues = sizeof(fill_values) / sizeof(fill_values[0]);
	size_t max = (1 << 20) + 2 * GUARD + 16;
	unsigned char *big = malloc(max);
	struct verdict v;

	begin(&v, "memset");
	running = v.name;
	fill_pattern(dst_buf, 0, BUF, dst_byte);
	for (size_t da = 0; da < ALIGNS; da++)
		for (size_t len = 0; len <= MAX_LEN; len++)
			set_one(&v, GUARD + da, len, fill_values[(da + len) % nvalues]);
	if (first_wrong(dst_buf, 0, BUF, 0, 0, NULL, 0, dst_byte) >= 0)
		bad_case(&v, "a byte outside the guards changed");
	if (big) {
		fill_pattern(big, 0, max, dst_byte);
		fill_value = 0x80;
		memset(big + GUARD + 3, 0x80, 1 << 20);
		if (first_wrong(big, 0, max, GUARD + 3, GUARD + 3 + (1 << 20), fill_byte, 0,
				dst_byte) >= 0)
			bad_case(&v, "1 MiB at +3: wrong byte");
	}
	free(big);
	finish(&v);
}

/* ---- memcmp ---- */

/* The sign of memcmp's or strcmp's result, and the one expected. */
static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static int want_sign(unsigned char a, unsigned char b)
{
	return (a > b) - (a < b);
}

static unsigned char *cmp_a = src_buf, *cmp_b = dst_buf;

/* A position that, modulo a length, lands all over it as the alignments
 * vary: where the comparisons put their difference. */
static size_t spread(size_t sa, size_t da)
{
	return (sa * PAIR_ALIGNS + da) * 7;
}

/*
 * a[0, len) and b[0, len) hold the same bytes.  Equal, then one byte changed
 * at p so that a signed comparison would get the sign wrong, with a later
 * byte differing the other way (the first difference decides).
 */
static void compare_one(struct verdict *v, const unsigned char *a, unsigned char *b,
			size_t len, size_t p)
{
	unsigned char keep = b[p], keep_next = p + 1 < len ? b[p + 1] : 0;
	int r;

	if ((r = memcmp(a, b, len)) != 0)
		bad_case(v, "len %zu: equal bytes gave %d", len, r);
	if (len == 0)
		return;
	b[p] = (unsigned char)(a[p] ^ 0x80);
	if (p + 1 < len)
		b[p + 1] = (unsigned char)(a[p + 1] ^ 0x80 ^ 0x01);
	r = memcmp(a, b, len);
	if (sign(r) != want_sign(a[p], b[p]))
		bad_case(v, "len %zu, first difference at %zu (%#x vs %#x): gave %d",
			 len, p, a[p], b[p], r);
	b[p] = keep;
	if (p + 1 < len)
		b[p + 1] = keep_next;
}

static void check_memcmp(void)
{
	struct verdict v;

	begin(&v, "memcmp");
	running = v.name;
	for (size_t sa = 0; sa < PAIR_ALIGNS; sa++) {
		for (size_t da = 0; da < PAIR_ALIGNS; da++) {
			unsigned char *a = cmp_a + GUARD + sa, *b = cmp_b + GUARD + da;

			fill_pattern(a, 0, MAX_LEN + 1, src_byte);
			fill_pattern(b, 0, MAX_LEN + 1, src_byte);
			for (size_t len = 0; len <= MAX_LEN; len++) {
				compare_one(&v, a, b, len, len ? len - 1 : 0);
				compare_one(&v, a, b, len, len ? spread(sa, da) % len : 0);
			}
		}
	}
	finish(&v);
}

/* ---- memchr and strlen ---- */

/* Background bytes that are never c: every other value, in turn. */
static unsigned char not_c(int c, size_t k)
{
	return (unsigned char)(c + 1 + (int)(k % 255));
}

static void fill_without(unsigned char *p, size_t n, int c)
{
	for (size_t k = 0; k < n; k++)
		p[k] = not_c(c, k);
}

/* c at p[at]: found with n = at + 1 and with n much larger, not found with
 * n = at; and a later copy of c changes nothing. */
static void find_one(struct verdict *v, unsigned char *p, size_t at, int c)
{
	void *r1, *r2, *r3;

	p[at] = (unsigned char)c;
	p[at + 3] = (unsigned char)c;
	r1 = memchr(p, c, at + 1);
	r2 = memchr(p, c, at + 100);
	r3 = memchr(p, c, at);
	if (r1 != p + at || r2 != p + at || r3 != NULL)
		bad_case(v, "s%%64=%zu c %#x at %zu: found %ld, %ld, %ld", (size_t)((uintptr_t)p % 64), c,
			 at, r1 ? (long)((unsigned char *)r1 - p) : -1L,
			 r2 ? (long)((unsigned char *)r2 - p) : -1L,
			 r3 ? (long)((unsigned char *)r3 - p) : -1L);
	p[at] = not_c(c, at);
	p[at + 3] = not_c(c, at + 3);
}

static void check_memchr(void)
{
	static const int targets[] = { 0, 0x80, 0xff, 'x', 0x100 | 'y', -1 };
	size_t ntargets = sizeof(targets) / sizeof(targets[0]);
	struct verdict v;

	begin(&v, "memchr");
	running = v.name;
	for (size_t t = 0; t < ntargets; t++) {
		for (size_t a = 0; a < ALIGNS; a++) {
			unsigned char *p = src_buf + GUARD + a;

			fill_without(p, MAX_LEN + 104, targets[t]);
			if (memchr(p, targets[t], MAX_LEN + 100) != NULL)
				bad_case(&v, "s%%64=%zu: %#x found where it is not", (GUARD + a) % 64,
					 targets[t]);
			for (size_t at = 0; at <= MAX_LEN; at += t == 0 ? 1 : 3)
				find_one(&v, p, at, targets[t]);
		}
	}
	finish(&v);
}

static void check_strlen(void)
{
	struct verdict v;
	size_t n;

	begin(&v, "strlen");
	running = v.name;
	for (size_t a = 0; a < ALIGNS; a++) {
		char *s = (char *)src_buf + GUARD + a;

		fill_without((unsigned char *)s, MAX_LEN + 64, 0);
		for (size_t len = 0; len <= MAX_LEN; len++) {
			s[len] = '\0';
			if ((n = strlen(s)) != len)
				bad_case(&v, "s%%64=%zu len %zu: gave %zu", (GUARD + a) % 64, len, n);
			s[len] = (char)not_c(0, len);
		}
	}
	finish(&v);
}

/* ---- strcmp ---- */

/*
 * a and b hold the same len non-zero bytes, then a terminator: equal both
 * ways; then b's byte p raised by 0x80 (signedness), and b cut short at p.
 */
static void strcmp_one(struct verdict *v, char *a, char *b, size_t len, size_t p)
{
	char keep = b[p];
	int r;

	a[len] = b[len] = '\0';
	if (strcmp(a, b) != 0 || strcmp(b, a) != 0)
		bad_case(v, "len %zu: equal strings differ", len);
	if (p < len) {
		b[p] = (char)((unsigned char)a[p] ^ 0x80);
		if (!b[p])
			b[p] = 1;
		r = strcmp(a, b);
		if (sign(r) != want_sign((unsigned char)a[p], (unsigned char)b[p]))
			bad_case(v, "len %zu, differ at %zu (%#x vs %#x): gave %d", len, p,
				 (unsigned char)a[p], (unsigned char)b[p], r);
		b[p] = '\0';
		if (strcmp(a, b) <= 0 || strcmp(b, a) >= 0)
			bad_case(v, "len %zu: a prefix ending at %zu is not smaller", len, p);
		b[p] = keep;
	}
	a[len] = (char)not_c(0, len);
	b[len] = (char)not_c(0, len);
}

static void check_strcmp(void)
{
	struct verdict v;

	begin(&v, "strcmp");
	running = v.name;
	for (size_t sa = 0; sa < PAIR_ALIGNS; sa++) {
		for (size_t da = 0; da < PAIR_ALIGNS; da++) {
			char *a = (char *)cmp_a + GUARD + sa, *b = (char *)cmp_b + GUARD + da;

			fill_without((unsigned char *)a, MAX_LEN + 1, 0);
			fill_without((unsigned char *)b, MAX_LEN + 1, 0);
			for (size_t len = 0; len <= MAX_LEN; len++)
				strcmp_one(&v, a, b, len, spread(sa, da) % (len + 1));
		}
	}
	finish(&v);
}

/* ---- objects next to a page that is not mapped ---- */

/* Three pages, the outer two PROT_NONE; returns the middle one. */
static unsigned char *fenced_page(void)
{
	unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p, PAGE, PROT_NONE) != 0 || mprotect(p + 2 * PAGE, PAGE, PROT_NONE) != 0) {
		munmap(p, 3 * PAGE);
		return NULL;
	}
	return p + PAGE;
}

/* memcpy, memmove and memset of n bytes that end at a page's end, and of n
 * that start at a page's beginning: they must not fault, and must work. */
static void fenced_copies(struct verdict *v, unsigned char *x, unsigned char *y, size_t n)
{
	unsigned char *x_end = x + PAGE - n, *y_end = y + PAGE - n;

	memcpy(y_end, x_end, n);
	memcpy(y, x, n);
	if (n && (y_end[n - 1] != x_end[n - 1] || y[0] != x[0]))
		bad_case(v, "memcpy of %zu at a page edge", n);
	memmove(x_end, x_end - 3, n);		/* upwards: destination ends at the edge */
	memmove(x, x + 3, n);			/* downwards: destination starts at the edge */
	memmove(x + 3, x, n);			/* upwards from the page's first byte */
	memmove(x_end - 3, x_end, n);		/* downwards from the page's last byte */
	memset(y_end, 0x80, n);
	memset(y, 0xff, n);
	if (n && (y_end[n - 1] != 0x80 || y[0] != 0xff))
		bad_case(v, "memset of %zu at a page edge", n);
}

/*
 * The scanning routines on n bytes that end at a page's end: s at the end
 * of x, a copy t at the end of y, another u at z's start.  First with no
 * zero byte at all (a search must stop at the page's end), then as a string
 * whose terminator is the page's last byte.
 */
static void fenced_scans(struct verdict *v, unsigned char *x, unsigned char *y, unsigned char *z,
			 size_t n)
{
	char *s = (char *)x + PAGE - n, *t = (char *)y + PAGE - n, *u = (char *)z;

	fill_without((unsigned char *)s, n, 0);
	for (size_t k = 0; k < n; k++)
		t[k] = u[k] = s[k];
	if (memchr(s, 0, n) != NULL || memcmp(s, t, n) != 0 || memcmp(u, s, n) != 0)
		bad_case(v, "memchr/memcmp of %zu up to a page edge", n);
	if (n == 0)
		return;
	s[n - 1] = t[n - 1] = u[n - 1] = '\0';
	if (strlen(s) != n - 1 || strlen(t) != n - 1 || strlen(u) != n - 1)
		bad_case(v, "strlen of %zu at a page edge", n - 1);
	if (memchr(s, 0, n) != s + n - 1 || memchr(s, 0, n + PAGE) != s + n - 1 ||
	    memchr(u, 0, n) != u + n - 1)
		bad_case(v, "memchr finding the last byte of a page, %zu", n);
	if (strcmp(s, t) != 0 || strcmp(t, s) != 0 || strcmp(s, u) != 0 || strcmp(u, t) != 0)
		bad_case(v, "strcmp of %zu at a page edge", n);
	if (n > 1) {
		int want;

		t[n - 2] = (char)((unsigned char)t[n - 2] ^ 0x80);
		want = want_sign((unsigned char)s[n - 2], (unsigned char)t[n - 2]);
		if (sign(strcmp(s, t)) != want || sign(memcmp(s, t, n)) != want)
			bad_case(v, "strcmp/memcmp: last byte differs, %zu at a page edge", n);
	}
}

static void check_page_edges(void)
{
	unsigned char *x = fenced_page(), *y = fenced_page(), *z = fenced_page();
	struct verdict v;

	begin(&v, "page_edges");
	running = v.name;
	if (!x || !y || !z) {
		bad_case(&v, "mmap/mprotect: %s", strerror(errno));
	} else {
		fill_pattern(x, 0, PAGE, src_byte);
		for (size_t n = 0; n <= 200; n++)
			fenced_copies(&v, x, y, n);
		for (size_t n = 0; n <= 200; n++)
			fenced_scans(&v, x, y, z, n);
		for (size_t n = 1000; n <= PAGE; n += 1031)
			fenced_scans(&v, x, y, z, n);
	}
	if (x)
		munmap(x - PAGE, 3 * PAGE);
	if (y)
		munmap(y - PAGE, 3 * PAGE);
	if (z)
		munmap(z - PAGE, 3 * PAGE);
	finish(&v);
}

/* ---- long strings ---- */

static void check_long_strings(void)
{
	size_t len = 100000 + 7;
	char *a = malloc(len + 1), *b = malloc(len + 1);
	struct verdict v;

	begin(&v, "long_strings");
	running = v.name;
	if (!a || !b) {
		bad_case(&v, "malloc failed");
	} else {
		fill_without((unsigned char *)a, len, 0);
		fill_without((unsigned char *)b, len, 0);
		a[len] = b[len] = '\0';
		if (strlen(a) != len || strcmp(a, b) != 0 || memcmp(a, b, len) != 0 ||
		    memchr(a, 0, len + 1) != a + len)
			bad_case(&v, "100 KiB strings: wrong length or comparison");
		b[len - 1] = (char)0xff;
		if (strcmp(a, b) >= 0 || memcmp(b, a, len) <= 0)
			bad_case(&v, "100 KiB strings differing in the last byte");
	}
	free(a);
	free(b);
	finish(&v);
}

static void run_all(void)
{
	check_copy_alignments("memcpy_alignments", memcpy);
	check_copy_alignments("memmove_alignments", memmove);
	check_copy_large("memcpy_large", memcpy);
	check_copy_large("memmove_large", memmove);
	check_memmove_overlap();
	check_memmove_large();
	check_memset();
	check_memcmp();
	check_memchr();
	check_strlen();
	check_strcmp();
	check_page_edges();
	check_long_strings();
}

#ifdef __walnut__

/* The set a child started with WALNUT_STRING=i386 runs with. */
static void check_env_forces_i386(const char *self)
{
	char *argv[] = { (char *)self, "--print-string-impl", NULL };
	char *envp[] = { "WALNUT_STRING=i386", NULL };
	char got[32] = "";
	int fds[2];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		check_errno("libc_string_env_forces_i386", 0, "pipe/fork");
		return;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		execve(self, argv, envp);
		_exit(127);
	}
	close(fds[1]);
	n = read_full(fds[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	check("libc_string_env_forces_i386", strcmp(got, "i386\n") == 0,
	      "WALNUT_STRING=i386 ran set \"%s\"", got);
	expect_exit("libc_string_env_child_exits", pid, 0);
}

/* Start-up chose SSE2 exactly when cpuid has it; both sets then run. */
static void run_both_sets(const char *self)
{
	unsigned eax, ebx, ecx, edx;
	int sse2 = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (edx & bit_SSE2);
	const char *chosen = __walnut_string_impl();

	check("libc_string_startup_follows_cpuid", strcmp(chosen, sse2 ? "sse2" : "i386") == 0,
	      "cpuid %s SSE2, start-up chose \"%s\"", sse2 ? "has" : "lacks", chosen);
	expect_errno("libc_string_use_unknown_set_einval", __walnut_string_use("avx512"), EINVAL);
	check_env_forces_i386(self);
	set = chosen;
	run_all();
	if (strcmp(chosen, "i386") != 0) {
		check("libc_string_use_i386", __walnut_string_use("i386") == 0, "hook refused");
		set = __walnut_string_impl();
		run_all();
		__walnut_string_use(chosen);
	}
}

#endif

int main(int argc, char **argv)
{
	signal(SIGSEGV, on_segv);
#ifdef __walnut__
	if (argc > 1 && strcmp(argv[1], "--print-string-impl") == 0) {
		printf("%s\n", __walnut_string_impl());
		return 0;
	}
	run_both_sets(argv[0]);
#else
	(void)argc;
	(void)argv;
	run_all();
#endif
	return test_exit_code();
}
