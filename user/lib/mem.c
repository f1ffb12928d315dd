/*
 * mem.c - the heap's end: brk and sbrk over Linux's brk (45), which newlib's
 * malloc grows with sbrk; and posix_memalign, which newlib leaves to the
 * system (its aligned_alloc calls it).
 *
 * Linux's brk(x) returns the new break if it could move it to x, else the
 * old one; brk(0) just returns the current break.  cur_break caches it
 * (a forked child inherits the right value; exec starts afresh).
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "glue.h"

static char *cur_break;

static char *kernel_brk(void *want)
{
	return (char *)LX1(SYS_brk, want);
}

int brk(void *addr)
{
	cur_break = kernel_brk(addr);
	return cur_break == addr ? 0 : __walnut_fail(ENOMEM);
}

void *sbrk(ptrdiff_t incr)
{
	char *old, *want;

	if (!cur_break)
		cur_break = kernel_brk(NULL);
	old = cur_break;
	want = old + incr;
	if ((incr > 0 && (uintptr_t)want < (uintptr_t)old) ||
	    (incr < 0 && (uintptr_t)want > (uintptr_t)old))
		return (void *)(__walnut_fail(ENOMEM));	/* wrapped */
	if (incr != 0 && brk(want) < 0)
		return (void *)-1;
	return old;
}

/* Returns the error instead of setting errno, as POSIX says. */
int posix_memalign(void **memptr, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

WALNUT_ALIAS(sbrk, _sbrk);
