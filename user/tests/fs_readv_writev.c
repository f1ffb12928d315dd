/*
 * fs_readv_writev - readv, writev, preadv, pwritev: one call over a vector
 * of buffers, filled and drained in order, with Linux's errors for a bad
 * vector.
 */
#define _GNU_SOURCE	/* preadv, pwritev in glibc */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/uio.h>
#include "testlib.h"

static char path[128];

static void test_writev_gathers(void)
{
	char a[] = "first-", b[] = "", c[] = "second-", d[] = "third";
	struct iovec iov[4] = { { a, 6 }, { b, 0 }, { c, 7 }, { d, 5 } };
	char buf[32] = "";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (!check_errno("fs_writev_open", fd >= 0, "open %s", path))
		return;
	check_errno("fs_writev_returns_total", writev(fd, iov, 4) == 18, "writev");
	check("fs_writev_moves_offset", lseek(fd, 0, SEEK_CUR) == 18, "offset");
	check("fs_writev_bytes_in_order", pread(fd, buf, sizeof(buf), 0) == 18 &&
	      memcmp(buf, "first-second-third", 18) == 0, "file is '%.18s'", buf);
	close(fd);
}

static void test_readv_scatters(void)
{
	char x[5] = "", y[3] = "", z[40] = "";
	struct iovec iov[3] = { { x, 5 }, { y, 3 }, { z, sizeof(z) } };
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return;
	n = readv(fd, iov, 3);
	check("fs_readv_returns_file_length", n == 18, "readv gave %ld", (long)n);
	check("fs_readv_fills_in_order", memcmp(x, "first", 5) == 0 &&
	      memcmp(y, "-se", 3) == 0 && memcmp(z, "cond-third", 10) == 0,
	      "got '%.5s' '%.3s' '%.10s'", x, y, z);
	check("fs_readv_at_end_is_0", readv(fd, iov, 3) == 0, "not 0");
	close(fd);
}

static void test_positional_vectors(void)
{
	char p[] = "PP", q[] = "QQQ", r[4] = "", s[4] = "";
	struct iovec out[2] = { { p, 2 }, { q, 3 } }, in[2] = { { r, 3 }, { s, 3 } };
	int fd = open(path, O_RDWR);

	if (fd < 0)
		return;
	lseek(fd, 1, SEEK_SET);
	check_errno("fs_pwritev_writes_at_offset", pwritev(fd, out, 2, 6) == 5, "pwritev");
	check_errno("fs_preadv_reads_at_offset", preadv(fd, in, 2, 5) == 6, "preadv");
	check("fs_preadv_bytes", memcmp(r, "-PP", 3) == 0 && memcmp(s, "QQQ", 3) == 0,
	      "got '%.3s' '%.3s'", r, s);
	check("fs_pvector_leaves_offset", lseek(fd, 0, SEEK_CUR) == 1, "offset moved");
	close(fd);
}

static void test_bad_vectors(void)
{
	static struct iovec many[IOV_MAX + 1];
	char byte;
	struct iovec huge[2] = { { &byte, 1 }, { &byte, (size_t)INT_MAX + 1 } };
	struct iovec bad_base[1] = { { (void *)1, 4 } };
	struct iovec *volatile bad_vector = (struct iovec *)1;
	volatile int negative = -1;	/* volatile: no compile-time warnings */
	int fd = open(path, O_RDWR), fds[2];

	expect_errno("fs_readv_bad_fd_ebadf", readv(-1, many, 1), EBADF);
	expect_errno("fs_writev_too_many_einval", writev(fd, many, IOV_MAX + 1), EINVAL);
	expect_errno("fs_readv_negative_count_einval", readv(fd, many, negative), EINVAL);
	expect_errno("fs_writev_length_over_ssize_max_einval", writev(fd, huge, 2), EINVAL);
	expect_errno("fs_readv_bad_vector_efault", readv(fd, bad_vector, 2), EFAULT);
	expect_errno("fs_readv_bad_base_efault", readv(fd, bad_base, 1), EFAULT);
	check("fs_writev_zero_count_is_0", writev(fd, many, 0) == 0, "not 0");
	if (pipe(fds) == 0) {
		expect_errno("fs_preadv_pipe_espipe", preadv(fds[0], huge, 1, 0), ESPIPE);
		close(fds[0]);
		close(fds[1]);
	}
	close(fd);
}

/* A stream gives what it has: readv on a pipe holding 4 bytes returns 4
 * across two buffers, and does not wait for more. */
static void test_readv_pipe_does_not_wait(void)
{
	char a[2] = "", b[8] = "";
	struct iovec iov[2] = { { a, 2 }, { b, 8 } };
	int fds[2];
	ssize_t n;

	if (pipe(fds) != 0 || write(fds[1], "wxyz", 4) != 4)
		return;
	n = readv(fds[0], iov, 2);
	check("fs_readv_pipe_returns_what_is_there", n == 4 && memcmp(b, "yz", 2) == 0 &&
	      memcmp(a, "wx", 2) == 0, "readv gave %ld", (long)n);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	scratch_path(path, sizeof(path), "readv");
	test_writev_gathers();
	test_readv_scatters();
	test_positional_vectors();
	test_bad_vectors();
	test_readv_pipe_does_not_wait();
	unlink(path);
	return test_exit_code();
}
