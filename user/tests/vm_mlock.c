/*
 * vm_mlock - mlock, mlockall(MCL_FUTURE), MAP_POPULATE and MAP_LOCKED fault
 * every page in at once, counted in the process's minor faults (field 10 of
 * /proc/self/stat): the count rises by at least the number of pages during
 * the call, and touching every page afterwards adds (next to) nothing.
 *
 * "Next to nothing" is fewer than TOUCH_SLACK faults: reading
 * /proc/self/stat itself may fault a page or two of the C library's.
 *
 * A page mlock cannot have -- a file mapping's page past the end of the
 * file -- fails the call with ENOMEM (POSIX, and Linux's answer).
 */
#include "vmlib.h"

enum { LOCK_PAGES = 1000, TOUCH_SLACK = 10 };

/* Writes one byte to each page; returns how many minor faults that took. */
static long faults_to_touch(char *p, size_t pages)
{
	long before = minflt();

	for (size_t i = 0; i < pages; i++)
		p[i * PG] = (char)i;
	return minflt() - before;
}

/* The checks every way of populating shares: `how` faulted in the pages of
 * p, which took `during` faults. */
static void check_populated(const char *how, char *p, long during)
{
	char name[96];
	long after = faults_to_touch(p, LOCK_PAGES);

	snprintf(name, sizeof(name), "vm_mlock_%s_faults_every_page_in", how);
	if (!skip_under_emulator(name, "its /proc/self/stat counts no page faults"))
		check(name, during >= LOCK_PAGES, "%ld faults for %d pages", during, LOCK_PAGES);
	snprintf(name, sizeof(name), "vm_mlock_%s_then_touch_no_faults", how);
	check(name, after < TOUCH_SLACK, "%ld faults touching %d pages", after, LOCK_PAGES);
}

static void mlock_faults_in(void)
{
	char *p = map_anon(LOCK_PAGES);
	long before;

	if (!check("vm_mlock_proc_stat_minflt", p && minflt() >= 0, "no mapping or no minflt"))
		return;
	want_small_pages(p, LOCK_PAGES * PG);
	before = minflt();
	if (check_errno("vm_mlock_ok", mlock(p, LOCK_PAGES * PG) == 0, "mlock"))
		check_populated("mlock", p, minflt() - before);
	check_errno("vm_mlock_munlock", munlock(p, LOCK_PAGES * PG) == 0, "munlock");
	munmap(p, LOCK_PAGES * PG);
}

static void map_flag_faults_in(const char *how, int flag)
{
	long before = minflt();
	char *p = mmap(NULL, LOCK_PAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flag, -1, 0);
	long during = minflt() - before;
	char name[96];

	snprintf(name, sizeof(name), "vm_mlock_%s_mmap", how);
	if (!check_errno(name, p != MAP_FAILED, "mmap"))
		return;
	check_populated(how, p, during);
	munmap(p, LOCK_PAGES * PG);
}

/* After mlockall(MCL_FUTURE) a new mapping comes populated. */
static void mlockall_future(void)
{
	char *p;
	long before;

	check_errno("vm_mlock_mlockall_current", mlockall(MCL_CURRENT) == 0, "mlockall");
	check_errno("vm_mlock_mlockall_future", mlockall(MCL_CURRENT | MCL_FUTURE) == 0,
		    "mlockall");
	before = minflt();
	p = map_anon(LOCK_PAGES);
	if (require("vm_mlock_mlockall_future_mmap", p != NULL))
		check_populated("mlockall_future", p, minflt() - before);
	check_errno("vm_mlock_munlockall", munlockall() == 0, "munlockall");
	if (p)
		munmap(p, LOCK_PAGES * PG);
	p = map_anon(1);
	if (require("vm_mlock_after_munlockall_mmap", p != NULL) &&
	    !skip_under_emulator("vm_mlock_after_munlockall_faults_on_demand",
				 "its /proc/self/stat counts no page faults"))
		check("vm_mlock_after_munlockall_faults_on_demand", faults_to_touch(p, 1) >= 1,
		      "touching a new page took no fault");
	munmap(p, PG);
}

/* A page past the end of the file: the mapping is there, its page cannot
 * be, and mlock says ENOMEM. */
static void mlock_past_end_of_file(void)
{
	char path[128];
	int fd = open(scratch_path(path, sizeof(path), "mlock_eof"),
		      O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *p;

	unlink(path);
	if (!check_errno("vm_mlock_eof_setup", fd >= 0 && write(fd, "x", 1) == 1, "%s", path))
		return;
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	if (check_errno("vm_mlock_eof_mmap", p != MAP_FAILED, "mmap")) {
		expect_errno("vm_mlock_past_end_of_file_enomem", mlock(p, 2 * PG), ENOMEM);
		munmap(p, 2 * PG);
	}
	close(fd);
}

int main(void)
{
	mlock_faults_in();
	mlock_past_end_of_file();
	map_flag_faults_in("map_populate", MAP_POPULATE);
	map_flag_faults_in("map_locked", MAP_LOCKED);
	mlockall_future();
	return test_exit_code();
}
