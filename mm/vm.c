/*
 * mm/vm.c - user address spaces: page directories, the VMA list, fork's
 * copy, brk.
 *
 * Owns: struct mm and struct vma (include/vm.h), the user half of every
 * page directory, and the user page tables.
 *
 * Interface: mm_create / mmget / mmput / mm_fork / mm_activate; find_vma,
 * find_extend_vma, vma_add, mm_set_brk, vma_map_page.
 * mm/mmap.c and mm/fault.c share the list and page-table helpers through
 * mm/internal.h: vma_insert, vma_split, vma_try_merge, vma_remove,
 * zap_range, mm_get_pte, mm_set_pte.
 *
 * Invariants:
 *   - PDEs from pgdir_index(KERNEL_BASE) up equal kernel_pgdir's; the kernel
 *     never adds a kernel page table after boot, so they never go stale.
 *   - A present user PTE holds one reference on its page (page->refcount).
 *     A private page shared after fork is mapped read-only in every address
 *     space that shares it, in a VMA that may allow writes.  A PTE in a
 *     VMA without VM_READ|VM_WRITE|VM_EXEC (PROT_NONE) has PTE_USER clear.
 *   - mm->vmas is sorted by start and its VMAs do not overlap.
 *   - Every present PTE lies inside a VMA.
 *   - A VMA with an inode holds a reference on it (ihold), and its ops'
 *     open has run for it: vma_dup and vma_free pair them.
 *
 * Locks (include/vm.h): mm->mmap_lock around every change to the VMA list
 * and every look at it that may sleep (the VMA helpers assert it; faults
 * and the walker hold it); mm->page_table_lock around PTE changes that
 * race with the walker's look-up.  iput of a VMA's inode takes fs_lock,
 * after mmap_lock.
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <pagecache.h>
#include <resource.h>
#include <sched.h>
#include <string.h>
#include <vfs.h>
#include <vm.h>
#include <x86.h>
#include "internal.h"

#define USER_PDES	(KERNEL_BASE >> PGDIR_SHIFT)	/* 768 */

struct vm_counters vm_counters;

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm), ALLOC_KERNEL);
	struct page *pd;

	if (!mm)
		return NULL;
	pd = alloc_page(ALLOC_KERNEL);
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

/* ---- the VMA list ---- */

static struct vma *vma_prev(struct mm *mm, struct vma *v)
{
	return v->node.prev == &mm->vmas ? NULL
		: list_entry(v->node.prev, struct vma, node);
}

struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->node.next == &mm->vmas ? NULL
		: list_entry(v->node.next, struct vma, node);
}

/* A copy of v's fields with its own references (the inode, ops->open). */
static struct vma *vma_dup(const struct vma *v)
{
	struct vma *copy = kmalloc(sizeof(*copy), ALLOC_KERNEL);

	if (!copy)
		return NULL;
	*copy = *v;
	list_init(&copy->node);
	if (copy->inode)
		ihold(copy->inode);
	if (copy->name)
		file_name_get(copy->name);
	if (copy->ops && copy->ops->open)
		copy->ops->open(copy);
	return copy;
}

/* Drop what v holds and free it; v is off the list. */
void vma_free(struct vma *v)
{
	if (v->ops && v->ops->close)
		v->ops->close(v);
	if (v->inode) {
		mutex_lock(&fs_lock);	/* the last iput may write the inode */
		iput(v->inode);
		mutex_unlock(&fs_lock);
	}
	if (v->name)
		file_name_put(v->name);
	kfree(v);
}

/* The first VMA that ends above uva (it may start above uva too). */
struct vma *find_vma(struct mm *mm, uint32_t uva)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v->end > uva)
			return v;
	return NULL;
}

/* May the stack VMA v grow down to new_start?  Its size stays within
 * RLIMIT_STACK and the address space within RLIMIT_AS (Linux's
 * acct_stack_growth), and a guard page stays clear of the VMA below.
 * The limits are current's, as Linux's are, also when the walker grows
 * another process's stack for ptrace. */
