/*
 * mm/pgtable.c - the user half of an address space's page tables: finding
 * a PTE, putting a page in one, and walking a range of them.
 *
 * Owns: the user page tables (mm/vm.c owns the page directory) and what a
 * user PTE may hold:
 *
 *	0                          empty
 *	frame | P | U | W? D? A    a page the process may use
 *	frame | PROTNONE | W? D?   a page of a PROT_NONE VMA: it keeps its
 *	                           page, but is not present, so every access
 *	                           faults -- the process's, and the kernel's
 *	                           copies on its behalf (copy_from_user runs
 *	                           with supervisor rights, which ignore U, so
 *	                           clearing U alone would let read(2) and
 *	                           write(2) reach the bytes)
 *
 * A PTE that maps a page (pte_maps_page) holds one reference on it.  Which
 * of the two a VMA's PTEs are follows from its flags alone (vma_accessible),
 * and mm_set_pte and protect_range keep them in step.
 *
 * Interface (mm/internal.h), in the order a caller meets it:
 *   mm_get_pte(mm, uva, create)            the PTE for uva, or NULL
 *   pte_install(mm, v, pte, seen, uva, page, flags)
 *                                          put page there if the PTE still
 *                                          holds seen (the fault path reads,
 *                                          allocates, then installs)
 *   mm_set_pte(mm, v, pte, uva, page, flags)  the same, unconditionally
 *   for_each_pte(mm, start, end, fn, data)    every PTE in the range that
 *                                          maps a page, with its kind
 *   zap_range, protect_range, clean_range  unmap / mprotect / msync,
 *                                          built on for_each_pte
 *
 * Invariants:
 *   - mm->nr_pages counts the PTEs that map a page.
 *   - A PROTNONE PTE lies in a VMA with none of VM_READ, VM_WRITE,
 *     VM_EXEC; a present one in a VMA with some.
 *   - Page tables are never freed before the mm is (mm/vm.c: mm_destroy),
 *     so a PTE pointer stays valid while the caller holds the mm.
 *
 * Locks: mm->page_table_lock (a spin lock) around every change of a PTE
 * and around the walker's look-up and reference grab (mm/walk.c), so a
 * look-up never sees half a change.  The callbacks of for_each_pte run
 * without it and take it for their own changes.  Nothing here sleeps but
 * mm_get_pte's page-table allocation.
 */
#include <kernel.h>
#include <mm.h>
#include <pagecache.h>
#include <spinlock.h>
#include <vm.h>
#include <x86.h>
#include "internal.h"

#define PGDIR_SPAN	(1u << PGDIR_SHIFT)	/* what one page table maps */

static pte_t *pde_table(pde_t pde)
{
	return phys_to_kva(pde & PTE_FRAME);
}

bool mm_is_live(const struct mm *mm)
{
	return read_cr3() == kva_to_phys(mm->pgdir);
}

/* Drop the CPU's cached translation of uva if mm is the loaded one (the
 * TLB caches only present entries: Intel SDM vol. 3 §4.10.2.3). */
static void flush_pte(struct mm *mm, pte_t old, uint32_t uva)
{
	if ((old & PTE_PRESENT) && mm_is_live(mm))
		invlpg(uva);
}

/* A new page table for the PDE at pde, unless one appeared while the
 * allocation slept (another fault of the same mm, or the walker). */
static pte_t *add_page_table(struct mm *mm, pde_t *pde)
{
	struct page *pt = alloc_page(ALLOC_USER);

	if (!pt)
		return NULL;
	clear_page(page_to_kva(pt));
	spin_lock(&mm->page_table_lock);
	if (*pde & PTE_PRESENT) {
		spin_unlock(&mm->page_table_lock);
		free_page(pt);
	} else {
		*pde = kva_to_phys(page_to_kva(pt)) | PTE_PRESENT | PTE_WRITE | PTE_USER;
		spin_unlock(&mm->page_table_lock);
	}
	return pde_table(*pde);
}

/* The PTE for uva, making its page table if create.  NULL if there is
 * none (or no memory for it). */
