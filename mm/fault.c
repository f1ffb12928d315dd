/*
 * mm/fault.c - page faults on user addresses: what a missing or protected
 * page means, and making it right.
 *
 * Owns: the shared zero page; the decision what a fault means.
 *
 * Interface: vm_init() once at boot; page_fault_handled(tf) from
 * trap_dispatch; handle_mm_fault(mm, uva, access), the one place that
 * resolves a fault -- the trap and the walker (mm/walk.c), which loops
 * look-up -> handle_mm_fault -> look-up, are its only callers
 * (tools/check_walker.py).
 *
 *	handle_mm_fault:  find the VMA (grow the stack into the gap below it)
 *	                  -> check the access against the VMA's permissions
 *	  not present:    anonymous: the zero page (read) or a new zeroed page
 *	                  with ops:  v->ops->nopage gives the object's page;
 *	                             shared: map it (writable on a write, and
 *	                             the page cache hears it is dirty);
 *	                             private: map it read-only, or copy it for
 *	                             a write
 *	  present, read-only, write allowed:
 *	                  shared: make it writable (and dirty)
 *	                  private: copy-on-write, or just make it writable if
 *	                  it is an anonymous page nobody else holds
 *
 * A PTE made writable for a write is also made dirty, so the walker's
 * follow_page (a write needs a writable, dirty PTE) finds it at once.
 *
 * Locks: none of its own.  A task's own faults run without mmap_lock (one
 * thread per mm); the walker calls in holding it.  nopage may sleep, so
 * after it the PTE is looked at again before it is set.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <pagecache.h>
#include <sched.h>
#include <signals.h>
#include <string.h>
#include <trap.h>
#include <uaccess.h>
#include <vm.h>
#include <x86.h>
#include "internal.h"

static struct page *zero_page;	/* [I] all zeros, mapped read-only */

void vm_init(void)
{
	zero_page = alloc_page(ALLOC_ATOMIC);
	if (!zero_page)
		panic("vm_init: no memory for the zero page");
	memset(page_to_kva(zero_page), 0, PAGE_SIZE);
}

bool is_zero_page(const struct page *page)
{
	return page == zero_page;
}

/* May this access touch v?  x86 without NX cannot make a page writable or
 * executable but unreadable, so any of R/W/X lets a read through, as on
 * Linux.  FORCE (ptrace) may also write a private mapping that may
 * become writable, through a copy. */
