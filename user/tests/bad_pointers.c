/*
 * bad_pointers - every system call that takes a pointer, given a bad one,
 * fails with EFAULT: it neither crashes the kernel nor touches memory the
 * caller does not own.
 *
 * Three bad addresses: 1 (the unmapped first page), 0xC0000000 (where
 * Walnut's kernel lives; user space on a 64-bit Linux host) and -1 (the
 * last byte of the address space, so any length wraps around).
 *
 * Each probe runs in a child and reports through its exit status, so a probe
 * that kills the caller cannot take the test with it.  Most probes must give
 * EFAULT.  The ones marked LIBC_MAY_TOUCH go through libc functions that
 * convert a structure in user space (struct stat, timespec, sigaction, sigset
 * or tms are copied to or from a libc-private layout before or after the
 * system call: glibc does this for 64-bit time_t, Walnut's glue where
 * newlib's layout differs from Linux's), so libc itself may fault first; for
 * those, death by SIGSEGV is accepted too (or SIGBUS: on a 64-bit Linux
 * host, libc's own store to -1 wraps past 4 GiB and is reported as SIGBUS).
 * Neither outcome is a crash of the kernel.
 */
#define _GNU_SOURCE	/* pipe2 in glibc */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <termios.h>
#include "testlib.h"

enum how { MUST_EFAULT, LIBC_MAY_TOUCH };

struct probe {
	const char *name;
	enum how how;
	long (*call)(void *bad);
};

static const char *self;
static char *const exec_env[] = { "WALNUT_BAD_POINTERS_EXECED=1", NULL };

/* Names inside the scratch directory the probes run in. */
#define FILE_NAME "file"
#define LINK_NAME "link"

/* --- the probes: each returns the call's result, errno set on -1 --- */

static long read_file(void *bad)
{
	return read(open(FILE_NAME, O_RDONLY), bad, 16);
}

static long write_file(void *bad)
{
	return write(open(FILE_NAME, O_WRONLY), bad, 16);
}

static long read_pipe(void *bad)
{
	int fds[2];

	if (pipe(fds) != 0 || write(fds[1], "sixteen bytes...", 16) != 16)
		return -2;
	return read(fds[0], bad, 16);
}

static long write_pipe(void *bad)
{
	int fds[2];

	if (pipe(fds) != 0)
		return -2;
	return write(fds[1], bad, 16);
}

static long open_path(void *bad) { return open(bad, O_RDONLY); }
static long open_creat_path(void *bad) { return open(bad, O_WRONLY | O_CREAT, 0644); }
static long stat_path(void *bad) { struct stat st; return stat(bad, &st); }
static long lstat_path(void *bad) { struct stat st; return lstat(bad, &st); }
static long stat_buf(void *bad) { return stat(FILE_NAME, bad); }
static long lstat_buf(void *bad) { return lstat(LINK_NAME, bad); }
static long fstat_buf(void *bad) { return fstat(open(FILE_NAME, O_RDONLY), bad); }
static long mkdir_path(void *bad) { return mkdir(bad, 0755); }
static long rmdir_path(void *bad) { return rmdir(bad); }
static long unlink_path(void *bad) { return unlink(bad); }
static long rename_old(void *bad) { return rename(bad, "renamed"); }
static long rename_new(void *bad) { return rename(FILE_NAME, bad); }
static long link_old(void *bad) { return link(bad, "linked"); }
static long link_new(void *bad) { return link(FILE_NAME, bad); }
static long symlink_target(void *bad) { return symlink(bad, "symlinked"); }
static long symlink_path(void *bad) { return symlink(FILE_NAME, bad); }
static long readlink_path(void *bad) { char buf[64]; return readlink(bad, buf, sizeof(buf)); }
static long readlink_buf(void *bad) { return readlink(LINK_NAME, bad, 64); }
static long chdir_path(void *bad) { return chdir(bad); }
static long access_path(void *bad) { return access(bad, F_OK); }
static long creat_path(void *bad) { return creat(bad, 0644); }
static long getcwd_buf(void *bad) { return getcwd(bad, 256) ? 0 : -1; }
static long pipe_fds(void *bad) { return pipe(bad); }
static long uname_buf(void *bad) { return uname(bad); }

