/*
 * mm/walk.c - the user-page walker: the one place outside the page-fault
 * path that looks up, faults in and pins pages of a user address space
 * (memory rules 1-3 of docs/history.md; include/walk.h is the interface).
 *
 * Owns: follow_page, the look-up -> fault -> look-up loop, the pin count
 * (page->pincount, vm_counters.pins_taken / pins_released), and every
 * wrapper built on the walk: get_user_pages, get_one_user_page,
 * unpin_user_page(s), make_pages_present, access_remote_vm and
 * access_process_vm.
 *
 * Interface, in the order a caller meets it:
 *
 *	mutex_lock(&mm->mmap_lock);
 *	err = walk_user_pages(mm, start, len, flags, fn, data);
 *	mutex_unlock(&mm->mmap_lock);
 *
 *   For each page of [start, start + len), lowest first, the walker finds
 *   the VMA (find_extend_vma: the stack may grow), checks it, gets the
 *   page and calls
 *	fn(v, page, uva, data)      uva: the page-aligned address of the page
 *   with a reference on page held across the call.  With WALK_PIN that
 *   reference is a pin handed to fn, which keeps it (unpin_user_page
 *   later); without, the walker drops it when fn returns -- fn takes a
 *   reference of its own (get_page) if it keeps the page.
 *   fn returns 0 (go on), 1 (stop: the walk returns 0) or -errno (stop:
 *   the walk returns it; fn cleans up after itself, it is not called
 *   again).  If a page cannot be had, fn is called once more with
 *	fn(v or NULL, ERR_PTR(-errno), uva, data)
 *   so it can release what it took (Ingo Oeser, 2002: docs/history.md),
 *   and the walk returns that error:
 *	-EFAULT  no VMA, a VM_IO VMA, the VMA forbids the access, a kernel
 *	         address or a range that wraps, SIGSEGV/SIGBUS from the fault
 *	-ENOMEM  the fault ran out of memory
 *
 *   get_user_pages / get_one_user_page     pin pages (take mmap_lock)
 *   unpin_user_page(s)                     release those pins
 *   make_pages_present                     fault in, no pin (mlock, populate)
 *   access_remote_vm, access_process_vm   copy to/from another address
 *                                          space (ptrace, exec)
 *
 * Flags (include/walk.h): WALK_WRITE the caller writes the pages (the VMA
 * must allow it, and each page is looked up as writable and dirty);
 * WALK_FORCE ptrace: a private read-only VMA may still be written, through
 * a copy-on-write copy, and a VMA without VM_READ read, if VM_MAY* allows;
 * WALK_PIN set only by the pin wrappers here.
 *
 * Invariants:
 *   - The walker never hands fn a page it holds no reference on: the
 *     reference is taken under mm->page_table_lock in the same critical
 *     section as the look-up that found the page (rule 2).
 *   - A pin is a reference plus pincount++, never the page lock (rule 3):
 *     pins nest, one page may be pinned twice in one request, and a pinned
 *     page outlives munmap and exit -- the last put_page frees it.
 *   - pins_taken - pins_released == the sum of every page's pincount; the
 *     two counters are equal when nothing is pinned (tests check it).
 *   - Kernel addresses (>= USER_TOP) and wrapping ranges are refused at
 *     the door; VM_IO VMAs are refused (their pages are a device's).
 *
 * Locks, in order: mm->mmap_lock (the caller's, or taken by the wrappers)
 * -> mm->page_table_lock (here, held only across look-up and get_page;
 * dropped around handle_mm_fault, which may sleep).  The walker never
 * takes fs_lock or a page lock and must not be called with either held:
 * the fault it may take can need them (rule 6; Nick Piggin, 2007:
 * docs/history.md).  fn runs with only mmap_lock held and may sleep, but
 * must not touch user memory of a foreign mm (copy to a kernel buffer;
 * copy out after unlocking).
 *
 * Which rule prevents which bug (the Linux threads behind them are told in
 * docs/history.md):
 *   rule 1  one walker (Manfred Spraul, 2001: enum_user_pages replacing
 *           the copies in access_process_vm and map_user_kiobuf; Ingo
 *           Oeser, 2002: the walker with a callback, so a failure part-way
 *           can release what it took -- the old get_user_pages leaked
 *           page-cache references)
 *   rule 2  look up, then fault, then look up again (Andrea Arcangeli,
 *           2000: "the fact handle_mm_fault returns 1 doesn't mean the
 *           page is currently mapped"; follow_page for a write needs a
 *           dirty PTE, Stephen Tweedie and Andrea)
 *   rule 3  pin by count, not by lock bit (Linus Torvalds, 2000: "YOU
 *           NEED TO COUNT THE PINNING. A 'lock' bit is useless")
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <sched.h>
#include <spinlock.h>
#include <string.h>
#include <uaccess.h>
#include <vm.h>
#include <walk.h>
#include "internal.h"

/*
 * On one CPU with a non-preemptible kernel nothing runs between a fault
 * returning FAULT_OK and the look-up that follows, so the loop takes at
 * most two faults (copy-on-write, then dirty).  More means the fault path
 * said "done" without mapping the page for the access: a broken kernel
 * invariant, not something to spin on forever.
 */
