/*
 * pipe_copy_with_file_mapping - a pipe transfer whose user buffer is a
 * file's mapping not yet faulted in: write(2) from a MAP_PRIVATE mapping of
 * a file, and read(2) into a MAP_SHARED one.
 *
 * The copy runs under the pipe's lock and its page fault reads the file,
 * taking the address-space and filesystem locks below it: the lock order a
 * kernel gets wrong here deadlocks, or trips its own lock check.  Each byte
 * must also arrive: the pipe gets the file's bytes, the file gets the
 * pipe's.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "testlib.h"

enum { FILE_BYTES = 6 * 4096 + 123 };	/* several pages, one of them partial */

static unsigned char pattern(size_t pos, unsigned seed)
{
	return (unsigned char)((pos * 131u + seed) ^ pos >> 9);
}

static int make_file(const char *path, unsigned seed)
{
	static unsigned char buf[FILE_BYTES];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	for (size_t i = 0; i < FILE_BYTES; i++)
		buf[i] = pattern(i, seed);
	if (fd < 0 || write_full(fd, buf, FILE_BYTES) != FILE_BYTES)
		return -1;
	return fd;
}

static size_t first_mismatch(const unsigned char *p, unsigned seed)
{
	for (size_t i = 0; i < FILE_BYTES; i++)
		if (p[i] != pattern(i, seed))
			return i;
	return FILE_BYTES;
}

/* The child reads the pipe and checks it got the file, byte for byte. */
static int child_checks_stream(void *fds)
{
	static unsigned char got[FILE_BYTES];
	int rfd = ((int *)fds)[0];

	close(((int *)fds)[1]);
	if (read_full(rfd, got, FILE_BYTES) != FILE_BYTES)
		return 2;
	return first_mismatch(got, 1) == FILE_BYTES ? 0 : 3;
}

static void write_from_private_mapping(const char *path)
{
	int fds[2], fd = make_file(path, 1);
	unsigned char *map;
	pid_t pid;

	if (!check_errno("pipe_write_from_file_mapping_setup", fd >= 0 && pipe(fds) == 0, "%s", path))
		return;
	map = mmap(NULL, FILE_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
	if (!check_errno("pipe_write_from_file_mapping_mmap", map != MAP_FAILED, "%s", path))
		return;
	pid = spawn(child_checks_stream, fds);
	close(fds[0]);
	check("pipe_write_from_file_mapping_whole",
	      write_full(fds[1], map, FILE_BYTES) == FILE_BYTES, "short write");
	close(fds[1]);
	expect_exit("pipe_write_from_file_mapping_arrives", pid, 0);
	munmap(map, FILE_BYTES);
	close(fd);
}

static void read_into_shared_mapping(const char *path)
{
	static unsigned char buf[FILE_BYTES];
	int fds[2], fd = make_file(path, 2);
	unsigned char *map;
	size_t bad;

	if (!check_errno("pipe_read_into_file_mapping_setup", fd >= 0 && pipe(fds) == 0, "%s", path))
		return;
	map = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!check_errno("pipe_read_into_file_mapping_mmap", map != MAP_FAILED, "%s", path))
		return;
	/* A pipe holds 64 KiB on Linux and Walnut: the whole file fits. */
	for (size_t i = 0; i < FILE_BYTES; i++)
		buf[i] = pattern(i, 3);
	check("pipe_read_into_file_mapping_fill",
	      write_full(fds[1], buf, FILE_BYTES) == FILE_BYTES, "short write");
	close(fds[1]);
	check("pipe_read_into_file_mapping_whole",
	      read_full(fds[0], map, FILE_BYTES) == FILE_BYTES, "short read");
	munmap(map, FILE_BYTES);
	memset(buf, 0, sizeof(buf));
	check_errno("pipe_read_into_file_mapping_pread",
		    pread(fd, buf, FILE_BYTES, 0) == FILE_BYTES, "%s", path);
	bad = first_mismatch(buf, 3);
	check("pipe_read_into_file_mapping_reaches_file", bad == FILE_BYTES,
	      "file byte %zu is %u", bad, bad < FILE_BYTES ? buf[bad] : 0);
	close(fds[0]);
	close(fd);
}

int main(void)
{
	char path[128];

	scratch_path(path, sizeof(path), "pipe_map_w");
	write_from_private_mapping(path);
	unlink(path);
	scratch_path(path, sizeof(path), "pipe_map_r");
	read_into_shared_mapping(path);
	unlink(path);
	return test_exit_code();
}
