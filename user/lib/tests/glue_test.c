/*
 * glue_test - the Linux-ABI glue under newlib, checked on Linux itself.
 *
 * `make user-glue-check` links this against libwalnut.a and newlib, exactly
 * as a Walnut program, and runs it on the build host: Walnut's system calls
 * are Linux i386's, so every translation in user/lib (errno values, open
 * flags, fcntl commands, signal numbers and sets, wait statuses, struct stat,
 * dirents, clocks, termios, mmap flags, ptrace's conventions, 64-bit
 * offsets) is checked against the real thing.  The same
 * program runs on Walnut too, from a directory it may write in.
 *
 * Prints one line per check, "TEST <name> PASS" or "TEST <name> FAIL
 * <detail>", and exits 0 iff every check passed.  Scratch files live in
 * ./glue.tmp, removed at the end; "glue_test -C DIR" works in DIR instead
 * of the current directory (make check runs "-C /tmp" in Walnut, where
 * init's directory is /).  Lines go out with one write(2) each, so
 * nothing is buffered twice across a fork.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#define DIR_T	"glue.tmp"

static int failures, passes;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[300];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(1, line, (size_t)n) != n)
		_exit(3);
}

/* Reports a check; detail (printf-style) is printed only on failure. */
static int ok(const char *name, int cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int ok(const char *name, int cond, const char *fmt, ...)
{
	char detail[200] = "";
	va_list ap;

	if (!cond) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
		failures++;
		say("TEST %s FAIL %s", name, detail);
	} else {
		passes++;
		say("TEST %s PASS", name);
	}
	return cond;
}

/* A call that must fail with -1 and errno `want`. */
static int fails_with(const char *name, long ret, int want)
{
	int err = errno;

	return ok(name, ret == -1 && err == want, "returned %ld errno %d (%s), want %d (%s)",
		  ret, err, strerror(err), want, strerror(want));
}

static void put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		say("# put_file %s: %s", path, strerror(errno));
	close(fd);
}

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- open flags -------------------------------------------------------- */

