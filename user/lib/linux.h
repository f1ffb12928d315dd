/*
 * user/lib/linux.h - the Linux i386 ABI, as the glue needs to see it.
 *
 * Walnut's kernel speaks Linux i386 (docs/userspace.md).  Where newlib's
 * headers give a name a different number or a structure a different layout,
 * the Linux version lives here, spelled LX_* / struct lx_*, and nowhere else;
 * xlat.c turns one into the other.  Things newlib has no opinion on (ioctl
 * numbers, termios bits, struct utsname, system-call numbers) are Linux's in
 * the public headers under user/include and are not repeated here.
 *
 * Private to user/lib: programs never include it.
 */
#ifndef WALNUT_LINUX_H
#define WALNUT_LINUX_H

#include <stdint.h>
#include <sys/syscall.h>

/*
 * errno values (asm-generic/errno-base.h, errno.h), as X(NAME, number): the
 * newlib name they mean, and Linux's number for it.  Newlib agrees up to
 * ERANGE (34) and differs almost everywhere after.
 */
#define LX_ERRNOS(X)							\
	X(EPERM, 1) X(ENOENT, 2) X(ESRCH, 3) X(EINTR, 4) X(EIO, 5)	\
	X(ENXIO, 6) X(E2BIG, 7) X(ENOEXEC, 8) X(EBADF, 9) X(ECHILD, 10)	\
	X(EAGAIN, 11) X(ENOMEM, 12) X(EACCES, 13) X(EFAULT, 14)		\
	X(ENOTBLK, 15) X(EBUSY, 16) X(EEXIST, 17) X(EXDEV, 18)		\
	X(ENODEV, 19) X(ENOTDIR, 20) X(EISDIR, 21) X(EINVAL, 22)	\
	X(ENFILE, 23) X(EMFILE, 24) X(ENOTTY, 25) X(ETXTBSY, 26)	\
	X(EFBIG, 27) X(ENOSPC, 28) X(ESPIPE, 29) X(EROFS, 30)		\
	X(EMLINK, 31) X(EPIPE, 32) X(EDOM, 33) X(ERANGE, 34)		\
	X(EDEADLK, 35) X(ENAMETOOLONG, 36) X(ENOLCK, 37) X(ENOSYS, 38)	\
	X(ENOTEMPTY, 39) X(ELOOP, 40) X(ENOMSG, 42) X(EIDRM, 43)	\
	X(ECHRNG, 44) X(EL2NSYNC, 45) X(EL3HLT, 46) X(EL3RST, 47)	\
	X(ELNRNG, 48) X(EUNATCH, 49) X(ENOCSI, 50) X(EL2HLT, 51)	\
	X(EBADE, 52) X(EBADR, 53) X(EXFULL, 54) X(ENOANO, 55)		\
	X(EBADRQC, 56) X(EBADSLT, 57) X(EBFONT, 59) X(ENOSTR, 60)	\
	X(ENODATA, 61) X(ETIME, 62) X(ENOSR, 63) X(ENONET, 64)		\
	X(ENOPKG, 65) X(EREMOTE, 66) X(ENOLINK, 67) X(EADV, 68)		\
	X(ESRMNT, 69) X(ECOMM, 70) X(EPROTO, 71) X(EMULTIHOP, 72)	\
	X(EDOTDOT, 73) X(EBADMSG, 74) X(EOVERFLOW, 75) X(ENOTUNIQ, 76)	\
	X(EBADFD, 77) X(EREMCHG, 78) X(ELIBACC, 79) X(ELIBBAD, 80)	\
	X(ELIBSCN, 81) X(ELIBMAX, 82) X(ELIBEXEC, 83) X(EILSEQ, 84)	\
	X(ERESTART, 85) X(ESTRPIPE, 86) X(EUSERS, 87) X(ENOTSOCK, 88)	\
	X(EDESTADDRREQ, 89) X(EMSGSIZE, 90) X(EPROTOTYPE, 91)		\
	X(ENOPROTOOPT, 92) X(EPROTONOSUPPORT, 93)			\
	X(ESOCKTNOSUPPORT, 94) X(EOPNOTSUPP, 95) X(EPFNOSUPPORT, 96)	\
	X(EAFNOSUPPORT, 97) X(EADDRINUSE, 98) X(EADDRNOTAVAIL, 99)	\
	X(ENETDOWN, 100) X(ENETUNREACH, 101) X(ENETRESET, 102)		\
	X(ECONNABORTED, 103) X(ECONNRESET, 104) X(ENOBUFS, 105)		\
	X(EISCONN, 106) X(ENOTCONN, 107) X(ESHUTDOWN, 108)		\
	X(ETOOMANYREFS, 109) X(ETIMEDOUT, 110) X(ECONNREFUSED, 111)	\
	X(EHOSTDOWN, 112) X(EHOSTUNREACH, 113) X(EALREADY, 114)		\
	X(EINPROGRESS, 115) X(ESTALE, 116) X(EUCLEAN, 117)		\
	X(ENOTNAM, 118) X(ENAVAIL, 119) X(EISNAM, 120) X(EREMOTEIO, 121)	\
	X(EDQUOT, 122) X(ENOMEDIUM, 123) X(EMEDIUMTYPE, 124)		\
	X(ECANCELED, 125) X(ENOKEY, 126) X(EKEYEXPIRED, 127)		\
	X(EKEYREVOKED, 128) X(EKEYREJECTED, 129) X(EOWNERDEAD, 130)	\
	X(ENOTRECOVERABLE, 131) X(ERFKILL, 132) X(EHWPOISON, 133)
