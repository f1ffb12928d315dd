/*
 * kernel/ktest.c - the kernel self-test runner.
 *
 * Tests live next to the code they test and register themselves in the
 * .ktests section (include/ktest.h); linker.ld brackets the section with
 * __ktests_start/__ktests_end.  ktest_run() takes the ktest= value.
 *
 * Leak check: the runner counts free pages and outstanding page pins
 * (include/walk.h) before and after each test; a test that leaves fewer
 * pages or more pins fails, whatever it returned.  After the last test no
 * pin may be outstanding at all: that is one more failure if one is.
 * A test that stops
 * early may leave fs_lock held (fs/ktest_ext2.h): the runner lets it go, so
 * the next test's ALLOC_KERNEL allocations are not refused; a test that
 * passes and leaves it held fails.
 */
#include <ktest.h>
#include <mm.h>
#include <mutex.h>
#include <string.h>
#include <vfs.h>
#include <walk.h>

extern const struct ktest __ktests_start[], __ktests_end[];

static char fail_reason[160];

void ktest_fail_reason(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fail_reason, sizeof(fail_reason), fmt, ap);
	va_end(ap);
}

static bool run_one(const struct ktest *t)
{
	size_t free_before = nr_free_pages();
	unsigned long pins_before = pins_outstanding();
	int rc;

	fail_reason[0] = '\0';
	rc = t->fn();
	if (rc == 0 && nr_free_pages() < free_before) {
		ktest_fail_reason("leaked %zu pages", free_before - nr_free_pages());
		rc = -1;
	}
	if (rc == 0 && pins_outstanding() != pins_before) {
		ktest_fail_reason("left %ld page pins", (long)(pins_outstanding() - pins_before));
		rc = -1;
	}
	if (rc == 0 && mutex_held(&fs_lock)) {
		ktest_fail_reason("left fs_lock held");
		rc = -1;
	}
	while (mutex_held(&fs_lock))
		mutex_unlock(&fs_lock);
	if (rc == 0)
		printk("TEST %s PASS\n", t->name);
	else
		printk("TEST %s FAIL %s\n", t->name,
		       fail_reason[0] ? fail_reason : "(no reason given)");
	return rc == 0;
}

/* Is name in the comma-separated list? */
static bool in_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; *p; ) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && strncmp(p, name, len) == 0)
			return true;
		p += n + (comma ? 1 : 0);
	}
	return false;
}

static const struct ktest *find_test(const char *name, size_t len)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
		if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

/* Report each name in the list that matches no test, as a failure. */
static unsigned int count_unknown(const char *list)
{
	unsigned int unknown = 0;

	for (const char *p = list; *p; ) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n && !find_test(p, n)) {
			printk("TEST %.*s FAIL no such test\n", (int)n, p);
			unknown++;
		}
		p += n + (comma ? 1 : 0);
	}
	return unknown;
}

/* Run the tests spec names ("all" for every non-crashing test); returns the
 * number that failed. */
int ktest_run(const char *spec)
{
	bool all = strcmp(spec, "all") == 0;
	unsigned int passed = 0, failed = all ? 0 : count_unknown(spec);

	printk("KTEST START %s\n", spec);
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (all ? t->crashes : !in_list(spec, t->name))
			continue;
		if (run_one(t))
			passed++;
		else
			failed++;
	}
	if (pins_outstanding()) {
		printk("TEST ktest_pins_balanced_at_end FAIL %lu page pins outstanding\n",
		       pins_outstanding());
		failed++;
	}
	printk("KTEST DONE %u passed, %u failed\n", passed, failed);
	return (int)failed;
}
