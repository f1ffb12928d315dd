/*
 * mm/vm.c - user address spaces: page directories, VMAs, fork's copy, brk.
 *
 * Owns: struct mm and struct vma (include/vm.h), the user half of every
 * page directory, and the user page tables.
 *
 * Interface: mm_create / mm_destroy / mm_fork / mm_activate; find_vma,
 * vma_add, mm_set_brk; mm_page_kva for exec; the page-table helpers that
 * mm/fault.c shares through mm/internal.h (mm_get_pte, mm_map_page).
 *
 * Invariants:
 *   - PDEs from pgdir_index(KERNEL_BASE) up equal kernel_pgdir's; the kernel
 *     never adds a kernel page table after boot, so they never go stale.
 *   - A present user PTE holds one reference on its page (page->refcount);
 *     a page shared copy-on-write after fork is mapped read-only in every
 *     address space that shares it, in a VMA that allows writes.
 *   - mm->vmas is sorted by start and its VMAs do not overlap.
 *   - Every present PTE lies inside a VMA.
 *
 * Locks: none.  An mm is changed only by its own task (one thread per
 * process), from system calls or its own page faults; fork reads the
 * parent's, which is current.  Everything here may sleep (allocation).
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>
#include <vm.h>
#include <x86.h>
#include "internal.h"

#define USER_PDES	(KERNEL_BASE >> PGDIR_SHIFT)	/* 768 */

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	struct page *pd;

	if (!mm)
		return NULL;
	pd = alloc_page();
	if (!pd) {
		kfree(mm);
		return NULL;
	}
	mm->pgdir = page_to_kva(pd);
	mm->users = 1;
	mm->mmap_lock = (struct mutex)MUTEX_INIT(mm->mmap_lock, "mmap_lock", false);
	mm->page_table_lock = (struct spinlock)SPINLOCK_INIT("page_table_lock");
	memset(mm->pgdir, 0, USER_PDES * sizeof(pde_t));
	memcpy(mm->pgdir + USER_PDES, kernel_pgdir + USER_PDES,
	       (PTRS_PER_TABLE - USER_PDES) * sizeof(pde_t));
	list_init(&mm->vmas);
	return mm;
}

static pte_t *pde_table(pde_t pde)
{
	return phys_to_kva(pde & PTE_FRAME);
}

/* The PTE for uva, making its page table if create.  NULL if there is
 * none (or no memory for it). */
pte_t *mm_get_pte(struct mm *mm, uint32_t uva, bool create)
{
	pde_t *pde = &mm->pgdir[pgdir_index(uva)];

	assert(uva < KERNEL_BASE);
	if (!(*pde & PTE_PRESENT)) {
		struct page *pt;

		if (!create)
			return NULL;
		pt = alloc_page();
		if (!pt)
			return NULL;
		memset(page_to_kva(pt), 0, PAGE_SIZE);
		*pde = kva_to_phys(page_to_kva(pt)) | PTE_PRESENT | PTE_WRITE | PTE_USER;
	}
	return &pde_table(*pde)[pgtable_index(uva)];
}

/* Point *pte at page (whose reference the PTE now owns) and flush the old
 * translation if mm is live. */
void mm_set_pte(struct mm *mm, pte_t *pte, uint32_t uva, struct page *page,
		uint32_t flags)
{
	if (!(*pte & PTE_PRESENT))
		mm->nr_pages++;
	*pte = ((pa_t)page_to_pfn(page) << PAGE_SHIFT) | flags | PTE_PRESENT | PTE_USER;
	if (read_cr3() == kva_to_phys(mm->pgdir))
		invlpg(uva);
}

/* Unmap [start, end) and drop the pages' references. */
static void unmap_range(struct mm *mm, uint32_t start, uint32_t end)
{
	bool live = read_cr3() == kva_to_phys(mm->pgdir);

	for (uint32_t uva = start; uva < end; uva += PAGE_SIZE) {
		pte_t *pte = mm_get_pte(mm, uva, false);

		if (!pte) {	/* skip to the next page table */
			uva = ALIGN_DOWN(uva, 1u << PGDIR_SHIFT) + (1u << PGDIR_SHIFT) - PAGE_SIZE;
			continue;
		}
		if (!(*pte & PTE_PRESENT))
			continue;
		put_page(pfn_to_page(*pte >> PAGE_SHIFT));
		*pte = 0;
		mm->nr_pages--;
		if (live)
			invlpg(uva);
	}
}

