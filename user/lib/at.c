/*
 * at.c - the calls that name a file relative to a directory descriptor
 * (openat, mkdirat, mknodat, fstatat, fchmodat, faccessat, linkat,
 * symlinkat, readlinkat, renameat, unlinkat, utimensat, futimens), and the
 * plain calls newlib declares but leaves to the system: mknod, mkfifo,
 * mkfifoat, utimes, utime, dup3, pipe2.
 *
 * newlib numbers AT_FDCWD and the AT_* flags its own way; they become
 * Linux's here (xlat.c, linux.h).  An AT_* flag Linux has
 * no bit for is EINVAL, as Linux answers an unknown flag.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>
#include "glue.h"

#define LX_DIRFD(fd)	xlat_dirfd_to_linux(fd)

/* An *at call's flags as Linux's, or -1 with errno EINVAL. */
static long at_flags(int flags)
{
	long lx = xlat_atflags_to_linux(flags);

	return lx < 0 ? __walnut_fail(EINVAL) : lx;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return lx_ret(LX4(SYS_openat, LX_DIRFD(dirfd), path,
			  xlat_oflags_to_linux(flags), mode));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return lx_ret(LX3(SYS_mkdirat, LX_DIRFD(dirfd), path, mode));
}

/* dev_t is newlib's 16-bit number (major << 8 | minor), which is Linux's
 * encoding too for numbers that fit. */
int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	return lx_ret(LX4(SYS_mknodat, LX_DIRFD(dirfd), path, mode,
			  (unsigned short)dev));
}

int mknod(const char *path, mode_t mode, dev_t dev)
{
	return mknodat(AT_FDCWD, path, mode, dev);
}

int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return mknodat(dirfd, path, S_IFIFO | (mode & 07777), 0);
}

int mkfifo(const char *path, mode_t mode)
{
	return mkfifoat(AT_FDCWD, path, mode);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	if (flags & AT_SYMLINK_NOFOLLOW)
		return __walnut_fail(EOPNOTSUPP);	/* as glibc: links have no mode */
	if (flags)
		return __walnut_fail(EINVAL);
	return lx_ret(LX3(SYS_fchmodat, LX_DIRFD(dirfd), path, mode));
}

/* faccessat2 (439) takes the flags; Linux's faccessat (307) has none. */
int faccessat(int dirfd, const char *path, int mode, int flags)
{
	long lx = at_flags(flags);

	if (lx < 0)
		return -1;
	return lx_ret(LX4(SYS_faccessat2, LX_DIRFD(dirfd), path, mode, lx));
}

int linkat(int olddirfd, const char *old, int newdirfd, const char *new,
	   int flags)
{
	long lx = at_flags(flags);

	if (lx < 0)
		return -1;
	return lx_ret(LX5(SYS_linkat, LX_DIRFD(olddirfd), old, LX_DIRFD(newdirfd),
			  new, lx));
}

int symlinkat(const char *target, int dirfd, const char *path)
{
	return lx_ret(LX3(SYS_symlinkat, target, LX_DIRFD(dirfd), path));
}

ssize_t readlinkat(int dirfd, const char *__restrict path, char *__restrict buf,
		   size_t size)
{
	return lx_ret(LX4(SYS_readlinkat, LX_DIRFD(dirfd), path, buf, size));
}

int renameat(int olddirfd, const char *old, int newdirfd, const char *new)
{
	return lx_ret(LX4(SYS_renameat, LX_DIRFD(olddirfd), old, LX_DIRFD(newdirfd),
			  new));
}

int unlinkat(int dirfd, const char *path, int flags)
{
	long lx = at_flags(flags);

	if (lx < 0)
		return -1;
	return lx_ret(LX3(SYS_unlinkat, LX_DIRFD(dirfd), path, lx));
}

/* ---- times ---- */

/* times NULL: both now.  path NULL: dirfd's file (futimens).  UTIME_NOW
 * and UTIME_OMIT have Linux's values already (user/include/sys/stat.h). */
static int do_utimensat(int dirfd, const char *path,
			const struct timespec *times, int flags)
{
	struct lx_timespec32 lx[2];
	long lxflags = at_flags(flags);

	if (lxflags < 0)
		return -1;
	for (int i = 0; times && i < 2; i++)
		lx[i] = (struct lx_timespec32){ (int32_t)times[i].tv_sec,
						(int32_t)times[i].tv_nsec };
	return lx_ret(LX4(SYS_utimensat, LX_DIRFD(dirfd), path, times ? lx : NULL,
			  lxflags));
}

int utimensat(int dirfd, const char *path, const struct timespec *times,
	      int flags)
{
	return do_utimensat(dirfd, path, times, flags);
}

int futimens(int fd, const struct timespec *times)
{
	if (fd == AT_FDCWD)
		return __walnut_fail(EBADF);
	return do_utimensat(fd, NULL, times, 0);
}

/* Microseconds out of range are EINVAL, as Linux's utimes. */
int utimes(const char *path, const struct timeval *tv)
{
	struct timespec ts[2];

	for (int i = 0; tv && i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return __walnut_fail(EINVAL);
		ts[i] = (struct timespec){ tv[i].tv_sec, tv[i].tv_usec * 1000 };
	}
	return do_utimensat(AT_FDCWD, path, tv ? ts : NULL, 0);
}

int utime(const char *path, const struct utimbuf *times)
{
	struct timespec ts[2];

	if (times) {
		ts[0] = (struct timespec){ times->actime, 0 };
		ts[1] = (struct timespec){ times->modtime, 0 };
	}
	return do_utimensat(AT_FDCWD, path, times ? ts : NULL, 0);
}

/* ---- descriptors ---- */

int dup3(int fd, int fd2, int flags)
{
	return lx_ret(LX3(SYS_dup3, fd, fd2, xlat_oflags_to_linux(flags)));
}

int pipe2(int fds[2], int flags)
{
	return lx_ret(LX2(SYS_pipe2, fds, xlat_oflags_to_linux(flags)));
}
