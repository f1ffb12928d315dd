/*
 * file_read - read() throughput from the page cache: a 4 MiB file, read
 * once to bring it into the cache, then read whole again and again with
 * 64 KiB reads; MiB/s, median over batches.  Nothing here touches the disk
 * after the first pass, so the figure is the cost of the cache lookup and
 * the copy to user space.
 *
 * The file goes in /tmp (or the current directory) and is removed at the
 * end.  Under Walnut's harness that is the root disk, booted with QEMU's
 * snapshot=on, so nothing is kept; in the maintainers' Linux runs it is the
 * initramfs.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

enum { FILE_BYTES = 4 << 20, CHUNK = 64 << 10, BATCHES = 5, PASSES_PER_BATCH = 8 };

static char chunk[CHUNK];

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void make_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die("open for writing");
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)i;
	for (size_t done = 0; done < FILE_BYTES; done += CHUNK)
		if (write(fd, chunk, CHUNK) != CHUNK)
			die("write");
	if (fsync(fd) != 0)
		die("fsync");
	close(fd);
}

/* Reads the whole file from offset 0 in CHUNK-sized reads. */
static void read_whole(int fd)
{
	size_t done = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		die("lseek");
	while ((n = read(fd, chunk, CHUNK)) > 0)
		done += (size_t)n;
	if (n < 0 || done != FILE_BYTES)
		die("read");
}

int main(void)
{
	struct stat st;
	const char *path = stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) ?
			   "/tmp/file_read.bench" : "file_read.bench";
	double batch[BATCHES];
	int fd;

	make_file(path);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	read_whole(fd);			/* into the cache */
	for (int b = 0; b < BATCHES; b++) {
		long long t0 = bench_now_ns();

		for (int i = 0; i < PASSES_PER_BATCH; i++)
			read_whole(fd);
		batch[b] = (double)FILE_BYTES * PASSES_PER_BATCH / (1 << 20) /
			   ((double)(bench_now_ns() - t0) / 1e9);
	}
	close(fd);
	unlink(path);
	bench_report("file_read", bench_median(batch, BATCHES), "MiB/s");
	return 0;
}