static void test_open_flags(void)
{
	char buf[32] = "";
	int fd, fl;

	fd = open(DIR_T "/f", O_WRONLY | O_CREAT | O_EXCL, 0600);
	ok("open_creat_excl_creates", fd >= 0, "%s", strerror(errno));
	ok("write_whole", write(fd, "hello", 5) == 5, "%s", strerror(errno));
	close(fd);
	fails_with("open_creat_excl_eexist", open(DIR_T "/f", O_WRONLY | O_CREAT | O_EXCL, 0600), EEXIST);

	fd = open(DIR_T "/f", O_WRONLY | O_APPEND);
	fl = fcntl(fd, F_GETFL);
	ok("fcntl_getfl_append_wronly", fl >= 0 && (fl & O_APPEND) && (fl & O_ACCMODE) == O_WRONLY,
	   "flags %#x", fl);
	ok("fcntl_getfl_no_stray_flags", (fl & (O_CREAT | O_TRUNC | O_EXCL | O_NONBLOCK)) == 0,
	   "flags %#x", fl);
	lseek(fd, 0, SEEK_SET);
	write(fd, " world", 6);
	close(fd);
	fd = open(DIR_T "/f", O_RDONLY);
	ok("open_append_writes_at_end", read(fd, buf, sizeof(buf)) == 11 && !strcmp(buf, "hello world"),
	   "read \"%s\"", buf);
	close(fd);

	fd = open(DIR_T "/f", O_RDWR | O_TRUNC);
	ok("open_trunc_empties", fd >= 0 && lseek(fd, 0, SEEK_END) == 0, "%s", strerror(errno));
	ok("fcntl_getfl_rdwr", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "%s", "no");
	close(fd);

	fd = open(DIR_T "/f", O_RDONLY | O_CLOEXEC);
	ok("open_cloexec_sets_fd_cloexec", fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_GETFD %d",
	   fcntl(fd, F_GETFD));
	close(fd);
	fails_with("open_directory_on_file_enotdir", open(DIR_T "/f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	fd = open(DIR_T, O_RDONLY | O_DIRECTORY);
	ok("open_directory_on_dir", fd >= 0, "%s", strerror(errno));
	close(fd);
	fd = creat(DIR_T "/c", 0644);
	ok("creat_write_only", fd >= 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY, "%s", "no");
	close(fd);
	unlink(DIR_T "/c");
}

/* --- errno names --------------------------------------------------------- */

static void test_errno_names(void)
{
	char longname[300];

	fails_with("errno_enoent", open(DIR_T "/missing", O_RDONLY), ENOENT);
	fails_with("errno_eexist", mkdir(DIR_T, 0755), EEXIST);
	fails_with("errno_enotdir", open(DIR_T "/f/x", O_RDONLY), ENOTDIR);
	fails_with("errno_eisdir", open(DIR_T, O_WRONLY), EISDIR);
	mkdir(DIR_T "/full", 0755);
	put_file(DIR_T "/full/x", "x");
	fails_with("errno_enotempty", rmdir(DIR_T "/full"), ENOTEMPTY);
	unlink(DIR_T "/full/x");
	ok("rmdir_empty", rmdir(DIR_T "/full") == 0, "%s", strerror(errno));
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	fails_with("errno_enametoolong", open(longname, O_RDONLY), ENAMETOOLONG);
	fails_with("errno_ebadf", close(-1), EBADF);
	fails_with("errno_ebadf_read", read(999, longname, 1), EBADF);
	{
		int fd = open(DIR_T "/f", O_RDONLY);

		put_file(DIR_T "/f", "data");
		fails_with("errno_efault", read(fd, (void *)16, 4), EFAULT);
		close(fd);
	}
	symlink("loop2", DIR_T "/loop1");
	symlink("loop1", DIR_T "/loop2");
	fails_with("errno_eloop", open(DIR_T "/loop1", O_RDONLY), ELOOP);
	fails_with("errno_enosys", syscall(9999), ENOSYS);
	ok("strerror_enotempty_is_newlibs", strstr(strerror(ENOTEMPTY), "not empty") != NULL,
	   "\"%s\"", strerror(ENOTEMPTY));
	ok("syscall_getpid", syscall(SYS_getpid) == getpid(), "%s", "no");
}

/* --- stat ------------------------------------------------------------------ */

static void test_stat(void)
{
	struct stat st, lst, fst, st2;
	time_t now = time(NULL);
	int fd, fds[2];

	put_file(DIR_T "/s", "0123456789");
	ok("stat_ok", stat(DIR_T "/s", &st) == 0, "%s", strerror(errno));
	ok("stat_size", st.st_size == 10, "size %ld", (long)st.st_size);
	ok("stat_is_reg", S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode), "mode %#o", (unsigned)st.st_mode);
	{
		mode_t mask = umask(0);

		umask(mask);
		ok("stat_perm_bits", (st.st_mode & 0777) == (0644 & ~mask), "mode %#o",
		   (unsigned)st.st_mode);
	}
	ok("stat_nlink_1", st.st_nlink == 1, "nlink %u", (unsigned)st.st_nlink);
	ok("stat_mtime_now", st.st_mtime >= now - 5 && st.st_mtime <= now + 5,
	   "mtime %ld now %ld", (long)st.st_mtime, (long)now);
	ok("stat_blocks", st.st_blocks >= 0 && st.st_blksize > 0, "blocks %ld blksize %ld",
	   (long)st.st_blocks, (long)st.st_blksize);
	ok("link_ok", link(DIR_T "/s", DIR_T "/s2") == 0, "%s", strerror(errno));
	stat(DIR_T "/s2", &st2);
	stat(DIR_T "/s", &st);
	ok("stat_hard_link_same_inode", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev &&
	   st.st_nlink == 2, "ino %lu/%lu nlink %u", (unsigned long)st.st_ino,
	   (unsigned long)st2.st_ino, (unsigned)st.st_nlink);
	unlink(DIR_T "/s2");

	symlink("s", DIR_T "/sl");
	ok("lstat_is_lnk", lstat(DIR_T "/sl", &lst) == 0 && S_ISLNK(lst.st_mode) &&
	   lst.st_size == 1, "mode %#o", (unsigned)lst.st_mode);
	ok("stat_follows_link", stat(DIR_T "/sl", &st2) == 0 && st2.st_ino == st.st_ino, "%s", "no");
	{
		char target[16] = "";

		ok("readlink", readlink(DIR_T "/sl", target, sizeof(target)) == 1 &&
		   target[0] == 's', "\"%s\"", target);
	}
	fd = open(DIR_T "/s", O_RDONLY);
	ok("fstat_matches_stat", fstat(fd, &fst) == 0 && fst.st_ino == st.st_ino &&
	   fst.st_size == 10, "%s", "no");
	close(fd);
	ok("stat_dir", stat(DIR_T, &st) == 0 && S_ISDIR(st.st_mode), "%s", "no");
	pipe(fds);
	ok("fstat_pipe_is_fifo", fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode), "mode %#o",
	   (unsigned)st.st_mode);
	close(fds[0]);
	close(fds[1]);
	if (stat("/dev/null", &st) == 0)
		ok("stat_dev_null_is_chr", S_ISCHR(st.st_mode), "mode %#o", (unsigned)st.st_mode);
	fails_with("stat_missing_enoent", stat(DIR_T "/nope", &st), ENOENT);
}

