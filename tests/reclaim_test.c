/*
 * tests/reclaim_test.c - host tests of the allocation contexts (include/mm.h)
 * and reclaim (mm/reclaim.c), over the real page allocator, page cache and
 * buffer cache.
 *
 * The caches hold one file on a scratch disk (tests/host/flatfs.h), with no
 * filesystem to speak of, so what a test sees is reclaim's doing.  A test
 * fills the caches, takes every free page with ALLOC_ATOMIC (the hoard),
 * then asks for one more page in some context and looks at what reclaim
 * did: the counters /proc/vmstat shows, and what the caches hold.  fs_lock
 * is free unless a test takes it, as in a system call outside the
 * filesystem.
 */
#include <hosttest.h>
#include <flatfs.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <vfs.h>
#include <x86.h>

#define ARENA		2048	/* pages: 8 MiB */
#define FILE_BUFFERS	(FLATFS_BYTES / FLATFS_BLOCK)

/* Pages taken out of the allocator's reach, threaded through their first
 * word. */
struct hoard {
	void *top;
	size_t n;
};

static void hoard_page(struct hoard *h, struct page *page)
{
	void **kva = page_to_kva(page);

	*kva = h->top;
	h->top = kva;
	h->n++;
}

/* Take pages in ctx until the allocator says no. */
static void hoard_all(struct hoard *h, enum alloc_ctx ctx)
{
	struct page *page;

	while ((page = alloc_page(ctx)))
		hoard_page(h, page);
}

static void give_back(struct hoard *h)
{
	while (h->top) {
		void **kva = h->top;

		h->top = *kva;
		free_page(kva_to_page(kva));
	}
	h->n = 0;
}

/* The file written and synced: both caches hold all of it, clean. */
static bool caches_filled(void)
{
	bool ok;

	mutex_lock(&fs_lock);
	ok = flatfs_write(0) && flatfs_sync();
	mutex_unlock(&fs_lock);
	return ok && flatfs_cache_pages() == FLATFS_PAGES &&
	       flatfs_buffers() == FILE_BUFFERS;
}

/* ALLOC_ATOMIC never enters reclaim, though the caches are full. */
static void host_reclaim_atomic_never_enters_reclaim(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };

	CHECK(flatfs_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	CHECK(alloc_page(ALLOC_ATOMIC) == NULL);
	CHECK(kmalloc(3 * PAGE_SIZE, ALLOC_ATOMIC) == NULL);
	CHECK(reclaim_counters.allocstall == before.allocstall);
	CHECK(flatfs_cache_pages() == FLATFS_PAGES);
	CHECK(flatfs_buffers() == FILE_BUFFERS);
	give_back(&h);
	flatfs_close();
}

/* ALLOC_NOFS, as a holder of fs_lock uses it, gets clean buffers freed,
 * and never a page-cache page: the fs shrinker is not called. */
static void host_reclaim_nofs_frees_buffers_not_cache_pages(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };
	struct page *page;

	CHECK(flatfs_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	mutex_lock(&fs_lock);
	before = reclaim_counters;
	page = alloc_page(ALLOC_NOFS);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(reclaim_counters.allocstall == before.allocstall + 1);
	CHECK(reclaim_counters.pgsteal_direct > before.pgsteal_direct);
	CHECK(flatfs_buffers() < FILE_BUFFERS);
	hoard_all(&h, ALLOC_NOFS);		/* until the buffers are gone */
	CHECK(flatfs_buffers() == 0);
	CHECK(flatfs_cache_pages() == FLATFS_PAGES);
	CHECK(reclaim_counters.pgsteal_file == before.pgsteal_file);
	mutex_unlock(&fs_lock);
	give_back(&h);
	flatfs_close();
}

/* ALLOC_KERNEL, outside the filesystem, gets the clean page-cache pages
 * once the buffers are gone (an anonymous fault used to fail while they
 * sat idle), and the file still reads right afterwards, from the disk. */
static void host_reclaim_kernel_takes_clean_cache_pages(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };
	struct page *page;
	bool intact;

	CHECK(flatfs_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	page = alloc_page(ALLOC_KERNEL);
	CHECK(page != NULL);
	hoard_page(&h, page);
	hoard_all(&h, ALLOC_KERNEL);		/* everything reclaim can give */
	CHECK(flatfs_cache_pages() == 0 && flatfs_buffers() == 0);
	CHECK(reclaim_counters.pgsteal_file ==
	      before.pgsteal_file + FLATFS_PAGES);
	give_back(&h);
	mutex_lock(&fs_lock);
	intact = flatfs_reads_back(0);
	mutex_unlock(&fs_lock);
	CHECK(intact);
	flatfs_close();
}

/* Dirty buffers: ALLOC_NOFS may not write them back; ALLOC_KERNEL does,
 * and then frees them.  The cache's pages are held (as if mapped), so only
 * the buffers can give. */
static void host_reclaim_kernel_writes_back_dirty_buffers(void)
{
	struct page *held[FLATFS_PAGES], *page;
	struct hoard h = { 0 };

	CHECK(flatfs_open());
	mutex_lock(&fs_lock);
	CHECK(flatfs_write(2));
	for (uint32_t i = 0; i < FLATFS_PAGES; i++)
		CHECK((held[i] = find_get_page(flatfs_inode, i)) != NULL);
	CHECK(!flatfs_disk_holds(2));
	hoard_all(&h, ALLOC_ATOMIC);
	CHECK(alloc_page(ALLOC_NOFS) == NULL);	/* fs_lock held: no write */
	mutex_unlock(&fs_lock);
	CHECK(flatfs_buffers() == FILE_BUFFERS);
	page = alloc_page(ALLOC_KERNEL);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(flatfs_buffers() < FILE_BUFFERS);
	CHECK(flatfs_disk_holds(2));
	for (uint32_t i = 0; i < FLATFS_PAGES; i++)
		put_page(held[i]);
	give_back(&h);
	flatfs_close();
}

