/*
 * signal_segv - a bad memory access kills with SIGSEGV, or runs a handler
 * that can get the program back on its feet with longjmp.
 *
 * Each access runs in a child so the test itself survives; the parent reads
 * the verdict from the child's wait status.
 */
#include <setjmp.h>
#include "testlib.h"

/* Pointers the compiler cannot see through, so the faulting accesses are
 * really made (and not turned into traps or dropped as undefined). */
static volatile int *volatile null_int;
static char *volatile literal = (char *)"a string literal lives in read-only memory";

static int child_reads_null(void *arg UNUSED)
{
	return *null_int;
}

static int child_writes_literal(void *arg UNUSED)
{
	literal[0] = 'A';
	return 0;
}

/* 0xC0000000: Walnut's kernel (Linux's too on a 32-bit machine).  The
 * console line Walnut prints for it must say "kernel address" (checked by
 * the harness, tools/testplan.py). */
static volatile int *volatile kernel_int = (int *)0xC0000000u;

static int child_writes_kernel_address(void *arg UNUSED)
{
	*kernel_int = 1;
	return 0;
}

static jmp_buf recover;
static volatile sig_atomic_t segv_seen;

static void segv_jump_out(int sig)
{
	segv_seen++;
	longjmp(recover, sig);
}

/*
 * Faults twice, recovering each time.  longjmp out of a handler leaves
 * SIGSEGV blocked (plain setjmp need not save the mask), so unblock it: a
 * second fault with SIGSEGV blocked would kill us instead of running the
 * handler.  Exit 0 only if both faults reached the handler.
 */
static int child_recovers_from_segv(void *arg UNUSED)
{
	struct sigaction sa;
	sigset_t segv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = segv_jump_out;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) != 0)
		return 2;
	sigemptyset(&segv);
	sigaddset(&segv, SIGSEGV);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (setjmp(recover) == 0) {
			(void)*null_int;
			return 3;	/* the read did not fault */
		}
		sigprocmask(SIG_UNBLOCK, &segv, NULL);
	}
	return segv_seen == 2 ? 0 : 4;
}

int main(void)
{
	expect_killed("signal_segv_null_read_kills_with_sigsegv",
		      spawn(child_reads_null, NULL), SIGSEGV);
	expect_killed("signal_segv_literal_write_kills_with_sigsegv",
		      spawn(child_writes_literal, NULL), SIGSEGV);
	expect_killed("signal_segv_kernel_address_write_kills_with_sigsegv",
		      spawn(child_writes_kernel_address, NULL), SIGSEGV);
	expect_exit("signal_segv_handler_longjmps_out_twice",
		    spawn(child_recovers_from_segv, NULL), 0);
	return test_exit_code();
}