/* --- directories, paths ---------------------------------------------------- */

static void test_readdir(void)
{
	int seen_dot = 0, seen_a = 0, seen_sub = 0, n1 = 0, n2 = 0, type_ok = 1;
	struct dirent *de;
	struct stat st;
	DIR *d;

	mkdir(DIR_T "/d", 0755);
	mkdir(DIR_T "/d/sub", 0755);
	put_file(DIR_T "/d/a", "a");
	stat(DIR_T "/d/a", &st);
	d = opendir(DIR_T "/d");
	if (!ok("opendir", d != NULL, "%s", strerror(errno)))
		return;
	errno = 0;
	while ((de = readdir(d))) {
		n1++;
		if (!strcmp(de->d_name, "."))
			seen_dot = de->d_type == DT_DIR || de->d_type == DT_UNKNOWN;
		if (!strcmp(de->d_name, "a")) {
			seen_a = de->d_ino == st.st_ino;
			type_ok &= de->d_type == DT_REG || de->d_type == DT_UNKNOWN;
		}
		if (!strcmp(de->d_name, "sub")) {
			seen_sub = 1;
			type_ok &= de->d_type == DT_DIR || de->d_type == DT_UNKNOWN;
		}
	}
	ok("readdir_end_errno_0", errno == 0, "%s", strerror(errno));
	ok("readdir_sees_all", n1 == 4 && seen_dot && seen_a && seen_sub,
	   "%d entries, . %d a %d sub %d", n1, seen_dot, seen_a, seen_sub);
	ok("readdir_d_type", type_ok, "%s", "no");
	rewinddir(d);
	while (readdir(d))
		n2++;
	ok("rewinddir", n2 == n1, "%d then %d", n1, n2);
	ok("closedir", closedir(d) == 0, "%s", "no");
	ok("opendir_file_enotdir", opendir(DIR_T "/f") == NULL && errno == ENOTDIR, "%s",
	   strerror(errno));
	unlink(DIR_T "/d/a");
	rmdir(DIR_T "/d/sub");
	rmdir(DIR_T "/d");
}

static void test_paths(void)
{
	char here[PATH_MAX], there[PATH_MAX], *mem;
	struct stat st;
	mode_t old;
	int fd;

	ok("getcwd", getcwd(here, sizeof(here)) != NULL, "%s", strerror(errno));
	ok("chdir", chdir(DIR_T) == 0, "%s", strerror(errno));
	getcwd(there, sizeof(there));
	ok("getcwd_after_chdir", strlen(there) > strlen(here) &&
	   !strcmp(there + strlen(there) - strlen(DIR_T), DIR_T), "\"%s\"", there);
	mem = getcwd(NULL, 0);
	ok("getcwd_null_allocates", mem && !strcmp(mem, there), "%s", "no");
	free(mem);
	ok("getcwd_small_erange", getcwd(there, 2) == NULL && errno == ERANGE, "errno %d", errno);
	chdir("..");
	ok("access_f_ok", access(DIR_T "/f", F_OK) == 0, "%s", "no");
	fails_with("access_missing", access(DIR_T "/none", F_OK), ENOENT);
	ok("rename", rename(DIR_T "/f", DIR_T "/g") == 0 && access(DIR_T "/g", F_OK) == 0 &&
	   access(DIR_T "/f", F_OK) == -1, "%s", "no");
	rename(DIR_T "/g", DIR_T "/f");
	old = umask(077);
	fd = open(DIR_T "/u", O_CREAT | O_WRONLY, 0666);
	fstat(fd, &st);
	ok("umask_applies", (st.st_mode & 0777) == 0600, "mode %#o", (unsigned)st.st_mode);
	ok("umask_returns_old", umask(old) == 077, "%s", "no");
	close(fd);
	ok("chmod", chmod(DIR_T "/u", 0640) == 0 && stat(DIR_T "/u", &st) == 0 &&
	   (st.st_mode & 0777) == 0640, "%s", strerror(errno));
	unlink(DIR_T "/u");
}

/* --- processes, wait statuses -------------------------------------------- */

static int reap(pid_t pid, int options)
{
	int status = -1;

	while (waitpid(pid, &status, options) < 0 && errno == EINTR)
		;
	return status;
}

