/*
 * fork_wait - fork + _exit + waitpid of a process that has 8 MiB of heap it
 * has written to.  The figure is dominated by copying (or, with COW, by
 * write-protecting) the parent's page tables, so it shows how fork scales
 * with a realistic resident set rather than with an empty process.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

enum { HEAP_BYTES = 8 << 20, PAGE = 4096, BATCHES = 5, FORKS_PER_BATCH = 10 };

/* Every page written, so each one is present and private before timing. */
static char *touched_heap(void)
{
	char *heap = malloc(HEAP_BYTES);

	if (!heap) {
		perror("malloc");
		exit(2);
	}
	for (size_t off = 0; off < HEAP_BYTES; off += PAGE)
		heap[off] = (char)off;
	return heap;
}

static void fork_exit_wait(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		perror("waitpid");
		exit(2);
	}
}

int main(void)
{
	double batch[BATCHES];
	char *heap = touched_heap();

	fork_exit_wait();		/* the first fork pays one-off costs */
	for (int b = 0; b < BATCHES; b++) {
		long long t0 = bench_now_ns();

		for (int i = 0; i < FORKS_PER_BATCH; i++)
			fork_exit_wait();
		batch[b] = (double)(bench_now_ns() - t0) / FORKS_PER_BATCH / 1000;
	}
	bench_report("fork_wait", bench_median(batch, BATCHES), "us");
	free(heap);
	return 0;
}