static void mm_destroy(struct mm *mm)
{
	struct vma *v, *tmp;

	assert(read_cr3() != kva_to_phys(mm->pgdir) && "destroying the live mm");
	list_for_each_entry_safe(v, tmp, &mm->vmas, node) {
		unmap_range(mm, v->start, v->end);
		list_del(&v->node);
		kfree(v);
	}
	for (unsigned int i = 0; i < USER_PDES; i++)
		if (mm->pgdir[i] & PTE_PRESENT)
			free_page(kva_to_page(pde_table(mm->pgdir[i])));
	free_page(kva_to_page(mm->pgdir));
	kfree(mm);
}

/* Hold an mm for a while (the walker on another task's memory). */
void mmget(struct mm *mm)
{
	bool was_on = irq_save();

	mm->users++;
	irq_restore(was_on);
}

/* Drop a hold; the last one tears the address space down. */
void mmput(struct mm *mm)
{
	bool was_on = irq_save();
	bool last = --mm->users == 0;

	irq_restore(was_on);
	if (last)
		mm_destroy(mm);
}

void mm_activate(struct mm *mm)
{
	write_cr3(kva_to_phys(mm ? mm->pgdir : kernel_pgdir));
}

struct vm_counters vm_counters;

/* The first VMA that ends above uva (it may start above uva too). */
struct vma *find_vma(struct mm *mm, uint32_t uva)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v->end > uva)
			return v;
	return NULL;
}

/**
 * find_extend_vma - the VMA containing uva, growing a VM_GROWSDOWN VMA down
 * to it if uva lies in the gap below one, within the stack limit.
 * Return: the VMA, or NULL (nothing there: SIGSEGV).
 */
struct vma *find_extend_vma(struct mm *mm, uint32_t uva)
{
	struct vma *v = find_vma(mm, uva), *prev;

	if (!v)
		return NULL;
	if (v->start <= uva)
		return v;
	if (!(v->flags & VM_GROWSDOWN) || uva < USER_STACK_TOP - USER_STACK_LIMIT)
		return NULL;
	prev = v->node.prev == &mm->vmas ? NULL
		: list_entry(v->node.prev, struct vma, node);
	if (prev && prev->end > ALIGN_DOWN(uva, PAGE_SIZE) - PAGE_SIZE)
		return NULL;		/* keep a guard page above the next VMA */
	v->start = ALIGN_DOWN(uva, PAGE_SIZE);
	return v;
}

/**
 * vma_add - map [start, end) with flags; nothing is allocated until touched.
 * Return: 0, -EINVAL (unaligned, empty, or in the kernel's half), -ENOMEM
 * (it overlaps an existing VMA, or no memory).
 */
int vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t flags)
{
	struct vma *v, *next = find_vma(mm, start);

	if (start % PAGE_SIZE || end % PAGE_SIZE || start >= end ||
	    start < USER_MIN_ADDR || end > KERNEL_BASE)
		return -EINVAL;
	if (next && next->start < end)
		return -ENOMEM;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	*v = (struct vma){ .start = start, .end = end, .flags = flags };
	list_add_tail(&v->node, next ? &next->node : &mm->vmas);
	return 0;
}

/* Copy one present PTE into the child: a writable page becomes read-only in
 * both (copy-on-write), and the child takes a reference. */
static int fork_copy_pte(struct mm *child, struct mm *parent, uint32_t uva,
			 pte_t *ppte)
{
	pte_t *cpte = mm_get_pte(child, uva, true);

	if (!cpte)
		return -ENOMEM;
	*ppte &= ~PTE_WRITE;
	get_page(pfn_to_page(*ppte >> PAGE_SHIFT));
	*cpte = *ppte;
	child->nr_pages++;
	(void)parent;
	return 0;
}

static int fork_copy_vma(struct mm *child, struct mm *parent, struct vma *v)
{
	int err = vma_add(child, v->start, v->end, v->flags);

	for (uint32_t uva = v->start; !err && uva < v->end; uva += PAGE_SIZE) {
		pte_t *pte = mm_get_pte(parent, uva, false);

		if (pte && (*pte & PTE_PRESENT))
			err = fork_copy_pte(child, parent, uva, pte);
	}
	return err;
}

/**
 * mm_fork - the child's address space: the same VMAs, the same pages shared
 * copy-on-write.  parent must be current's (its TLB is flushed here).
 * Return: the new mm, or NULL if memory ran out (nothing is left changed
 * but some parent pages made read-only, which the next write fault undoes).
 */
struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();
	struct vma *v;
	int err = 0;

	if (!child)
		return NULL;
	list_for_each_entry(v, &parent->vmas, node) {
		err = fork_copy_vma(child, parent, v);
		if (err)
			break;
	}
	write_cr3(read_cr3());	/* the parent's PTEs lost PTE_WRITE */
	if (err) {
		mmput(child);
		return NULL;
	}
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	return child;
}

static struct vma *heap_vma(struct mm *mm)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v->flags & VM_HEAP)
			return v;
	return NULL;
}

/* Is [start, end) free of every VMA but skip? */
static bool range_is_free(struct mm *mm, uint32_t start, uint32_t end,
			  const struct vma *skip)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v != skip && v->start < end && start < v->end)
			return false;
	return true;
}

/**
 * mm_set_brk - brk(2): move the end of the heap to new_brk.  The heap VMA
 * starts at the page after brk_start (the end of the program's data, whose
 * last page the data VMA already maps) and appears when the heap first
 * grows past that page.
 * Return: the break after the call -- new_brk, or the old break if new_brk
 * is below the heap's start, runs into another mapping or the stack's
 * reserve (Linux's convention: brk never returns -errno).
 */
uint32_t mm_set_brk(struct mm *mm, uint32_t new_brk)
{
	uint32_t base = ALIGN_UP(mm->brk_start, PAGE_SIZE);
	uint32_t new_end = MAX(ALIGN_UP(new_brk, PAGE_SIZE), base);
	struct vma *heap = heap_vma(mm);
	uint32_t old_end = heap ? heap->end : base;

	if (new_brk < mm->brk_start || new_brk > USER_STACK_TOP - USER_STACK_LIMIT)
		return mm->brk;
	if (new_end > old_end && !range_is_free(mm, base, new_end, heap))
		return mm->brk;
	if (!heap && new_end > base) {
		if (vma_add(mm, base, new_end, VM_READ | VM_WRITE | VM_HEAP))
			return mm->brk;
	} else if (heap && new_end < old_end) {
		unmap_range(mm, new_end, old_end);
		heap->end = new_end;
		if (heap->end == heap->start) {
			list_del(&heap->node);
			kfree(heap);
		}
	} else if (heap) {
		heap->end = new_end;
	}
	mm->brk = new_brk;
	return mm->brk;
}

/**
 * vma_map_page - map page, shared and read-only, as a one-page VMA at uva
 * with vm_flags (no VM_WRITE): the vDSO.  The mapping takes a reference.
 * Return: 0, -EINVAL, -ENOMEM.
 */
int vma_map_page(struct mm *mm, uint32_t uva, struct page *page,
		 uint32_t vm_flags)
{
	pte_t *pte;
	int err;

	if (vm_flags & VM_WRITE)
		return -EINVAL;
	err = vma_add(mm, uva, uva + PAGE_SIZE, vm_flags);
	if (err)
		return err;
	pte = mm_get_pte(mm, uva, true);
	if (!pte)
		return -ENOMEM;		/* the VMA goes with the mm */
	get_page(page);
	mm_set_pte(mm, pte, uva, page, 0);
	return 0;
}

/**
 * mm_page_kva - the kernel address of the page at uva in mm, which need not
 * be current's, allocating a zeroed page if none is there yet.  For exec,
 * which builds the new image before switching to it (through the kernel's
 * mapping, so read-only VMAs can be filled too).  Return: the kva of the
 * page (not of uva), or NULL if uva is in no VMA or memory ran out.
 */
void *mm_page_kva(struct mm *mm, uint32_t uva)
{
	pte_t *pte = mm_get_pte(mm, ALIGN_DOWN(uva, PAGE_SIZE), true);
	struct vma *v = find_vma(mm, uva);
	struct page *page;

	if (!pte || !v || v->start > uva)
		return NULL;
	if (!(*pte & PTE_PRESENT)) {
		page = alloc_page();
		if (!page)
			return NULL;
		memset(page_to_kva(page), 0, PAGE_SIZE);
		mm_set_pte(mm, pte, ALIGN_DOWN(uva, PAGE_SIZE), page,
			   v->flags & VM_WRITE ? PTE_WRITE : 0);
	}
	return phys_to_kva(*pte & PTE_FRAME);
}