static void test_wait_status(void)
{
	pid_t pid, parent = getpid();
	int st;

	pid = fork();
	if (pid == 0)
		_exit(getppid() == parent ? 42 : 1);
	st = reap(pid, 0);
	ok("wait_exit_status", WIFEXITED(st) && WEXITSTATUS(st) == 42 && !WIFSIGNALED(st),
	   "status %#x", st);

	static const struct { const char *name; int sig; } killers[] = {
		{ "wait_killed_sigterm", SIGTERM }, { "wait_killed_sigkill", SIGKILL },
		{ "wait_killed_sigusr1", SIGUSR1 }, { "wait_killed_sigusr2", SIGUSR2 },
		{ "wait_killed_sigbus", SIGBUS }, { "wait_killed_sigsys", SIGSYS },
	};
	for (size_t i = 0; i < sizeof(killers) / sizeof(killers[0]); i++) {
		pid = fork();
		if (pid == 0) {
			for (;;)
				pause();
		}
		kill(pid, killers[i].sig);
		st = reap(pid, 0);
		ok(killers[i].name, WIFSIGNALED(st) && WTERMSIG(st) == killers[i].sig &&
		   !WIFEXITED(st), "status %#x, want signal %d", st, killers[i].sig);
	}

	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	ok("waitpid_wnohang_running", waitpid(pid, &st, WNOHANG) == 0, "%s", "no");
	kill(pid, SIGSTOP);
	st = reap(pid, WUNTRACED);
	ok("wait_stopped_sigstop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "status %#x", st);
	kill(pid, SIGCONT);
	st = reap(pid, WCONTINUED);
	ok("wait_continued", WIFCONTINUED(st), "status %#x", st);
	kill(pid, SIGKILL);
	reap(pid, 0);
	fails_with("wait_no_children_echild", wait(&st), ECHILD);
	fails_with("kill_bad_signal_einval", kill(getpid(), 1000), EINVAL);
	ok("kill_0_probes", kill(getpid(), 0) == 0, "%s", "no");

	pid = fork();
	if (pid == 0)
		_exit(setpgid(0, 0) == 0 && getpgrp() == getpid() && getpgid(0) == getpid() ? 0 : 1);
	st = reap(pid, 0);
	ok("setpgid_getpgrp", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}

/* Role of the re-executed program: check what crt0 handed main. */
static int child_check_args(int argc, char **argv, char **envp)
{
	extern char **environ;

	if (argc != 4 || strcmp(argv[2], "two words") || strcmp(argv[3], "") || argv[4])
		return 10;
	if (environ != envp || !getenv("GLUE_VAR") || strcmp(getenv("GLUE_VAR"), "a=b"))
		return 11;
	return 0;
}

static void test_exec(const char *self)
{
	char *argv[] = { (char *)self, "--child-args", "two words", "", NULL };
	char *envp[] = { "GLUE_VAR=a=b", "PATH=/bin", NULL };
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		execve(self, argv, envp);
		_exit(20);
	}
	st = reap(pid, 0);
	ok("execve_argv_envp_reach_main", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);

	pid = fork();
	if (pid == 0) {
		setenv("PATH", "/nonexistent:" DIR_T ":/bin:/usr/bin", 1);
		execlp("true", "true", (char *)NULL);
		_exit(21);
	}
	st = reap(pid, 0);
	ok("execlp_searches_path", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);

	pid = fork();
	if (pid == 0) {
		execlp("glue-no-such-program", "x", (char *)NULL);
		_exit(errno == ENOENT ? 0 : 22);
	}
	st = reap(pid, 0);
	ok("execvp_missing_enoent", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	fails_with("execve_missing_enoent", execve(DIR_T "/none", argv, envp), ENOENT);
}

/* --- signals ------------------------------------------------------------- */

static volatile sig_atomic_t got_sig, got_count;

static void on_signal(int sig)
{
	got_sig = sig;
	got_count++;
}

static void test_signals(void)
{
	struct sigaction sa, old;
	sigset_t set, cur, pend;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	ok("sigaction_install", sigaction(SIGUSR1, &sa, NULL) == 0, "%s", strerror(errno));
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	got_sig = got_count = 0;
	kill(getpid(), SIGUSR1);
	ok("handler_gets_newlib_sigusr1", got_sig == SIGUSR1 && got_count == 1, "got %d", (int)got_sig);
	raise(SIGUSR2);
	ok("handler_gets_newlib_sigusr2", got_sig == SIGUSR2, "got %d", (int)got_sig);
	got_sig = 0;
	pid = fork();
	if (pid == 0)
		_exit(0);
	reap(pid, 0);
	ok("handler_gets_newlib_sigchld", got_sig == SIGCHLD, "got %d", (int)got_sig);
	signal(SIGCHLD, SIG_DFL);

	ok("sigaction_oact_handler", sigaction(SIGUSR1, NULL, &old) == 0 &&
	   old.sa_handler == on_signal, "%s", "no");
	ok("signal_returns_previous", signal(SIGUSR1, SIG_IGN) == on_signal, "%s", "no");
	got_count = 0;
	raise(SIGUSR1);
	ok("sig_ign_ignores", got_count == 0, "%s", "no");
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	ok("sa_resethand_resets", got_count == 1 && old.sa_handler == SIG_DFL, "count %d",
	   (int)got_count);

	/* Masks: block SIGUSR2, see it pend, see it arrive once unblocked. */
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	got_count = 0;
	ok("sigprocmask_block", sigprocmask(SIG_BLOCK, &set, NULL) == 0, "%s", "no");
	raise(SIGUSR2);
	ok("blocked_not_delivered", got_count == 0, "%s", "no");
	ok("sigpending_shows_it", sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2) == 1 &&
	   sigismember(&pend, SIGUSR1) == 0, "pending %#lx", (unsigned long)pend);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	ok("sigprocmask_oldset", sigismember(&cur, SIGUSR2) == 1 && sigismember(&cur, SIGUSR1) == 0,
	   "mask %#lx", (unsigned long)cur);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ok("unblock_delivers_once", got_count == 1 && got_sig == SIGUSR2, "count %d", (int)got_count);
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, &cur);
	sigprocmask(SIG_SETMASK, &cur, &set);
	ok("sigfillset_blocks_all", sigismember(&set, SIGTERM) == 1 && sigismember(&set, SIGWINCH) == 1,
	   "mask %#lx", (unsigned long)set);
	fails_with("sigaddset_bad_einval", sigaddset(&set, NSIG), EINVAL);
	fails_with("sigaction_sigkill_einval", sigaction(SIGKILL, &sa, NULL), EINVAL);

	/* An alarm interrupts a blocking read without SA_RESTART. */
	{
		int fds[2];
		char c;
		ssize_t n;

		sigaction(SIGALRM, &sa, NULL);
		pipe(fds);
		got_sig = 0;
		alarm(1);
		n = read(fds[0], &c, 1);
		ok("alarm_interrupts_read_eintr", n == -1 && errno == EINTR && got_sig == SIGALRM,
		   "read %d errno %d sig %d", (int)n, errno, (int)got_sig);
		close(fds[0]);
		close(fds[1]);
	}
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
}