#define WALK_MAX_FAULTS	16

/**
 * follow_page - the page mapped at uva in mm if the PTE allows the access
 * flags ask for (WALK_WRITE, WALK_FORCE).
 *   - a read needs a present PTE; a FORCE read may also follow a PROT_NONE
 *     one (vma_permits lets ptrace read such a VMA);
 *   - a write needs a writable, dirty PTE (so a write-back path that tests
 *     the dirty bit cannot miss the write) -- or, for a FORCE write, the
 *     process's own anonymous page (page_is_exclusive_anon), which is what
 *     the fault path leaves in a read-only private mapping for ptrace to
 *     write.  Never a page it shares with another process, or a file's.
 * Context: caller holds mm->page_table_lock.
 * Return: the page (no reference taken: get it before dropping the lock),
 * or NULL.
 */
struct page *follow_page(struct mm *mm, uint32_t uva, unsigned int flags)
{
	bool force = flags & WALK_FORCE;
	struct page *page;
	pte_t *pte;

	assert_spin_locked(&mm->page_table_lock);
	if (uva >= USER_TOP)
		return NULL;
	pte = mm_get_pte(mm, uva, false);
	if (!pte || !pte_maps_page(*pte) || (!(*pte & PTE_PRESENT) && !force))
		return NULL;
	assert(pte_pfn(*pte) < max_pfn && "user PTE outside mem_map");
	page = pfn_to_page(pte_pfn(*pte));
	if (!(flags & WALK_WRITE))
		return page;
	if ((*pte & (PTE_WRITE | PTE_DIRTY)) == (PTE_WRITE | PTE_DIRTY))
		return page;
	return force && page_is_exclusive_anon(page) ? page : NULL;
}

/* The pin half of a pin: the reference is taken by the caller. */
static void pin_account(struct page *page)
{
	bool was_on = irq_save();

	page->pincount++;
	vm_counters.pins_taken++;
	irq_restore(was_on);
}

/**
 * unpin_user_page - release one pin that get_user_pages,
 * get_one_user_page or a WALK_PIN walk took.  May free the page (the last
 * reference).  Context: any, including interrupts (I/O completion).
 */
void unpin_user_page(struct page *page)
{
	bool was_on = irq_save();

	assert(page->pincount > 0 && "unpin of a page that is not pinned");
	page->pincount--;
	vm_counters.pins_released++;
	irq_restore(was_on);
	put_page(page);
}

unsigned long pins_outstanding(void)
{
	return vm_counters.pins_taken - vm_counters.pins_released;
}

void unpin_user_pages(struct page **pages, size_t nr_pages)
{
	for (size_t i = 0; i < nr_pages; i++)
		unpin_user_page(pages[i]);
}

