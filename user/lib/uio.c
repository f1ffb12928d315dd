/*
 * uio.c - vector I/O: readv (145), writev (146), preadv (333), pwritev
 * (334).  struct iovec is Linux's (user/include/sys/uio.h), so the vector
 * goes to the kernel as it is; the positional calls split their 64-bit
 * offset into two registers, low half first, as glibc does.
 */
#include <stdint.h>
#include <sys/uio.h>
#include "glue.h"

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return lx_ret(LX3(SYS_readv, fd, iov, iovcnt));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return lx_ret(LX3(SYS_writev, fd, iov, iovcnt));
}

ssize_t preadv64(int fd, const struct iovec *iov, int iovcnt, off64_t offset)
{
	return lx_ret(LX5(SYS_preadv, fd, iov, iovcnt, (uint32_t)offset,
			  (uint32_t)((uint64_t)offset >> 32)));
}

ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off64_t offset)
{
	return lx_ret(LX5(SYS_pwritev, fd, iov, iovcnt, (uint32_t)offset,
			  (uint32_t)((uint64_t)offset >> 32)));
}

ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return preadv64(fd, iov, iovcnt, offset);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return pwritev64(fd, iov, iovcnt, offset);
}
