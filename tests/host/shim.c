/*
 * tests/host/shim.c - what the kernel provides elsewhere, for host unit tests,
 * and the runner described in tests/host/hosttest.h.
 *
 * printk formats with the kernel's own vsnprintf (kernel/vsprintf.c is linked
 * in, and its definitions of vsnprintf, memset, strlen ... take precedence
 * over the C library's for every call made from this program), then writes to
 * stdout.  panic() longjmps to the test's EXPECT_PANIC if one is waiting, and
 * otherwise fails the running test.
 *
 * System headers come before the kernel's: include/types.h defines macros
 * such as __unused that the C library's headers may use as names.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hosttest.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>
#include <vm.h>
#include <x86.h>

#define ARENA_ALIGN	(PAGE_SIZE << (MAX_ORDER - 1))	/* the largest block */
#define TEST_TIMEOUT	120				/* seconds, per test */
#define EXIT_FAILED	3	/* the child printed its FAIL line itself */

uintptr_t host_kernel_base;
uint32_t host_eflags = EFLAGS_IF;

unsigned char *host_arena;
size_t host_arena_pages;
size_t host_initial_free;
static struct page *host_map;

jmp_buf *volatile host_panic_jmp;
char host_panic_msg[256];
bool host_panic_caught;

static const char *current_test;
static char failure[512];	/* first failure of the running test */

/* ---- what the kernel provides ---- */

/* Drop a KERN_<level> prefix: the host has one console and no levels. */
static const char *skip_level(const char *s)
{
	if (s[0] == KERN_SOH[0] && s[1] >= '0' && s[1] <= '7')
		return s + 2;
	return s;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	fputs(skip_level(buf), stdout);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void printk_break_lock(void)
{
}

static void __noreturn fail_and_exit(void)
{
	printf("TEST %s FAIL %s\n", current_test ? current_test : "?", failure);
	fflush(stdout);
	_exit(EXIT_FAILED);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	if (!current_test) {
		fprintf(stderr, "PANIC: %s\n", host_panic_msg);
		abort();
	}
	if (!failure[0])
		snprintf(failure, sizeof(failure), "unexpected panic: %s",
			 host_panic_msg);
	fail_and_exit();
}

void die(struct trapframe *tf)
{
	panic("die() called on the host (trapframe %p)", (void *)tf);
}

void power_off(int status)
{
	fflush(stdout);
	exit(status);
}

bool host_panic_says(const char *text)
{
	size_t n = strlen(text);

	for (const char *s = host_panic_msg; *s; s++)
		if (strncmp(s, text, n) == 0)
			return true;
	return n == 0;
}

/* ---- the arena ---- */

void host_mem_teardown(void)
{
	free(host_arena);
	free(host_map);
	host_arena = NULL;
	host_map = NULL;
	host_arena_pages = 0;
	host_kernel_base = 0;
}

void host_mem_init_range(size_t npages, pfn_t start, pfn_t end)
{
	size_t bytes = ALIGN_UP(npages * PAGE_SIZE, (size_t)ARENA_ALIGN);

	host_mem_teardown();
	host_arena = aligned_alloc(ARENA_ALIGN, bytes);
	host_map = calloc(npages, sizeof(*host_map));
	if (!host_arena || !host_map) {
		fprintf(stderr, "host_mem_init: out of host memory\n");
		abort();
	}
	memset(host_arena, 0xA5, bytes);
	host_arena_pages = npages;
	host_kernel_base = (uintptr_t)host_arena;
	page_alloc_init(host_map, (pfn_t)npages);
	page_alloc_free_range(start, end);
	host_initial_free = nr_free_pages();
}

void host_mem_init(size_t npages)
{
	host_mem_init_range(npages, 1, (pfn_t)npages);
}

/* ---- the runner ---- */

void host_fail(const char *file, int line, const char *what)
{
	host_failf(file, line, "%s", what);
}

void host_failf(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failure[0])
		return;
	n = snprintf(failure, sizeof(failure), "%s:%d ", file, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(failure))
		vsnprintf(failure + n, sizeof(failure) - n, fmt, ap);
	va_end(ap);
}

/* In the child: set up, run, check what every test must leave behind. */
static void __noreturn run_child(const struct host_test *t)
{
	current_test = t->name;
	alarm(TEST_TIMEOUT);
	if (t->arena_pages)
		host_mem_init(t->arena_pages);
	t->fn();
	if (!failure[0] && !host_panic_caught) {
		if (host_arena && nr_free_pages() != host_initial_free)
			snprintf(failure, sizeof(failure),
				 "leak: %zu pages free at the end, %zu at the start",
				 nr_free_pages(), host_initial_free);
		else if (!irqs_enabled())
			snprintf(failure, sizeof(failure),
				 "interrupts left disabled (unbalanced lock?)");
	}
	if (failure[0])
		fail_and_exit();
	host_mem_teardown();
	printf("TEST %s PASS\n", t->name);
	fflush(stdout);
	_exit(0);
}

/* In the parent: a child that died without a verdict failed. */
static bool reap(const struct host_test *t, pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		printf("TEST %s FAIL waitpid failed\n", t->name);
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_FAILED)
		return false;
	if (WIFSIGNALED(status))
		printf("TEST %s FAIL killed by signal %d%s\n", t->name,
		       WTERMSIG(status),
		       WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
	else
		printf("TEST %s FAIL exited with status %d (sanitizer report?)\n",
		       t->name, WEXITSTATUS(status));
	return false;
}

int host_run_tests(const struct host_test *tests, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		pid_t pid;

		fflush(stdout);		/* else the child repeats our buffer */
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			run_child(&tests[i]);
		if (!reap(&tests[i], pid))
			failed++;
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

/* mm/mmap.c: truncate takes a shrinking file's pages out of every address
 * space.  The host tests have no address spaces, so there is nothing to
 * take. */
void unmap_mapping_range(struct inode *inode, uint64_t from)
{
	(void)inode;
	(void)from;
}

/* fs/devfs.c: a device file or FIFO on a disk gets the file_ops that open
 * its device or pipe.  The host tests open no files. */
void init_special_inode(struct inode *inode)
{
	(void)inode;
}
