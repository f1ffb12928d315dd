/*
 * pipe_tput - bytes per second through a pipe between two processes, with
 * 4 KiB writes (one PIPE_BUF: the buffered, atomic path) and 64 KiB writes
 * (where a kernel may hand the reader the writer's pages: rule 7 in
 * docs/history.md, planned).  The reader reads with the same size it is written with.
 *
 * The clock starts when the parent tells the already-forked writer to go and
 * stops at EOF, so fork and exec costs stay out of the figure.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

enum { TOTAL_BYTES = 16 << 20 };

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0)
			die("write");
		buf += n;
		len -= (size_t)n;
	}
}

/* Child: wait for the go byte, then write TOTAL_BYTES in chunk-sized writes. */
static void writer(int go_fd, int data_fd, char *buf, size_t chunk)
{
	char go;

	if (read(go_fd, &go, 1) != 1)
		_exit(3);
	for (size_t sent = 0; sent < TOTAL_BYTES; sent += chunk)
		write_all(data_fd, buf, chunk);
	_exit(0);
}

static double mib_per_s(size_t chunk)
{
	int go[2], data[2], status;
	char *buf = malloc(chunk);
	long long t0, received = 0;
	ssize_t n;
	pid_t pid;

	if (!buf || pipe(go) != 0 || pipe(data) != 0)
		die("setup");
	for (size_t i = 0; i < chunk; i++)
		buf[i] = (char)i;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(go[1]);
		close(data[0]);
		writer(go[0], data[1], buf, chunk);
	}
	close(go[0]);
	close(data[1]);
	t0 = bench_now_ns();
	write_all(go[1], "g", 1);
	while ((n = read(data[0], buf, chunk)) > 0)
		received += n;
	if (n < 0)
		die("read");
	double secs = (double)(bench_now_ns() - t0) / 1e9;

	if (waitpid(pid, &status, 0) != pid || status != 0 || received != TOTAL_BYTES) {
		fprintf(stderr, "pipe_tput: writer failed (status %#x, %lld bytes)\n",
			status, received);
		exit(2);
	}
	close(go[1]);
	close(data[0]);
	free(buf);
	return (double)TOTAL_BYTES / (1 << 20) / secs;
}

int main(void)
{
	bench_report("pipe_tput_4k", mib_per_s(4096), "MiB/s");
	bench_report("pipe_tput_64k", mib_per_s(65536), "MiB/s");
	return 0;
}
