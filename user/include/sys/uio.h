/*
 * <sys/uio.h> - vector I/O, which newlib's i686-elf build has no header
 * for.  struct iovec is Linux i386's, passed to the kernel unchanged
 * (user/lib/uio.c).
 */
#ifndef WALNUT_SYS_UIO_H
#define WALNUT_SYS_UIO_H

#include <sys/types.h>
#include <unistd.h>

#define IOV_MAX		1024	/* Linux's UIO_MAXIOV */

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#ifdef __cplusplus
extern "C" {
#endif

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset);
ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset);
ssize_t preadv64(int fd, const struct iovec *iov, int iovcnt, off64_t offset);
ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off64_t offset);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_UIO_H */
