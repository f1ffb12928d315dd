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

/* Sets the end of the data segment; 0, or -1 with errno ENOMEM. */
int brk(void *addr);

/* Any Linux i386 system call by number (<sys/syscall.h>): the result, or -1
 * with errno set. */
long syscall(long number, ...);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_UNISTD_H */
