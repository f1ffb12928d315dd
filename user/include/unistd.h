/*
 * <unistd.h> - newlib's, plus what glibc's also declares and newlib's
 * generic version lacks.
 */
#ifndef WALNUT_UNISTD_H
#define WALNUT_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 64-bit file offsets (newlib's off_t is 32 bits), as glibc declares them
 * with _LARGEFILE64_SOURCE: for offsets past 2 GiB, e.g. addresses in
 * /proc/<pid>/mem. */
typedef _off64_t off64_t;
off64_t lseek64(int fd, off64_t offset, int whence);
ssize_t pread64(int fd, void *buf, size_t count, off64_t offset);
ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset);

/* glibc declares these with _GNU_SOURCE; newlib, with __GNU_VISIBLE. */
int dup3(int fd, int fd2, int flags);
int pipe2(int fds[2], int flags);

/* Sets the end of the data segment; 0, or -1 with errno ENOMEM. */
int brk(void *addr);

/* Any Linux i386 system call by number (<sys/syscall.h>): the result, or -1
 * with errno set. */
long syscall(long number, ...);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_UNISTD_H */
