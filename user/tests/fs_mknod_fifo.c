/*
 * fs_mknod_fifo - mknod(2) and mkfifo(3): FIFOs with POSIX open semantics
 * (a reader waits for a writer and the other way round, unless
 * O_NONBLOCK), data between two processes through a name on the disk, and
 * device files that open the device their number names, wherever they are.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include "testlib.h"

static char fifo[128], node[128];

static int child_writes_hello(void *arg)
{
	int fd = open(fifo, O_WRONLY);	/* waits for the parent to open */

	(void)arg;
	if (fd < 0)
		return 1;
	return write(fd, "hello through a fifo", 20) == 20 ? 0 : 2;
}

static void test_fifo_between_processes(void)
{
	char buf[32] = "";
	pid_t pid;
	int fd;

	pid = spawn(child_writes_hello, NULL);
	fd = open(fifo, O_RDONLY);	/* waits for the child */
	check_errno("fs_fifo_blocking_open_meets_writer", fd >= 0, "open");
	check("fs_fifo_carries_data", read_full(fd, buf, 20) == 20 &&
	      memcmp(buf, "hello through a fifo", 20) == 0, "read '%s'", buf);
	check("fs_fifo_eof_after_writer_exits", read(fd, buf, 1) == 0 || fd < 0, "no EOF");
	expect_exit("fs_fifo_writer_exits", pid, 0);
	close(fd);
}

static void test_fifo_nonblocking_opens(void)
{
	char c;
	struct pollfd pfd;
	int r, w;

	expect_errno("fs_fifo_nonblock_writer_without_reader_enxio",
		     open(fifo, O_WRONLY | O_NONBLOCK), ENXIO);
	r = open(fifo, O_RDONLY | O_NONBLOCK);
	check_errno("fs_fifo_nonblock_reader_opens_at_once", r >= 0, "open");
	check("fs_fifo_read_without_writer_is_eof", read(r, &c, 1) == 0, "not EOF");
	pfd = (struct pollfd){ .fd = r, .events = POLLIN };
	check("fs_fifo_poll_no_hangup_before_any_writer", poll(&pfd, 1, 0) == 0,
	      "revents %#x", pfd.revents);
	w = open(fifo, O_WRONLY | O_NONBLOCK);
	check_errno("fs_fifo_nonblock_writer_with_reader", w >= 0, "open");
	check("fs_fifo_nonblock_round_trip", write(w, "x", 1) == 1 && read(r, &c, 1) == 1 &&
	      c == 'x', "round trip");
	close(w);
	check("fs_fifo_poll_hangup_after_writer_left", poll(&pfd, 1, 0) == 1 &&
	      pfd.revents == POLLHUP, "revents %#x", pfd.revents);
	close(r);
	r = open(fifo, O_RDWR);
	check_errno("fs_fifo_rdwr_opens_at_once", r >= 0, "open O_RDWR");
	check("fs_fifo_rdwr_round_trip", write(r, "y", 1) == 1 && read(r, &c, 1) == 1 &&
	      c == 'y', "round trip");
	close(r);
}

static void test_fifo_stat(void)
{
	struct stat st = { 0 };

	check("fs_fifo_stat_is_fifo", stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode) &&
	      (st.st_mode & 0777) == 0600 && st.st_size == 0, "mode %o", (unsigned)st.st_mode);
	expect_errno("fs_mkfifo_exists_eexist", mkfifo(fifo, 0600), EEXIST);
	expect_errno("fs_mkfifo_missing_dir_enoent", mkfifo("/no/such/dir/f", 0600), ENOENT);
}

static void test_device_nodes(void)
{
	char buf[8] = "abc";
	struct stat st = { 0 };
	int fd;

	if (!check_errno("fs_mknod_char_device", mknod(node, S_IFCHR | 0666, makedev(1, 5)) == 0,
			 "mknod"))
		return;
	check("fs_mknod_stat_shows_rdev", stat(node, &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 1 && minor(st.st_rdev) == 5, "rdev %u:%u",
	      major(st.st_rdev), minor(st.st_rdev));
	fd = open(node, O_RDONLY);
	check("fs_mknod_opens_the_device", fd >= 0 && read(fd, buf, 3) == 3 &&
	      buf[0] == 0 && buf[2] == 0, "not /dev/zero");
	close(fd);
	unlink(node);
	check_errno("fs_mknod_unknown_device", mknod(node, S_IFCHR | 0600, makedev(60, 7)) == 0,
		    "mknod");
	expect_errno("fs_mknod_unknown_device_open_enxio", open(node, O_RDONLY), ENXIO);
	unlink(node);
	check_errno("fs_mknod_regular_file", mknod(node, S_IFREG | 0644, 0) == 0 &&
		    stat(node, &st) == 0 && S_ISREG(st.st_mode), "mknod S_IFREG");
	unlink(node);
	expect_errno("fs_mknod_directory_eperm", mknod(node, S_IFDIR | 0755, 0), EPERM);
	expect_errno("fs_mknod_bad_type_einval", mknod(node, 0170000 | 0644, 0), EINVAL);
}

int main(void)
{
	scratch_path(fifo, sizeof(fifo), "fifo");
	scratch_path(node, sizeof(node), "node");
	if (!check_errno("fs_mkfifo", mkfifo(fifo, 0600) == 0, "mkfifo %s", fifo))
		return test_exit_code();
	test_fifo_between_processes();
	test_fifo_nonblocking_opens();
	test_fifo_stat();
	test_device_nodes();
	unlink(fifo);
	return test_exit_code();
}
