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
 * Locks: mmap_lock, which resolve_fault takes for the CPU's faults and the
 * walker holds when it calls in (handle_mm_fault asserts it); then the
 * page-table lock around each PTE change.  Allocation and nopage may
 * sleep, so a PTE is looked at again before it is set (pte_install).
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

/**
 * vma_permits - may an access of this kind reach v?  One policy for the
 * CPU's faults and for the walker (Linux's check_vma_flags and the
 * fault's own check):
 *   - a write needs VM_WRITE; a FORCE write (ptrace, /proc/<pid>/mem) may
 *     also go to a private mapping whose VM_MAYWRITE allows it, through a
 *     copy (never to the object: the file's page, or another process's);
 *   - a read needs any of VM_READ, VM_WRITE, VM_EXEC (x86 without NX
 *     cannot refuse a read of a page it may write or execute); a FORCE read
 *     may also read a VMA the process made PROT_NONE, if VM_MAYREAD allows,
 *     as Linux's ptrace may.
 * Everything else the kernel does on a process's behalf (read(2) into its
 * buffer, write(2) from it) asks without FORCE, so it can reach no more
 * than the process itself.
 */
bool vma_permits(const struct vma *v, unsigned int access)
{
	bool force = access & FAULT_FORCE;

	if (access & FAULT_WRITE) {
		if (v->flags & VM_WRITE)
			return true;
		return force && (v->flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	}
	if (vma_accessible(v))
		return true;
	return force && (v->flags & VM_MAYREAD);
}

/**
 * page_is_exclusive_anon - is page anonymous memory that only one address
 * space maps?  Then a write may go to it in place: a write fault needs no
 * copy, and a FORCE write (ptrace) lands in the one process it is meant
 * for.  PG_anon_exclusive is set on every anonymous page a fault or fork
 * makes for one address space, cleared when fork shares it; pins do not
 * clear it (a page under DMA stays its process's own, rule 3).  Read with
 * the page-table lock held, or by the fault path of the mm that maps it.
 *
 * Walnut once took "present, dirty and anonymous" to mean "our own copy":
 * but fork and mprotect keep PTE_DIRTY on pages that are shared, so a
 * FORCE write to a child could land in its parent (docs/walker.md).
 */
bool page_is_exclusive_anon(const struct page *page)
{
	return page_is_anon(page) && page_has_flag(page, PG_anon_exclusive);
}

/* An anonymous page no other address space maps, no pin holds, and no
 * cache: the last one left of a page fork shared.  It may become
 * exclusive again (Linux's wp_can_reuse_anon_folio). */
static bool anon_page_unshared(const struct page *page)
{
	return page_is_anon(page) && page != zero_page && page->refcount == 1 &&
	       page->pincount == 0 && !page_in_swapcache(page);
}

/* The PTE bits for a page that a write to v just made private (or shared)
 * and dirty: writable if the VMA is.  A FORCE write to a read-only VMA
 * leaves its copy read-only. */
static uint32_t written_pte_flags(const struct vma *v)
{
	return (v->flags & VM_WRITE ? PTE_WRITE : 0) | PTE_DIRTY;
}

/* Self-tests point this at a function that changes the PTE while a fault
 * holds a new page not yet installed, to show the re-check at work
 * (mm/fault_ktest.c); NULL otherwise. */
void (*fault_race_hook)(struct mm *mm, pte_t *pte, uint32_t uva);

/* Will page, mapped in v, be one address space's own anonymous memory? */
static bool becomes_exclusive(const struct vma *v, const struct page *page)
{
	return !(v->flags & VM_SHARED) && page_is_anon(page) && page != zero_page;
}

/*
 * Install a page the fault made for uva -- its one reference passes to
 * the PTE -- if the PTE still holds seen, what the fault read before it
 * allocated or called nopage (either may sleep).  If another path changed
 * the PTE meanwhile, drop the page instead: the access runs again and
 * finds what that path did.
 * Return: true if installed.
 */
static bool install_new(struct mm *mm, struct vma *v, pte_t *pte, pte_t seen,
			uint32_t uva, struct page *page, uint32_t flags)
{
	if (fault_race_hook)
		fault_race_hook(mm, pte, uva);
	if (becomes_exclusive(v, page))
		page_set_flag(page, PG_anon_exclusive);
	if (pte_install(mm, v, pte, seen, uva, page, flags))
		return true;
	put_page(page);
	return false;
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
		install_new(mm, v, pte, 0, uva, zero_page, 0);
		return FAULT_OK;
	}
	page = alloc_page(ALLOC_USER);
	if (!page)
		return FAULT_OOM;
	clear_page(page_to_kva(page));
	install_new(mm, v, pte, 0, uva, page, written_pte_flags(v));
	return FAULT_OK;
}

static enum fault_result nopage_error(struct page *page)
{
	return PTR_ERR(page) == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
}

/* First touch of a page of an object (file, shared memory, device): ask
 * v->ops->nopage (which may sleep), then map the object's page or, for a
 * private write, a copy of it. */
