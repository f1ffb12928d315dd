/*
 * mm/fault_ktest.c - self-tests of the fault path: the console line a
 * fatal user fault prints (fault_description), and the re-check before a
 * fault installs a page it made (pte_install), with the race forced by
 * fault_race_hook.  Faults are taken through the walker, as every caller
 * outside mm/fault.c must (tools/check_walker.py).
 */
#include <err.h>
#include <ktest.h>
#include <mm.h>
#include <mutex.h>
#include <string.h>
#include <trap.h>
#include <uaccess.h>
#include <vm.h>
#include <walk.h>
#include "internal.h"

/* Regression: a user write to 0xC0000000 was reported as "write to
 * read-only address" (the kernel's page is present, just not the user's). */
KTEST(fault_message_user_access_to_kernel_address)
{
	const uint32_t present_write = PF_USER | PF_PRESENT | PF_WRITE;

	KT_ASSERT(!strcmp(fault_description(USER_TOP, present_write, FAULT_SIGSEGV),
			  "write to kernel address"));
	KT_ASSERT(!strcmp(fault_description(0xfffffffcu, PF_USER | PF_PRESENT,
					    FAULT_SIGSEGV), "read of kernel address"));
	return 0;
}

KTEST(fault_message_user_addresses)
{
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER | PF_PRESENT | PF_WRITE,
					    FAULT_SIGSEGV), "write to read-only address"));
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER, FAULT_SIGSEGV),
			  "read of unmapped address"));
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER | PF_WRITE, FAULT_OOM),
			  "out of memory"));
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER, FAULT_SIGBUS),
			  "access past the end of a mapped object"));
	return 0;
}

/* ---- the re-check before a fault installs a page (pte_install) ---- */

#define R_UVA	0x10000000u	/* where each race test maps its page */

static struct page *race_winner;	/* what the "other path" maps */

/* The other path gets there first: while the fault holds its new page,
 * the PTE is pointed at race_winner (with the reference the PTE owns), as
 * a second fault of the same page would. */
static void map_winner(struct mm *mm, pte_t *pte, uint32_t uva)
{
	struct page *old = pte_maps_page(*pte) ? pfn_to_page(pte_pfn(*pte)) : NULL;

	fault_race_hook = NULL;		/* once */
	get_page(race_winner);
	mm_set_pte(mm, find_vma(mm, uva), pte, uva, race_winner, PTE_WRITE | PTE_DIRTY);
	if (old)
		put_page(old);		/* the reference the replaced PTE held */
}

/* Walk callback: which page did the walker hand out? */
static int note_page(struct vma *v, struct page *page, uint32_t uva, void *data)
{
	if (!IS_ERR(page))
		*(struct page **)data = page;
	return 0;
}

static struct page *write_walk(struct mm *mm)
{
	struct page *seen = NULL;

	mutex_lock(&mm->mmap_lock);
	walk_user_pages(mm, R_UVA, 1, WALK_WRITE, note_page, &seen);
	mutex_unlock(&mm->mmap_lock);
	return seen;
}

/* A first-touch write fault loses the race: its zeroed page is dropped,
 * the winner's page stays mapped and is what the walker hands out, and
 * every page comes back when the mm goes (the runner checks free pages). */
KTEST(fault_race_first_touch_drops_its_page)
{
	struct mm *mm = mm_create();
	size_t before;

	race_winner = alloc_page(ALLOC_KERNEL);
	KT_ASSERT(mm && race_winner);
	KT_ASSERT(vma_add(mm, R_UVA, R_UVA + PAGE_SIZE, VM_READ | VM_WRITE) == 0);
	before = nr_free_pages();
	fault_race_hook = map_winner;
	KT_ASSERT(write_walk(mm) == race_winner);
	KT_ASSERT(fault_race_hook == NULL);	/* the race did happen */
	KT_ASSERT(nr_free_pages() + 1 == before);	/* the page table only */
	KT_ASSERT(race_winner->refcount == 2);	/* ours and the PTE's */
	mmput(mm);
	KT_ASSERT(race_winner->refcount == 1);
	put_page(race_winner);
	return 0;
}

/* A copy-on-write fault loses the race: its copy is dropped, the page it
 * copied from is neither lost nor freed twice (it was held across the
 * copy), and the winner's page is what the walker hands out. */
KTEST(fault_race_copy_on_write_drops_its_copy)
{
	struct mm *mm = mm_create();
	struct page *shared = alloc_page(ALLOC_KERNEL);

	race_winner = alloc_page(ALLOC_KERNEL);
	KT_ASSERT(mm && shared && race_winner);
	KT_ASSERT(vma_add(mm, R_UVA, R_UVA + PAGE_SIZE, VM_READ | VM_WRITE) == 0);
	/* A private page shared with another address space (our reference
	 * stands for it), mapped read-only: a write must copy. */
	get_page(shared);
	mm_set_pte(mm, find_vma(mm, R_UVA), mm_get_pte(mm, R_UVA, true), R_UVA,
		   shared, 0);
	fault_race_hook = map_winner;
	KT_ASSERT(write_walk(mm) == race_winner);
	KT_ASSERT(fault_race_hook == NULL);
	KT_ASSERT(shared->refcount == 1);	/* only ours: the PTE's went */
	mmput(mm);
	put_page(shared);
	KT_ASSERT(race_winner->refcount == 1);
	put_page(race_winner);
	return 0;
}
