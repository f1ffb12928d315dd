/*
 * mm/fault.c - page faults on user addresses: zero-fill, copy-on-write,
 * stack growth; and recovery from a bad pointer in a user copy.
 *
 * Owns: the shared zero page; the decision what a page fault means.
 *
 * Interface: vm_init() once at boot; page_fault_handled(tf) from
 * trap_dispatch;
 * handle_mm_fault(mm, uva, access), the one place that resolves a fault
 * (the user-page walker of a later issue loops look-up -> handle_mm_fault).
 *
 *	handle_mm_fault:  find the VMA (grow the stack into the gap below it)
 *	                  -> check the access against the VMA's permissions
 *	                  -> not present: zero page (read) or a new zeroed page
 *	                  -> present, read-only, write allowed: copy-on-write
 *	                     (or just make it writable if nobody shares it)
 *
 * Locks: none (one thread per mm: include/vm.h); may sleep to allocate.
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
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
	zero_page = alloc_page();
	if (!zero_page)
		panic("vm_init: no memory for the zero page");
	memset(page_to_kva(zero_page), 0, PAGE_SIZE);
}

static bool vma_allows(const struct vma *v, unsigned int access)
{
	return access & FAULT_WRITE ? v->flags & VM_WRITE : v->flags & VM_READ;
}

/* First touch of a page: a fresh zeroed page for a write, the shared zero
 * page (read-only, so a later write comes back as copy-on-write) for a read. */
static enum fault_result fault_missing(struct mm *mm, pte_t *pte, uint32_t uva,
				       unsigned int access)
{
	struct page *page;

	if (!(access & FAULT_WRITE)) {
		get_page(zero_page);
		mm_set_pte(mm, pte, uva, zero_page, 0);
		return FAULT_OK;
	}
	page = alloc_page();
	if (!page)
		return FAULT_OOM;
	memset(page_to_kva(page), 0, PAGE_SIZE);
	mm_set_pte(mm, pte, uva, page, PTE_WRITE);
	return FAULT_OK;
}

/* A write to a present read-only page in a writable VMA: the page is shared
 * (fork, or the zero page).  The last sharer just gets write access back. */
static enum fault_result fault_cow(struct mm *mm, pte_t *pte, uint32_t uva)
{
	struct page *old = pfn_to_page(*pte >> PAGE_SHIFT), *copy;

	if (old != zero_page && old->refcount == 1) {
		mm_set_pte(mm, pte, uva, old, PTE_WRITE);
		return FAULT_OK;
	}
	copy = alloc_page();
	if (!copy)
		return FAULT_OOM;
	memcpy(page_to_kva(copy), page_to_kva(old), PAGE_SIZE);
	mm_set_pte(mm, pte, uva, copy, PTE_WRITE);
	put_page(old);		/* the reference this PTE held */
	return FAULT_OK;
}

/**
 * handle_mm_fault - make uva in mm accessible for access, if the VMAs allow.
 * Return: FAULT_OK (retry the access), FAULT_SIGSEGV, or FAULT_OOM.
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
	if (!(*pte & PTE_PRESENT))
		return fault_missing(mm, pte, uva, access);
	if ((access & FAULT_WRITE) && !(*pte & PTE_WRITE))
		return fault_cow(mm, pte, uva);
	return FAULT_OK;	/* another path mapped it meanwhile */
}

static const char *fault_what(uint32_t err, enum fault_result r)
{
	if (r == FAULT_OOM)
		return "out of memory";
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
		tf->eip = extable_fixup(tf->eip);	/* a nofault copy: seed 003 */
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
	force_fault_signal(r == FAULT_OOM ? SIGKILL : SIGSEGV, uva,
			   fault_what(tf->error, r), tf);
	return true;
}