/* --- descriptors ------------------------------------------------------------ */

static void test_pipe_dup_fcntl(void)
{
	char buf[16] = "";
	int fds[2], fd, st;
	pid_t pid;

	ok("pipe", pipe(fds) == 0, "%s", strerror(errno));
	ok("pipe_roundtrip", write(fds[1], "abc", 3) == 3 && read(fds[0], buf, sizeof(buf)) == 3 &&
	   !memcmp(buf, "abc", 3), "%s", "no");
	fails_with("lseek_pipe_espipe", lseek(fds[0], 0, SEEK_SET), ESPIPE);

	ok("fcntl_setfl_nonblock", fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0 &&
	   (fcntl(fds[0], F_GETFL) & O_NONBLOCK), "flags %#x", fcntl(fds[0], F_GETFL));
	fails_with("nonblock_read_eagain", read(fds[0], buf, 1), EAGAIN);
	ok("fcntl_setfd_cloexec", fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0 &&
	   fcntl(fds[0], F_GETFD) == FD_CLOEXEC, "%s", "no");
	fd = fcntl(fds[1], F_DUPFD, 20);
	ok("fcntl_dupfd_at_least", fd >= 20 && fcntl(fd, F_GETFD) == 0, "fd %d", fd);
	close(fd);
	fd = fcntl(fds[1], F_DUPFD_CLOEXEC, 0);
	ok("fcntl_dupfd_cloexec", fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "%s", "no");
	close(fd);
	ok("dup2", dup2(fds[1], 30) == 30, "%s", strerror(errno));
	write(30, "via30", 5);
	memset(buf, 0, sizeof(buf));
	ok("dup2_shares_file", read(fds[0], buf, sizeof(buf)) == 5 && !strcmp(buf, "via30"), "%s", "no");
	close(30);
	fd = dup(fds[0]);
	close(fd);
	ok("dup_lowest_free", dup(fds[1]) == fd, "%s", "no");
	close(fd);

	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	fails_with("write_closed_pipe_epipe", write(fds[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);

	/* The reader is gone before the writer exists: no race with its write. */
	pipe(fds);
	close(fds[0]);
	pid = fork();
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(1);
	}
	close(fds[1]);
	st = reap(pid, 0);
	ok("sigpipe_kills_writer", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "status %#x", st);

	fails_with("fcntl_bad_cmd_einval", fcntl(0, 12345), EINVAL);
}

/* --- time -------------------------------------------------------------------- */

static void test_time(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 }, res;
	struct timeval tv;
	long long t0, t1, m0, m1;
	struct tms tms;

	t0 = now_ns(CLOCK_REALTIME);
	m0 = now_ns(CLOCK_MONOTONIC);
	ok("nanosleep", nanosleep(&ts, NULL) == 0, "%s", strerror(errno));
	m1 = now_ns(CLOCK_MONOTONIC);
	t1 = now_ns(CLOCK_REALTIME);
	ok("nanosleep_sleeps_monotonic", m1 - m0 >= 20000000 && m1 - m0 < 2000000000LL,
	   "slept %lld ns", m1 - m0);
	ok("clock_realtime_advances", t1 > t0, "%s", "no");
	ok("clock_realtime_is_time", t1 / 1000000000 - time(NULL) <= 1 &&
	   time(NULL) - t1 / 1000000000 <= 1, "%s", "no");
	ok("gettimeofday", gettimeofday(&tv, NULL) == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000 &&
	   tv.tv_sec - t1 / 1000000000 <= 1, "%s", "no");
	ok("clock_getres_monotonic", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
	   res.tv_nsec > 0, "%s", strerror(errno));
	fails_with("clock_gettime_bad_einval", clock_gettime((clockid_t)999, &res), EINVAL);
	ts.tv_nsec = 2000000000;
	fails_with("nanosleep_bad_einval", nanosleep(&ts, NULL), EINVAL);
	ok("usleep", usleep(1000) == 0, "%s", "no");
	ok("times", times(&tms) != (clock_t)-1 && sysconf(_SC_CLK_TCK) == CLK_TCK, "%s", "no");
	{
		time_t now = time(NULL);
		struct tm *tm = localtime(&now);
		char out[64];

		ok("localtime_strftime", tm && strftime(out, sizeof(out), "%Y-%m-%d", tm) == 10 &&
		   tm->tm_year >= 120, "%s", "no");
	}
}

