/*
 * tests/vsprintf_test.c - host unit tests of kernel/vsprintf.c.
 *
 * Walnut's snprintf is linked into this program under its C name, so every
 * call here reaches it -- but gcc knows snprintf and may work out a call's
 * result at compile time.  Calls therefore go through a volatile function
 * pointer, which gcc cannot see through.  The C library's vsnprintf, the
 * reference for standard formats, is found with dlsym(RTLD_NEXT).
 *
 * Where C defines a format, Walnut must agree with the C library
 * (EXPECT_LIKE_LIBC and the sweeps); where Walnut defines its own (%p, a
 * NULL string, an unknown conversion) the expected text is spelled out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <sys/types.h>

#include <hosttest.h>
#include <kernel.h>
#include <string.h>

typedef int vsnprintf_fn(char *buf, size_t size, const char *fmt, va_list ap);

static vsnprintf_fn *volatile walnut_vsnprintf = vsnprintf;
static vsnprintf_fn *libc_vsnprintf;

static int wsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = walnut_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Both printfs on the same arguments; false (and why, in why) if they differ. */
static bool same_as_libc(char *why, size_t why_size, const char *fmt, ...)
{
	char w[256], c[256];
	va_list ap, ap2;
	int nw, nc;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	nw = walnut_vsnprintf(w, sizeof(w), fmt, ap);
	nc = libc_vsnprintf(c, sizeof(c), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (nw == nc && strcmp(w, c) == 0)
		return true;
	wsnprintf(why, why_size, "format \"%s\": walnut \"%s\" (%d), libc \"%s\" (%d)",
		  fmt, w, nw, c, nc);
	return false;
}

static char why[512];

#define EXPECT_LIKE_LIBC(...)						\
	do {								\
		if (!same_as_libc(why, sizeof(why), __VA_ARGS__)) {	\
			host_failf(__FILE__, __LINE__, "%s", why);	\
			return;						\
		}							\
	} while (0)

/* Walnut's output is exactly want, and the return value its length. */
#define EXPECT_FMT(want, ...)						\
	do {								\
		char b_[256];						\
		int n_ = wsnprintf(b_, sizeof(b_), __VA_ARGS__);	\
									\
		if (strcmp(b_, want) != 0 || n_ != (int)strlen(want)) { \
			host_failf(__FILE__, __LINE__,			\
				   "%s: got \"%s\" (%d), want \"%s\"",	\
				   #__VA_ARGS__, b_, n_, want);		\
			return;						\
		}							\
	} while (0)

static void host_vsprintf_literal_and_percent(void)
{
	EXPECT_FMT("", "");
	EXPECT_FMT("plain text", "plain text");
	EXPECT_FMT("100%", "100%%");
	EXPECT_FMT("%%", "%%%%");
	EXPECT_FMT("a%b", "a%%b");
}

static void host_vsprintf_decimal(void)
{
	EXPECT_FMT("0", "%d", 0);
	EXPECT_FMT("-1", "%d", -1);
	EXPECT_FMT("2147483647", "%d", INT_MAX);
	EXPECT_FMT("-2147483648", "%d", INT_MIN);
	EXPECT_FMT("-7", "%i", -7);
	EXPECT_FMT("0", "%u", 0u);
	EXPECT_FMT("4294967295", "%u", UINT_MAX);
	EXPECT_FMT("x=12,y=-3", "x=%d,y=%i", 12, -3);
}

static void host_vsprintf_hex_octal(void)
{
	EXPECT_FMT("deadbeef", "%x", 0xdeadbeefu);
	EXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefu);
	EXPECT_FMT("0", "%x", 0u);
	EXPECT_FMT("ffffffff", "%x", UINT_MAX);
	EXPECT_FMT("10", "%o", 8u);
	EXPECT_FMT("0", "%o", 0u);
	EXPECT_FMT("37777777777", "%o", UINT_MAX);
}

static void host_vsprintf_flags_and_width(void)
{
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("00042", "%05d", 42);
	EXPECT_FMT("-0042", "%05d", -42);
	EXPECT_FMT("+5", "%+d", 5);
	EXPECT_FMT(" 5", "% d", 5);
	EXPECT_FMT("+5", "%+ d", 5);		/* '+' wins over ' ' */
	EXPECT_FMT("-5", "% d", -5);
	EXPECT_FMT("42   ", "%-05d", 42);	/* '-' wins over '0' */
	EXPECT_FMT("   +7", "%+5d", 7);
	EXPECT_FMT("+0007", "%+05d", 7);
	EXPECT_FMT("123456", "%3d", 123456);	/* width is a minimum */
	EXPECT_FMT("0000ff", "%06x", 0xffu);
}

static void host_vsprintf_star_width(void)
{
	EXPECT_FMT("   42", "%*d", 5, 42);
	EXPECT_FMT("42   |", "%-*d|", 5, 42);
	EXPECT_FMT("  abc", "%*s", 5, "abc");
	EXPECT_FMT("abc", "%*s", 0, "abc");
}

/* Regression: C99 7.19.6.1: a negative '*' width is a '-' flag and a width. */
static void host_vsprintf_negative_star_width(void)
{
	EXPECT_FMT("42   |", "%*d|", -5, 42);
	EXPECT_FMT("abc  |", "%*s|", -5, "abc");
	EXPECT_LIKE_LIBC("%*x|", -6, 0xabu);
}

static void host_vsprintf_string_precision(void)
{
	static const char not_terminated[3] = { 'a', 'b', 'c' };

	EXPECT_FMT("abc", "%s", "abc");
	EXPECT_FMT("abc", "%.3s", "abcdef");
	EXPECT_FMT("", "%.0s", "abcdef");
	EXPECT_FMT("ab", "%.*s", 2, "abcdef");
	EXPECT_FMT("abc", "%.*s", -1, "abc");	/* negative: no precision */
	EXPECT_FMT("     abc", "%8.3s", "abcdef");
	EXPECT_FMT("abc     |", "%-8.3s|", "abcdef");
	EXPECT_FMT("abc", "%.10s", "abc");
	/* A precision bounds the read: ASan would see a read past [3]. */
	EXPECT_FMT("abc", "%.3s", not_terminated);
}

static void host_vsprintf_null_string(void)
{
	EXPECT_FMT("(null)", "%s", (char *)NULL);
	EXPECT_FMT("  (null)", "%8s", (char *)NULL);
	EXPECT_FMT("[(null)]", "[%s]", (char *)NULL);
}

static void host_vsprintf_char(void)
{
	char buf[8];

	EXPECT_FMT("A", "%c", 'A');
	EXPECT_FMT("xyz", "%c%c%c", 'x', 'y', 'z');
	EXPECT_FMT("\xff", "%c", 0xff);
	/* A NUL character counts, and is stored. */
	memset(buf, 'Z', sizeof(buf));
	CHECK(wsnprintf(buf, sizeof(buf), "a%cb", 0) == 3);
	CHECK(buf[0] == 'a' && buf[1] == '\0' && buf[2] == 'b' && buf[3] == '\0');
}

/* Regression: the field width and '-' were ignored for %c. */
static void host_vsprintf_char_width(void)
{
	EXPECT_FMT("  A|", "%3c|", 'A');
	EXPECT_FMT("A  |", "%-3c|", 'A');
	EXPECT_FMT("   B", "%*c", 4, 'B');
}

static void host_vsprintf_length_modifiers(void)
{
	EXPECT_FMT("-56", "%hhd", 200);
	EXPECT_FMT("255", "%hhu", 0x1ff);
	EXPECT_FMT("ff", "%hhx", 0xfff);
	EXPECT_FMT("4464", "%hd", 70000);
	EXPECT_FMT("-1", "%hd", 0xffff);
	EXPECT_FMT("2345", "%hx", 0x12345);
	EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FMT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT_FMT("9223372036854775807", "%lli", LLONG_MAX);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	EXPECT_FMT("1777777777777777777777", "%llo", ULLONG_MAX);
	EXPECT_FMT("18446744073709551615", "%zu", SIZE_MAX);
	EXPECT_FMT("fffffffffffffffe", "%zx", SIZE_MAX - 1);
	EXPECT_FMT("-1", "%zd", (ssize_t)-1);
	/* Arguments after a 64-bit one are still found. */
	EXPECT_FMT("1 2 3", "%d %lld %d", 1, 2ll, 3);
}

/* Walnut's %p: 0x and 2 * sizeof(void *) hex digits, zero-padded. */
static void host_vsprintf_pointer(void)
{
	char buf[64];
	int n;

	CHECK(sizeof(void *) == 8);	/* the strings below are for 64-bit */
	EXPECT_FMT("0x0000000000001234", "%p", (void *)0x1234);
	EXPECT_FMT("0x0000000000000000", "%p", NULL);
	EXPECT_FMT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	EXPECT_FMT("0xdeadbeefcafef00d", "%p", (void *)0xdeadbeefcafef00dull);
	n = wsnprintf(buf, sizeof(buf), "%p", (void *)buf);
	CHECK(n == 2 + 2 * (int)sizeof(void *));
}

/* Walnut's own: an unknown conversion is printed; a lone '%' at the end is
 * dropped without reading past the format's NUL. */
static void host_vsprintf_unknown_and_trailing(void)
{
	EXPECT_FMT("%q", "%q");
	EXPECT_FMT("[%y]", "[%y]");
	EXPECT_FMT("abc", "abc%");
}

/* Too small a buffer: NUL-terminated, nothing past size, full length back. */
static void host_vsprintf_truncation(void)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	CHECK(wsnprintf(buf, 8, "%s", "hello world") == 11);
	CHECK(memcmp(buf, "hello w", 8) == 0);
	for (int i = 8; i < 16; i++)
		CHECK(buf[i] == 'Z');
	memset(buf, 'Z', sizeof(buf));
	CHECK(wsnprintf(buf, 5, "%d", 123456789) == 9);
	CHECK(strcmp(buf, "1234") == 0 && buf[5] == 'Z');
	CHECK(wsnprintf(buf, 4, "%10s", "x") == 10);
	CHECK(strcmp(buf, "   ") == 0);
	CHECK(wsnprintf(buf, 1, "abc") == 3);
	CHECK(buf[0] == '\0');
}

