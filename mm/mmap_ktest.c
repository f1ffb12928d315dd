/*
 * mm/mmap_ktest.c - self-tests of the mapping calls' failure paths: a
 * MAP_FIXED mmap that fails leaves the old mapping whole (each allocation
 * it makes is failed in turn, kmalloc_fail_nth), and the VMA count stops
 * at vm_max_map_count with -ENOMEM.  Each runs on an mm of its own
 * (mm_create), read and written through the walker (access_remote_vm).
 */
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include <string.h>
#include <vm.h>
#include <walk.h>
#include "internal.h"

#define T_UVA		0x20000000u	/* where each test maps */
#define T_PAGES		3
#define PROT_RW		(PROT_READ | PROT_WRITE)
#define ANON_PRIVATE	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static unsigned char page_buf[PAGE_SIZE];

/* Fill page i of [T_UVA, ...) with i + 1, through the walker. */
static bool fill_page(struct mm *mm, unsigned int i)
{
	memset(page_buf, (int)i + 1, PAGE_SIZE);
	return access_remote_vm(mm, T_UVA + i * PAGE_SIZE, page_buf, PAGE_SIZE,
				WALK_WRITE) == PAGE_SIZE;
}

/* Does page i still hold i + 1 in every byte? */
static bool page_holds_fill(struct mm *mm, unsigned int i)
{
	memset(page_buf, 0, PAGE_SIZE);
	if (access_remote_vm(mm, T_UVA + i * PAGE_SIZE, page_buf, PAGE_SIZE, 0) != PAGE_SIZE)
		return false;
	for (size_t k = 0; k < PAGE_SIZE; k++)
		if (page_buf[k] != i + 1)
			return false;
	return true;
}

/* Regression: mmap(MAP_FIXED) unmapped the old range before it made the
 * new VMA, so an allocation that failed after that lost the old pages.
 * Each allocation of a MAP_FIXED shared-anonymous mmap over the middle
 * page fails in turn: every failure is -ENOMEM with all three pages and
 * the VMA count as they were; then the mmap succeeds. */
KTEST(mmap_fixed_failure_keeps_old_mapping)
{
	struct mm *mm = mm_create();
	unsigned int n, count;
	long r = -ENOMEM;

	KT_ASSERT(mm);
	KT_ASSERT(do_mmap(mm, T_UVA, T_PAGES * PAGE_SIZE, PROT_RW, ANON_PRIVATE, NULL, 0) ==
		  (long)T_UVA);
	for (unsigned int i = 0; i < T_PAGES; i++)
		KT_ASSERT(fill_page(mm, i));
	count = mm->map_count;
	for (n = 1; n < 32 && r == -ENOMEM; n++) {
		kmalloc_fail_nth = n;
		r = do_mmap(mm, T_UVA + PAGE_SIZE, PAGE_SIZE, PROT_READ,
			    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		kmalloc_fail_nth = 0;
		if (r != -ENOMEM)
			break;
		for (unsigned int i = 0; i < T_PAGES; i++)
			KT_ASSERT(page_holds_fill(mm, i));
		KT_ASSERT(mm->map_count == count);
	}
	KT_ASSERT(r == (long)(T_UVA + PAGE_SIZE));
	KT_ASSERT(n > 2);	/* some allocation did fail: the test saw a path */
	KT_ASSERT(page_holds_fill(mm, 0) && page_holds_fill(mm, 2));
	KT_ASSERT(access_remote_vm(mm, T_UVA + PAGE_SIZE, page_buf, PAGE_SIZE, 0) == PAGE_SIZE);
	KT_ASSERT(page_buf[0] == 0 && page_buf[PAGE_SIZE - 1] == 0);	/* the new one */
	mmput(mm);
	return 0;
}

/* Map page i of a run of separate one-page VMAs (a gap between each). */
static long map_single(struct mm *mm, unsigned int i)
{
	return do_mmap(mm, T_UVA + 2 * i * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON_PRIVATE,
		       NULL, 0);
}

/* At the limit (4 more than mm_create made): new VMAs and splits are
 * -ENOMEM, a MAP_FIXED that replaces one VMA by one still works. */
static int check_limit(struct mm *mm)
{
	for (unsigned int i = 0; i < 4; i++)
		KT_ASSERT(map_single(mm, i) == (long)(T_UVA + 2 * i * PAGE_SIZE));
	KT_ASSERT(mm->map_count == vm_max_map_count);
	KT_ASSERT(map_single(mm, 4) == -ENOMEM);
	KT_ASSERT(map_single(mm, 0) == (long)T_UVA);	/* one for one */
	/* Three pages in place of the last single page; their middle page
	 * would take splits, by munmap or by MAP_FIXED: refused. */
	KT_ASSERT(do_munmap(mm, T_UVA + 6 * PAGE_SIZE, PAGE_SIZE) == 0);
	KT_ASSERT(do_mmap(mm, T_UVA + 6 * PAGE_SIZE, 3 * PAGE_SIZE, PROT_RW, ANON_PRIVATE,
			  NULL, 0) == (long)(T_UVA + 6 * PAGE_SIZE));
	KT_ASSERT(do_munmap(mm, T_UVA + 7 * PAGE_SIZE, PAGE_SIZE) == -ENOMEM);
	KT_ASSERT(do_mmap(mm, T_UVA + 7 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON_PRIVATE,
			  NULL, 0) == -ENOMEM);
	KT_ASSERT(mm->map_count == vm_max_map_count);
	return 0;
}

/* The VMA limit, lowered to what a test can reach. */
KTEST(mmap_stops_at_max_map_count)
{
	struct mm *mm = mm_create();
	unsigned int saved = vm_max_map_count;
	int rc;

	KT_ASSERT(mm);
	vm_max_map_count = mm->map_count + 4;
	rc = check_limit(mm);
	vm_max_map_count = saved;
	if (!rc)	/* below the real limit the split is fine again */
		KT_ASSERT(do_munmap(mm, T_UVA + 7 * PAGE_SIZE, PAGE_SIZE) == 0);
	mmput(mm);
	return rc;
}
