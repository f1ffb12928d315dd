/*
 * fs_short_transfer_bad_buffer - regression test for "a write whose buffer
 * goes bad part-way moves nothing".
 *
 * A buffer of 10 good bytes followed by an unmapped page: Linux's write()
 * writes the 10 bytes and returns 10, and read() into such a buffer fills
 * the good part and returns its length; -EFAULT comes only when nothing
 * moved.  Walnut used to return -EFAULT with nothing moved, for files and
 * for pipes.  Checked here for a regular file and a pipe, both ways.
 * (QEMU's user-mode emulator refuses the whole buffer before Linux sees
 * it, so under qemu-i386 the test is skipped.  Linux 6.1 built for i386
 * loops for ever on the file write -- its 32-bit user copy stops short of
 * the bad page's good bytes -- while an x86-64 kernel running this i386
 * program gives 10; an alarm turns any such hang into a failure.)
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "testlib.h"

#define GOOD	10

/* Two pages, the second unmapped: the last GOOD bytes of the first are the
 * good part of a buffer that runs on into nothing. */
static char *edge_buffer(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p + page, page) != 0)
		return NULL;
	return p + page - GOOD;
}

static void test_file(char *edge, const char *path)
{
	char back[32] = "";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (!check_errno("fs_short_transfer_file_open", fd >= 0, "open"))
		return;
	memcpy(edge, "0123456789", GOOD);
	n = write(fd, edge, 100);
	check("fs_short_transfer_file_write_returns_good_part", n == GOOD,
	      "write returned %ld (errno %s)", (long)n, n < 0 ? strerror(errno) : "-");
	check("fs_short_transfer_file_has_good_part", pread(fd, back, sizeof(back), 0) == GOOD &&
	      memcmp(back, "0123456789", GOOD) == 0, "file holds '%s'", back);
	expect_errno("fs_short_transfer_file_write_nothing_efault",
		     write(fd, edge + GOOD, 5), EFAULT);

	if (write_full(fd, "abcdefghijklmnopqrstuvwxyz", 26) != 26)
		return;
	memset(edge, 0, GOOD);
	n = pread(fd, edge, 100, GOOD);
	check("fs_short_transfer_file_read_fills_good_part", n == GOOD &&
	      memcmp(edge, "abcdefghij", GOOD) == 0, "read returned %ld", (long)n);
	close(fd);
	unlink(path);
}

static void test_pipe(char *edge)
{
	char back[32] = "";
	int fds[2];
	ssize_t n;

	if (!check_errno("fs_short_transfer_pipe_create", pipe(fds) == 0, "pipe"))
		return;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);	/* a failure must not hang the test */
	memcpy(edge, "ABCDEFGHIJ", GOOD);
	n = write(fds[1], edge, 100);
	check("fs_short_transfer_pipe_write_returns_good_part", n == GOOD,
	      "write returned %ld (errno %s)", (long)n, n < 0 ? strerror(errno) : "-");
	check("fs_short_transfer_pipe_has_good_part", read(fds[0], back, sizeof(back)) == GOOD &&
	      memcmp(back, "ABCDEFGHIJ", GOOD) == 0, "pipe held '%s'", back);

	if (write_full(fds[1], "klmnopqrstuvwxyz", 16) != 16)
		return;
	memset(edge, 0, GOOD);
	n = read(fds[0], edge, 100);
	check("fs_short_transfer_pipe_read_fills_good_part", n == GOOD &&
	      memcmp(edge, "klmnopqrst", GOOD) == 0, "read returned %ld", (long)n);
	check("fs_short_transfer_pipe_keeps_the_rest", read(fds[0], back, sizeof(back)) == 6 &&
	      memcmp(back, "uvwxyz", 6) == 0, "rest lost");
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	char path[128];
	char *edge;

	if (skip_under_emulator("fs_short_transfer", "it checks the whole buffer before the call"))
		return test_exit_code();
	alarm(20);		/* a transfer that loops must fail, not hang */
	edge = edge_buffer();
	if (!check_errno("fs_short_transfer_buffer", edge != NULL, "mmap/munmap"))
		return test_exit_code();
	test_file(edge, scratch_path(path, sizeof(path), "short"));
	test_pipe(edge);
	return test_exit_code();
}