static void host_vsprintf_exact_fit(void)
{
	char buf[8];

	CHECK(wsnprintf(buf, 6, "%s", "hello") == 5);
	CHECK(strcmp(buf, "hello") == 0);
	CHECK(wsnprintf(buf, 5, "%s", "hello") == 5);
	CHECK(strcmp(buf, "hell") == 0);
}

static void host_vsprintf_size_zero_writes_nothing(void)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	CHECK(wsnprintf(buf, 0, "%d-%s", 1234, "abc") == 8);
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 'Z');
	/* The sizing idiom: snprintf(NULL, 0, ...) + 1 bytes are enough. */
	CHECK(wsnprintf(NULL, 0, "%s=%u", "key", 4000000000u) == 14);
}

/* Regression: C99 7.19.6.1: '+' and ' ' apply to signed conversions only. */
static void host_vsprintf_unsigned_ignores_sign_flags(void)
{
	EXPECT_FMT("5", "%+u", 5u);
	EXPECT_FMT("ff", "% x", 0xffu);
	EXPECT_FMT("FF", "%+X", 0xffu);
	EXPECT_FMT("  17", "%+4o", 15u);
	EXPECT_FMT("+5", "%+d", 5);		/* still there where it belongs */
}

/*
 * Every flag set, several widths, every integer conversion, awkward values:
 * Walnut and the C library print the same.  (No precision: Walnut takes a
 * precision for strings only.)
 */