static bool stack_may_grow(struct mm *mm, struct vma *v, uint32_t new_start)
{
	struct vma *prev = vma_prev(mm, v);

	if (v->end - new_start > rlimit(RLIMIT_STACK))
		return false;
	if (!may_expand_vm(mm, v->flags, (v->start - new_start) >> PAGE_SHIFT))
		return false;
	return !prev || prev->end + PAGE_SIZE <= new_start;
}

/**
 * find_extend_vma - the VMA containing uva, growing a VM_GROWSDOWN VMA down
 * to it if uva lies in the gap below one and stack_may_grow allows.
 * Return: the VMA, or NULL (nothing there: SIGSEGV).
 */
struct vma *find_extend_vma(struct mm *mm, uint32_t uva)
{
	struct vma *v = find_vma(mm, uva);

	assert_mutex_held(&mm->mmap_lock);
	if (!v)
		return NULL;
	if (v->start <= uva)
		return v;
	if (!(v->flags & VM_GROWSDOWN) ||
	    !stack_may_grow(mm, v, ALIGN_DOWN(uva, PAGE_SIZE)))
		return NULL;
	v->start = ALIGN_DOWN(uva, PAGE_SIZE);
	return v;
}

/* Linux's vm.max_map_count: the most VMAs one address space may have.
 * Each costs kernel memory, and a list this long is already slow to
 * search; past it, a call that would add one fails with -ENOMEM.  (A
 * variable so a self-test can lower it.) */
uint32_t vm_max_map_count = 65530;

/* Put v on mm's list before pos (NULL: at the end), counting it. */
static void vma_link(struct mm *mm, struct vma *v, struct list_head *pos)
{
	list_add_tail(&v->node, pos ? pos : &mm->vmas);
	mm->map_count++;
}

/**
 * vma_insert - put v on mm's list in order.
 * Context: caller holds mm->mmap_lock.
 * Return: 0, -EINVAL (unaligned, empty, outside user space), -ENOMEM (it
 * overlaps an existing VMA: Linux's answer for an address that is taken;
 * or mm has vm_max_map_count VMAs already).
 */
int vma_insert(struct mm *mm, struct vma *v)
{
	struct vma *next = find_vma(mm, v->start);

	assert_mutex_held(&mm->mmap_lock);
	if (v->start % PAGE_SIZE || v->end % PAGE_SIZE || v->start >= v->end ||
	    v->start < USER_MIN_ADDR || v->end > KERNEL_BASE)
		return -EINVAL;
	if (next && next->start < v->end)
		return -ENOMEM;
	if (mm->map_count >= vm_max_map_count)
		return -ENOMEM;
	vma_link(mm, v, next ? &next->node : NULL);
	return 0;
}

/* vma_add with mm->mmap_lock held by the caller (mm/ only). */
int vma_add_locked(struct mm *mm, uint32_t start, uint32_t end, uint32_t flags)
{
	struct vma *v = kzalloc(sizeof(*v), ALLOC_KERNEL);
	int err;

	if (!v)
		return -ENOMEM;
	*v = (struct vma){ .start = start, .end = end,
			   .flags = flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC };
	err = vma_insert(mm, v);
	if (err)
		kfree(v);
	return err;
}

/**
 * vma_add - map [start, end) with flags, anonymous and private; nothing is
 * allocated until touched.
 * Context: takes mm->mmap_lock.
 * Return: as vma_insert, or -ENOMEM.
 */
int vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t flags)
{
	int err;

	mutex_lock(&mm->mmap_lock);
	err = vma_add_locked(mm, start, end, flags);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/**
 * vma_split - cut v at uva (page-aligned, strictly inside v) into
 * [start, uva) -- v itself -- and [uva, end), a new VMA after it.
 * Context: caller holds mm->mmap_lock.
 * Return: the new upper half, or NULL if memory ran out or mm has
 * vm_max_map_count VMAs already (v unchanged): -ENOMEM to the caller.
 */
struct vma *vma_split(struct mm *mm, struct vma *v, uint32_t uva)
{
	struct vma *upper;

	assert_mutex_held(&mm->mmap_lock);
	assert(uva > v->start && uva < v->end && uva % PAGE_SIZE == 0);
	if (mm->map_count >= vm_max_map_count)
		return NULL;
	upper = vma_dup(v);
	if (!upper)
		return NULL;
	upper->start = uva;
	upper->pgoff = v->pgoff + ((uva - v->start) >> PAGE_SHIFT);
	v->end = uva;
	vma_link(mm, upper, v->node.next);
	return upper;
}

/* Can b be folded into a, which ends where b starts? */
static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->flags == b->flags &&
	       a->inode == b->inode && a->ops == b->ops &&
	       a->private == b->private &&
	       ((!a->inode && !a->ops) ||
		a->pgoff + ((a->end - a->start) >> PAGE_SHIFT) == b->pgoff) &&
	       !(a->flags & (VM_HEAP | VM_GROWSDOWN | VM_IO));
}

/* Fold v into its neighbours where they match (after mmap, mprotect,
 * mlock made them alike).  Caller holds mm->mmap_lock.
 * Return: the VMA that now covers v's range. */
struct vma *vma_try_merge(struct mm *mm, struct vma *v)
{
	struct vma *prev = vma_prev(mm, v), *next = vma_next(mm, v);

	assert_mutex_held(&mm->mmap_lock);
	if (next && vma_mergeable(v, next)) {
		v->end = next->end;
		vma_remove(mm, next);
	}
	if (prev && vma_mergeable(prev, v)) {
		prev->end = v->end;
		vma_remove(mm, v);
		v = prev;
	}
	return v;
}

/* Take v off the list and free it (its pages must be zapped already).
 * Caller holds mm->mmap_lock. */
void vma_remove(struct mm *mm, struct vma *v)
{
	assert_mutex_held(&mm->mmap_lock);
	list_del(&v->node);
	mm->map_count--;
	vma_free(v);
}

/**
 * vma_unmap - a VMA goes away (munmap, exit, exec): zap its pages, write
 * back what a shared file mapping dirtied -- so the file is whole on disk
 * when the last mapping of it is gone, as the issue asks and msync(2)
 * promises -- and free it.  Write-back errors are reported by fsync.
 */
void vma_unmap(struct mm *mm, struct vma *v)
{
	uint64_t off = (uint64_t)v->pgoff << PAGE_SHIFT;

	if (zap_range(mm, v, v->start, v->end) && v->inode) {
		mutex_lock(&fs_lock);
		filemap_write_range(v->inode, off, off + (v->end - v->start));
		mutex_unlock(&fs_lock);
	}
	vma_remove(mm, v);
}

static void mm_destroy(struct mm *mm)
{
	struct vma *v, *tmp;

	assert(!mm_is_live(mm) && "destroying the live mm");
	mutex_lock(&mm->mmap_lock);	/* nobody else can have it: the helpers' rule */
	list_for_each_entry_safe(v, tmp, &mm->vmas, node)
		vma_unmap(mm, v);
	mutex_unlock(&mm->mmap_lock);
	mm_set_exe(mm, NULL, NULL);
	free_page_tables(mm);
	free_page(kva_to_page(mm->pgdir));
	kfree(mm);
}

/**
 * mm_set_exe - the program mm runs, and the name it was run by: its file
 * is held and may not be written while mm exists (deny_write_access), as
 * on Linux.  NULL lets go of the one it had.
 * Context: takes fs_lock.
 * Return: 0, or -ETXTBSY if the file is open for writing.
 */
