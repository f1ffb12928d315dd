/*
 * mm/acct.c - may an address space grow?  RLIMIT_AS, RLIMIT_DATA and
 * RLIMIT_MEMLOCK, and Linux's default overcommit heuristic.
 *
 * Owns no state: the figures are counted from the VMA list when asked
 * (Linux keeps running counters, total_vm and data_vm, in its mm; Walnut's
 * lists are short, and a count cannot drift).  Callers:
 *
 *	mmap (mm/mmap.c: do_mmap, mmap_region)   may_expand_vm, vm_enough_memory,
 *	                                          mlock_future_ok (MAP_LOCKED)
 *	brk (mm/vm.c: mm_set_brk)                 may_expand_vm, vm_enough_memory,
 *	                                          mlock_future_ok (mlockall)
 *	stack growth (mm/vm.c: find_extend_vma)  may_expand_vm (RLIMIT_AS)
 *	mlock, mlockall (mm/mmap.c)               mlock_limit_check
 *
 * What counts, as in Linux:
 *	RLIMIT_AS    every page of every VMA ("total_vm")
 *	RLIMIT_DATA  pages of private writable VMAs that are not the stack
 *	             (the heap, .data/.bss, MAP_PRIVATE|PROT_WRITE mappings)
 *	RLIMIT_MEMLOCK  pages of VM_LOCKED VMAs (mm->locked_vm)
 *
 * The overcommit heuristic (Linux's OVERCOMMIT_GUESS, the default): memory
 * is promised freely -- a mapping costs nothing until touched -- except
 * that one request for more pages than the machine has in all (RAM plus
 * swap; Walnut has no swap yet) cannot be met even in principle, and fails
 * with -ENOMEM at once instead of killing the process later.
 *
 * Locks: the caller holds mm->mmap_lock (the VMA list must not change
 * under the count).  The limits are current's (include/resource.h).
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <resource.h>
#include <sched.h>
#include <uaccess.h>
#include <vm.h>

static uint32_t limit_pages(unsigned int resource)
{
	return rlimit(resource) >> PAGE_SHIFT;	/* infinity: more than 4 GiB */
}

/* Private, writable, not the stack: what RLIMIT_DATA counts. */
static bool is_data_mapping(uint32_t vm_flags)
{
	return (vm_flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE;
}

static uint32_t overlap_pages(const struct vma *v, uint32_t start, uint32_t end)
{
	uint32_t lo = MAX(v->start, start), hi = MIN(v->end, end);

	return hi > lo ? (hi - lo) >> PAGE_SHIFT : 0;
}

/* Pages of mm's data VMAs (is_data_mapping). */
static uint32_t data_pages(struct mm *mm)
{
	struct vma *v;
	uint32_t n = 0;

	list_for_each_entry(v, &mm->vmas, node)
		if (is_data_mapping(v->flags))
			n += (v->end - v->start) >> PAGE_SHIFT;
	return n;
}

/* Pages mapped in [start, end) by VMAs that have every flag in vm_mask
 * (0: any VMA): what a MAP_FIXED mapping replaces rather than adds, what
 * mlock finds locked already, the whole address space for mlockall. */
uint32_t mm_pages_in(struct mm *mm, uint32_t start, uint32_t end,
		     uint32_t vm_mask)
{
	struct vma *v;
	uint32_t n = 0;

	list_for_each_entry(v, &mm->vmas, node)
		if ((v->flags & vm_mask) == vm_mask)
			n += overlap_pages(v, start, end);
	return n;
}

/**
 * may_expand_vm - may mm gain npages more of a mapping with vm_flags
 * (Linux's may_expand_vm)?  RLIMIT_AS for any, RLIMIT_DATA for data.
 */
bool may_expand_vm(struct mm *mm, uint32_t vm_flags, uint32_t npages)
{
	uint32_t total = mm_pages_in(mm, 0, USER_TOP, 0);

	if (total + npages > limit_pages(RLIMIT_AS))
		return false;
	if (is_data_mapping(vm_flags) &&
	    data_pages(mm) + npages > limit_pages(RLIMIT_DATA))
		return false;
	return true;
}

/* OVERCOMMIT_GUESS: refuse only what all of memory could never hold. */
int vm_enough_memory(uint32_t npages)
{
	return npages > nr_managed_pages() ? -ENOMEM : 0;
}

/**
 * mlock_limit_check - may mm have locked_pages locked in all (mlock's
 * locked_vm plus the new ones; mlockall's whole address space)?
 * Return: 0; -EPERM if the limit is 0 (Linux's can_do_mlock for a process
 * without CAP_IPC_LOCK); -ENOMEM if it is exceeded.
 */
int mlock_limit_check(uint32_t locked_pages)
{
	if (rlimit(RLIMIT_MEMLOCK) == 0)
		return -EPERM;
	return locked_pages > limit_pages(RLIMIT_MEMLOCK) ? -ENOMEM : 0;
}

/* May a new mapping (or heap growth) of npages with vm_flags be locked at
 * once, VM_LOCKED from MAP_LOCKED or mlockall(MCL_FUTURE)? */
bool mlock_future_ok(struct mm *mm, uint32_t vm_flags, uint32_t npages)
{
	if (!(vm_flags & VM_LOCKED))
		return true;
	return mm->locked_vm + npages <= limit_pages(RLIMIT_MEMLOCK);
}
