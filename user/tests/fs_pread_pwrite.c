/*
 * fs_pread_pwrite - pread(2) and pwrite(2): bytes at a position of the
 * caller's, the file's own offset left alone, and Linux's errors.
 *
 * Walnut's C library documented pread/pwrite for a release while the
 * kernel had no pread64 (180) or pwrite64 (181): every call was ENOSYS.
 * This test runs on Walnut and on Linux and must print the same.
 */
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

static char path[128];

static int fresh_file(int flags)
{
	int fd = open(path, flags | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0 && write_full(fd, "0123456789abcdefghij", 20) != 20) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_pread_reads_at_offset(void)
{
	char buf[8] = "";
	int fd = fresh_file(O_RDWR);

	if (!check_errno("fs_pread_setup", fd >= 0, "open %s", path))
		return;
	lseek(fd, 3, SEEK_SET);
	check("fs_pread_reads_at_offset", pread(fd, buf, 5, 10) == 5 &&
	      memcmp(buf, "abcde", 5) == 0, "got '%.5s'", buf);
	check("fs_pread_leaves_offset", lseek(fd, 0, SEEK_CUR) == 3, "offset %ld",
	      (long)lseek(fd, 0, SEEK_CUR));
	check("fs_pread_short_at_end", pread(fd, buf, 8, 16) == 4 &&
	      memcmp(buf, "ghij", 4) == 0, "short read wrong");
	check("fs_pread_past_end_is_0", pread(fd, buf, 8, 100) == 0, "not 0");
	expect_errno("fs_pread_negative_offset_einval", pread(fd, buf, 1, -1), EINVAL);
	close(fd);
}

static void test_pwrite_writes_at_offset(void)
{
	char buf[24] = "";
	int fd = fresh_file(O_RDWR);

	if (fd < 0)
		return;
	lseek(fd, 2, SEEK_SET);
	check_errno("fs_pwrite_writes_at_offset", pwrite(fd, "XYZ", 3, 5) == 3, "pwrite");
	check("fs_pwrite_leaves_offset", lseek(fd, 0, SEEK_CUR) == 2, "offset moved");
	check("fs_pwrite_bytes_landed", pread(fd, buf, 20, 0) == 20 &&
	      memcmp(buf, "01234XYZ89abcdefghij", 20) == 0, "file is '%.20s'", buf);
	check_errno("fs_pwrite_past_end_extends", pwrite(fd, "!", 1, 30) == 1, "pwrite");
	check("fs_pwrite_hole_reads_zero", pread(fd, buf, 11, 20) == 11 &&
	      buf[0] == 0 && buf[9] == 0 && buf[10] == '!', "hole not zero");
	expect_errno("fs_pwrite_negative_offset_einval", pwrite(fd, "x", 1, -5), EINVAL);
	close(fd);
}

/* Linux's documented quirk: with O_APPEND, pwrite appends whatever the
 * offset. */
static void test_pwrite_append_appends(void)
{
	struct stat st;
	int fd = fresh_file(O_WRONLY | O_APPEND);

	if (fd < 0)
		return;
	check_errno("fs_pwrite_append_call", pwrite(fd, "END", 3, 0) == 3, "pwrite");
	check("fs_pwrite_append_goes_to_end", fstat(fd, &st) == 0 && st.st_size == 23,
	      "size %ld", (long)st.st_size);
	close(fd);
}

static void test_errors(void)
{
	void *volatile bad = (void *)1;	/* volatile: no compile-time warning */
	char buf[4];
	int fds[2], ro, wo;

	expect_errno("fs_pread_bad_fd_ebadf", pread(-1, buf, 1, 0), EBADF);
	expect_errno("fs_pwrite_closed_fd_ebadf", pwrite(1000, "x", 1, 0), EBADF);
	if (pipe(fds) == 0) {
		expect_errno("fs_pread_pipe_espipe", pread(fds[0], buf, 1, 0), ESPIPE);
		expect_errno("fs_pwrite_pipe_espipe", pwrite(fds[1], "x", 1, 0), ESPIPE);
		close(fds[0]);
		close(fds[1]);
	}
	ro = open(path, O_RDONLY);
	wo = open(path, O_WRONLY);
	expect_errno("fs_pwrite_readonly_fd_ebadf", pwrite(ro, "x", 1, 0), EBADF);
	expect_errno("fs_pread_writeonly_fd_ebadf", pread(wo, buf, 1, 0), EBADF);
	expect_errno("fs_pread_bad_buffer_efault", pread(ro, bad, 4, 0), EFAULT);
	close(ro);
	close(wo);
}

/* Two processes share one open file (fork): pread in one must not move the
 * offset the other sees. */
static void test_pread_shared_file(void)
{
	int fd = fresh_file(O_RDWR), status;
	pid_t pid;

	if (fd < 0)
		return;
	lseek(fd, 7, SEEK_SET);
	pid = fork();
	if (pid == 0) {
		char buf[4];

		_exit(pread(fd, buf, 4, 0) == 4 ? 0 : 1);
	}
	wait_for(pid, &status);
	check("fs_pread_child_leaves_shared_offset", WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0 && lseek(fd, 0, SEEK_CUR) == 7,
	      "%s, offset %ld", status_str(status), (long)lseek(fd, 0, SEEK_CUR));
	close(fd);
}

int main(void)
{
	scratch_path(path, sizeof(path), "pread");
	test_pread_reads_at_offset();
	test_pwrite_writes_at_offset();
	test_pwrite_append_appends();
	test_errors();
	test_pread_shared_file();
	unlink(path);
	return test_exit_code();
}
