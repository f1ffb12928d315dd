/*
 * file.c - file descriptors: open, read, write, close, lseek, dup, pipe,
 * fcntl, ioctl, fsync, truncate; pread/pwrite and the 64-bit offset calls
 * (vector I/O is uio.c).
 *
 * Everything passes straight to the Linux call of the same name except the
 * numbers that differ: open flags and fcntl commands (xlat.c), and errors
 * (lx_ret).
 *
 * newlib's off_t is 32 bits, as glibc's without _FILE_OFFSET_BITS=64.  The
 * *64 calls take an off64_t (user/include/unistd.h), for offsets past 2 GiB
 * such as addresses in /proc/<pid>/mem: lseek64 is _llseek (140), pread64
 * and pwrite64 are the calls of that name (180, 181), which take the offset
 * as two 32-bit halves, low first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "glue.h"

/* The mode is read only when O_CREAT asks for one, as on Linux. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return lx_ret(LX3(SYS_open, path, xlat_oflags_to_linux(flags), mode));
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int close(int fd)
{
	return lx_ret(LX1(SYS_close, fd));
}

ssize_t read(int fd, void *buf, size_t count)
{
	return lx_ret(LX3(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return lx_ret(LX3(SYS_write, fd, buf, count));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return lx_ret(LX3(SYS_lseek, fd, offset, whence));	/* SEEK_* agree */
}

int dup(int fd)
{
	return lx_ret(LX1(SYS_dup, fd));
}

int dup2(int fd, int fd2)
{
	return lx_ret(LX2(SYS_dup2, fd, fd2));
}

int pipe(int fds[2])
{
	return lx_ret(LX1(SYS_pipe, fds));
}

int fsync(int fd)
{
	return lx_ret(LX1(SYS_fsync, fd));
}

int fdatasync(int fd)
{
	return lx_ret(LX1(SYS_fdatasync, fd));
}

int truncate(const char *path, off_t length)
{
	return lx_ret(LX2(SYS_truncate, path, length));
}

int ftruncate(int fd, off_t length)
{
	return lx_ret(LX2(SYS_ftruncate, fd, length));
}

off64_t lseek64(int fd, off64_t offset, int whence)
{
	off64_t result;
	long r = LX5(SYS__llseek, fd, (uint32_t)((uint64_t)offset >> 32),
		     (uint32_t)offset, &result, whence);

	return lx_failed(r) ? __walnut_set_errno(-r) : result;
}

ssize_t pread64(int fd, void *buf, size_t count, off64_t offset)
{
	return lx_ret(LX5(SYS_pread64, fd, buf, count, (uint32_t)offset,
			  (uint32_t)((uint64_t)offset >> 32)));
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset)
{
	return lx_ret(LX5(SYS_pwrite64, fd, buf, count, (uint32_t)offset,
			  (uint32_t)((uint64_t)offset >> 32)));
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	return pread64(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return pwrite64(fd, buf, count, offset);
}

/*
 * fcntl: the command is renumbered, and so are the file status flags that
 * F_GETFL returns and F_SETFL takes.  Descriptor flags (FD_CLOEXEC) and
 * descriptor numbers mean the same in both.  Record locks are not offered:
 * newlib's struct flock is not Linux's, and Walnut has none.
 */
int fcntl(int fd, int cmd, ...)
{
	int lx_cmd = xlat_fcntl_cmd_to_linux(cmd);
	long arg, r;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, long);		/* garbage for F_GET*: never used */
	va_end(ap);
	if (lx_cmd < 0)
		return __walnut_fail(EINVAL);
	if (cmd == F_SETFL)
		arg = xlat_oflags_to_linux((int)arg);
	r = lx_ret(LX3(SYS_fcntl64, fd, lx_cmd, arg));
	if (cmd == F_GETFL && r >= 0)
		r = xlat_oflags_from_linux(r);
	return (int)r;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	va_start(ap, request);
	arg = va_arg(ap, long);		/* an int or a pointer, or unused */
	va_end(ap);
	return lx_ret(LX3(SYS_ioctl, fd, request, arg));
}

WALNUT_ALIAS(open, _open);
WALNUT_ALIAS(close, _close);
WALNUT_ALIAS(read, _read);
WALNUT_ALIAS(write, _write);
WALNUT_ALIAS(lseek, _lseek);
WALNUT_ALIAS(fcntl, _fcntl);