#define LX_ERRNO_MAX	133

/* A system call failed iff it returned -1 ... -4095. */
#define LX_MAX_ERRNO	4095

/*
 * Signal numbers (asm/signal.h), X(NAME, number).  Newlib's generic numbers
 * agree up to SIGTERM (15) except SIGBUS (newlib 10), SIGUSR1 (30), SIGUSR2
 * (31) and SIGSYS (12); above 15 they are different throughout.
 */
#define LX_SIGNALS(X)							\
	X(SIGHUP, 1) X(SIGINT, 2) X(SIGQUIT, 3) X(SIGILL, 4)		\
	X(SIGTRAP, 5) X(SIGABRT, 6) X(SIGBUS, 7) X(SIGFPE, 8)		\
	X(SIGKILL, 9) X(SIGUSR1, 10) X(SIGSEGV, 11) X(SIGUSR2, 12)	\
	X(SIGPIPE, 13) X(SIGALRM, 14) X(SIGTERM, 15) X(SIGSTKFLT, 16)	\
	X(SIGCHLD, 17) X(SIGCONT, 18) X(SIGSTOP, 19) X(SIGTSTP, 20)	\
	X(SIGTTIN, 21) X(SIGTTOU, 22) X(SIGURG, 23) X(SIGXCPU, 24)	\
	X(SIGXFSZ, 25) X(SIGVTALRM, 26) X(SIGPROF, 27) X(SIGWINCH, 28)	\
	X(SIGIO, 29) X(SIGPWR, 30) X(SIGSYS, 31)
#define LX_NSIG		64	/* signals 1..64; 32..64 are real-time */

/* Bits of a Linux sigset_t: signal n is bit n-1 of a 64-bit word. */
typedef uint64_t lx_sigset_t;
#define LX_SIGSET_SIZE	8

/* rt_sigprocmask's how (asm-generic/signal-defs.h) */
#define LX_SIG_BLOCK	0
#define LX_SIG_UNBLOCK	1
#define LX_SIG_SETMASK	2

/* sa_flags (asm/signal.h), X(NAME, value).  Newlib's generic headers have
 * only SA_NOCLDSTOP, with Linux's value; <sys/signal.h> adds the others with
 * Linux's values too, so these pass unchanged (signal.c asserts it).
 * SA_SIGINFO is left out: newlib's struct sigaction has no sa_sigaction.
 * SA_SIGINFO and SA_RESTORER are the library's own business (signal.c). */
#define LX_SA_FLAGS(X)							\
	X(SA_NOCLDSTOP, 0x00000001) X(SA_NOCLDWAIT, 0x00000002)		\
	X(SA_ONSTACK, 0x08000000) X(SA_RESTART, 0x10000000)		\
	X(SA_NODEFER, 0x40000000) X(SA_RESETHAND, 0x80000000u)