static enum fault_result fault_nopage(struct mm *mm, struct vma *v,
				      pte_t *pte, uint32_t uva,
				      unsigned int access)
{
	bool write = access & FAULT_WRITE;
	struct page *page = v->ops->nopage(v, uva, write && (v->flags & VM_SHARED));
	struct page *copy;

	if (IS_ERR(page))
		return nopage_error(page);
	if (write && (v->flags & VM_SHARED)) {
		set_page_dirty(page);
		install_new(mm, v, pte, 0, uva, page, PTE_WRITE | PTE_DIRTY);
	} else if (write) {
		copy = copy_page_for_write(page);
		put_page(page);
		if (!copy)
			return FAULT_OOM;
		install_new(mm, v, pte, 0, uva, copy, written_pte_flags(v));
	} else {
		install_new(mm, v, pte, 0, uva, page, 0);
	}
	return FAULT_OK;
}

/* Give the PTE that maps its page already (seen) new flags in place: a
 * shared mapping's page made writable, or an anonymous page that is (or
 * may become) this address space's own.  The PTE keeps its reference. */
static enum fault_result reuse_page(struct mm *mm, struct vma *v, pte_t *pte,
				    pte_t seen, uint32_t uva, uint32_t flags)
{
	struct page *page = pfn_to_page(pte_pfn(seen));

	if (page_is_file(page) && (v->flags & VM_SHARED))
		set_page_dirty(page);
	if (pte_install(mm, v, pte, seen, uva, page, flags) &&
	    becomes_exclusive(v, page))
		page_set_flag(page, PG_anon_exclusive);
	return FAULT_OK;
}

/* A write to a present page the PTE doesn't let us write: a shared page
 * becomes writable (and dirty); a private one is copied, unless it is
 * anonymous and this address space's own (page_is_exclusive_anon), or the
 * last holder of a page fork once shared -- then it simply stays.  The old
 * page is held across the copy, which may sleep. */
static enum fault_result fault_write_protected(struct mm *mm, struct vma *v,
					       pte_t *pte, uint32_t uva)
{
	pte_t seen = *pte;
	struct page *old = pfn_to_page(pte_pfn(seen)), *copy;

	if (v->flags & VM_SHARED)
		return reuse_page(mm, v, pte, seen, uva, PTE_WRITE | PTE_DIRTY);
	if (page_is_exclusive_anon(old) || anon_page_unshared(old))
		return reuse_page(mm, v, pte, seen, uva, written_pte_flags(v));
	get_page(old);
	copy = copy_page_for_write(old);
	if (copy && install_new(mm, v, pte, seen, uva, copy, written_pte_flags(v)))
		put_page(old);	/* the reference the old PTE held */
	put_page(old);
	return copy ? FAULT_OK : FAULT_OOM;
}

/* Is the PTE that maps a page already good for this access?  A write
 * needs a writable PTE, except that a FORCE write to a read-only private
 * mapping is good on the process's own anonymous copy (never on a page it
 * shares, or a file's). */
static bool pte_satisfies(pte_t pte, const struct vma *v, unsigned int access)
{
	if (!(access & FAULT_WRITE) || (pte & PTE_WRITE))
		return true;
	return (access & FAULT_FORCE) && !(v->flags & VM_WRITE) &&
	       page_is_exclusive_anon(pfn_to_page(pte_pfn(pte)));
}

/**
 * handle_mm_fault - make uva in mm accessible for access, if the VMAs allow.
 * Every path that installs a page reads the PTE first and installs only if
 * it is unchanged (pte_install): an allocation or nopage in between may
 * sleep.  A change means another path got there first: FAULT_OK, and the
 * access looks again.
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
	assert_mutex_held(&mm->mmap_lock);
	v = find_extend_vma(mm, uva);
	if (!v || !vma_permits(v, access))
		return FAULT_SIGSEGV;
	uva = ALIGN_DOWN(uva, PAGE_SIZE);
	pte = mm_get_pte(mm, uva, true);
	if (!pte)
		return FAULT_OOM;
	current->min_flt++;
	vm_counters.pgfault++;
	if (!pte_maps_page(*pte))
		return v->ops && v->ops->nopage
			? fault_nopage(mm, v, pte, uva, access)
			: fault_anon(mm, v, pte, uva, access);
	if (!pte_satisfies(*pte, v, access))
		return fault_write_protected(mm, v, pte, uva);
	if ((access & FAULT_WRITE) && !(*pte & PTE_DIRTY))	/* for the walker */
		return reuse_page(mm, v, pte, *pte, uva, (*pte & PTE_WRITE) | PTE_DIRTY);
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

/* The CPU's fault, resolved under the mm's mmap_lock (uncontended while
 * one thread runs each mm; it keeps the VMAs still against the walker and,
 * one day, other threads).  A fault with the lock held -- a user copy under
 * one's own mmap_lock -- would deadlock: that is a kernel bug. */
static enum fault_result resolve_fault(struct mm *mm, uint32_t uva,
				       unsigned int access)
{
	enum fault_result r;

	if (!mm)
		return FAULT_SIGSEGV;
	assert(!mutex_held(&mm->mmap_lock) && "a fault under one's own mmap_lock");
	mutex_lock(&mm->mmap_lock);
	r = handle_mm_fault(mm, uva, access);
	mutex_unlock(&mm->mmap_lock);
	return r;
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
	if (!trap_from_user(tf))
		might_fault();	/* a kernel copy that may resolve a fault */
	if (tf->eflags & EFLAGS_IF)
		sti();	/* resolving may allocate and sleep, as the faulter could */
	r = resolve_fault(current->mm, uva, access);
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
