/*
 * testlib.h - what every in-guest user test shares.
 *
 * A user test is one program per area (proc_fork_wait, pipe_basic, ...) that
 * prints one line per check, which tools/harness.py and user/tests/linux.mk
 * parse:
 *
 *	TEST <name> PASS
 *	TEST <name> FAIL <detail>
 *
 * and exits with test_exit_code(): 0 iff every check passed.  Names start with
 * the program's area so they are unique across programs.  Lines starting with
 * '#' are notes for a human and are ignored by both harnesses.
 *
 * The same source builds for Walnut (newlib + the Linux-ABI glue) and for Linux
 * (glibc), so only the POSIX calls Walnut's libc guarantees are used here.
 *
 * Rules the helpers below make easy to keep:
 *  - Output goes out with one write(2) per line, never through a stdio buffer,
 *    so a fork cannot duplicate a half-written line.
 *  - Children leave with _exit(); every child is waited for (wait_for), and
 *    every file is removed, so Walnut's free-page leak check after the program
 *    exits sees nothing of ours.
 *  - Scratch files go in /tmp if it exists, else the current directory.
 */
#ifndef WALNUT_TESTLIB_H
#define WALNUT_TESTLIB_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UNUSED __attribute__((unused))

static int tl_passed, tl_failed;

/* One line straight to fd 1; a short write is retried, an error dropped. */
static inline void tl_put_line(const char *line)
{
	size_t len = strlen(line);

	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		line += n;
		len -= (size_t)n;
	}
}