/* kmalloc asks for a page in the caller's context: reclaim gives it. */
static void host_reclaim_kmalloc_gets_a_page_from_reclaim(void)
{
	struct hoard h = { 0 };
	void *small, *large;

	CHECK(flatfs_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	small = kmalloc(2000, ALLOC_KERNEL);	/* a new 2048-byte slab */
	large = kmalloc(3 * PAGE_SIZE, ALLOC_KERNEL);
	CHECK(small != NULL && large != NULL);
	kfree(small);
	kfree(large);
	give_back(&h);
	flatfs_close();
}

/* Take ATOMIC pages until the free ones are down to the reserve. */
static void hoard_to_reserve(struct hoard *h)
{
	struct page *page;

	while (!free_pages_low() && (page = alloc_page(ALLOC_ATOMIC)))
		hoard_page(h, page);
}

/* Down at the reserve, ALLOC_KERNEL reclaims before it takes a page, and
 * the reserve is full again; ALLOC_NOFS, which cannot drop cache pages,
 * takes a reserve page without entering reclaim at all. */
static void host_reclaim_kernel_keeps_the_reserve_for_nofs(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };
	struct page *page;

	CHECK(flatfs_open() && caches_filled());
	hoard_to_reserve(&h);
	CHECK(free_pages_low() && nr_free_pages() > 0);
	before = reclaim_counters;
	page = alloc_page(ALLOC_KERNEL);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(reclaim_counters.allocstall == before.allocstall + 1);
	CHECK(reclaim_counters.pgsteal_direct > before.pgsteal_direct);
	CHECK(!free_pages_low());
	hoard_to_reserve(&h);
	mutex_lock(&fs_lock);
	before = reclaim_counters;
	page = alloc_page(ALLOC_NOFS);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(reclaim_counters.allocstall == before.allocstall);
	mutex_unlock(&fs_lock);
	give_back(&h);
	flatfs_close();
}

/* Nothing to reclaim: one round that frees nothing, and the allocator gives
 * up, rather than loop (the kernel does not preempt itself). */
static void host_reclaim_gives_up_when_nothing_frees(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };

	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	CHECK(alloc_page(ALLOC_KERNEL) == NULL);
	CHECK(reclaim_counters.allocstall == before.allocstall + 1);
	CHECK(reclaim_counters.pgsteal_direct == before.pgsteal_direct);
	give_back(&h);
}

/* Reclaim frees pages, but never a block big enough: the allocator stops
 * once a round frees nothing more, within its bound (RECLAIM_ROUNDS, 4). */
static void host_reclaim_rounds_are_bounded(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };

	CHECK(flatfs_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	CHECK(alloc_pages(MAX_ORDER - 1, ALLOC_KERNEL) == NULL);
	CHECK(reclaim_counters.allocstall > before.allocstall);
	CHECK(reclaim_counters.allocstall <= before.allocstall + 4);
	CHECK(reclaim_counters.pgsteal_direct > before.pgsteal_direct);
	give_back(&h);
	flatfs_close();
}

/* Misuse panics, naming the rule, even when no page is needed. */
static void host_reclaim_kernel_under_fs_lock_panics(void)
{
	void *keep = kmalloc(64, ALLOC_ATOMIC);	/* a slab with room */

	CHECK(keep != NULL);
	mutex_lock(&fs_lock);
	EXPECT_PANIC_MSG(alloc_page(ALLOC_KERNEL), "fs_lock is held");
	EXPECT_PANIC_MSG(kmalloc(64, ALLOC_KERNEL), "fs_lock is held");
}

/* A process's page is ALLOC_KERNEL's in this respect too: no fault runs
 * under fs_lock (might_fault), so one asked for there is a kernel bug. */
static void host_reclaim_user_under_fs_lock_panics(void)
{
	mutex_lock(&fs_lock);
	EXPECT_PANIC_MSG(alloc_page(ALLOC_USER), "fs_lock is held");
}

static void host_reclaim_sleeping_context_with_irqs_off_panics(void)
{
	cli();				/* an interrupt handler, a spin lock */
	EXPECT_PANIC_MSG(alloc_page(ALLOC_NOFS), "interrupts are off");
	EXPECT_PANIC_MSG(kmalloc(64, ALLOC_USER), "interrupts are off");
}

static const struct host_test tests[] = {
	HOST_TEST(host_reclaim_atomic_never_enters_reclaim, ARENA),
	HOST_TEST(host_reclaim_nofs_frees_buffers_not_cache_pages, ARENA),
	HOST_TEST(host_reclaim_kernel_takes_clean_cache_pages, ARENA),
	HOST_TEST(host_reclaim_kernel_writes_back_dirty_buffers, ARENA),
	HOST_TEST(host_reclaim_kmalloc_gets_a_page_from_reclaim, ARENA),
	HOST_TEST(host_reclaim_kernel_keeps_the_reserve_for_nofs, ARENA),
	HOST_TEST(host_reclaim_gives_up_when_nothing_frees, ARENA),
	HOST_TEST(host_reclaim_rounds_are_bounded, ARENA),
	HOST_TEST(host_reclaim_kernel_under_fs_lock_panics, ARENA),
	HOST_TEST(host_reclaim_user_under_fs_lock_panics, ARENA),
	HOST_TEST(host_reclaim_sleeping_context_with_irqs_off_panics, ARENA),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