static bool vma_allows(const struct vma *v, unsigned int access)
{
	if (access & FAULT_WRITE) {
		if (v->flags & VM_WRITE)
			return true;
		return (access & FAULT_FORCE) && !(v->flags & VM_SHARED) &&
		       (v->flags & VM_MAYWRITE);
	}
	return v->flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/* The PTE bits for a page that a write to v just made private (or shared)
 * and dirty: writable if the VMA is; a FORCE write to a read-only VMA
 * leaves it read-only but dirty -- follow_page's sign that the copy is
 * ours (Linux's answer to Dirty COW). */
static uint32_t written_pte_flags(const struct vma *v)
{
	return (v->flags & VM_WRITE ? PTE_WRITE : 0) | PTE_DIRTY;
}

static struct page *copy_page_for_write(struct page *src)
{
	struct page *copy = alloc_page(ALLOC_USER);

	if (!copy)
		return NULL;
	copy_page(page_to_kva(copy), page_to_kva(src));
	vm_counters.cow_break++;
	return copy;
}

/* Anonymous first touch: the shared zero page for a read (read-only, so a
 * later write comes back as copy-on-write), a fresh zeroed page for a
 * write. */
static enum fault_result fault_anon(struct mm *mm, struct vma *v, pte_t *pte,
				    uint32_t uva, unsigned int access)
{
	struct page *page;

	if (!(access & FAULT_WRITE)) {
		get_page(zero_page);
		mm_set_pte(mm, pte, uva, zero_page, 0);
		return FAULT_OK;
	}
	page = alloc_page(ALLOC_USER);
	if (!page)
		return FAULT_OOM;
	clear_page(page_to_kva(page));
	mm_set_pte(mm, pte, uva, page, written_pte_flags(v));
	return FAULT_OK;
}

static enum fault_result nopage_error(struct page *page)
{
	return PTR_ERR(page) == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
}

/* First touch of a page of an object (file, shared memory, device): ask
 * v->ops->nopage, then map the object's page or, for a private write, a
 * copy of it. */
static enum fault_result fault_nopage(struct mm *mm, struct vma *v,
				      pte_t *pte, uint32_t uva,
				      unsigned int access)
{
	bool write = access & FAULT_WRITE;
	struct page *page = v->ops->nopage(v, uva, write && (v->flags & VM_SHARED));
	struct page *copy;

	if (IS_ERR(page))
		return nopage_error(page);
	if (*pte & PTE_PRESENT) {	/* mapped while nopage slept */
		put_page(page);
		return FAULT_OK;
	}
	if (!write) {
		mm_set_pte(mm, pte, uva, page, 0);
		return FAULT_OK;
	}
	if (v->flags & VM_SHARED) {
		set_page_dirty(page);
		mm_set_pte(mm, pte, uva, page, PTE_WRITE | PTE_DIRTY);
		return FAULT_OK;
	}
	copy = copy_page_for_write(page);
	put_page(page);
	if (!copy)
		return FAULT_OOM;
	mm_set_pte(mm, pte, uva, copy, written_pte_flags(v));
	return FAULT_OK;
}

/* A write to a present page the PTE doesn't let us write: a shared page
 * becomes writable (and dirty); a private one is copied, unless it is an
 * anonymous page nobody else holds (not the zero page, not a page-cache
 * page, no other reference or pin), which simply becomes ours. */
static enum fault_result fault_write_protected(struct mm *mm, struct vma *v,
					       pte_t *pte, uint32_t uva)
{
	struct page *old = pfn_to_page(*pte >> PAGE_SHIFT), *copy;

	if (v->flags & VM_SHARED) {
		if (page_is_file(old))
			set_page_dirty(old);
		mm_set_pte(mm, pte, uva, old, PTE_WRITE | PTE_DIRTY);
		return FAULT_OK;
	}
	if (old != zero_page && !old->mapping && old->refcount == 1) {
		mm_set_pte(mm, pte, uva, old, written_pte_flags(v));
		return FAULT_OK;
	}
	copy = copy_page_for_write(old);
	if (!copy)
		return FAULT_OOM;
	mm_set_pte(mm, pte, uva, copy, written_pte_flags(v));
	put_page(old);		/* the reference this PTE held */
	return FAULT_OK;
}

/* Is the present *pte already good for this access? */
static bool pte_satisfies(pte_t pte, const struct vma *v, unsigned int access)
{
	if (!(access & FAULT_WRITE))
		return true;
	if (pte & PTE_WRITE)
		return true;
	return !(v->flags & VM_WRITE) && (pte & PTE_DIRTY) &&
	       !pfn_to_page(pte >> PAGE_SHIFT)->mapping &&
	       pfn_to_page(pte >> PAGE_SHIFT) != zero_page;	/* FORCE copy */
}

/**
 * handle_mm_fault - make uva in mm accessible for access, if the VMAs allow.
 * Return: FAULT_OK (look again: the page may be there), FAULT_SIGSEGV,
 * FAULT_SIGBUS, or FAULT_OOM.
 */
enum fault_result handle_mm_fault(struct mm *mm, uint32_t uva,
				  unsigned int access)
{
	struct vma *v;
	pte_t *pte;

	if (!mm || uva >= USER_TOP)
		return FAULT_SIGSEGV;
	v = find_extend_vma(mm, uva);
	if (!v || !vma_allows(v, access))
		return FAULT_SIGSEGV;
	uva = ALIGN_DOWN(uva, PAGE_SIZE);
	pte = mm_get_pte(mm, uva, true);
	if (!pte)
		return FAULT_OOM;
	current->min_flt++;
	vm_counters.pgfault++;
	if (!(*pte & PTE_PRESENT))
		return v->ops && v->ops->nopage
			? fault_nopage(mm, v, pte, uva, access)
			: fault_anon(mm, v, pte, uva, access);
	if (!pte_satisfies(*pte, v, access))
		return fault_write_protected(mm, v, pte, uva);
	if ((access & FAULT_WRITE) && !(*pte & PTE_DIRTY))	/* for the walker */
		mm_set_pte(mm, pte, uva, pfn_to_page(*pte >> PAGE_SHIFT),
			   (*pte & PTE_WRITE) | PTE_DIRTY);
	return FAULT_OK;	/* another path mapped it meanwhile */
}

/*
 * The words of a fatal user fault's console line ("killed by SIGSEGV:
 * <what> <address>"): what the student reads first, so it names the real
 * cause.  An address in the kernel's half is a "kernel address" whatever
 * the CPU's error code says (its pages are present but not user-visible,
 * so a write there looks like a write to a read-only page).
 */
const char *fault_description(uint32_t uva, uint32_t err, enum fault_result r)
{
	if (r == FAULT_OOM)
		return "out of memory";
	if (r == FAULT_SIGBUS)
		return "access past the end of a mapped object";
	if (uva >= USER_TOP)
		return err & PF_WRITE ? "write to kernel address"
				      : "read of kernel address";
	if (err & PF_PRESENT)
		return err & PF_WRITE ? "write to read-only address"
				      : "read of protected address";
	return err & PF_WRITE ? "write to unmapped address"
			      : "read of unmapped address";
}

/**
 * page_fault - the #PF handler.  A user fault is resolved or becomes a
 * signal (SIGSEGV; SIGKILL when memory ran out).  A kernel fault on a user
 * address is resolved, or sent to the user copy's fix-up.
 * Return: true if handled; false if it is a kernel bug (the caller dies).
 */
bool page_fault_handled(struct trapframe *tf)
{
	uint32_t uva = read_cr2(), fixup;
	unsigned int access = tf->error & PF_WRITE ? FAULT_WRITE : FAULT_READ;
	enum fault_result r;

	if (!trap_from_user(tf) && (uva >= USER_TOP || !extable_fixup(tf->eip)))
		return false;
	if (!trap_from_user(tf) && current->pagefault_disabled) {
		tf->eip = extable_fixup(tf->eip);	/* a nofault copy: rule 6 */
		return true;
	}
	if (tf->eflags & EFLAGS_IF)
		sti();	/* resolving may allocate and sleep, as the faulter could */
	r = handle_mm_fault(current->mm, uva, access);
	cli();
	if (r == FAULT_OK)
		return true;
	if (!trap_from_user(tf)) {
		fixup = extable_fixup(tf->eip);
		tf->eip = fixup;
		return true;
	}
	force_fault_signal(r == FAULT_OOM ? SIGKILL : r == FAULT_SIGBUS ? SIGBUS : SIGSEGV, uva,
			   fault_description(uva, tf->error, r), tf);
	return true;
}