#define LX_SA_SIGINFO	0x00000004
#define LX_SA_RESTORER	0x04000000

/* The kernel's struct sigaction, for rt_sigaction (not glibc's). */
struct lx_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	lx_sigset_t mask;
};

/* open flags (asm-generic/fcntl.h, octal), X(NAME, value).  The access
 * mode (O_RDONLY 0, O_WRONLY 1, O_RDWR 2) is the same in both. */
#define LX_OPEN_FLAGS(X)						\
	X(O_CREAT, 0100) X(O_EXCL, 0200) X(O_NOCTTY, 0400)		\
	X(O_TRUNC, 01000) X(O_APPEND, 02000) X(O_NONBLOCK, 04000)	\
	X(O_SYNC, 04010000) X(O_DIRECTORY, 0200000)			\
	X(O_NOFOLLOW, 0400000) X(O_CLOEXEC, 02000000)
#define LX_O_ACCMODE	03

/* The *at calls (linux/fcntl.h): the "current directory" descriptor, and
 * the flag bits, X(NAME, value).  AT_EACCESS and AT_REMOVEDIR share a
 * value: each call takes only its own. */
#define LX_AT_FDCWD	(-100)
#define LX_AT_FLAGS(X)							\
	X(AT_EACCESS, 0x200) X(AT_SYMLINK_NOFOLLOW, 0x100)		\
	X(AT_REMOVEDIR, 0x200) X(AT_SYMLINK_FOLLOW, 0x400)		\
	X(AT_EMPTY_PATH, 0x1000)

struct lx_timespec32 {		/* i386 struct timespec: 32-bit seconds */
	int32_t tv_sec;
	int32_t tv_nsec;
};

/* fcntl commands (asm-generic/fcntl.h), X(NAME, value).  FD_CLOEXEC is 1
 * in both. */
#define LX_FCNTL_CMDS(X)						\
	X(F_DUPFD, 0) X(F_GETFD, 1) X(F_SETFD, 2) X(F_GETFL, 3)		\
	X(F_SETFL, 4) X(F_SETOWN, 8) X(F_GETOWN, 9)			\
	X(F_DUPFD_CLOEXEC, 1030)

/* Clock ids (linux/time.h), X(NAME, value).  Newlib shows no name for
 * CLOCK_THREAD_CPUTIME_ID (3) unless it has POSIX threads. */
#define LX_CLOCKS(X)							\
	X(CLOCK_REALTIME, 0) X(CLOCK_MONOTONIC, 1)			\
	X(CLOCK_PROCESS_CPUTIME_ID, 2) X(CLOCK_MONOTONIC_RAW, 4)	\
	X(CLOCK_REALTIME_COARSE, 5)					\
	X(CLOCK_MONOTONIC_COARSE, 6) X(CLOCK_BOOTTIME, 7)

/* times(2) counts in USER_HZ ticks, 100 a second on every Linux. */
#define LX_USER_HZ	100

/* struct stat64 (asm/stat.h, i386): what stat64/lstat64/fstat64 fill. */
struct lx_stat64 {
	uint64_t st_dev;
	uint32_t __pad0;
	uint32_t __st_ino;		/* the low 32 bits of st_ino */
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint32_t __pad3;
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;		/* 512-byte units */
	uint32_t st_atime_sec, st_atime_nsec;
	uint32_t st_mtime_sec, st_mtime_nsec;
	uint32_t st_ctime_sec, st_ctime_nsec;
	uint64_t st_ino;
} __attribute__((packed));

/* What getdents64 packs into its buffer, one after another. */
struct lx_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;		/* of this whole record, 8-aligned */
	uint8_t d_type;			/* DT_*: same values as <dirent.h> */
	char d_name[];			/* NUL-terminated */
} __attribute__((packed));

/* reboot(2)'s magic numbers. */
#define LX_REBOOT_MAGIC1	0xfee1deadu
#define LX_REBOOT_MAGIC2	0x28121969u

#endif /* WALNUT_LINUX_H */
