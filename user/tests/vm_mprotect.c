/*
 * vm_mprotect - protections are enforced page by page: a write to a page
 * made read-only, or any access to PROT_NONE, is SIGSEGV; giving the right
 * back makes the same access work with the data intact; protecting the
 * middle page of three splits the mapping, leaving its neighbours writable.
 *
 * The faulting accesses run in children, whose wait status is the verdict;
 * one child instead catches the fault with a handler and siglongjmp.
 */
#include <setjmp.h>
#include "vmlib.h"

static int write_first_byte(void *p)
{
	*(volatile char *)p = 'w';
	return 0;
}

static int read_first_byte(void *p)
{
	return *(volatile char *)p == 'd' ? 0 : 1;
}

static void read_only(void)
{
	char *p = map_anon(1);

	if (!require("vm_mprotect_read_only_setup", p != NULL))
		return;
	p[0] = 'd';
	check_errno("vm_mprotect_read_only", mprotect(p, PG, PROT_READ) == 0, "mprotect");
	expect_exit("vm_mprotect_read_only_still_readable", spawn(read_first_byte, p), 0);
	expect_killed("vm_mprotect_read_only_write_sigsegv", spawn(write_first_byte, p), SIGSEGV);
	check_errno("vm_mprotect_none", mprotect(p, PG, PROT_NONE) == 0, "mprotect");
	expect_killed("vm_mprotect_none_read_sigsegv", spawn(read_first_byte, p), SIGSEGV);
	check_errno("vm_mprotect_back_to_read_write", mprotect(p, PG, PROT_READ | PROT_WRITE) == 0,
		    "mprotect");
	expect_exit("vm_mprotect_write_works_again", spawn(write_first_byte, p), 0);
	check("vm_mprotect_data_kept", p[0] == 'd', "p[0]='%c'", p[0]);
	munmap(p, PG);
}

/* A page that was never touched, made read-only: the zero-fill fault must
 * respect the new protection too. */
static void read_only_untouched(void)
{
	char *p = map_anon(1);

	if (!require("vm_mprotect_untouched_setup", p != NULL))
		return;
	mprotect(p, PG, PROT_READ);
	expect_killed("vm_mprotect_untouched_read_only_write_sigsegv",
		      spawn(write_first_byte, p), SIGSEGV);
	check("vm_mprotect_untouched_read_only_reads_zero", p[0] == 0, "p[0]=%d", p[0]);
	munmap(p, PG);
}

/*
 * Read-only in the middle of three written pages.  Each child shares the
 * pages copy-on-write, so its write to the middle one must be refused by the
 * protection, not resolved by copying the page.
 */
static void middle_page(void)
{
	char *p = map_anon(3);

	if (!require("vm_mprotect_middle_setup", p != NULL))
		return;
	memset(p, 'd', 3 * PG);
	check_errno("vm_mprotect_middle_page", mprotect(p + PG, PG, PROT_READ) == 0, "mprotect");
	expect_exit("vm_mprotect_middle_first_page_writable", spawn(write_first_byte, p), 0);
	expect_exit("vm_mprotect_middle_last_page_writable", spawn(write_first_byte, p + 2 * PG), 0);
	expect_killed("vm_mprotect_middle_page_write_sigsegv",
		      spawn(write_first_byte, p + PG), SIGSEGV);
	check("vm_mprotect_middle_data_kept", p[PG] == 'd' && p[2 * PG - 1] == 'd', "'%c'", p[PG]);
	munmap(p, 3 * PG);
}

static sigjmp_buf recover;
static volatile sig_atomic_t segvs;

static void on_segv(int sig UNUSED)
{
	segvs++;
	siglongjmp(recover, 1);
}

/* The handler runs for the write fault, jumps out with the mask restored,
 * and once the page is writable again the same store goes through. */
static int child_handles_protection_fault(void *arg UNUSED)
{
	struct sigaction sa;
	char *p = map_anon(1);

	if (!p)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	mprotect(p, PG, PROT_READ);
	if (sigsetjmp(recover, 1) == 0) {
		*(volatile char *)p = 'x';
		return 3;			/* the write went through */
	}
	if (mprotect(p, PG, PROT_READ | PROT_WRITE) != 0)
		return 4;
	*(volatile char *)p = 'x';
	return segvs == 1 && p[0] == 'x' ? 0 : 5;
}

int main(void)
{
	read_only();
	read_only_untouched();
	middle_page();
	expect_exit("vm_mprotect_handler_recovers_with_siglongjmp",
		    spawn(child_handles_protection_fault, NULL), 0);
	return test_exit_code();
}