static void host_vsprintf_sweep_int_vs_libc(void)
{
	static const int values[] = { 0, 1, -1, 7, -42, 123456, INT_MAX, INT_MIN };
	static const char *const widths[] = { "", "1", "6", "23", "*" };
	static const char convs[] = "diuxXo";

	for (unsigned int flags = 0; flags < 16; flags++) {
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
			for (const char *c = convs; *c; c++) {
				char fmt[32], *f = fmt;

				*f++ = '[';
				*f++ = '%';
				for (int b = 0; b < 4; b++)
					if (flags & (1u << b))
						*f++ = "-0+ "[b];
				f += wsnprintf(f, 8, "%s%c]", widths[w], *c);
				for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
					if (widths[w][0] == '*')
						EXPECT_LIKE_LIBC(fmt, 9, values[v]);
					else
						EXPECT_LIKE_LIBC(fmt, values[v]);
				}
			}
		}
	}
}

/* The length modifiers, with flags and width, against the C library. */
static void host_vsprintf_sweep_lengths_vs_libc(void)
{
	static const char *const prefixes[] = { "%", "%-21", "%+021", "% 8" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		for (const char *c = "diuxXo"; *c; c++) {
			char fmt[32];

			wsnprintf(fmt, sizeof(fmt), "%shh%c", prefixes[i], *c);
			EXPECT_LIKE_LIBC(fmt, 200);
			EXPECT_LIKE_LIBC(fmt, -129);
			wsnprintf(fmt, sizeof(fmt), "%sh%c", prefixes[i], *c);
			EXPECT_LIKE_LIBC(fmt, 70000);
			EXPECT_LIKE_LIBC(fmt, -32768);
			wsnprintf(fmt, sizeof(fmt), "%sl%c", prefixes[i], *c);
			EXPECT_LIKE_LIBC(fmt, LONG_MIN);
			EXPECT_LIKE_LIBC(fmt, LONG_MAX);
			EXPECT_LIKE_LIBC(fmt, -1L);
			wsnprintf(fmt, sizeof(fmt), "%sll%c", prefixes[i], *c);
			EXPECT_LIKE_LIBC(fmt, LLONG_MIN);
			EXPECT_LIKE_LIBC(fmt, 0x0123456789abcdefll);
			wsnprintf(fmt, sizeof(fmt), "%sz%c", prefixes[i], *c);
			EXPECT_LIKE_LIBC(fmt, SIZE_MAX);
			EXPECT_LIKE_LIBC(fmt, (size_t)12345);
		}
	}
}

