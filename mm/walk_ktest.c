/*
 * mm/walk_ktest.c - self-tests of the user-page walker (mm/walk.c) on a
 * user address space built for each test (mm_create, vma_add), never made
 * current: the walker works on any mm through the kernel's mapping of its
 * pages.  What they show: the walker writes and reads user pages; pins
 * are counts (one page twice in a request, two pins of a page); a pinned
 * page outlives its address space and is freed by the last unpin; a
 * failure part-way reaches the callback as an ERR_PTR so it can release;
 * kernel addresses, wrapping ranges and VM_IO VMAs are refused; pins
 * taken and released balance at rest.
 */
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include <mutex.h>
#include <sched.h>
#include <string.h>
#include <uaccess.h>
#include <vm.h>
#include <walk.h>

#define T_UVA		0x10000000u	/* where each test maps its VMA */
#define T_PAGES		4

static bool pins_balanced(void)
{
	return vm_counters.pins_taken == vm_counters.pins_released;
}

/* A fresh mm with one VMA of nr pages at T_UVA with flags, or NULL. */
static struct mm *test_mm(uint32_t nr, uint32_t flags)
{
	struct mm *mm = mm_create();

	if (mm && vma_add(mm, T_UVA, T_UVA + nr * PAGE_SIZE, flags)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Callback: fill each page with a byte derived from its address. */
static int fill_pattern(struct vma *v, struct page *page, uint32_t uva,
			void *data)
{
	if (IS_ERR(page))
		return 0;
	memset(page_to_kva(page), (int)(uva >> PAGE_SHIFT) & 0xff, PAGE_SIZE);
	return 0;
}

/* Callback: count pages whose first and last bytes match the pattern. */
static int check_pattern(struct vma *v, struct page *page, uint32_t uva,
			 void *data)
{
	const uint8_t *kva = page_to_kva(page);
	uint8_t want = (uint8_t)(uva >> PAGE_SHIFT);

	if (IS_ERR(page))
		return 0;
	*(int *)data += kva[0] == want && kva[PAGE_SIZE - 1] == want;
	return 0;
}

static int walk_locked(struct mm *mm, uint32_t start, size_t len,
		       unsigned int flags, walk_fn fn, void *data)
{
	int err;

	mutex_lock(&mm->mmap_lock);
	err = walk_user_pages(mm, start, len, flags, fn, data);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

KTEST(walk_writes_then_reads_back_a_pattern)
{
	struct mm *mm = test_mm(T_PAGES, VM_READ | VM_WRITE);
	int good = 0;

	KT_ASSERT(mm);
	KT_ASSERT(walk_locked(mm, T_UVA, T_PAGES * PAGE_SIZE, WALK_WRITE,
			      fill_pattern, NULL) == 0);
	KT_ASSERT(mm->nr_pages == T_PAGES);
	KT_ASSERT(walk_locked(mm, T_UVA, T_PAGES * PAGE_SIZE, 0,
			      check_pattern, &good) == 0);
	KT_ASSERT(good == T_PAGES);
	mmput(mm);
	KT_ASSERT(pins_balanced());
	return 0;
}

/* Is the page at uva there for this access already -- would the walker's
 * look-up find it without a fault?  Seen from outside the walker (only
 * mm/walk.c and the fault path may call follow_page): walk once and check
 * no fault was counted.  A page that was not there is faulted in. */
static struct page *mapped_for(struct mm *mm, uint32_t uva, unsigned int flags)
{
	unsigned long faults = vm_counters.pgfault;
	struct page *page = get_one_user_page(mm, uva, flags);

	if (IS_ERR(page))
		return NULL;
	unpin_user_page(page);
	return vm_counters.pgfault == faults ? page : NULL;
}

/* A read walk of untouched memory sees the shared zero page; a write walk
 * then gets a private page, mapped writable and dirty (rule 2). */
KTEST(walk_write_replaces_the_zero_page_with_a_dirty_private_one)
{
	struct mm *mm = test_mm(2, VM_READ | VM_WRITE);
	struct page *pages[2], *w;

	KT_ASSERT(mm);
	KT_ASSERT(get_user_pages(mm, T_UVA, 2, 0, pages) == 2);
	KT_ASSERT(pages[0] == pages[1]);	/* both the zero page */
	unpin_user_pages(pages, 2);
	w = get_one_user_page(mm, T_UVA, WALK_WRITE);
	KT_ASSERT(!IS_ERR(w) && w != pages[0]);
	KT_ASSERT(mapped_for(mm, T_UVA, WALK_WRITE) == w);
	KT_ASSERT(mapped_for(mm, T_UVA + PAGE_SIZE, WALK_WRITE) == NULL);
	unpin_user_page(w);
	mmput(mm);
	KT_ASSERT(pins_balanced());
	return 0;
}

/* One physical page mapped at two addresses, pinned in one request: two
 * pins of the same page, each released on its own (rule 3: a lock bit
 * would deadlock here). */
KTEST(gup_same_page_twice_in_one_request)
{
	struct mm *mm = mm_create();
	struct page *page = alloc_page(ALLOC_KERNEL), *pages[2];

	KT_ASSERT(mm && page);
	KT_ASSERT(vma_map_page(mm, T_UVA, page, VM_READ) == 0);
	KT_ASSERT(vma_map_page(mm, T_UVA + PAGE_SIZE, page, VM_READ) == 0);
	KT_ASSERT(page->refcount == 3);		/* ours and two PTEs */
	KT_ASSERT(get_user_pages(mm, T_UVA, 2, 0, pages) == 2);
	KT_ASSERT(pages[0] == page && pages[1] == page);
	KT_ASSERT(page->pincount == 2 && page->refcount == 5);
	unpin_user_page(pages[0]);
	KT_ASSERT(page->pincount == 1 && page->refcount == 4);
	unpin_user_page(pages[1]);
	KT_ASSERT(page->pincount == 0 && page->refcount == 3);
	mmput(mm);
	KT_ASSERT(page->refcount == 1);
	put_page(page);
	KT_ASSERT(pins_balanced());
	return 0;
}

KTEST(gup_two_separate_pins_of_one_page)
{
	struct mm *mm = test_mm(1, VM_READ | VM_WRITE);
	struct page *a, *b;

	KT_ASSERT(mm);
	a = get_one_user_page(mm, T_UVA, WALK_WRITE);
	b = get_one_user_page(mm, T_UVA + 100, WALK_WRITE);
	KT_ASSERT(!IS_ERR(a) && a == b);
	KT_ASSERT(a->pincount == 2 && a->refcount == 3);
	KT_ASSERT(vm_counters.pins_taken - vm_counters.pins_released == 2);
	unpin_user_page(b);
	unpin_user_page(a);
	KT_ASSERT(a->pincount == 0 && a->refcount == 1);
	mmput(mm);
	KT_ASSERT(pins_balanced());
	return 0;
}

/* The address space goes (exit) while pages are pinned: the pins keep
 * the pages and their bytes; the last unpin frees them. */
KTEST(gup_pinned_pages_outlive_their_mm_until_the_last_unpin)
{
	size_t before = nr_free_pages();
	struct mm *mm = test_mm(T_PAGES, VM_READ | VM_WRITE);
	struct page *pages[T_PAGES];
	int good = 0;

	KT_ASSERT(mm);
	KT_ASSERT(walk_locked(mm, T_UVA, T_PAGES * PAGE_SIZE, WALK_WRITE,
			      fill_pattern, NULL) == 0);
	KT_ASSERT(get_user_pages(mm, T_UVA, T_PAGES, WALK_WRITE, pages) == T_PAGES);
	mmput(mm);			/* as exit would */
	KT_ASSERT(nr_free_pages() == before - T_PAGES);
	for (int i = 0; i < T_PAGES; i++) {
		uint32_t uva = T_UVA + (uint32_t)i * PAGE_SIZE;

		KT_ASSERT(pages[i]->refcount == 1 && pages[i]->pincount == 1);
		check_pattern(NULL, pages[i], uva, &good);
	}
	KT_ASSERT(good == T_PAGES);
	unpin_user_pages(pages, T_PAGES - 1);
	KT_ASSERT(nr_free_pages() == before - 1);
	KT_ASSERT(!pins_balanced());
	unpin_user_page(pages[T_PAGES - 1]);
	KT_ASSERT(nr_free_pages() == before);
	KT_ASSERT(pins_balanced());
	return 0;
}

/* The same, but the process unmaps the range (munmap) and carries on. */
KTEST(gup_pinned_pages_outlive_munmap_until_the_last_unpin)
{
	size_t before = nr_free_pages();
	struct mm *mm = test_mm(T_PAGES, VM_READ | VM_WRITE);
	struct page *pages[T_PAGES];
	int good = 0;

	KT_ASSERT(mm);
	KT_ASSERT(walk_locked(mm, T_UVA, T_PAGES * PAGE_SIZE, WALK_WRITE,
			      fill_pattern, NULL) == 0);
	KT_ASSERT(get_user_pages(mm, T_UVA, T_PAGES, 0, pages) == T_PAGES);
	KT_ASSERT(do_munmap(mm, T_UVA, T_PAGES * PAGE_SIZE) == 0);
	KT_ASSERT(mm->nr_pages == 0 && !find_vma(mm, T_UVA));
	KT_ASSERT(PTR_ERR(get_one_user_page(mm, T_UVA, 0)) == -EFAULT);
	for (int i = 0; i < T_PAGES; i++) {
		KT_ASSERT(pages[i]->refcount == 1 && pages[i]->pincount == 1);
		check_pattern(NULL, pages[i], T_UVA + (uint32_t)i * PAGE_SIZE, &good);
	}
	KT_ASSERT(good == T_PAGES);
	mmput(mm);
	KT_ASSERT(nr_free_pages() == before - T_PAGES);
	unpin_user_pages(pages, T_PAGES);
	KT_ASSERT(nr_free_pages() == before);
	KT_ASSERT(pins_balanced());
	return 0;
}

/* A callback that keeps a reference of its own on each page, and gives
 * them all back when the walk reports an error (rule 1). */
struct holder {
	struct page *held[8];
	int nr;
	long err_seen;
	uint32_t err_uva;
	bool err_vma_null;
};

static int hold_pages(struct vma *v, struct page *page, uint32_t uva,
		      void *data)
{
	struct holder *h = data;

	if (IS_ERR(page)) {
		h->err_seen = PTR_ERR(page);
		h->err_uva = uva;
		h->err_vma_null = v == NULL;
		while (h->nr > 0)
			put_page(h->held[--h->nr]);
		return 0;
	}
	get_page(page);
	h->held[h->nr++] = page;
	return 0;
}

KTEST(walk_error_part_way_reaches_the_callback_which_releases)
{
	struct mm *mm = test_mm(2, VM_READ | VM_WRITE);
	struct holder h = { .nr = 0 };
	struct page *pages[3];
	struct page *p0;

	KT_ASSERT(mm);
	KT_ASSERT(walk_locked(mm, T_UVA, 3 * PAGE_SIZE, WALK_WRITE, hold_pages,
			      &h) == -EFAULT);
	KT_ASSERT(h.err_seen == -EFAULT && h.err_uva == T_UVA + 2 * PAGE_SIZE);
	KT_ASSERT(h.err_vma_null && h.nr == 0);
	p0 = get_one_user_page(mm, T_UVA, 0);
	KT_ASSERT(!IS_ERR(p0) && p0->refcount == 2);	/* PTE + this pin */
	unpin_user_page(p0);
	/* get_user_pages gives back what it pinned before the hole */
	KT_ASSERT(get_user_pages(mm, T_UVA, 3, 0, pages) == -EFAULT);
	KT_ASSERT(pins_balanced());
	mmput(mm);
	return 0;
}

KTEST(walk_refuses_kernel_addresses_and_wrapping_ranges)
{
	struct mm *mm = test_mm(1, VM_READ | VM_WRITE);
	struct holder h = { .nr = 0 };
	struct page *page;

	KT_ASSERT(mm);
	KT_ASSERT(IS_ERR(get_one_user_page(mm, USER_TOP, 0)));
	KT_ASSERT(IS_ERR(get_one_user_page(mm, 0xFFFFF000u, WALK_WRITE)));
	KT_ASSERT(walk_locked(mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, 0,
			      hold_pages, &h) == -EFAULT);
	KT_ASSERT(h.err_seen == -EFAULT && h.err_vma_null && h.nr == 0);
	KT_ASSERT(walk_locked(mm, 0xFFFFF000u, 0x2000, 0, hold_pages, &h) == -EFAULT);
	page = get_one_user_page(mm, T_UVA, 0);	/* the VMA itself is fine */
	KT_ASSERT(!IS_ERR(page));
	unpin_user_page(page);
	KT_ASSERT(mapped_for(mm, USER_TOP, 0) == NULL);
	mmput(mm);
	KT_ASSERT(pins_balanced());
	return 0;
}

KTEST(walk_refuses_vm_io_and_forbidden_access)
{
	struct mm *mm = test_mm(1, VM_READ | VM_WRITE | VM_IO);
	struct page *page;

	KT_ASSERT(mm);
	KT_ASSERT(PTR_ERR(get_one_user_page(mm, T_UVA, 0)) == -EFAULT);
	KT_ASSERT(vma_add(mm, T_UVA + PAGE_SIZE, T_UVA + 2 * PAGE_SIZE, VM_READ) == 0);
	find_vma(mm, T_UVA + PAGE_SIZE)->flags &= ~VM_MAYWRITE;	/* never writable */
	KT_ASSERT(PTR_ERR(get_one_user_page(mm, T_UVA + PAGE_SIZE, WALK_WRITE)) == -EFAULT);
	/* FORCE may not write a shared mapping, nor one never writable */
	KT_ASSERT(PTR_ERR(get_one_user_page(mm, T_UVA + PAGE_SIZE,
					    WALK_WRITE | WALK_FORCE)) == -EFAULT);
	KT_ASSERT(vma_add(mm, T_UVA + 2 * PAGE_SIZE, T_UVA + 3 * PAGE_SIZE,
			  VM_SHARED | VM_MAYWRITE | VM_READ) == 0);
	KT_ASSERT(PTR_ERR(get_one_user_page(mm, T_UVA + 2 * PAGE_SIZE,
					    WALK_WRITE | WALK_FORCE)) == -EFAULT);
	page = get_one_user_page(mm, T_UVA + PAGE_SIZE, 0);	/* reading is fine */
	KT_ASSERT(!IS_ERR(page));
	unpin_user_page(page);
	mmput(mm);
	KT_ASSERT(pins_balanced());
	return 0;
}

KTEST(walk_grows_the_stack_down)
{
	const uint32_t top = USER_STACK_TOP;
	struct mm *mm = mm_create();
	struct page *page;

	KT_ASSERT(mm);
	KT_ASSERT(vma_add(mm, top - PAGE_SIZE, top,
			  VM_READ | VM_WRITE | VM_GROWSDOWN) == 0);
	page = get_one_user_page(mm, top - 3 * PAGE_SIZE, WALK_WRITE);
	KT_ASSERT(!IS_ERR(page));
	KT_ASSERT(find_vma(mm, top - 3 * PAGE_SIZE)->start == top - 3 * PAGE_SIZE);
	unpin_user_page(page);
	mmput(mm);
	return 0;
}

KTEST(make_pages_present_faults_every_page_in_once)
{
	struct mm *mm = test_mm(8, VM_READ | VM_WRITE);
	unsigned long faults;
	int err;

	KT_ASSERT(mm);
	KT_ASSERT(vma_add(mm, T_UVA + 8 * PAGE_SIZE, T_UVA + 10 * PAGE_SIZE,
			  VM_READ | VM_WRITE | VM_IO) == 0);
	faults = current->min_flt;
	mutex_lock(&mm->mmap_lock);
	err = make_pages_present(mm, T_UVA, 10 * PAGE_SIZE);
	mutex_unlock(&mm->mmap_lock);
	KT_ASSERT(err == 0);
	KT_ASSERT(mm->nr_pages == 8);		/* the VM_IO VMA is skipped */
	KT_ASSERT(current->min_flt - faults == 8);	/* one write fault each */
	mutex_lock(&mm->mmap_lock);
	err = make_pages_present(mm, T_UVA, 11 * PAGE_SIZE);	/* a hole */
	mutex_unlock(&mm->mmap_lock);
	KT_ASSERT(err == -EFAULT);
	mmput(mm);
	return 0;
}

KTEST(access_process_vm_copies_across_pages_and_stops_at_a_hole)
{
	static struct task t;		/* only t.mm is used */
	static const char msg[] = "walnut walker";
	char buf[sizeof(msg)];
	uint32_t edge = T_UVA + PAGE_SIZE - 5;		/* straddles pages */
	uint32_t end = T_UVA + 2 * PAGE_SIZE;		/* the hole after */

	t.mm = test_mm(2, VM_READ | VM_WRITE);
	KT_ASSERT(t.mm);
	KT_ASSERT(access_process_vm(&t, edge, (void *)msg, sizeof(msg),
				    WALK_WRITE) == sizeof(msg));
	memset(buf, 0, sizeof(buf));
	KT_ASSERT(access_process_vm(&t, edge, buf, sizeof(buf), 0) == sizeof(buf));
	KT_ASSERT(!memcmp(buf, msg, sizeof(msg)));
	KT_ASSERT(access_process_vm(&t, end - 5, (void *)msg, sizeof(msg),
				    WALK_WRITE) == 5);
	KT_ASSERT(access_process_vm(&t, end - 5, buf, sizeof(buf), 0) == 5);
	KT_ASSERT(access_process_vm(&t, end, buf, 4, 0) == -EFAULT);
	KT_ASSERT(access_process_vm(&t, USER_TOP, buf, 4, 0) == -EFAULT);
	mmput(t.mm);
	t.mm = NULL;
	KT_ASSERT(access_process_vm(&t, T_UVA, buf, 4, 0) == 0);	/* exited */
	KT_ASSERT(pins_balanced());
	return 0;
}

/* ptrace's poke into a read-only private mapping (text): the write goes
 * to a private copy, left read-only and dirty; the zero page (the "file"
 * here) keeps its zeros.  Without FORCE the write is refused. */
KTEST(walk_force_write_goes_to_a_private_copy_of_a_read_only_page)
{
	static struct task t;		/* only t.mm is used */
	struct page *zero, *copy;
	char c = 0;

	t.mm = test_mm(1, VM_READ | VM_EXEC);
	KT_ASSERT(t.mm);
	zero = get_one_user_page(t.mm, T_UVA, 0);	/* the zero page */
	KT_ASSERT(!IS_ERR(zero));
	KT_ASSERT(access_process_vm(&t, T_UVA, "x", 1, WALK_WRITE) == -EFAULT);
	KT_ASSERT(access_process_vm(&t, T_UVA, "x", 1, WALK_WRITE | WALK_FORCE) == 1);
	KT_ASSERT(access_process_vm(&t, T_UVA, &c, 1, 0) == 1 && c == 'x');
	copy = get_one_user_page(t.mm, T_UVA, 0);
	KT_ASSERT(!IS_ERR(copy) && copy != zero && copy->mapping == NULL);
	KT_ASSERT(*(char *)page_to_kva(zero) == 0);
	KT_ASSERT(mapped_for(t.mm, T_UVA, WALK_WRITE) == NULL);	/* read-only */
	KT_ASSERT(!(find_vma(t.mm, T_UVA)->flags & VM_WRITE));
	unpin_user_page(copy);
	unpin_user_page(zero);
	mmput(t.mm);
	t.mm = NULL;
	KT_ASSERT(pins_balanced());
	return 0;
}