/* --- terminals, system ----------------------------------------------------- */

static void test_tty_and_system(void)
{
	struct termios t;
	struct winsize ws;
	struct utsname u;
	int fds[2];

	pipe(fds);
	fails_with("tcgetattr_pipe_enotty", tcgetattr(fds[0], &t), ENOTTY);
	errno = 0;
	ok("isatty_pipe", isatty(fds[0]) == 0 && errno == ENOTTY, "errno %d", errno);
	fails_with("tiocgwinsz_pipe_enotty", ioctl(fds[0], TIOCGWINSZ, &ws), ENOTTY);
	fails_with("tcgetpgrp_pipe_enotty", tcgetpgrp(fds[0]), ENOTTY);
	fails_with("tcsetattr_bad_action", tcsetattr(fds[0], 99, &t), EINVAL);
	close(fds[0]);
	close(fds[1]);
	memset(&t, 0, sizeof(t));
	cfmakeraw(&t);
	ok("cfmakeraw", !(t.c_lflag & (ICANON | ECHO | ISIG)) && (t.c_cflag & CSIZE) == CS8 &&
	   t.c_cc[VMIN] == 1, "%s", "no");
	if (isatty(0)) {
		ok("tcgetattr_tty", tcgetattr(0, &t) == 0, "%s", strerror(errno));
		ok("tcgetpgrp_tty", tcgetpgrp(0) > 0, "%s", strerror(errno));
	}
	ok("uname", uname(&u) == 0 && u.sysname[0] && u.machine[0] && u.release[0], "%s",
	   strerror(errno));
	say("# uname: %s %s %s", u.sysname, u.release, u.machine);
	ok("getuid_geteuid", getuid() == geteuid() && getgid() == getegid(), "%s", "no");
}

/* --- the heap, stdio --------------------------------------------------------- */

static void test_heap_stdio(void)
{
	char *before = sbrk(0), *big, line[64] = "";
	FILE *f;

	big = malloc(1 << 20);
	ok("malloc_1mib", big != NULL, "%s", "no");
	if (big)
		memset(big, 0xa5, 1 << 20);
	ok("sbrk_grew", (char *)sbrk(0) > before, "%s", "no");
	free(big);
	before = sbrk(0);
	ok("sbrk_grow_shrink", sbrk(8192) == before && sbrk(-8192) == before + 8192 &&
	   sbrk(0) == before, "%s", "no");
	ok("sbrk_below_zero_enomem", sbrk(-(ptrdiff_t)((uintptr_t)before + 4096)) == (void *)-1 &&
	   errno == ENOMEM && sbrk(0) == before, "errno %d", errno);

	f = fopen(DIR_T "/stdio", "w");
	ok("fopen_w", f != NULL, "%s", strerror(errno));
	fprintf(f, "line %d %s %lld\n", 42, "x", 1LL << 40);
	fclose(f);
	f = fopen(DIR_T "/stdio", "a+");
	fputs("more\n", f);
	rewind(f);
	fgets(line, sizeof(line), f);
	ok("stdio_roundtrip", !strcmp(line, "line 42 x 1099511627776\n"), "\"%s\"", line);
	fgets(line, sizeof(line), f);
	ok("fopen_append", !strcmp(line, "more\n"), "\"%s\"", line);
	fclose(f);
	ok("fopen_missing_enoent", fopen(DIR_T "/none", "r") == NULL && errno == ENOENT, "%s", "no");
	ok("setenv_getenv", setenv("GLUE_X", "1", 1) == 0 && !strcmp(getenv("GLUE_X"), "1"), "%s", "no");
	ok("towctrans_links", towctrans(L'q', wctrans("toupper")) == L'Q', "%s", "no");
	unlink(DIR_T "/stdio");
}

