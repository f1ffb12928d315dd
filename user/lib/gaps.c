/*
 * gaps.c - functions newlib's own i686-elf build calls but never defines.
 *
 * newlib 3.3's towctrans_l.c calls _jp2uc_l and _uc2jp_l, which convert
 * between JIS and Unicode in a Japanese locale; jp2uc.c defines them only
 * when newlib is built with multibyte support, which Walnut's is not, and
 * elsewhere newlib's ctype/local.h turns them into the identity.  Without
 * these, a program calling towctrans() would not link.
 */
#include <wchar.h>

struct __locale_t;

wint_t _jp2uc_l(wint_t c, struct __locale_t *locale);
wint_t _uc2jp_l(wint_t c, struct __locale_t *locale);

/* Only the "C" locale exists: every character is already Unicode. */
wint_t _jp2uc_l(wint_t c, struct __locale_t *locale)
{
	(void)locale;
	return c;
}

wint_t _uc2jp_l(wint_t c, struct __locale_t *locale)
{
	(void)locale;
	return c;
}
