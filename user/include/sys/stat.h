/*
 * <sys/stat.h> - newlib's, plus the lstat() prototype its generic version
 * keeps for a few systems only.  struct stat is newlib's; stat() fills it
 * from Linux's struct stat64 (user/lib/stat.c).  The S_IF* bits are the same
 * numbers in both.
 */
#ifndef WALNUT_SYS_STAT_H
#define WALNUT_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict path, struct stat *__restrict buf);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_STAT_H */