/* Strings and characters with widths and precisions, against the C library. */
static void host_vsprintf_sweep_strings_vs_libc(void)
{
	static const char *const sfmts[] = {
		"[%s]", "[%10s]", "[%-10s]", "[%.2s]", "[%10.2s]", "[%-10.2s]",
		"[%.0s]", "[%2s]", "[%.20s]", "[%-1s]",
	};
	static const char *const strs[] = { "", "a", "hello", "a longer string" };
	static const char *const cfmts[] = { "[%c]", "[%5c]", "[%-5c]", "[%1c]" };

	for (size_t f = 0; f < ARRAY_SIZE(sfmts); f++)
		for (size_t s = 0; s < ARRAY_SIZE(strs); s++)
			EXPECT_LIKE_LIBC(sfmts[f], strs[s]);
	for (size_t f = 0; f < ARRAY_SIZE(cfmts); f++) {
		EXPECT_LIKE_LIBC(cfmts[f], 'q');
		EXPECT_LIKE_LIBC(cfmts[f], '%');
	}
	EXPECT_LIKE_LIBC("[%*.*s]", 7, 3, "abcdef");
	EXPECT_LIKE_LIBC("[%-*.*s]", 7, 3, "abcdef");
	EXPECT_LIKE_LIBC("%s=%d (%x) %c%%", "val", -17, 255u, 'z');
}

static const struct host_test tests[] = {
	HOST_TEST(host_vsprintf_literal_and_percent, 0),
	HOST_TEST(host_vsprintf_decimal, 0),
	HOST_TEST(host_vsprintf_hex_octal, 0),
	HOST_TEST(host_vsprintf_flags_and_width, 0),
	HOST_TEST(host_vsprintf_star_width, 0),
	HOST_TEST(host_vsprintf_negative_star_width, 0),
	HOST_TEST(host_vsprintf_string_precision, 0),
	HOST_TEST(host_vsprintf_null_string, 0),
	HOST_TEST(host_vsprintf_char, 0),
	HOST_TEST(host_vsprintf_char_width, 0),
	HOST_TEST(host_vsprintf_length_modifiers, 0),
	HOST_TEST(host_vsprintf_pointer, 0),
	HOST_TEST(host_vsprintf_unknown_and_trailing, 0),
	HOST_TEST(host_vsprintf_truncation, 0),
	HOST_TEST(host_vsprintf_exact_fit, 0),
	HOST_TEST(host_vsprintf_size_zero_writes_nothing, 0),
	HOST_TEST(host_vsprintf_unsigned_ignores_sign_flags, 0),
	HOST_TEST(host_vsprintf_sweep_int_vs_libc, 0),
	HOST_TEST(host_vsprintf_sweep_lengths_vs_libc, 0),
	HOST_TEST(host_vsprintf_sweep_strings_vs_libc, 0),
};

int main(void)
{
	libc_vsnprintf = (vsnprintf_fn *)dlsym(RTLD_NEXT, "vsnprintf");
	if (!libc_vsnprintf || libc_vsnprintf == vsnprintf) {
		fprintf(stderr, "vsprintf_test: cannot find the C library's vsnprintf\n");
		return 1;
	}
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