pte_t *mm_get_pte(struct mm *mm, uint32_t uva, bool create)
{
	pde_t *pde = &mm->pgdir[pgdir_index(uva)];
	pte_t *table;

	assert(uva < KERNEL_BASE);
	if (*pde & PTE_PRESENT)
		table = pde_table(*pde);
	else
		table = create ? add_page_table(mm, pde) : NULL;
	return table ? &table[pgtable_index(uva)] : NULL;
}

/* May the process touch v's pages at all?  (x86 without NX cannot refuse
 * a read of a page it may write or execute: any of the three lets a read
 * through, as on Linux.) */
bool vma_accessible(const struct vma *v)
{
	return v->flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/* The bits that make a PTE of v map a page: present and user-visible, or
 * PROTNONE. */
static uint32_t pte_access_bits(const struct vma *v)
{
	return vma_accessible(v) ? PTE_PRESENT | PTE_USER | PTE_ACCESSED : PTE_PROTNONE;
}

/* Put page at *pte with flags.  Caller holds the page-table lock. */
static void set_pte_locked(struct mm *mm, struct vma *v, pte_t *pte,
			   struct page *page, uint32_t flags)
{
	assert_spin_locked(&mm->page_table_lock);
	if (!pte_maps_page(*pte) && ++mm->nr_pages > mm->hiwater_rss)
		mm->hiwater_rss = mm->nr_pages;	/* getrusage's ru_maxrss */
	*pte = ((pa_t)page_to_pfn(page) << PAGE_SHIFT) | flags | pte_access_bits(v);
}

/**
 * pte_install - map page at uva in v with flags (PTE_WRITE, PTE_DIRTY), if
 * *pte still holds seen, what the caller read before it allocated or slept.
 * The fault path's re-check (Linux's do_wp_page shape): an allocation may
 * sleep, and meanwhile another path may resolve the same fault or unmap
 * the page.
 * Return: true, and the PTE owns the caller's reference on page; or false:
 * the PTE changed, nothing was done, and the caller drops what it made and
 * lets the access run again.
 */
bool pte_install(struct mm *mm, struct vma *v, pte_t *pte, pte_t seen,
		 uint32_t uva, struct page *page, uint32_t flags)
{
	pte_t old;

	spin_lock(&mm->page_table_lock);
	old = *pte;
	if (old != seen) {
		spin_unlock(&mm->page_table_lock);
		return false;
	}
	set_pte_locked(mm, v, pte, page, flags);
	spin_unlock(&mm->page_table_lock);
	flush_pte(mm, old, uva);
	return true;
}

/* pte_install for a PTE nobody else can change meanwhile (a fresh mm being
 * built, fork's child). */
void mm_set_pte(struct mm *mm, struct vma *v, pte_t *pte, uint32_t uva,
		struct page *page, uint32_t flags)
{
	bool done = pte_install(mm, v, pte, *pte, uva, page, flags);

	assert(done && "mm_set_pte: the PTE changed under a caller that owns it");
}

/**
 * for_each_pte - call fn(mm, pte, uva, kind, data) for every PTE of
 * [start, end) that maps a page, lowest first, skipping page tables that
 * do not exist.  The one walk over PTEs: unmap, mprotect, msync and fork
 * are callbacks of it, so a new kind of entry (swap's) is taught
 * to each in one place.  fn returns 0 to go on, or -errno to stop.
 * Return: 0, or fn's -errno.
 */
int for_each_pte(struct mm *mm, uint32_t start, uint32_t end, pte_fn fn,
		 void *data)
{
	uint32_t uva = ALIGN_DOWN(start, PAGE_SIZE);

	assert(end <= KERNEL_BASE);
	while (uva < end) {
		uint32_t stop = MIN(end, ALIGN_DOWN(uva, PGDIR_SPAN) + PGDIR_SPAN);
		pde_t pde = mm->pgdir[pgdir_index(uva)];
		pte_t *table = pde & PTE_PRESENT ? pde_table(pde) : NULL;

		for (; table && uva < stop; uva += PAGE_SIZE) {
			pte_t *pte = &table[pgtable_index(uva)];
			int err;

			if (!pte_maps_page(*pte))
				continue;
			err = fn(mm, pte, uva, *pte & PTE_PRESENT ? PTE_KIND_PAGE
								  : PTE_KIND_PROTNONE, data);
			if (err)
				return err;
		}
		uva = stop;
	}
	return 0;
}

/* Free every user page table of mm, whose PTEs are all empty now (the
 * last VMA is gone).  mm_destroy's. */
void free_page_tables(struct mm *mm)
{
	for (uint32_t i = 0; i < pgdir_index(KERNEL_BASE); i++) {
		if (!(mm->pgdir[i] & PTE_PRESENT))
			continue;
		free_page(kva_to_page(pde_table(mm->pgdir[i])));
		mm->pgdir[i] = 0;
	}
}

/* ---- unmap ---- */

/* A store through a shared mapping leaves the hardware's dirty bit in the
 * PTE; the page cache learns of it here, when the PTE is cleared or msync
 * looks (Linux's set_page_dirty from zap_pte_range and msync). */
bool pte_dirty_to_page(struct vma *v, pte_t *pte)
{
	struct page *page = pfn_to_page(pte_pfn(*pte));

	if (!(v->flags & VM_SHARED) || !(*pte & PTE_DIRTY) || !page_is_file(page))
		return false;
	set_page_dirty(page);
	return true;
}

struct zap_state {
	struct vma *v;
	uint32_t dirtied;	/* pages a shared mapping had written */
};

static int zap_one(struct mm *mm, pte_t *pte, uint32_t uva, enum pte_kind kind,
		   void *data)
{
	struct zap_state *s = data;
	struct page *page = pfn_to_page(pte_pfn(*pte));
	pte_t old;

	s->dirtied += pte_dirty_to_page(s->v, pte);
	spin_lock(&mm->page_table_lock);
	old = *pte;
	*pte = 0;
	mm->nr_pages--;
	spin_unlock(&mm->page_table_lock);
	flush_pte(mm, old, uva);
	put_page(page);		/* the PTE's reference */
	return 0;
}

/* Unmap [start, end) of v and drop the pages' references.
 * Return: how many of them a shared mapping had dirtied. */
uint32_t zap_range(struct mm *mm, struct vma *v, uint32_t start, uint32_t end)
{
	struct zap_state s = { .v = v };

	for_each_pte(mm, start, end, zap_one, &s);
	return s.dirtied;
}

/* ---- mprotect ---- */

static int protect_one(struct mm *mm, pte_t *pte, uint32_t uva,
		       enum pte_kind kind, void *data)
{
	const struct vma *v = data;
	pte_t old;

	spin_lock(&mm->page_table_lock);
	old = *pte;
	*pte = (old & ~(PTE_PRESENT | PTE_USER | PTE_ACCESSED | PTE_PROTNONE)) |
	       pte_access_bits(v);
	if (!(v->flags & VM_WRITE))
		*pte &= ~PTE_WRITE;
	spin_unlock(&mm->page_table_lock);
	flush_pte(mm, old, uva);
	return 0;
}

/* Bring the PTEs of v in line with its flags: PROTNONE for a VMA the
 * process may not touch, present again when it may; no PTE_WRITE without
 * VM_WRITE (a write fault gives it back, copying if it must). */
void protect_range(struct mm *mm, struct vma *v)
{
	for_each_pte(mm, v->start, v->end, protect_one, v);
}

/* ---- msync ---- */

static int clean_one(struct mm *mm, pte_t *pte, uint32_t uva,
		     enum pte_kind kind, void *data)
{
	pte_t old;

	if (!(*pte & PTE_DIRTY))
		return 0;
	pte_dirty_to_page(data, pte);
	spin_lock(&mm->page_table_lock);
	old = *pte;
	*pte &= ~PTE_DIRTY;
	spin_unlock(&mm->page_table_lock);
	flush_pte(mm, old, uva);
	return 0;
}

/* Hand the dirty bits of v's PTEs in [start, end) to the page cache and
 * clear them, so a later store sets them again and is noticed again. */
void clean_range(struct mm *mm, struct vma *v, uint32_t start, uint32_t end)
{
	for_each_pte(mm, start, end, clean_one, v);
}
