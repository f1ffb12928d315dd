/*
 * vm_stack - the stack grows down on demand: a child recursing through 1 MiB
 * of frames works, and one that keeps going past the 8 MiB stack limit is
 * killed by SIGSEGV (having got at least 7 MiB deep first).
 *
 * The limit is RLIMIT_STACK (8 MiB by default on Walnut), which the child
 * sets to 8 MiB itself so the host's ulimit does not matter on Linux.
 * user/tests/rlimit.c checks a lowered limit.
 */
#include <stdint.h>
#include <sys/resource.h>
#include "vmlib.h"

#define MIB		(1024 * 1024)
#define STACK_LIMIT	(8 * MIB)

enum { FRAME = 1024 };

static uintptr_t stack_top;		/* a frame near the child's start */
static int progress_fd = -1;		/* gets one byte per MiB of depth */
static size_t deepest_mib;

/*
 * Recurses until `want` bytes of stack below stack_top are in use, touching
 * every frame (so every page) on the way down.  The sum of the frames' bytes
 * is used after the call, so the compiler cannot make it a loop.
 */
static int descend(size_t want)
{
	volatile char frame[FRAME];
	size_t used = stack_top - (uintptr_t)frame;

	frame[0] = frame[FRAME - 1] = (char)used;
	if (progress_fd >= 0 && used / MIB > deepest_mib) {
		deepest_mib = used / MIB;
		write(progress_fd, "m", 1);
	}
	if (used >= want)
		return frame[0];
	return descend(want) + frame[FRAME - 1];
}

static void set_stack_limit(void)
{
	struct rlimit rl = { STACK_LIMIT, STACK_LIMIT };

	if (setrlimit(RLIMIT_STACK, &rl) != 0)
		note("setrlimit(RLIMIT_STACK): %s", strerror(errno));
}

static int child_grows(void *want)
{
	volatile char here;

	set_stack_limit();
	stack_top = (uintptr_t)&here;
	descend((size_t)(uintptr_t)want);
	return 0;
}

static void grows_to_1mib(void)
{
	expect_exit("vm_stack_grows_to_1mib", spawn(child_grows, (void *)(uintptr_t)MIB), 0);
}

/* Recurse toward 64 MiB; the limit must stop it with SIGSEGV. */
static void beyond_limit_sigsegv(void)
{
	int fds[2];
	char buf[64];
	ssize_t mib;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		progress_fd = fds[1];
		_exit(child_grows((void *)(uintptr_t)(64 * MIB)));
	}
	close(fds[1]);
	expect_killed("vm_stack_beyond_limit_sigsegv", pid, SIGSEGV);
	mib = read(fds[0], buf, sizeof(buf));
	check("vm_stack_limit_not_below_7mib", mib >= 7, "died after %zd MiB", mib);
	check("vm_stack_limit_not_above_8mib", mib <= 8, "grew to %zd MiB", mib);
	close(fds[0]);
}

int main(void)
{
	grows_to_1mib();
	beyond_limit_sigsegv();
	return test_exit_code();
}