int mm_set_exe(struct mm *mm, struct inode *inode, struct file_name *name)
{
	struct file_name *old_name = mm->exe_name;
	int err = 0;

	mutex_lock(&fs_lock);
	if (inode)
		err = deny_write_access(inode);
	if (!err) {
		if (inode)
			ihold(inode);
		if (mm->exe) {
			allow_write_access(mm->exe);
			iput(mm->exe);
		}
		mm->exe = inode;
		mm->exe_name = name;
		if (name)
			file_name_get(name);
	}
	mutex_unlock(&fs_lock);
	if (!err && old_name)
		file_name_put(old_name);
	return err;
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

/* ---- fork ---- */

/* A private anonymous page that the walker has pinned (DMA may be writing
 * it) is copied for the child now rather than shared copy-on-write: a
 * later write by the parent would otherwise move the parent to a copy and
 * leave the DMA landing in the child's page (rule 3, "pin by count, not
 * by lock bit"; Stephen Tweedie, 2000: docs/history.md). */
static bool fork_must_copy(const struct vma *v, const struct page *page)
{
	return !(v->flags & VM_SHARED) && page_is_anon(page) && page->pincount > 0;
}

struct fork_state {
	struct mm *child;
	struct vma *v;		/* the parent's VMA */
	struct vma *copy;	/* the child's */
};

/* The child gets its own copy of a pinned page, exclusive to it. */
static int fork_copy_page(struct fork_state *s, pte_t *cpte, uint32_t uva,
			  pte_t ppte)
{
	struct page *copy = alloc_page(ALLOC_USER);

	if (!copy)
		return -ENOMEM;
	copy_page(page_to_kva(copy), page_to_kva(pfn_to_page(pte_pfn(ppte))));
	page_set_flag(copy, PG_anon_exclusive);
	mm_set_pte(s->child, s->copy, cpte, uva, copy, ppte & (PTE_WRITE | PTE_DIRTY));
	return 0;
}

/* Give the child the parent's PTE: shared VMAs share it as it is; private
 * ones go read-only in both (copy-on-write), and an anonymous page stops
 * being exclusive to one address space (the next write to it, in either,
 * copies: mm/fault.c: page_is_exclusive_anon). */
static int fork_one(struct mm *parent, pte_t *ppte, uint32_t uva,
		    enum pte_kind kind, void *data)
{
	struct fork_state *s = data;
	struct page *page = pfn_to_page(pte_pfn(*ppte));
	pte_t *cpte = mm_get_pte(s->child, uva, true);

	if (!cpte)
		return -ENOMEM;
	if (fork_must_copy(s->v, page))
		return fork_copy_page(s, cpte, uva, *ppte);
	if (!(s->v->flags & VM_SHARED)) {
		spin_lock(&parent->page_table_lock);
		*ppte &= ~PTE_WRITE;
		page_clear_flag(page, PG_anon_exclusive);
		spin_unlock(&parent->page_table_lock);
	}
	get_page(page);
	mm_set_pte(s->child, s->copy, cpte, uva, page, *ppte & (PTE_WRITE | PTE_DIRTY));
	return 0;
}

static int fork_copy_vma(struct mm *child, struct vma *v)
{
	struct fork_state s = { .child = child, .v = v, .copy = vma_dup(v) };

	if (!s.copy)
		return -ENOMEM;
	s.copy->flags &= ~VM_LOCKED;	/* mlock is not inherited */
	vma_link(child, s.copy, NULL);
	return for_each_pte(current->mm, v->start, v->end, fork_one, &s);
}

/**
 * mm_fork - the child's address space: the same VMAs, private pages shared
 * copy-on-write, shared ones shared.  parent must be current's (its TLB is
 * flushed here).
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
	assert(parent == current->mm);
	mutex_lock(&parent->mmap_lock);
	list_for_each_entry(v, &parent->vmas, node) {
		err = fork_copy_vma(child, v);
		if (err)
			break;
	}
	mutex_unlock(&parent->mmap_lock);
	write_cr3(read_cr3());	/* the parent's PTEs lost PTE_WRITE */
	if (err) {
		mmput(child);
		return NULL;
	}
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->hiwater_rss = child->nr_pages;
	if (parent->exe && mm_set_exe(child, parent->exe, parent->exe_name))
		panic("mm_fork: the parent's program file is open for writing");
	return child;
}

