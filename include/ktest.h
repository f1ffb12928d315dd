/* include/ktest.h - kernel self-tests, run with ktest=NAME[,NAME...]|all.
 *
 * A test is a function returning 0 (pass) or -1 (fail), registered with
 *
 *	KTEST(alloc_page_gives_a_page)
 *	{
 *		struct page *p = alloc_page(ALLOC_KERNEL);
 *
 *		KT_ASSERT(p != NULL);
 *		free_page(p);
 *		return 0;
 *	}
 *
 * The runner (kernel/ktest.c) prints one line per test -- "TEST name PASS" or
 * "TEST name FAIL why" -- fails any test that leaves fewer free pages than it
 * found, then prints "KTEST DONE n passed, m failed" and powers off.
 * KTEST_CRASH() registers a test that is meant to bring the kernel down (to
 * check panic output); "all" skips those, so run them by name.
 */
#ifndef WALNUT_KTEST_H
#define WALNUT_KTEST_H

#include <types.h>
#include <kernel.h>

struct ktest {
	const char *name;
	int (*fn)(void);
	bool crashes;		/* run by name only */
};

#define KTEST_DEFINE(tname, crash)					\
	static int ktest_##tname(void);					\
	static const struct ktest ktest_entry_##tname			\
		__section(".ktests") __attribute__((used, aligned(4))) =	\
		{ #tname, ktest_##tname, crash };			\
	static int ktest_##tname(void)

#define KTEST(name)		KTEST_DEFINE(name, false)
#define KTEST_CRASH(name)	KTEST_DEFINE(name, true)

/* Fail the current test with the condition's text and line. */
#define KT_ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			ktest_fail_reason("%s:%d: %s", __FILE__, __LINE__, #cond); \
			return -1;					\
		}							\
	} while (0)

void ktest_fail_reason(const char *fmt, ...) __printf(1, 2);
int ktest_run(const char *spec);

#endif
