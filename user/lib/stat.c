/*
 * stat.c - stat, lstat, fstat, fstatat over Linux's stat64 family (195,
 * 196, 197, 300), and the calls that set modes: mkdir, chmod, fchmod,
 * umask.
 *
 * The kernel fills a struct lx_stat64 (linux.h); stat_from_linux() copies
 * it into newlib's struct stat, field by field, since the two differ in
 * every width.  A value that does not fit newlib's field (a file of 2 GiB or
 * more in a 32-bit off_t, a device number above 16 bits) fails the call
 * with EOVERFLOW, as Linux's own 32-bit stat does, rather than lie.  The
 * mode's S_IF* bits and permission bits are the same numbers in both.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include "glue.h"

_Static_assert(sizeof(struct lx_stat64) == 96, "Linux i386 stat64 is 96 bytes");
_Static_assert(sizeof(ino_t) == 4, "newlib built without user/lib/newlib/machine/_types.h");

/*
 * Does the unsigned number v fit in the bits of `field`?  Newlib's dev_t is
 * a signed short, but to programs (and major()/minor()) a device number is
 * 16 bits, whatever the sign.
 */
#define FITS_BITS(field, v)	(((uint64_t)(v) >> (8 * sizeof(field))) == 0)

static int stat_from_linux(const struct lx_stat64 *lx, struct stat *st)
{
	if (!FITS_BITS(st->st_dev, lx->st_dev) ||
	    !FITS_BITS(st->st_rdev, lx->st_rdev) ||
	    !FITS_BITS(st->st_ino, lx->st_ino) ||
	    lx->st_size > LONG_MAX || lx->st_blocks > LONG_MAX)
		return __walnut_fail(EOVERFLOW);
	*st = (struct stat){
		.st_dev = (dev_t)lx->st_dev,
		.st_ino = (ino_t)lx->st_ino,
		.st_mode = lx->st_mode,
		.st_nlink = (nlink_t)lx->st_nlink,
		.st_uid = (uid_t)lx->st_uid,
		.st_gid = (gid_t)lx->st_gid,
		.st_rdev = (dev_t)lx->st_rdev,
		.st_size = (off_t)lx->st_size,
		.st_atim = { lx->st_atime_sec, lx->st_atime_nsec },
		.st_mtim = { lx->st_mtime_sec, lx->st_mtime_nsec },
		.st_ctim = { lx->st_ctime_sec, lx->st_ctime_nsec },
		.st_blksize = lx->st_blksize,
		.st_blocks = (blkcnt_t)lx->st_blocks,
	};
	return 0;
}

/* One body for the three calls: nr is SYS_stat64, SYS_lstat64 or
 * SYS_fstat64, arg the path or the descriptor. */
static int do_stat(long nr, long arg, struct stat *st)
{
	struct lx_stat64 lx;
	long r = lx_syscall2(nr, arg, (long)&lx);

	if (lx_failed(r))
		return __walnut_set_errno(-r);
	return stat_from_linux(&lx, st);
}

int fstatat(int dirfd, const char *__restrict path, struct stat *__restrict st,
	    int flags)
{
	struct lx_stat64 lx;
	long lxflags = xlat_atflags_to_linux(flags);
	long r;

	if (lxflags < 0)
		return __walnut_fail(EINVAL);
	r = LX4(SYS_fstatat64, xlat_dirfd_to_linux(dirfd), path, &lx, lxflags);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	return stat_from_linux(&lx, st);
}

int stat(const char *path, struct stat *st)
{
	return do_stat(SYS_stat64, (long)path, st);
}

int lstat(const char *path, struct stat *st)
{
	return do_stat(SYS_lstat64, (long)path, st);
}

int fstat(int fd, struct stat *st)
{
	return do_stat(SYS_fstat64, fd, st);
}

int mkdir(const char *path, mode_t mode)
{
	return lx_ret(LX2(SYS_mkdir, path, mode));
}

int chmod(const char *path, mode_t mode)
{
	return lx_ret(LX2(SYS_chmod, path, mode));
}

int fchmod(int fd, mode_t mode)
{
	return lx_ret(LX2(SYS_fchmod, fd, mode));
}

/* Cannot fail. */
mode_t umask(mode_t mask)
{
	return (mode_t)LX1(SYS_umask, mask);
}

WALNUT_ALIAS(stat, _stat);
WALNUT_ALIAS(fstat, _fstat);
WALNUT_ALIAS(mkdir, _mkdir);