static long sigaction_act(void *bad) { return sigaction(SIGUSR1, bad, NULL); }
static long sigaction_oldact(void *bad) { return sigaction(SIGUSR1, NULL, bad); }
static long sigprocmask_set(void *bad) { return sigprocmask(SIG_BLOCK, bad, NULL); }
static long sigprocmask_oldset(void *bad) { return sigprocmask(SIG_BLOCK, NULL, bad); }
static long nanosleep_req(void *bad) { return nanosleep(bad, NULL); }
static long gettimeofday_tv(void *bad) { return gettimeofday(bad, NULL); }
static long clock_gettime_ts(void *bad) { return clock_gettime(CLOCK_MONOTONIC, bad); }
static long times_buf(void *bad) { return times(bad) == (clock_t)-1 ? -1 : 0; }
static long time_ptr(void *bad) { return time(bad) == (time_t)-1 ? -1 : 0; }

/* The status pointer of waitpid: Linux reaps the child and then reports
 * EFAULT; a kernel may also refuse before reaping.  Either way no zombie
 * is left behind. */
static long waitpid_status(void *bad)
{
	pid_t pid = fork();
	long ret;
	int err;

	if (pid == 0)
		_exit(0);
	ret = waitpid(pid, bad, 0);
	err = errno;
	waitpid(pid, NULL, 0);
	errno = err;
	return ret;
}

static long execve_path(void *bad)
{
	char *argv[] = { (char *)self, NULL };

	return execve(bad, argv, exec_env);
}

static long execve_argv(void *bad)
{
	return execve(self, bad, exec_env);
}

static long execve_argv_element(void *bad)
{
	char *argv[] = { (char *)self, bad, NULL };

	return execve(self, argv, exec_env);
}

static long execve_envp(void *bad)
{
	char *argv[] = { (char *)self, NULL };

	return execve(self, argv, bad);
}

/* pread/pwrite, the vector calls and the *at calls: each fails before it
 * changes anything. */
static long pread_buf(void *bad) { return pread(open(FILE_NAME, O_RDONLY), bad, 16, 0); }
static long pwrite_buf(void *bad) { return pwrite(open(FILE_NAME, O_WRONLY), bad, 16, 0); }
static long readv_vector(void *bad) { return readv(open(FILE_NAME, O_RDONLY), bad, 1); }
static long writev_vector(void *bad) { return writev(open(FILE_NAME, O_WRONLY), bad, 1); }

static long readv_base(void *bad)
{
	struct iovec iov = { bad, 16 };

	return readv(open(FILE_NAME, O_RDONLY), &iov, 1);
}

static long writev_base(void *bad)
{
	struct iovec iov = { bad, 16 };

	return writev(open(FILE_NAME, O_WRONLY), &iov, 1);
}

static long openat_path(void *bad) { return openat(AT_FDCWD, bad, O_RDONLY); }
static long mkdirat_path(void *bad) { return mkdirat(AT_FDCWD, bad, 0755); }
static long mknod_path(void *bad) { return mknod(bad, S_IFIFO | 0600, 0); }
static long fstatat_path(void *bad) { struct stat st; return fstatat(AT_FDCWD, bad, &st, 0); }
static long fstatat_buf(void *bad) { return fstatat(AT_FDCWD, FILE_NAME, bad, 0); }
static long chmod_path(void *bad) { return chmod(bad, 0644); }
static long fchmodat_path(void *bad) { return fchmodat(AT_FDCWD, bad, 0644, 0); }
static long faccessat_path(void *bad) { return faccessat(AT_FDCWD, bad, F_OK, 0); }
static long linkat_old(void *bad) { return linkat(AT_FDCWD, bad, AT_FDCWD, "linked", 0); }
static long linkat_new(void *bad) { return linkat(AT_FDCWD, FILE_NAME, AT_FDCWD, bad, 0); }
static long symlinkat_path(void *bad) { return symlinkat(FILE_NAME, AT_FDCWD, bad); }
static long readlinkat_buf(void *bad) { return readlinkat(AT_FDCWD, LINK_NAME, bad, 64); }
static long renameat_old(void *bad) { return renameat(AT_FDCWD, bad, AT_FDCWD, "renamed"); }
static long renameat_new(void *bad) { return renameat(AT_FDCWD, FILE_NAME, AT_FDCWD, bad); }
static long unlinkat_path(void *bad) { return unlinkat(AT_FDCWD, bad, 0); }
static long utimensat_path(void *bad) { return utimensat(AT_FDCWD, bad, NULL, 0); }
static long utimensat_times(void *bad) { return utimensat(AT_FDCWD, FILE_NAME, bad, 0); }
static long pipe2_fds(void *bad) { return pipe2(bad, O_CLOEXEC); }

