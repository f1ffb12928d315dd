/* include/err.h - error pointers: a function returning a pointer returns
 * either a valid pointer or ERR_PTR(-Exxx), never an ambiguous NULL.
 * The top 4095 addresses are kernel space that is never mapped (the last page
 * of the address space), so they cannot be valid object pointers. */
#ifndef WALNUT_ERR_H
#define WALNUT_ERR_H

#include <types.h>

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)-MAX_ERRNO;
}

/* A long that is an address or -errno (mmap's return): which is it?
 * Addresses from 2 GiB up are negative as longs, so "< 0" cannot tell. */
static inline bool IS_ERR_VALUE(long v)
{
	return (unsigned long)v >= (unsigned long)-MAX_ERRNO;
}

#endif
