/*
 * user/lib/glue.h - what the files of Walnut's C library glue share.
 *
 * Every system call goes out through lx_syscallN() (one trap, Linux
 * i386 registers) and its result comes back through lx_ret(), which turns a
 * Linux -errno into -1 with errno set to newlib's number for that error.  The
 * xlat_*() functions (xlat.c) translate everything else whose numbers differ
 * between newlib's headers and Linux: signals, flags, commands, clocks.
 *
 * Private to user/lib.
 */
#ifndef WALNUT_GLUE_H
#define WALNUT_GLUE_H

#include <signal.h>
#include <stddef.h>
#include "linux.h"

/*
 * The raw calls.  Arguments go in ebx, ecx, edx, esi, edi; none of ours
 * needs a sixth (ebp), which gcc cannot name as an operand while it may be
 * using it as the frame pointer (syscall.S: syscall() does take six).
 * "memory": the kernel reads and writes through the pointers we pass.
 *
 * The trap is a call through __walnut_vsyscall: the kernel's vDSO entry
 * (SYSENTER, much cheaper under emulation) when the auxiliary vector gives
 * one (start.c), else __walnut_int80, a plain "int $0x80; ret".  Either
 * keeps every register but eax, as int $0x80 does.
 */
extern void (*__walnut_vsyscall)(void);
#define LX_TRAP	"call *__walnut_vsyscall"

static inline long lx_syscall0(long nr)
{
	long r;

	__asm__ volatile(LX_TRAP : "=a"(r) : "0"(nr) : "memory");
	return r;
}

static inline long lx_syscall1(long nr, long a)
{
	long r;

	__asm__ volatile(LX_TRAP : "=a"(r) : "0"(nr), "b"(a) : "memory");
	return r;
}

static inline long lx_syscall2(long nr, long a, long b)
{
	long r;

	__asm__ volatile(LX_TRAP : "=a"(r) : "0"(nr), "b"(a), "c"(b)
			 : "memory");
	return r;
}

static inline long lx_syscall3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile(LX_TRAP : "=a"(r) : "0"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return r;
}

static inline long lx_syscall4(long nr, long a, long b, long c, long d)
{
	long r;

	__asm__ volatile(LX_TRAP : "=a"(r)
			 : "0"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
	return r;
}

static inline long lx_syscall5(long nr, long a, long b, long c, long d, long e)
{
	long r;

	__asm__ volatile(LX_TRAP : "=a"(r)
			 : "0"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return r;
}

/* The casts every caller would otherwise write: pointers and ints as long. */
#define LX0(nr)			lx_syscall0(nr)
#define LX1(nr, a)		lx_syscall1(nr, (long)(a))
#define LX2(nr, a, b)		lx_syscall2(nr, (long)(a), (long)(b))
#define LX3(nr, a, b, c)	lx_syscall3(nr, (long)(a), (long)(b), (long)(c))
#define LX4(nr, a, b, c, d)	lx_syscall4(nr, (long)(a), (long)(b), (long)(c), (long)(d))
#define LX5(nr, a, b, c, d, e)	lx_syscall5(nr, (long)(a), (long)(b), (long)(c), \
					    (long)(d), (long)(e))

/* Did a raw call fail?  Linux returns -1 ... -4095 for errors. */
static inline int lx_failed(long r)
{
	return (unsigned long)r > -(unsigned long)(LX_MAX_ERRNO + 1);
}

/* Sets errno to newlib's number for Linux error lx_err; returns -1. */
int __walnut_set_errno(long lx_err);

/* A raw result as POSIX wants it: the value, or -1 with errno set. */
static inline long lx_ret(long r)
{
	return lx_failed(r) ? __walnut_set_errno(-r) : r;
}

/* Sets errno to a newlib number the glue chose itself; returns -1. */
int __walnut_fail(int newlib_errno);

/*
 * Translations (xlat.c).  Each returns -1 for a value with no counterpart,
 * and the caller fails with EINVAL, as Linux does for an unknown number.
 */
int xlat_errno_from_linux(long lx_err);		/* never fails: EIO */
int xlat_sig_to_linux(int sig);			/* 0 -> 0 */
int xlat_sig_from_linux(int lx_sig);		/* 0 -> 0 */
void xlat_sigset_to_linux(const sigset_t *set, lx_sigset_t *lx_set);
void xlat_sigset_from_linux(const lx_sigset_t *lx_set, sigset_t *set);
int xlat_sighow_to_linux(int how);
long xlat_oflags_to_linux(int flags);
int xlat_oflags_from_linux(long lx_flags);
int xlat_fcntl_cmd_to_linux(int cmd);
int xlat_clock_to_linux(int clock_id);
int xlat_dirfd_to_linux(int dirfd);		/* AT_FDCWD; others as they are */
long xlat_atflags_to_linux(int flags);		/* -1: a bit Linux lacks */
int xlat_wstatus_from_linux(int lx_status);

/*
 * newlib's i686-elf build calls the plain names (read, sbrk, ...); other
 * newlib configurations call _read, _sbrk, ...  Both work: the underscore
 * name is a weak alias of the plain one.
 */
#define WALNUT_ALIAS(name, other) \
	extern __typeof(name) other __attribute__((weak, alias(#name), copy(name)))

#endif /* WALNUT_GLUE_H */
