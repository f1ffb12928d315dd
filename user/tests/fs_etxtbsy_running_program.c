/*
 * fs_etxtbsy_running_program - regression test for "a running program's
 * file can be opened for writing and written while the program is
 * demand-paged from it".  Linux refuses, with ETXTBSY: opening the file
 * for writing, truncating it, and running a file that is open for writing.
 * Once the program has exited, the file is an ordinary file again.
 *
 * The program under test is this one: argv[0] is running now; a copy of it
 * in the scratch directory is run by a child, which says so through a pipe
 * and sleeps, so it keeps running; the copy is written to once the child
 * is gone.  (QEMU's user-mode emulator loads programs itself, so Linux
 * never knows they run: under qemu-i386 the test is skipped.)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include "testlib.h"

static int copy_file(const char *from, const char *to)
{
	char buf[4096];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;
	int ok = in >= 0 && out >= 0;

	while (ok && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write_full(out, buf, (size_t)n) == n;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ok;
}

/* The truncate keeps the length: a kernel that wrongly lets it through
 * must not take the running program's bytes with it. */
static void test_self(const char *self)
{
	struct stat st;
	int fd;

	expect_errno("fs_etxtbsy_open_self_for_writing", open(self, O_WRONLY), ETXTBSY);
	expect_errno("fs_etxtbsy_open_self_rdwr", open(self, O_RDWR), ETXTBSY);
	if (stat(self, &st) == 0)
		expect_errno("fs_etxtbsy_truncate_self", truncate(self, st.st_size), ETXTBSY);
	fd = open(self, O_RDONLY);
	check_errno("fs_etxtbsy_read_self_still_works", fd >= 0, "open");
	close(fd);
}

/* A copy run by a child, which writes a byte to fd 3 once it runs and then
 * sleeps: ETXTBSY while it runs, writable after. */
static void test_copy_while_running(const char *copy)
{
	char *const argv[] = { (char *)copy, "--sleep", NULL };
	int status, fd, ready[2];
	char c;
	pid_t pid;

	if (!check_errno("fs_etxtbsy_pipe", pipe(ready) == 0, "pipe"))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(ready[1], 3);
		execv(copy, argv);
		_exit(127);
	}
	close(ready[1]);
	check("fs_etxtbsy_copy_started", read(ready[0], &c, 1) == 1, "the copy never ran");
	close(ready[0]);
	expect_errno("fs_etxtbsy_open_running_copy", open(copy, O_WRONLY), ETXTBSY);
	kill(pid, SIGKILL);
	wait_for(pid, &status);
	check("fs_etxtbsy_child_ran", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "%s", status_str(status));
	fd = open(copy, O_WRONLY);
	check_errno("fs_etxtbsy_writable_after_exit", fd >= 0, "open");
	close(fd);
}

/* Running a file someone has open for writing. */
static void test_exec_open_file(const char *copy)
{
	char *const argv[] = { (char *)copy, "--exit", NULL };
	int fd = open(copy, O_WRONLY), status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		execv(copy, argv);
		_exit(errno == ETXTBSY ? 42 : 43);
	}
	wait_for(pid, &status);
	check("fs_etxtbsy_exec_file_open_for_writing", WIFEXITED(status) &&
	      WEXITSTATUS(status) == 42, "%s (42: ETXTBSY)", status_str(status));
	close(fd);
}

int main(int argc, char **argv)
{
	char copy[128];

	if (argc > 1 && strcmp(argv[1], "--sleep") == 0) {
		if (write(3, "r", 1) != 1)
			return 1;
		for (;;)
			pause();
	}
	if (argc > 1)
		return 0;
	if (skip_under_emulator("fs_etxtbsy", "the emulator, not execve, loads the program"))
		return test_exit_code();
	test_self(argv[0]);
	scratch_path(copy, sizeof(copy), "etxtbsy");
	if (!check_errno("fs_etxtbsy_copy", copy_file(argv[0], copy), "copy"))
		return test_exit_code();
	test_copy_while_running(copy);
	test_exec_open_file(copy);
	unlink(copy);
	return test_exit_code();
}