static long ioctl_tiocgwinsz(void *bad) { return ioctl(0, TIOCGWINSZ, bad); }
#ifdef TCGETS
static long ioctl_tcgets(void *bad) { return ioctl(0, TCGETS, bad); }
#endif

static const struct probe probes[] = {
	{ "read_file_buf", MUST_EFAULT, read_file },
	{ "write_file_buf", MUST_EFAULT, write_file },
	{ "read_pipe_buf", MUST_EFAULT, read_pipe },
	{ "write_pipe_buf", MUST_EFAULT, write_pipe },
	{ "open_path", MUST_EFAULT, open_path },
	{ "open_creat_path", MUST_EFAULT, open_creat_path },
	{ "creat_path", MUST_EFAULT, creat_path },
	{ "stat_path", MUST_EFAULT, stat_path },
	{ "lstat_path", MUST_EFAULT, lstat_path },
	{ "stat_buf", LIBC_MAY_TOUCH, stat_buf },
	{ "lstat_buf", LIBC_MAY_TOUCH, lstat_buf },
	{ "fstat_buf", LIBC_MAY_TOUCH, fstat_buf },
	{ "mkdir_path", MUST_EFAULT, mkdir_path },
	{ "rmdir_path", MUST_EFAULT, rmdir_path },
	{ "unlink_path", MUST_EFAULT, unlink_path },
	{ "rename_old_path", MUST_EFAULT, rename_old },
	{ "rename_new_path", MUST_EFAULT, rename_new },
	{ "link_old_path", MUST_EFAULT, link_old },
	{ "link_new_path", MUST_EFAULT, link_new },
	{ "symlink_target", MUST_EFAULT, symlink_target },
	{ "symlink_path", MUST_EFAULT, symlink_path },
	{ "readlink_path", MUST_EFAULT, readlink_path },
	{ "readlink_buf", MUST_EFAULT, readlink_buf },
	{ "chdir_path", MUST_EFAULT, chdir_path },
	{ "access_path", MUST_EFAULT, access_path },
	{ "getcwd_buf", MUST_EFAULT, getcwd_buf },
	{ "pipe_fds", MUST_EFAULT, pipe_fds },
	{ "waitpid_status", MUST_EFAULT, waitpid_status },
	{ "uname_buf", MUST_EFAULT, uname_buf },
	{ "execve_path", MUST_EFAULT, execve_path },
	{ "execve_argv", MUST_EFAULT, execve_argv },
	{ "execve_argv_element", MUST_EFAULT, execve_argv_element },
	{ "execve_envp", MUST_EFAULT, execve_envp },
	{ "sigaction_act", LIBC_MAY_TOUCH, sigaction_act },
	{ "sigaction_oldact", LIBC_MAY_TOUCH, sigaction_oldact },
	{ "sigprocmask_set", LIBC_MAY_TOUCH, sigprocmask_set },
	{ "sigprocmask_oldset", LIBC_MAY_TOUCH, sigprocmask_oldset },
	{ "nanosleep_req", LIBC_MAY_TOUCH, nanosleep_req },
	{ "gettimeofday_tv", LIBC_MAY_TOUCH, gettimeofday_tv },
	{ "clock_gettime_ts", LIBC_MAY_TOUCH, clock_gettime_ts },
	{ "times_buf", LIBC_MAY_TOUCH, times_buf },
	{ "time_ptr", LIBC_MAY_TOUCH, time_ptr },
	{ "pread_buf", MUST_EFAULT, pread_buf },
	{ "pwrite_buf", MUST_EFAULT, pwrite_buf },
	{ "readv_vector", MUST_EFAULT, readv_vector },
	{ "writev_vector", MUST_EFAULT, writev_vector },
	{ "readv_base", MUST_EFAULT, readv_base },
	{ "writev_base", MUST_EFAULT, writev_base },
	{ "openat_path", MUST_EFAULT, openat_path },
	{ "mkdirat_path", MUST_EFAULT, mkdirat_path },
	{ "mknod_path", MUST_EFAULT, mknod_path },
	{ "fstatat_path", MUST_EFAULT, fstatat_path },
	{ "fstatat_buf", LIBC_MAY_TOUCH, fstatat_buf },
	{ "chmod_path", MUST_EFAULT, chmod_path },
	{ "fchmodat_path", MUST_EFAULT, fchmodat_path },
	{ "faccessat_path", MUST_EFAULT, faccessat_path },
	{ "linkat_old_path", MUST_EFAULT, linkat_old },
	{ "linkat_new_path", MUST_EFAULT, linkat_new },
	{ "symlinkat_path", MUST_EFAULT, symlinkat_path },
	{ "readlinkat_buf", MUST_EFAULT, readlinkat_buf },
	{ "renameat_old_path", MUST_EFAULT, renameat_old },
	{ "renameat_new_path", MUST_EFAULT, renameat_new },
	{ "unlinkat_path", MUST_EFAULT, unlinkat_path },
	{ "utimensat_path", MUST_EFAULT, utimensat_path },
	{ "utimensat_times", LIBC_MAY_TOUCH, utimensat_times },
	{ "pipe2_fds", MUST_EFAULT, pipe2_fds },
};