static inline void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void note(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	strcpy(line, "# ");
	va_start(ap, fmt);
	vsnprintf(line + 2, sizeof(line) - 3, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	tl_put_line(line);
}

/*
 * Reports check `name`: PASS if ok, else FAIL with the printf-style detail.
 * Returns ok, so callers can skip checks that depend on this one.
 */
static inline int check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int check(const char *name, int ok, const char *fmt, ...)
{
	char line[512];
	int len;
	va_list ap;

	len = snprintf(line, sizeof(line) - 2, "TEST %s %s", name, ok ? "PASS" : "FAIL");
	if (!ok && fmt && *fmt && len < (int)sizeof(line) - 3) {
		line[len++] = ' ';
		va_start(ap, fmt);
		vsnprintf(line + len, sizeof(line) - 2 - len, fmt, ap);
		va_end(ap);
	}
	strcat(line, "\n");
	tl_put_line(line);
	if (ok)
		tl_passed++;
	else
		tl_failed++;
	return ok;
}

/*
 * check() for a system call's result: on failure the detail gets ": " and
 * the message for errno as it was when check_errno was entered, i.e. right
 * after the arguments (the call under test among them) were evaluated.
 * Passing strerror(errno) as an argument instead could read errno before
 * the call ran: argument order is unspecified.
 */
static inline int check_errno(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int check_errno(const char *name, int ok, const char *fmt, ...)
{
	int err = errno;
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return check(name, ok, "%s: %s", detail, strerror(err));
}

/* The program's exit status: 0 iff every check passed. */
static inline int test_exit_code(void)
{
	return tl_failed ? 1 : 0;
}

/*
 * Checks that a call failed: ret is -1 and errno is one of the 0-terminated
 * list that follows.  Call it right after the call under test, before
 * anything else can change errno.
 */
static inline int expect_errno_of(const char *name, long ret, ...)
{
	int err = errno, want, first = 0, ok = 0;
	va_list ap;

	va_start(ap, ret);
	while ((want = va_arg(ap, int)) != 0) {
		if (!first)
			first = want;
		if (ret == -1 && err == want)
			ok = 1;
	}
	va_end(ap);
	if (ret != -1)
		return check(name, 0, "returned %ld, want -1 with errno %d (%s)",
			     ret, first, strerror(first));
	return check(name, ok, "errno %d (%s), want %d (%s)",
		     err, strerror(err), first, strerror(first));
}

#define expect_errno(name, ret, err) expect_errno_of(name, (long)(ret), err, 0)

/* Describes a wait status for a FAIL line. */
static inline const char *status_str(int status)
{
	static char buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof(buf), "status %#x", status);
	return buf;
}

/* waitpid(pid, status, 0) that carries on when a signal handler interrupts
 * it, since several tests keep handlers installed while they reap. */
static inline pid_t wait_for(pid_t pid, int *status)
{
	pid_t got;

	do
		got = waitpid(pid, status, 0);
	while (got < 0 && errno == EINTR);
	return got;
}

/* Reaps pid and checks it exited normally with `code`. */
static inline int expect_exit(const char *name, pid_t pid, int code)
{
	int status = 0;

	if (pid < 0)
		return check(name, 0, "fork failed: %s", strerror(errno));
	if (wait_for(pid, &status) != pid)
		return check(name, 0, "waitpid: %s", strerror(errno));
	return check(name, WIFEXITED(status) && WEXITSTATUS(status) == code,
		     "%s, want exit %d", status_str(status), code);
}

/* Reaps pid and checks it was killed by signal `sig`. */
static inline int expect_killed(const char *name, pid_t pid, int sig)
{
	int status = 0;

	if (pid < 0)
		return check(name, 0, "fork failed: %s", strerror(errno));
	if (wait_for(pid, &status) != pid)
		return check(name, 0, "waitpid: %s", strerror(errno));
	return check(name, WIFSIGNALED(status) && WTERMSIG(status) == sig,
		     "%s, want killed by signal %d", status_str(status), sig);
}

/*
 * Runs fn(arg) in a child that leaves with its return value as exit status.
 * Returns the child's pid (to give to expect_exit/expect_killed), or -1.
 */
static inline pid_t spawn(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

static inline int child_exit_zero(void *arg UNUSED)
{
	return 0;
}

/* A child to be killed: spawn(child_pause_forever, NULL), then kill() it. */
static inline int child_pause_forever(void *arg UNUSED)
{
	for (;;)
		pause();
	return 0;
}

/*
 * A child held until the parent closes the write end of pipe fds[2]:
 * spawn(child_wait_for_eof, fds).  It exits 0 on EOF, 1 if read misbehaved.
 */
static inline int child_wait_for_eof(void *pipe_fds)
{
	int *fds = pipe_fds;
	char c;

	close(fds[1]);		/* else our own copy would keep EOF away */
	return read(fds[0], &c, 1) == 0 ? 0 : 1;
}

/* Where scratch files go: /tmp if it is a directory, else the cwd. */
static inline const char *scratch_dir(void)
{
	struct stat st;

	return stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) ? "/tmp" : ".";
}

/* buf = "<scratch dir>/walnut-<tag>.<pid>": unique to this process. */
static inline char *scratch_path(char *buf, size_t size, const char *tag)
{
	snprintf(buf, size, "%s/walnut-%s.%d", scratch_dir(), tag, (int)getpid());
	return buf;
}

/* Sleeps at least ms milliseconds, resuming after a signal handler runs. */
static inline void sleep_ms(long ms)
{
	struct timespec req = { ms / 1000, (ms % 1000) * 1000000L }, rem;

	while (nanosleep(&req, &rem) != 0 && errno == EINTR)
		req = rem;
}

static inline long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* write() until len bytes went out; returns len, or -1 with errno set. */
static inline ssize_t write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* read() until len bytes came in or EOF; returns the count, or -1. */
static inline ssize_t read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/*
 * Is this Linux program running under QEMU's user-mode emulator
 * (qemu-i386) rather than on a kernel?  The runners that use it set
 * WALNUT_I386_EMULATOR.  The emulator checks a whole buffer before a
 * system call and runs the program itself rather than through execve, so
 * a check of short transfers or of ETXTBSY tests the emulator there, not
 * Linux: such checks are skipped under it, with a note saying so.
 */
static inline int under_user_emulator(void)
{
	const char *e = getenv("WALNUT_I386_EMULATOR");

	return e && *e;
}

/* Under the emulator, print "TEST name SKIP why" (which counts as neither
 * a pass nor a failure) and return true; elsewhere return false. */
static inline int skip_under_emulator(const char *name, const char *why)
{
	char line[256];

	if (!under_user_emulator())
		return 0;
	snprintf(line, sizeof(line), "TEST %s SKIP under %s: %s\n", name,
		 getenv("WALNUT_I386_EMULATOR"), why);
	tl_put_line(line);
	return 1;
}

#endif
