/* tests/host/hosttest.h - the small harness every host unit test uses.
 *
 * A test file lists its tests and hands them to host_run_tests():
 *
 *	static void host_buddy_alloc_free_one(void) { ... CHECK(cond); ... }
 *	static const struct host_test tests[] = {
 *		HOST_TEST(host_buddy_alloc_free_one, 1024),	// arena pages
 *	};
 *	int main(void) { return host_run_tests(tests, ARRAY_SIZE(tests)); }
 *
 * Each test runs in a child process of its own, so a test that fails, leaves
 * a lock held after a caught panic, or crashes under ASan cannot disturb the
 * next one (page_alloc.c and kmalloc.c keep their state in statics).  Before
 * the test the child builds a fresh arena of the given number of pages (0:
 * none) with host_mem_init(); after it, unless a panic was caught, it checks
 * that nr_free_pages() is back where the arena started and that interrupts
 * are on again -- every test is a leak and lock-balance test as well.
 *
 * Output: exactly one line per test, "TEST <name> PASS" or
 * "TEST <name> FAIL <file:line cond>", the form tools/harness.py parses.
 * host_run_tests() returns non-zero if any test failed.  Test names are the
 * function names and must be unique across files: prefix them with the area
 * (host_buddy_..., host_kmalloc_..., host_vsprintf_...).
 */
#ifndef WALNUT_HOSTTEST_H
#define WALNUT_HOSTTEST_H

#include <setjmp.h>
#include <types.h>
#include <mm.h>

struct host_test {
	const char *name;
	void (*fn)(void);
	size_t arena_pages;	/* 0: the test needs no page allocator */
};

#define HOST_TEST(fn, pages)	{ #fn, fn, pages }

int host_run_tests(const struct host_test *tests, size_t n);

/* Record the first failure of the running test; CHECK then returns. */
void host_fail(const char *file, int line, const char *what);
void host_failf(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			host_fail(__FILE__, __LINE__, #cond);		\
			return;						\
		}							\
	} while (0)

/*
 * The arena: "physical memory" for page_alloc.c, 4 MiB aligned so that the
 * buddy alignment of every order is real, filled with 0xA5 so that reading
 * memory nobody wrote shows.  host_mem_init(n) hands pfns 1..n-1 to the
 * allocator (pfn 0 stays reserved, as in the kernel); host_mem_init_range
 * frees [start, end) instead.  Either replaces any arena already set up.
 */
void host_mem_init(size_t npages);
void host_mem_init_range(size_t npages, pfn_t start, pfn_t end);
void host_mem_teardown(void);
extern unsigned char *host_arena;	/* pfn 0's kva */
extern size_t host_arena_pages;
extern size_t host_initial_free;	/* nr_free_pages() after init */

/*
 * EXPECT_PANIC(stmt): stmt must call panic(); the shim longjmps back here.
 * EXPECT_PANIC_MSG(stmt, text): and the message must contain text, so that
 * the test knows which invariant fired (a self-deadlock panic from a spin
 * lock is not the double-free panic the test asked for).
 *
 * A panic leaves the kernel code where it stopped -- a lock may still be
 * held -- so the rest of the test may only look, not allocate; the runner
 * skips its leak and interrupt checks for such a test.
 */
extern jmp_buf *volatile host_panic_jmp;	/* set: panic() longjmps here */
extern char host_panic_msg[256];		/* the last caught panic's text */
extern bool host_panic_caught;
bool host_panic_says(const char *text);

#define EXPECT_PANIC_MSG(stmt, text)					\
	do {								\
		jmp_buf jb_;						\
									\
		if (setjmp(jb_) == 0) {					\
			host_panic_jmp = &jb_;				\
			stmt;						\
			host_panic_jmp = NULL;				\
			host_fail(__FILE__, __LINE__,			\
				  "no panic from: " #stmt);		\
			return;						\
		}							\
		host_panic_jmp = NULL;					\
		host_panic_caught = true;				\
		if (!host_panic_says(text)) {				\
			host_failf(__FILE__, __LINE__,			\
				   "panic \"%s\" does not say \"%s\"",	\
				   host_panic_msg, text);		\
			return;						\
		}							\
	} while (0)

#define EXPECT_PANIC(stmt)	EXPECT_PANIC_MSG(stmt, "")

#endif