static int fault_errno(enum fault_result r)
{
	return r == FAULT_OOM ? -ENOMEM : -EFAULT;	/* SIGSEGV, SIGBUS */
}

/* The fault path's name for the walk's access. */
static unsigned int fault_access(unsigned int flags)
{
	return (flags & WALK_WRITE ? FAULT_WRITE : FAULT_READ) |
	       (flags & WALK_FORCE ? FAULT_FORCE : 0);
}

/* Why v refuses the walk's access, or 0: no VMA, a device's VM_IO VMA
 * (its pages are not the process's to pin), or the one permission policy
 * the fault path applies too (vma_permits). */
static int vma_refuses(const struct vma *v, unsigned int flags)
{
	if (!v || (v->flags & VM_IO) || !vma_permits(v, fault_access(flags)))
		return -EFAULT;
	return 0;
}

/*
 * Look up the page at uva and take a reference (and a pin if asked) in
 * one page-table-locked section, or NULL if it is not there for the access.
 */
static struct page *grab_page(struct mm *mm, uint32_t uva, unsigned int flags)
{
	struct page *page;

	spin_lock(&mm->page_table_lock);
	page = follow_page(mm, uva, flags);
	if (page) {
		get_page(page);
		if (flags & WALK_PIN)
			pin_account(page);
	}
	spin_unlock(&mm->page_table_lock);
	return page;
}

/*
 * The page at uva (inside a VMA that allows the access), with a reference
 * (and a pin if WALK_PIN): look up; if it is not there, fault and look up
 * again -- never trust the fault's FAULT_OK (rule 2).
 * Return: the page, or ERR_PTR(-EFAULT / -ENOMEM).
 */
static struct page *get_page_at(struct mm *mm, uint32_t uva, unsigned int flags)
{
	enum fault_result r;
	struct page *page;

	for (int faults = 0; ; faults++) {
		page = grab_page(mm, uva, flags);
		if (page)
			return page;
		if (faults == WALK_MAX_FAULTS)
			panic("walk: handle_mm_fault(%08x, %#x) returned FAULT_OK "
			      "%d times without mapping the page", uva,
			      fault_access(flags), faults);
		r = handle_mm_fault(mm, uva, fault_access(flags));
		if (r != FAULT_OK)
			return ERR_PTR(fault_errno(r));
	}
}

/* The range is refused at the door if it reaches the kernel or wraps. */
static bool range_is_user(uint32_t start, size_t len)
{
	return access_ok(start, len) && start < USER_TOP;
}

/* Tell fn the walk failed at uva, then return the error (rule 1). */
static int walk_fail(walk_fn fn, struct vma *v, int err, uint32_t uva,
		     void *data)
{
	fn(v, ERR_PTR(err), uva, data);
	return err;
}

/**
 * walk_user_pages - call fn for each page of [start, start + len) of mm:
 * the contract is at the top of this file.
 * Context: caller holds mm->mmap_lock (and a reference on mm if it is not
 * current's); no spin lock, fs_lock or page lock.  May sleep.
 * Return: 0 (all walked, or fn said stop), fn's -errno, or the walk's
 * -EFAULT / -ENOMEM after fn has seen it as an ERR_PTR page.
 */
int walk_user_pages(struct mm *mm, uint32_t start, size_t len,
		    unsigned int flags, walk_fn fn, void *data)
{
	uint32_t uva = ALIGN_DOWN(start, PAGE_SIZE);

	assert_mutex_held(&mm->mmap_lock);
	might_fault();
	if (len == 0)
		return 0;
	if (!range_is_user(start, len))
		return walk_fail(fn, NULL, -EFAULT, uva, data);
	for (; uva < start + len; uva += PAGE_SIZE) {	/* no wrap: checked */
		struct vma *v = find_extend_vma(mm, uva);
		int err = vma_refuses(v, flags);
		struct page *page;

		if (err)
			return walk_fail(fn, v, err, uva, data);
		page = get_page_at(mm, uva, flags);
		if (IS_ERR(page))
			return walk_fail(fn, v, (int)PTR_ERR(page), uva, data);
		err = fn(v, page, uva, data);
		if (!(flags & WALK_PIN))
			put_page(page);		/* the walker's own reference */
		if (err)
			return err < 0 ? err : 0;
	}
	return 0;
}

