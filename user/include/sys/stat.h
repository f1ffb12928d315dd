/*
 * <sys/stat.h> - newlib's, plus what its generic version keeps for a few
 * systems only: the lstat() and mknod() prototypes, and utimensat's
 * UTIME_NOW and UTIME_OMIT (with Linux's values, which the glue passes on
 * as they are).  struct stat is newlib's; stat() fills it from Linux's
 * struct stat64 (user/lib/stat.c).  The S_IF* bits are the same numbers in
 * both.
 */
#ifndef WALNUT_SYS_STAT_H
#define WALNUT_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict path, struct stat *__restrict buf);
int mknod(const char *path, mode_t mode, dev_t dev);

#ifndef UTIME_NOW
#define UTIME_NOW	((1l << 30) - 1l)	/* utimensat: the time now */
#define UTIME_OMIT	((1l << 30) - 2l)	/* utimensat: leave it */
#endif

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_STAT_H */
