/* include/syscall.h - system calls (kernel/syscall.c).
 *
 * User space enters with "int $0x80": the number in eax, up to six arguments
 * in ebx, ecx, edx, esi, edi, ebp (the Linux i386 ABI), and gets eax back: a
 * value, or -errno.  Numbers are Linux's (asm/unistd_32.h); docs/syscalls.md
 * lists them with Walnut's status.
 *
 * A file defines its system calls where the code they call lives, and
 * registers each with one line:
 *
 *	static long sys_getpid(void) { return current->pid; }
 *	SYSCALL(__NR_getpid, sys_getpid);
 *
 * The entries go to a linker section that syscall_init() turns into the
 * dispatch table (a number registered twice is a kernel bug: panic).  A
 * handler takes its arguments as the C types they are; every pointer
 * argument is a user pointer, to be used only through <uaccess.h>.  The
 * user's registers are current->tf (fork, execve, sigreturn need them).
 * An unknown number returns -ENOSYS and logs one line, the first time a
 * process makes it.
 */
#ifndef WALNUT_SYSCALL_H
#define WALNUT_SYSCALL_H

#include <types.h>

#define NR_SYSCALLS	512	/* past Linux i386's highest number (451 in 6.8) */
#define SYSCALL_VECTOR	0x80

typedef long (*syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
			   uint32_t);

struct syscall_entry {
	uint32_t nr;
	const char *name;
	syscall_fn fn;
};

/* The handlers are ordinary cdecl functions of 0-6 arguments; calling one
 * with six is safe on i386 (the caller pops them).  The double cast is what
 * tells gcc the signature change is meant. */
#define SYSCALL(nr_, fn_)						\
	static const struct syscall_entry __syscall_##nr_		\
	__section(".syscalls") __attribute__((used, aligned(4))) = {	\
		(nr_), #fn_, (syscall_fn)(void (*)(void))(fn_) }

void syscall_init(void);
struct trapframe;
void syscall_dispatch(struct trapframe *tf);
const char *syscall_name(uint32_t nr);	/* NULL if not implemented */

/* Linux i386 numbers of the calls Walnut has (asm/unistd_32.h). */
#define __NR_exit		1
#define __NR_fork		2
#define __NR_read		3
#define __NR_write		4
#define __NR_open		5
#define __NR_close		6
#define __NR_waitpid		7
#define __NR_creat		8
#define __NR_link		9
#define __NR_unlink		10
#define __NR_execve		11
#define __NR_chdir		12
#define __NR_time		13
#define __NR_mknod		14
#define __NR_chmod		15
#define __NR_lseek		19
#define __NR_getpid		20
#define __NR_getuid		24
#define __NR_ptrace		26
#define __NR_alarm		27
#define __NR_pause		29
#define __NR_access		33
#define __NR_sync		36
#define __NR_kill		37
#define __NR_rename		38
#define __NR_mkdir		39
#define __NR_rmdir		40
#define __NR_dup		41
#define __NR_pipe		42
#define __NR_times		43
#define __NR_brk		45
#define __NR_getgid		47
#define __NR_geteuid		49
#define __NR_getegid		50
#define __NR_ioctl		54
#define __NR_fcntl		55
#define __NR_setpgid		57
#define __NR_umask		60
#define __NR_dup2		63
#define __NR_getppid		64
#define __NR_getpgrp		65
#define __NR_setsid		66
#define __NR_setrlimit		75
#define __NR_getrlimit		76
#define __NR_getrusage		77
#define __NR_gettimeofday	78
#define __NR_symlink		83
#define __NR_readlink		85
#define __NR_reboot		88
#define __NR_mmap		90
#define __NR_munmap		91
#define __NR_truncate		92
#define __NR_ftruncate		93
#define __NR_fchmod		94
#define __NR_stat		106
#define __NR_lstat		107
#define __NR_fstat		108
#define __NR_wait4		114
#define __NR_fsync		118
#define __NR_sigreturn		119
#define __NR_uname		122
#define __NR_mprotect		125
#define __NR_getpgid		132
#define __NR_fchdir		133
#define __NR__llseek		140
#define __NR__newselect		142
#define __NR_msync		144
#define __NR_readv		145
#define __NR_writev		146
#define __NR_getsid		147
#define __NR_fdatasync		148
#define __NR_mlock		150
#define __NR_munlock		151
#define __NR_mlockall		152
#define __NR_munlockall		153
#define __NR_sched_yield	158
#define __NR_nanosleep		162
#define __NR_poll		168
#define __NR_rt_sigreturn	173
#define __NR_rt_sigaction	174
#define __NR_rt_sigprocmask	175
#define __NR_rt_sigpending	176
#define __NR_rt_sigsuspend	179
#define __NR_pread64		180
#define __NR_pwrite64		181
#define __NR_getcwd		183
#define __NR_ugetrlimit		191
#define __NR_mmap2		192
#define __NR_truncate64		193
#define __NR_ftruncate64	194
#define __NR_stat64		195
#define __NR_lstat64		196
#define __NR_fstat64		197
#define __NR_getuid32		199
#define __NR_getgid32		200
#define __NR_geteuid32		201
#define __NR_getegid32		202
#define __NR_madvise		219
#define __NR_getdents64		220
#define __NR_fcntl64		221
#define __NR_gettid		224
#define __NR_exit_group		252
#define __NR_set_tid_address	258
#define __NR_clock_gettime	265
#define __NR_clock_getres	266
#define __NR_openat		295
#define __NR_mkdirat		296
#define __NR_mknodat		297
#define __NR_fstatat64		300
#define __NR_unlinkat		301
#define __NR_renameat		302
#define __NR_linkat		303
#define __NR_symlinkat		304
#define __NR_readlinkat		305
#define __NR_fchmodat		306
#define __NR_faccessat		307
#define __NR_utimensat		320
#define __NR_dup3		330
#define __NR_pipe2		331
#define __NR_preadv		333
#define __NR_pwritev		334
#define __NR_prlimit64		340
#define __NR_renameat2		353
#define __NR_utimensat_time64	412
#define __NR_faccessat2		439

#endif