/* --- sigsetjmp ------------------------------------------------------------ */

static sigjmp_buf sig_env;

static void jump_out(int sig)
{
	siglongjmp(sig_env, sig);
}

/* Out of a handler with siglongjmp: savemask 1 restores the mask saved by
 * sigsetjmp (SIGUSR2 unblocked), savemask 0 leaves the handler's (blocked). */
static void test_sigsetjmp(void)
{
	struct sigaction sa, old;
	sigset_t cur;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = jump_out;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, &old);
	r = sigsetjmp(sig_env, 1);
	if (r == 0)
		raise(SIGUSR2);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	ok("siglongjmp_restores_mask", r == SIGUSR2 && !sigismember(&cur, SIGUSR2),
	   "returned %d, blocked %d", r, sigismember(&cur, SIGUSR2));
	r = sigsetjmp(sig_env, 0);
	if (r == 0)
		raise(SIGUSR2);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	ok("siglongjmp_savemask_0_keeps_handler_mask", r == SIGUSR2 && sigismember(&cur, SIGUSR2),
	   "returned %d", r);
	sigemptyset(&cur);
	sigprocmask(SIG_SETMASK, &cur, NULL);
	sigaction(SIGUSR2, &old, NULL);
}

/* --- memory mappings ------------------------------------------------------- */

#define PG	4096

/* Flags are Linux's numbers in <sys/mman.h>: a wrong one shows as EINVAL or
 * as the wrong kind of mapping here. */