/* ---- pinning: get_user_pages, get_one_user_page ---- */

struct gup_state {
	struct page **pages;
	size_t nr;		/* pinned so far, in pages[0..nr) */
};

/* Keep each pin in pages[]; on an error give every one back. */
static int gup_collect(struct vma *v, struct page *page, uint32_t uva,
		       void *data)
{
	struct gup_state *s = data;

	if (IS_ERR(page)) {
		unpin_user_pages(s->pages, s->nr);
		s->nr = 0;
		return 0;
	}
	s->pages[s->nr++] = page;
	return 0;
}

/* Flags a pin wrapper passes on: the caller's access, never its own pin. */
static unsigned int pin_flags(unsigned int flags)
{
	assert(!(flags & WALK_PIN) && "WALK_PIN is the pin wrappers' to set");
	return (flags & (WALK_WRITE | WALK_FORCE)) | WALK_PIN;
}

/**
 * get_user_pages - pin nr_pages pages of mm from start (rounded down to a
 * page) into pages[], each with one pin; the same page may appear more
 * than once (each time with its own pin).  Release with unpin_user_pages.
 * Context: takes mm->mmap_lock; caller holds a reference on mm and no
 * fs_lock or page lock.  May sleep.
 * Return: nr_pages, or -EFAULT / -ENOMEM with no pin held.
 */
long get_user_pages(struct mm *mm, uint32_t start, size_t nr_pages,
		    unsigned int flags, struct page **pages)
{
	struct gup_state s = { .pages = pages, .nr = 0 };
	int err;

	if (nr_pages > USER_TOP / PAGE_SIZE)
		return -EFAULT;
	start = ALIGN_DOWN(start, PAGE_SIZE);
	mutex_lock(&mm->mmap_lock);
	err = walk_user_pages(mm, start, nr_pages * PAGE_SIZE, pin_flags(flags),
			      gup_collect, &s);
	mutex_unlock(&mm->mmap_lock);
	return err ? err : (long)s.nr;
}

/**
 * get_one_user_page - pin the page at uva of mm (the page cache's write
 * fallback, rule 6: copy from it through its kernel mapping with no
 * fault possible).  Release with unpin_user_page.
 * Context: as get_user_pages.
 * Return: the page, or ERR_PTR(-EFAULT / -ENOMEM).
 */
struct page *get_one_user_page(struct mm *mm, uint32_t uva, unsigned int flags)
{
	struct page *page;
	long n = get_user_pages(mm, uva, 1, flags, &page);

	return n == 1 ? page : ERR_PTR(n);
}

/* ---- make_pages_present ---- */

static int just_fault_in(struct vma *v, struct page *page, uint32_t uva,
			 void *data)
{
	return 0;	/* the walker's reference goes when we return */
}

/**
 * make_pages_present - fault in every page of [start, start + len) of mm
 * (mlock, MAP_POPULATE, MAP_LOCKED): a write fault in writable VMAs (so
 * copy-on-write is broken now, not under the lock later), a read fault in
 * the others.  VM_IO VMAs (their pages come from the device's nopage) and
 * VMAs with no access at all are skipped, as Linux's populate does.
 * Context: caller holds mm->mmap_lock.  May sleep.
 * Return: 0, -EFAULT (a hole, or SIGBUS past an object's end), -ENOMEM.
 */
