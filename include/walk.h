/* include/walk.h - the user-page walker (mm/walk.c): the one way the
 * kernel looks up, faults in and pins pages of a user address space.
 *
 * Memory rules 1-3 (docs/history.md tells where they came from):
 *   1. One walker.  Nothing outside mm/walk.c and the page-fault path
 *      (mm/fault.c) calls follow_page or handle_mm_fault;
 *      `make check` fails if anything does (tools/check_walker.py).
 *   2. Look up, then fault, then look up again: a fault that "succeeded"
 *      does not mean the page is there.  The walker loops
 *      follow_page -> handle_mm_fault until follow_page finds it, with
 *      mm->page_table_lock held across the look-up and the reference grab.
 *      follow_page for a write succeeds only on a writable, dirty PTE.
 *   3. Pin by count, not by lock bit: a pin is get_page plus
 *      page->pincount, never the page lock.  Pinning one page twice works;
 *      a pinned page outlives munmap and exit and is freed by the last
 *      put_page.  pins_taken and pins_released (include/vm.h vm_counters)
 *      are equal at rest.
 *
 * The core, in the shape of Ingo Oeser's 2002 get_user_pages rewrite:
 *	walk_user_pages(mm, start, len, flags, fn, data)
 * calls fn(v, page, uva, data) for each page of [start, start+len), page
 * pinned if WALK_PIN.  fn returns 0 to go on, 1 to stop, or -errno to stop
 * with that error.  If a page cannot be had (no VMA, a VM_IO VMA, a
 * permission, SIGBUS, no memory) fn is called once more with
 * page = ERR_PTR(-errno) so it can release what it took, and the walk
 * returns that error.
 *
 * Locks: walk_user_pages and make_pages_present run with mm->mmap_lock
 * held by the caller; get_user_pages, get_one_user_page and
 * access_process_vm take it themselves.  The walker takes the page-table
 * lock.  May sleep.  The caller holds a reference on mm (mmget) if it is
 * not current's, and no fs_lock or page lock (docs/locking.md).
 */
#ifndef WALNUT_WALK_H
#define WALNUT_WALK_H

#include <types.h>

struct mm;
struct page;
struct task;
struct vma;

enum walk_flag {
	WALK_WRITE	= 1 << 0,	/* the caller will write the pages */
	WALK_FORCE	= 1 << 1,	/* ptrace: override read-only (private) */
	WALK_PIN	= 1 << 2,	/* take a pin on each page for fn */
};

typedef int (*walk_fn)(struct vma *v, struct page *page, uint32_t uva,
		       void *data);

int walk_user_pages(struct mm *mm, uint32_t start, size_t len,
		    unsigned int flags, walk_fn fn, void *data);

/* The page at uva if it is mapped for the access flags ask for (a write:
 * a writable, dirty PTE, or for WALK_FORCE the process's own anonymous
 * copy), else NULL.  Caller holds mm->page_table_lock. */
struct page *follow_page(struct mm *mm, uint32_t uva, unsigned int flags);

/* Pin nr_pages pages from start into pages[] (each with one pin).
 * Return the number pinned (all of them), or -errno with none held. */
long get_user_pages(struct mm *mm, uint32_t start, size_t nr_pages,
		    unsigned int flags, struct page **pages);
struct page *get_one_user_page(struct mm *mm, uint32_t uva,
			       unsigned int flags);	/* or ERR_PTR */
void unpin_user_page(struct page *page);	/* release one pin */
void unpin_user_pages(struct page **pages, size_t nr_pages);

/* Pins taken and not yet released, kernel-wide (0 at rest: the ktest
 * runner and init's exit check it). */
unsigned long pins_outstanding(void);

/* Fault in [start, start+len) of mm (mlock, MAP_POPULATE, MAP_LOCKED).
 * Caller holds mm->mmap_lock (it is changing the VMAs).  0 or -errno. */
int make_pages_present(struct mm *mm, uint32_t start, uint32_t len);

/* Copy len bytes between kbuf and another address space's memory
 * (ptrace, /proc/<pid>/mem, exec).  Return bytes copied (short at a
 * hole), or -errno if none. */
long access_remote_vm(struct mm *mm, uint32_t uva, void *kbuf, size_t len,
		      unsigned int flags);
long access_process_vm(struct task *t, uint32_t uva, void *kbuf, size_t len,
		       unsigned int flags);

#endif
