/*
 * <sys/mman.h> - memory mappings, which newlib's i686-elf build has no header
 * for.  Every value is Linux i386's (asm-generic/mman-common.h, mman.h), so
 * the glue (user/lib/mman.c) passes them to the kernel unchanged.
 */
#ifndef WALNUT_SYS_MMAN_H
#define WALNUT_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

/* prot: what the pages allow */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

/* flags: exactly one of SHARED and PRIVATE, then any of the rest */
#define MAP_SHARED	0x01		/* writes reach the object, seen by all */
#define MAP_PRIVATE	0x02		/* writes are copied on write */
#define MAP_TYPE	0x0f		/* the mask of the two above */
#define MAP_FIXED	0x10		/* exactly at addr, replacing what is there */
#define MAP_ANONYMOUS	0x20		/* no file: zero-filled; fd is ignored */
#define MAP_ANON	MAP_ANONYMOUS
#define MAP_GROWSDOWN	0x0100		/* a stack: grows down on faults below it */
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_LOCKED	0x2000		/* as mlock() on the new range */
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000		/* fault every page in now */
#define MAP_NONBLOCK	0x10000

#define MAP_FAILED	((void *)-1)

/* msync */
#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

/* mlockall */
#define MCL_CURRENT	1
#define MCL_FUTURE	2

/* madvise, and posix_madvise's names for the same numbers */
#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define POSIX_MADV_NORMAL	MADV_NORMAL
#define POSIX_MADV_RANDOM	MADV_RANDOM
#define POSIX_MADV_SEQUENTIAL	MADV_SEQUENTIAL
#define POSIX_MADV_WILLNEED	MADV_WILLNEED
#define POSIX_MADV_DONTNEED	MADV_DONTNEED

#ifdef __cplusplus
extern "C" {
#endif

/* offset must be a multiple of the page size (else EINVAL); it goes to the
 * kernel in pages (mmap2), so files up to 4 GiB can be mapped. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);
int madvise(void *addr, size_t len, int advice);
int posix_madvise(void *addr, size_t len, int advice);	/* returns the error */

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_MMAN_H */