int make_pages_present(struct mm *mm, uint32_t start, uint32_t len)
{
	uint32_t end = start + len, uva = ALIGN_DOWN(start, PAGE_SIZE);

	assert_mutex_held(&mm->mmap_lock);
	if (!range_is_user(start, len))
		return -EFAULT;
	while (uva < end) {
		struct vma *v = find_vma(mm, uva);
		uint32_t stop;
		int err = 0;

		if (!v || v->start > uva)
			return -EFAULT;		/* a hole */
		stop = MIN(end, v->end);
		if (!(v->flags & VM_IO) && (v->flags & (VM_READ | VM_WRITE)))
			err = walk_user_pages(mm, uva, stop - uva,
					      v->flags & VM_WRITE ? WALK_WRITE : 0,
					      just_fault_in, NULL);
		if (err)
			return err;
		uva = stop;
	}
	return 0;
}

/* ---- access_process_vm ---- */

struct access_state {
	uint8_t *kbuf;
	uint32_t uva;		/* the next byte to copy */
	size_t left;
	bool write;
};

/* Copy the part of this page the request covers, through the kernel's
 * mapping of the page (never through the foreign mm's user mapping). */
static int access_copy(struct vma *v, struct page *page, uint32_t uva,
		       void *data)
{
	struct access_state *s = data;
	uint32_t off = s->uva - uva;
	size_t n = MIN(s->left, (size_t)(PAGE_SIZE - off));
	uint8_t *kva;

	if (IS_ERR(page))
		return 0;	/* nothing held: the copy just stops short */
	kva = (uint8_t *)page_to_kva(page) + off;
	if (s->write) {
		memcpy(kva, s->kbuf, n);
		/* Written through the kernel's mapping: the CPU set no dirty
		 * bit in the PTE, so the page learns it here, as the fault
		 * path tells a shared write (mm/fault.c). */
		set_page_dirty(page);
	} else {
		memcpy(s->kbuf, kva, n);
	}
	s->kbuf += n;
	s->uva += (uint32_t)n;
	s->left -= n;
	return 0;
}

/**
 * access_remote_vm - copy len bytes between kbuf and mm's memory at uva,
 * through the kernel's mapping of each page: for an address space that is
 * not current's (ptrace, /proc/<pid>/mem, exec building a new image).
 * flags: WALK_WRITE to write mm's memory, WALK_FORCE for ptrace and exec.
 * A range reaching the kernel's half is cut short there.
 * Context: takes mm->mmap_lock; the caller holds a reference on mm and no
 * fs_lock, page lock or spin lock.  kbuf is kernel memory: user memory is
 * never touched under a foreign mm's lock.  May sleep.
 * Return: bytes copied (short at a hole or the kernel's half); -EFAULT /
 * -ENOMEM if not even the first byte could be had.
 */
long access_remote_vm(struct mm *mm, uint32_t uva, void *kbuf, size_t len,
		      unsigned int flags)
{
	struct access_state s = { .kbuf = kbuf, .uva = uva, .left = len,
				  .write = flags & WALK_WRITE };
	int err;

	assert(!(flags & WALK_PIN));
	if (len == 0)
		return 0;
	if (uva >= USER_TOP)
		return -EFAULT;
	s.left = len = MIN(len, (size_t)(USER_TOP - uva));
	mutex_lock(&mm->mmap_lock);
	err = walk_user_pages(mm, uva, len, flags, access_copy, &s);
	mutex_unlock(&mm->mmap_lock);
	if (s.left == len)
		return err ? err : -EFAULT;
	return (long)(len - s.left);
}

/**
 * access_process_vm - access_remote_vm on task t's memory.
 * Return: as access_remote_vm; 0 if t has no address space (a kernel
 * thread, or it is exiting: Linux's answer).
 */
long access_process_vm(struct task *t, uint32_t uva, void *kbuf, size_t len,
		       unsigned int flags)
{
	struct mm *mm = t->mm;	/* read and held with no sleep in between */
	long n;

	if (!mm)
		return 0;
	mmget(mm);
	n = access_remote_vm(mm, uva, kbuf, len, flags);
	mmput(mm);
	return n;
}