static const struct probe tty_probes[] = {
	{ "ioctl_tiocgwinsz", MUST_EFAULT, ioctl_tiocgwinsz },
#ifdef TCGETS
	{ "ioctl_tcgets", MUST_EFAULT, ioctl_tcgets },
#endif
};

static void *const bad_addrs[] = { (void *)1, (void *)0xC0000000u, (void *)-1 };
static const char *const bad_addr_names[] = { "addr_1", "addr_kernel", "addr_minus_1" };

static int make_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = write_full(fd, "0123456789abcdef0123456789abcdef", 32) == 32;

	close(fd);
	return ok;
}

/* Child exit codes: 0 EFAULT, 1 the call succeeded, 2 + errno otherwise. */
static int run_probe(const struct probe *p, void *bad)
{
	long ret;

	errno = 0;
	ret = p->call(bad);
	if (ret != -1)
		return 1;
	if (errno == EFAULT)
		return 0;
	return errno < 250 ? 2 + errno : 255;
}

static char segv_list[512];

static void check_probe(const struct probe *p, int addr)
{
	char name[96];
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(run_probe(p, bad_addrs[addr]));
	snprintf(name, sizeof(name), "bad_pointers_%s_%s", p->name, bad_addr_names[addr]);
	if (pid < 0 || wait_for(pid, &status) != pid) {
		check_errno(name, 0, "fork or wait");
		return;
	}
	if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS) &&
	    p->how == LIBC_MAY_TOUCH) {
		if (addr == 0 && strlen(segv_list) + strlen(p->name) + 2 < sizeof(segv_list))
			strcat(strcat(segv_list, " "), p->name);
		check(name, 1, "libc faulted");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) >= 2) {
		check(name, 0, "errno %d (%s), want EFAULT", WEXITSTATUS(status) - 2,
		      strerror(WEXITSTATUS(status) - 2));
	} else {
		check(name, WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s",
		      WIFEXITED(status) ? "the call succeeded" : status_str(status));
	}
}

static void check_all(const struct probe *list, int n)
{
	for (int i = 0; i < n; i++)
		for (int a = 0; a < 3; a++)
			check_probe(&list[i], a);
}

int main(int argc, char **argv)
{
	char dir[128], home[512], self_path[1024];

	/* A probe's execve should fail; if one ever succeeds, stop here rather
	 * than run the whole test again inside the probe. */
	if (getenv("WALNUT_BAD_POINTERS_EXECED"))
		return 99;
	if (!getcwd(home, sizeof(home)) || argc < 1) {
		check_errno("bad_pointers_setup", 0, "getcwd");
		return test_exit_code();
	}
	/* The probes run in the scratch directory: keep argv[0] reachable. */
	snprintf(self_path, sizeof(self_path), "%s%s%s", argv[0][0] == '/' ? "" : home,
		 argv[0][0] == '/' ? "" : "/", argv[0]);
	self = self_path;
	scratch_path(dir, sizeof(dir), "badptr");
	if (mkdir(dir, 0755) != 0 || chdir(dir) != 0 ||
	    !make_file(FILE_NAME) || symlink(FILE_NAME, LINK_NAME) != 0) {
		check_errno("bad_pointers_setup", 0, "%s", dir);
		return test_exit_code();
	}
	check_all(probes, sizeof(probes) / sizeof(probes[0]));
	if (isatty(0))
		check_all(tty_probes, sizeof(tty_probes) / sizeof(tty_probes[0]));
	else
		note("stdin is not a tty: ioctl probes skipped");
	if (segv_list[0])
		note("libc faulted before the kernel in:%s", segv_list);
	expect_exit("bad_pointers_fork_still_works", spawn(child_exit_zero, NULL), 0);
	unlink(LINK_NAME);
	unlink(FILE_NAME);
	check_errno("bad_pointers_scratch_dir_left_empty", chdir(home) == 0 && rmdir(dir) == 0,
	      "rmdir %s", dir);
	return test_exit_code();
}
