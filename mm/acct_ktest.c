/*
 * mm/acct_ktest.c - self-tests of mm/acct.c: the overcommit heuristic's
 * line is all of RAM, and may_expand_vm counts every VMA for RLIMIT_AS but
 * only private writable non-stack ones for RLIMIT_DATA.  The limits are
 * the running task's, set here and put back.
 */
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include <resource.h>
#include <sched.h>
#include <string.h>
#include <vm.h>

#define BASE	0x10000000u
#define PAGES(n)	((uint32_t)(n) * PAGE_SIZE)

KTEST(acct_one_request_past_ram_refused)
{
	KT_ASSERT(vm_enough_memory((uint32_t)nr_managed_pages()) == 0);
	KT_ASSERT(vm_enough_memory((uint32_t)nr_managed_pages() + 1) == -ENOMEM);
	return 0;
}

KTEST(acct_may_expand_vm_counts_as_and_data)
{
	struct rlimit saved[RLIM_NLIMITS];
	struct mm *mm = mm_create();
	bool ok = true;

	KT_ASSERT(mm);
	memcpy(saved, current->rlim, sizeof(saved));
	/* 16 pages of data, 16 read-only, 4 of stack */
	ok &= vma_add(mm, BASE, BASE + PAGES(16), VM_READ | VM_WRITE) == 0;
	ok &= vma_add(mm, BASE + PAGES(32), BASE + PAGES(48), VM_READ) == 0;
	ok &= vma_add(mm, BASE + PAGES(64), BASE + PAGES(68),
		      VM_READ | VM_WRITE | VM_GROWSDOWN) == 0;
	current->rlim[RLIMIT_AS].cur = PAGES(40);
	ok &= may_expand_vm(mm, VM_READ, 4) && !may_expand_vm(mm, VM_READ, 5);
	current->rlim[RLIMIT_AS].cur = RLIM_INFINITY;
	current->rlim[RLIMIT_DATA].cur = PAGES(20);
	ok &= may_expand_vm(mm, VM_READ | VM_WRITE, 4);
	ok &= !may_expand_vm(mm, VM_READ | VM_WRITE, 5);
	ok &= may_expand_vm(mm, VM_READ, 100);			/* not data */
	ok &= may_expand_vm(mm, VM_READ | VM_WRITE | VM_SHARED, 100);
	ok &= mm_pages_in(mm, BASE + PAGES(8), BASE + PAGES(40), 0) == 16;
	memcpy(current->rlim, saved, sizeof(saved));
	mmput(mm);
	KT_ASSERT(ok);
	return 0;
}
