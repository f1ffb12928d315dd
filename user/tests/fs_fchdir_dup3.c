/*
 * fs_fchdir_dup3 - fchdir(2) moves the working directory to an open
 * directory; dup3(2) is dup2 with O_CLOEXEC and stricter arguments;
 * pipe2(2) takes O_CLOEXEC and O_NONBLOCK.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include "testlib.h"

static void test_fchdir(void)
{
	char here[PATH_MAX] = "", dir[128];
	int fd, file;

	scratch_path(dir, sizeof(dir), "fchdir");
	if (!check_errno("fs_fchdir_setup", mkdir(dir, 0755) == 0, "mkdir"))
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	check_errno("fs_fchdir_moves_cwd", fd >= 0 && fchdir(fd) == 0 &&
		    getcwd(here, sizeof(here)) && strcmp(here, dir) == 0,
		    "cwd '%s', want '%s'", here, dir);
	check_errno("fs_fchdir_relative_names_resolve_there",
		    (file = open("inside", O_WRONLY | O_CREAT, 0644)) >= 0 &&
		    access(dir, F_OK) == 0, "create");
	close(file);
	unlink("inside");
	expect_errno("fs_fchdir_bad_fd_ebadf", fchdir(-1), EBADF);
	file = open("/dev/null", O_RDONLY);
	expect_errno("fs_fchdir_not_dir_enotdir", fchdir(file), ENOTDIR);
	close(file);
	close(fd);
	if (chdir("/") == 0)
		rmdir(dir);
}

static void test_dup3(void)
{
	int fds[2], fd;

	if (!check_errno("fs_dup3_setup", pipe(fds) == 0, "pipe"))
		return;
	fd = dup3(fds[0], 20, O_CLOEXEC);
	check_errno("fs_dup3_to_chosen_fd", fd == 20, "dup3 gave %d", fd);
	check("fs_dup3_cloexec_set", fcntl(20, F_GETFD) == FD_CLOEXEC, "flags %d",
	      fcntl(20, F_GETFD));
	check_errno("fs_dup3_replaces_open_fd", dup3(fds[1], 20, 0) == 20 &&
		    fcntl(20, F_GETFD) == 0, "dup3 over 20");
	check("fs_dup3_replacement_is_write_end", write(20, "z", 1) == 1, "not the write end");
	expect_errno("fs_dup3_same_fd_einval", dup3(fds[0], fds[0], 0), EINVAL);
	expect_errno("fs_dup3_bad_flags_einval", dup3(fds[0], 21, O_NONBLOCK), EINVAL);
	expect_errno("fs_dup3_bad_oldfd_ebadf", dup3(-1, 21, 0), EBADF);
	expect_errno("fs_dup3_bad_newfd_ebadf", dup3(fds[0], -1, 0), EBADF);
	check("fs_dup2_same_fd_returns_it", dup2(fds[0], fds[0]) == fds[0], "dup2 same");
	expect_errno("fs_dup2_same_bad_fd_ebadf", dup2(100, 100), EBADF);
	close(20);
	close(fds[0]);
	close(fds[1]);
}

static void test_pipe2(void)
{
	int fds[2];
	char c;

	check_errno("fs_pipe2_cloexec_nonblock", pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2");
	check("fs_pipe2_cloexec_set", fcntl(fds[0], F_GETFD) == FD_CLOEXEC &&
	      fcntl(fds[1], F_GETFD) == FD_CLOEXEC, "FD_CLOEXEC not set");
	check("fs_pipe2_nonblock_set", (fcntl(fds[0], F_GETFL) & O_NONBLOCK) != 0, "not O_NONBLOCK");
	expect_errno("fs_pipe2_nonblock_read_eagain", read(fds[0], &c, 1), EAGAIN);
	close(fds[0]);
	close(fds[1]);
	expect_errno("fs_pipe2_bad_flags_einval", pipe2(fds, O_TRUNC), EINVAL);
}

int main(void)
{
	test_fchdir();
	test_dup3();
	test_pipe2();
	return test_exit_code();
}