static void test_mman(void)
{
	char *p, *f;
	int fd, i;

	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok("mmap_anon", p != MAP_FAILED, "%s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	ok("mmap_anon_zeroed", p[0] == 0 && p[3 * PG - 1] == 0, "%d", p[0]);
	p[PG] = 'x';
	ok("madvise_dontneed_zeroes_private_anon",
	   madvise(p + PG, PG, MADV_DONTNEED) == 0 && p[PG] == 0, "%s", strerror(errno));
	ok("posix_madvise_returns_error", posix_madvise(p + 1, PG, POSIX_MADV_NORMAL) == EINVAL,
	   "%s", "no");
	ok("mlock_munlock", mlock(p, PG) == 0 && munlock(p, PG) == 0, "%s", strerror(errno));
	ok("mlockall_munlockall", mlockall(MCL_CURRENT) == 0 && munlockall() == 0, "%s",
	   strerror(errno));
	ok("msync_anon", msync(p, PG, MS_SYNC) == 0, "%s", strerror(errno));
	fails_with("msync_unaligned_einval", msync(p + 1, PG, MS_SYNC), EINVAL);
	ok("mprotect_read", mprotect(p, PG, PROT_READ) == 0, "%s", strerror(errno));
	fails_with("mprotect_unaligned_einval", mprotect(p + 1, PG, PROT_READ), EINVAL);
	ok("munmap", munmap(p, 3 * PG) == 0, "%s", strerror(errno));
	fails_with("munmap_unaligned_einval", munmap(p + 1, PG), EINVAL);
	fails_with("mmap_unaligned_offset_einval",
		   (long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100), EINVAL);
	fails_with("mmap_bad_fd_ebadf",
		   (long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);

	/* The offset goes to mmap2 in pages: page 2 of the file must appear. */
	fd = open(DIR_T "/m", O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (i = 0; i < 3; i++) {
		char page[PG];

		memset(page, 'a' + i, sizeof(page));
		write(fd, page, sizeof(page));
	}
	f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PG);
	ok("mmap_file_offset_in_pages", f != MAP_FAILED && f[0] == 'c' && f[PG - 1] == 'c',
	   "%s", f == MAP_FAILED ? strerror(errno) : "wrong page");
	if (f != MAP_FAILED) {
		char c = 0;

		f[0] = 'Z';
		ok("mmap_shared_write_seen_by_pread", msync(f, PG, MS_SYNC) == 0 &&
		   pread(fd, &c, 1, 2 * PG) == 1 && c == 'Z', "got '%c': %s", c, strerror(errno));
		munmap(f, PG);
	}
	ok("fdatasync", fdatasync(fd) == 0, "%s", strerror(errno));
	close(fd);
	unlink(DIR_T "/m");
}

/* off64_t calls: offsets past 2 GiB, which a 32-bit off_t cannot hold. */
static void test_offsets64(void)
{
	const off64_t far = 3LL << 30;		/* 3 GiB: past off_t's reach */
	char c = 0;
	int fd = open(DIR_T "/big", O_RDWR | O_CREAT | O_TRUNC, 0644);

	ok("pwrite_pread", pwrite(fd, "abc", 3, 10) == 3 && pread(fd, &c, 1, 11) == 1 &&
	   c == 'b' && lseek(fd, 0, SEEK_CUR) == 0, "got '%c': %s", c, strerror(errno));
	ok("lseek64_past_2g", lseek64(fd, far, SEEK_SET) == far, "%s", strerror(errno));
	ok("lseek64_cur_past_2g", lseek64(fd, 1, SEEK_CUR) == far + 1, "%s", strerror(errno));
	ok("pread64_past_eof_past_2g", pread64(fd, &c, 1, far) == 0, "%s", strerror(errno));
	ok("pwrite64_pread64_at_5", pwrite64(fd, "q", 1, 5) == 1 && pread64(fd, &c, 1, 5) == 1 &&
	   c == 'q', "%s", strerror(errno));
	fails_with("pread_negative_einval", pread(fd, &c, 1, -1), EINVAL);
	close(fd);
	unlink(DIR_T "/big");
}

/* --- ptrace ---------------------------------------------------------------- */

static volatile long traced_word = 0x12345678;

static void on_usr1(int sig)
{
	(void)sig;
	traced_word = 0x5a5a;
}

/* glibc's convention: PEEK returns the word and clears errno; CONT's signal
 * is renumbered (SIGUSR1 is 30 in newlib, 10 in Linux). */
static void test_ptrace(void)
{
	pid_t pid;
	long w;
	int st;

	/* tools/run-i386 says so: qemu-i386 has no ptrace (ENOSYS), and the
	 * child below would stop for ever, untraced. */
	if (getenv("WALNUT_I386_EMULATOR")) {
		say("TEST ptrace SKIP %s does not implement ptrace",
		    getenv("WALNUT_I386_EMULATOR"));
		return;
	}
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, on_usr1);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(traced_word == 0x5a5a ? 0 : 1);
	}
	st = reap(pid, 0);
	ok("ptrace_traceme_stops", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "status %#x", st);
	errno = EBADF;
	w = ptrace(PTRACE_PEEKDATA, pid, (void *)&traced_word, NULL);
	ok("ptrace_peek_returns_word", w == 0x12345678 && errno == 0, "got %#lx errno %d", w, errno);
	errno = 0;
	w = ptrace(PTRACE_PEEKDATA, pid, (void *)16, NULL);
	ok("ptrace_peek_bad_address_sets_errno", w == -1 && (errno == EIO || errno == EFAULT),
	   "got %#lx errno %d", w, errno);
	ok("ptrace_cont_signal_renumbered",
	   ptrace(PTRACE_CONT, pid, NULL, (void *)(long)SIGUSR1) == 0, "%s", strerror(errno));
	st = reap(pid, 0);
	ok("ptrace_cont_delivers_sigusr1", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	fails_with("ptrace_peek_not_traced_esrch",
		   ptrace(PTRACE_PEEKDATA, getpid(), (void *)&traced_word, NULL), ESRCH);
}

/* Removes the scratch directory and whatever a test (or an earlier,
 * interrupted run) left in it. */
static void cleanup(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(DIR_T);

	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), DIR_T "/%s", de->d_name);
		if (unlink(path) < 0 && errno == EISDIR)
			rmdir(path);
	}
	if (d)
		closedir(d);
	rmdir(DIR_T);
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], "--child-args"))
		return child_check_args(argc, argv, envp);
	if (argc > 2 && !strcmp(argv[1], "-C") && chdir(argv[2]) < 0) {
		say("TEST glue_scratch_dir FAIL chdir %s: %s", argv[2], strerror(errno));
		return 1;
	}
	cleanup();
	if (mkdir(DIR_T, 0755) < 0) {
		say("TEST glue_scratch_dir FAIL mkdir " DIR_T ": %s", strerror(errno));
		return 1;
	}
	test_open_flags();
	test_errno_names();
	test_stat();
	test_readdir();
	test_paths();
	test_wait_status();
	test_exec(argv[0]);
	test_signals();
	test_pipe_dup_fcntl();
	test_time();
	test_tty_and_system();
	test_heap_stdio();
	test_sigsetjmp();
	test_mman();
	test_offsets64();
	test_ptrace();
	cleanup();
	say("# glue_test: %d passed, %d failed", passes, failures);
	return failures ? 1 : 0;
}
