/*
 * <sys/uio.h> - vectors of buffers for readv(2) and writev(2), which newlib
 * leaves to the system.  struct iovec is Linux i386's layout, so the glue
 * (user/lib/file.c) passes the caller's array to the kernel as it is.
 */
#ifndef WALNUT_SYS_UIO_H
#define WALNUT_SYS_UIO_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#define UIO_MAXIOV	1024	/* the most buffers one call takes (Linux) */
#define IOV_MAX		UIO_MAXIOV

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset);
ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_UIO_H */
