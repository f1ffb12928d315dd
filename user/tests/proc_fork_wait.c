/*
 * proc_fork_wait - fork, execve, exit statuses and the wait family.
 *
 * The exec checks run this same program again (argv[0], which the harness
 * gives as an absolute path) with a role in argv[1], so they depend on no
 * other binary.  The exec'd child checks what it was given and reports
 * through its exit status; the parent turns that into TEST lines.
 */
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

static const char *self;

/* Exit codes of the exec'd roles: 0 is success, each mismatch its own code. */
enum { BAD_ARGC = 10, BAD_ARGV, BAD_ENV, FD_CLOSED, FD_LEAKED };

static char *const exec_argv_tail[] = { "alpha", "beta gamma", "", "delta" };
static char *const exec_envp[] = { "WALNUT_ONE=1", "WALNUT_TWO=two=2", NULL };

/* Role --check-args: argv and the whole environment are exactly as sent. */
static int role_check_args(int argc, char **argv)
{
	extern char **environ;
	int n = 0;

	if (argc != 2 + 4)
		return BAD_ARGC;
	for (int i = 0; i < 4; i++)
		if (strcmp(argv[2 + i], exec_argv_tail[i]) != 0)
			return BAD_ARGV;
	if (argv[argc] != NULL)
		return BAD_ARGV;
	for (char **e = environ; *e; e++, n++)
		if (n >= 2 || strcmp(*e, exec_envp[n]) != 0)
			return BAD_ENV;
	return n == 2 ? 0 : BAD_ENV;
}

/* Role --check-fds KEPT CLOEXEC: fd KEPT survived exec, fd CLOEXEC did not. */
static int role_check_fds(int argc, char **argv)
{
	if (argc != 4)
		return BAD_ARGC;
	if (fcntl(atoi(argv[2]), F_GETFD) < 0)
		return FD_CLOSED;
	if (fcntl(atoi(argv[3]), F_GETFD) >= 0 || errno != EBADF)
		return FD_LEAKED;
	return 0;
}

static int child_exit_with(void *code)
{
	return *(int *)code;
}

static void test_exit_statuses(void)
{
	static const int codes[] = { 0, 1, 42, 255 };
	char name[64];

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		int code = codes[i];

		snprintf(name, sizeof(name), "proc_fork_wait_exit_status_%d", code);
		expect_exit(name, spawn(child_exit_with, &code), code);
	}
}

/* exit() (which flushes stdio and runs atexit) gives the same status as _exit. */
static int child_calls_exit(void *unused UNUSED)
{
	exit(7);
}

static void test_killed_by_signal(void)
{
	static const int sigs[] = { SIGKILL, SIGTERM };
	static const char *const names[] = {
		"proc_fork_wait_killed_by_sigkill", "proc_fork_wait_killed_by_sigterm"
	};

	for (int i = 0; i < 2; i++) {
		pid_t pid = spawn(child_pause_forever, NULL);

		if (pid > 0)
			kill(pid, sigs[i]);
		expect_killed(names[i], pid, sigs[i]);
	}
	expect_exit("proc_fork_wait_exit_via_exit", spawn(child_calls_exit, NULL), 7);
}

/* A child blocked on a pipe is still running: WNOHANG must say 0, not reap. */
static void test_wnohang_on_running_child(void)
{
	int fds[2], status;
	pid_t pid, got;

	if (pipe(fds) != 0) {
		check_errno("proc_fork_wait_wnohang_running_child_gives_0", 0, "pipe");
		return;
	}
	pid = spawn(child_wait_for_eof, fds);
	got = waitpid(pid, &status, WNOHANG);
	check("proc_fork_wait_wnohang_running_child_gives_0", got == 0,
	      "waitpid returned %d", (int)got);
	close(fds[0]);
	close(fds[1]);		/* EOF lets the child finish */
	expect_exit("proc_fork_wait_child_exits_after_wnohang", pid, 0);
}

static pid_t parent_pid;

static int child_checks_ppid(void *unused UNUSED)
{
	return getppid() == parent_pid ? 0 : 1;
}

static void test_getppid_in_child(void)
{
	parent_pid = getpid();
	expect_exit("proc_fork_wait_getppid_is_parent", spawn(child_checks_ppid, NULL), 0);
}

/* wait() reaps whichever child is done, each exactly once. */
static void test_wait_any_reaps_each_child(void)
{
	pid_t pids[3];
	int code[3] = { 3, 4, 5 }, seen = 0, ok = 1;

	for (int i = 0; i < 3; i++)
		pids[i] = spawn(child_exit_with, &code[i]);
	for (int n = 0; n < 3; n++) {
		int status;
		pid_t got = wait(&status);

		for (int i = 0; i < 3; i++)
			if (got == pids[i] && !(seen & 1 << i) && WIFEXITED(status) &&
			    WEXITSTATUS(status) == code[i])
				seen |= 1 << i;
	}
	ok = seen == 7;
	check("proc_fork_wait_wait_any_reaps_each_child", ok, "matched mask %#x of 0x7", seen);
}

/* Only once every child has been reaped: ECHILD from each wait form. */
static void test_no_children_echild(void)
{
	int status;

	expect_errno("proc_fork_wait_wait_no_children_echild", wait(&status), ECHILD);
	expect_errno("proc_fork_wait_wnohang_no_children_echild",
		     waitpid(-1, &status, WNOHANG), ECHILD);
	expect_errno("proc_fork_wait_waitpid_non_child_echild",
		     waitpid(getppid(), &status, 0), ECHILD);
}

static pid_t spawn_exec(char *const *argv, char *const *envp)
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(self, argv, envp);
		_exit(127);
	}
	return pid;
}

static void test_execve_argv_envp(void)
{
	char *argv[] = { (char *)self, "--check-args", exec_argv_tail[0], exec_argv_tail[1],
			 exec_argv_tail[2], exec_argv_tail[3], NULL };

	expect_exit("proc_fork_wait_execve_passes_argv_and_envp", spawn_exec(argv, exec_envp), 0);
}

/* Exec keeps ordinary descriptors open and closes FD_CLOEXEC ones. */
static void test_execve_cloexec(void)
{
	int fds[2];
	char kept[16], gone[16];

	if (pipe(fds) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
		check_errno("proc_fork_wait_execve_honours_cloexec", 0, "setup");
		return;
	}
	snprintf(kept, sizeof(kept), "%d", fds[0]);
	snprintf(gone, sizeof(gone), "%d", fds[1]);
	char *argv[] = { (char *)self, "--check-fds", kept, gone, NULL };

	expect_exit("proc_fork_wait_execve_honours_cloexec", spawn_exec(argv, exec_envp), 0);
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc >= 2 && strcmp(argv[1], "--check-args") == 0)
		return role_check_args(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--check-fds") == 0)
		return role_check_fds(argc, argv);

	test_exit_statuses();
	test_killed_by_signal();
	test_wnohang_on_running_child();
	test_getppid_in_child();
	test_wait_any_reaps_each_child();
	test_execve_argv_envp();
	test_execve_cloexec();
	test_no_children_echild();
	return test_exit_code();
}