/* ---- brk ---- */

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

/* May the heap grow by npages?  The memory-lock limit if new memory is
 * locked (mlockall(MCL_FUTURE)), RLIMIT_AS and RLIMIT_DATA, and the
 * overcommit heuristic, in Linux's order (brk, do_brk_flags). */
static bool heap_may_grow(struct mm *mm, uint32_t npages)
{
	uint32_t flags = VM_READ | VM_WRITE | VM_HEAP | mm->def_flags;

	return mlock_future_ok(mm, flags, npages) &&
	       may_expand_vm(mm, flags, npages) && !vm_enough_memory(npages);
}

/* Move the heap VMA's end from old_end to new_end (either may be base:
 * no heap), keeping locked_vm in step.  Return: 0 or -ENOMEM. */
static int heap_resize(struct mm *mm, struct vma *heap, uint32_t base,
		       uint32_t old_end, uint32_t new_end)
{
	if (!heap) {
		if (vma_add_locked(mm, base, new_end, VM_READ | VM_WRITE | VM_HEAP |
			    mm->def_flags))
			return -ENOMEM;
		if (mm->def_flags & VM_LOCKED)
			mm->locked_vm += (new_end - base) >> PAGE_SHIFT;
		return 0;
	}
	if (heap->flags & VM_LOCKED)
		mm->locked_vm += (new_end >> PAGE_SHIFT) - (old_end >> PAGE_SHIFT);
	if (new_end < old_end)
		zap_range(mm, heap, new_end, old_end);
	heap->end = new_end;
	if (heap->end == heap->start)
		vma_remove(mm, heap);
	return 0;
}

/**
 * mm_set_brk - brk(2): move the end of the heap to new_brk.  The heap VMA
 * starts at the page after brk_start (the end of the program's data, whose
 * last page the data VMA already maps) and appears when the heap first
 * grows past that page.
 * Return: the break after the call -- new_brk, or the old break if new_brk
 * is below the heap's start, runs into another mapping or the stack's
 * reserve, or would pass a limit (heap_may_grow) (Linux's convention: brk
 * never returns -errno).
 */
uint32_t mm_set_brk(struct mm *mm, uint32_t new_brk)
{
	uint32_t base = ALIGN_UP(mm->brk_start, PAGE_SIZE);
	uint32_t new_end = MAX(ALIGN_UP(new_brk, PAGE_SIZE), base);
	struct vma *heap;
	uint32_t old_end;

	mutex_lock(&mm->mmap_lock);
	heap = heap_vma(mm);
	old_end = heap ? heap->end : base;
	if (new_brk < mm->brk_start || new_brk > USER_STACK_TOP - USER_STACK_LIMIT)
		goto out;
	if (new_end > old_end &&
	    (!range_is_free(mm, base, new_end, heap) ||
	     !heap_may_grow(mm, (new_end - old_end) >> PAGE_SHIFT)))
		goto out;
	if (new_end != old_end && heap_resize(mm, heap, base, old_end, new_end))
		goto out;
	mm->brk = new_brk;
out:
	mutex_unlock(&mm->mmap_lock);
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
	mutex_lock(&mm->mmap_lock);
	err = vma_add_locked(mm, uva, uva + PAGE_SIZE, vm_flags);
	pte = err ? NULL : mm_get_pte(mm, uva, true);
	if (pte) {
		get_page(page);
		mm_set_pte(mm, find_vma(mm, uva), pte, uva, page, 0);
	}
	mutex_unlock(&mm->mmap_lock);
	return err ? err : pte ? 0 : -ENOMEM;	/* a VMA left goes with the mm */
}
