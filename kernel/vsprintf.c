/*
 * kernel/vsprintf.c - vsnprintf for printk and friends.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with flags '-' '0' ' ' '+',
 * a field width (or *), a precision for strings, and the length modifiers
 * hh h l ll z.  %p prints 0x followed by 8 hex digits.  The output is always
 * NUL-terminated when size > 0; the return value is the length the whole
 * string would have had, as in C99.
 */
#include <kernel.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* characters produced so far, stored or not */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space;
	int width;
	int precision;		/* -1: none */
	int length;		/* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       bool negative, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, width = sp->width;
	char sign = negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	width -= n + (sign ? 1 : 0);
	if (!sp->left && !sp->zero)
		pad(o, ' ', width);
	if (sign)
		put(o, sign);
	if (!sp->left && sp->zero)
		pad(o, '0', width);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', width);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->precision >= 0 ? (size_t)sp->precision : (size_t)-1);
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static void put_char(struct out *o, const struct spec *sp, char c)
{
	if (!sp->left)
		pad(o, ' ', sp->width - 1);
	put(o, c);
	if (sp->left)
		pad(o, ' ', sp->width - 1);
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {	/* C99: a '-' flag and a positive width */
			sp->left = true;
			sp->width = (int)(0u - (unsigned int)sp->width);
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->precision = 0;
		if (*++f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l') sp->length++;
		else if (*f == 'h') sp->length--;
		else if (*f == 'z') sp->length = 1;	/* size_t is long-sized */
		else break;
	}
	return f;
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 2:  return va_arg(*ap, unsigned long long);
	case 1:  return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 2:  return va_arg(*ap, long long);
	case 1:  return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		if (*f != 'd' && *f != 'i')
			sp.plus = sp.space = false;	/* C99: signed only */
		switch (*f) {
		case 'd': case 'i': {
			int64_t v = fetch_signed(&sp, &ap);
			put_number(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
			break;
		}
		case 'u': put_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 10, false); break;
		case 'x': put_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 16, false); break;
		case 'X': put_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 16, true); break;
		case 'o': put_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 8, false); break;
		case 'p': {
			struct spec ps = { .zero = true, .width = 2 * (int)sizeof(void *) };

			put(&o, '0');
			put(&o, 'x');
			put_number(&o, &ps, (uintptr_t)va_arg(ap, void *), false, 16, false);
			break;
		}
		case 'c': put_char(&o, &sp, (char)va_arg(ap, int)); break;
		case 's': put_string(&o, &sp, va_arg(ap, const char *)); break;
		case '%': put(&o, '%'); break;
		case '\0': f--; break;		/* a lone '%' at the end */
		default: put(&o, '%'); put(&o, *f); break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
