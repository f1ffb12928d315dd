/*
 * tests/reclaim_test.c - host tests of the allocation contexts (include/mm.h)
 * and reclaim (mm/reclaim.c), over the real page allocator, page cache and
 * buffer cache.
 *
 * The caches sit on a scratch image (tests/host/blkfile.c) holding one flat
 * file: its block n is disk block n + 1, with no metadata, so what a test
 * sees is reclaim's doing and nothing of ext2's.  A test fills the caches
 * (reads or writes the file), takes every free page with ALLOC_ATOMIC (the
 * hoard), then asks for one more page in some context and looks at what
 * reclaim did: the counters /proc/vmstat shows, and what the caches hold.
 * fs_lock is free unless a test takes it, as in a system call outside the
 * filesystem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <hosttest.h>
#include <blkfile.h>
#include <buf.h>
#include <err.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <string.h>
#include <vfs.h>
#include <x86.h>

#define ARENA		2048	/* pages: 8 MiB */
#define BLOCK		1024
#define FILE_PAGES	64	/* the flat file: 256 KiB */
#define FILE_BYTES	(FILE_PAGES * PAGE_SIZE)
#define DISK_BYTES	(FILE_BYTES + 64 * 1024)

static struct {
	char image[64];
	struct super_block sb;
	struct inode inode;
} flat;

static int flat_get_block(struct inode *inode, uint32_t fblock, bool create,
			  uint32_t *blockno)
{
	*blockno = fblock + 1;
	return 0;
}

static const struct inode_ops flat_ops = { .get_block = flat_get_block };

/* The byte at offset off of the flat file. */
static uint8_t file_byte(uint32_t seed, size_t off)
{
	return (uint8_t)(off * 7 + off / 4093 + seed);
}

/* A fresh image file, registered as a disk, with the flat file on it. */
static bool flat_open(void)
{
	int fd;

	snprintf(flat.image, sizeof(flat.image), "/tmp/walnut-reclaim-XXXXXX");
	fd = mkstemp(flat.image);
	if (fd < 0 || ftruncate(fd, DISK_BYTES) < 0)
		return false;
	close(fd);
	flat.sb = (struct super_block){ .block_size = BLOCK };
	flat.sb.bdev = host_blkfile_open(flat.image, "hda");
	flat.inode = (struct inode){ .sb = &flat.sb, .ino = 2, .refcount = 1,
				     .mode = S_IFREG | 0644, .size = FILE_BYTES,
				     .ops = &flat_ops };
	list_init(&flat.inode.pages);
	list_init(&flat.inode.cached_node);
	return flat.sb.bdev != NULL;
}

/* Drop the file's pages and the disk's (clean) buffers; remove the image. */
static void flat_close(void)
{
	mutex_lock(&fs_lock);
	truncate_inode_pages(&flat.inode, 0);
	mutex_unlock(&fs_lock);
	host_blkfile_close(flat.sb.bdev);
	unlink(flat.image);
}

/* Write the file with seed's bytes into the page cache, and on to dirty
 * buffers (not the disk).  Caller holds fs_lock. */
static bool flat_write(uint32_t seed)
{
	static uint8_t data[FILE_BYTES];

	for (size_t i = 0; i < FILE_BYTES; i++)
		data[i] = file_byte(seed, i);
	return filemap_write_kernel(&flat.inode, data, FILE_BYTES, 0) ==
	       FILE_BYTES && filemap_sync_all() == 0;
}

/* Does the file read back as seed's bytes?  Reading fills the caches
 * again.  Caller holds fs_lock. */
static bool flat_reads_back(uint32_t seed)
{
	static uint8_t data[FILE_BYTES];

	if (filemap_read_kernel(&flat.inode, data, FILE_BYTES, 0) != FILE_BYTES)
		return false;
	for (size_t i = 0; i < FILE_BYTES; i++)
		if (data[i] != file_byte(seed, i))
			return false;
	return true;
}

/* Does the image itself hold seed's bytes (written back to the disk)? */
static bool disk_holds(uint32_t seed)
{
	static uint8_t data[FILE_BYTES];
	FILE *f = fopen(flat.image, "rb");
	bool ok = f && fseek(f, BLOCK, SEEK_SET) == 0 &&
		  fread(data, 1, FILE_BYTES, f) == FILE_BYTES;

	if (f)
		fclose(f);
	for (size_t i = 0; ok && i < FILE_BYTES; i++)
		ok = data[i] == file_byte(seed, i);
	return ok;
}

static size_t cache_pages(void)
{
	struct pagecache_stats st;

	pagecache_stats(&st);
	return st.nr_pages;
}

static size_t buffers(void)
{
	struct buf_stats st;

	buf_get_stats(&st);
	return st.nr_buffers;
}

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

/* The flat file written and synced: both caches hold all of it, clean. */
static bool caches_filled(void)
{
	bool ok;

	mutex_lock(&fs_lock);
	ok = flat_write(0) && bsync(flat.sb.bdev) == 0;
	mutex_unlock(&fs_lock);
	return ok && cache_pages() == FILE_PAGES &&
	       buffers() == FILE_BYTES / BLOCK;
}

/* ALLOC_ATOMIC never enters reclaim, though the caches are full. */
static void host_reclaim_atomic_never_enters_reclaim(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };

	CHECK(flat_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	CHECK(alloc_page(ALLOC_ATOMIC) == NULL);
	CHECK(kmalloc(3 * PAGE_SIZE, ALLOC_ATOMIC) == NULL);
	CHECK(reclaim_counters.allocstall == before.allocstall);
	CHECK(cache_pages() == FILE_PAGES && buffers() == FILE_BYTES / BLOCK);
	give_back(&h);
	flat_close();
}

/* ALLOC_NOFS, as a holder of fs_lock uses it, gets clean buffers freed,
 * and never a page-cache page: the fs shrinker is not called. */
static void host_reclaim_nofs_frees_buffers_not_cache_pages(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };
	struct page *page;

	CHECK(flat_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	mutex_lock(&fs_lock);
	before = reclaim_counters;
	page = alloc_page(ALLOC_NOFS);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(reclaim_counters.allocstall == before.allocstall + 1);
	CHECK(reclaim_counters.pgsteal_direct > before.pgsteal_direct);
	CHECK(buffers() < FILE_BYTES / BLOCK);
	hoard_all(&h, ALLOC_NOFS);		/* until the buffers are gone */
	CHECK(buffers() == 0);
	CHECK(cache_pages() == FILE_PAGES);
	CHECK(reclaim_counters.pgsteal_file == before.pgsteal_file);
	mutex_unlock(&fs_lock);
	give_back(&h);
	flat_close();
}

/* ALLOC_KERNEL, outside the filesystem, gets the clean page-cache pages
 * once the buffers are gone (the regression of issue 11), and the file
 * still reads right afterwards, from the disk. */
static void host_reclaim_kernel_takes_clean_cache_pages(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };
	struct page *page;
	bool intact;

	CHECK(flat_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	page = alloc_page(ALLOC_KERNEL);
	CHECK(page != NULL);
	hoard_page(&h, page);
	hoard_all(&h, ALLOC_KERNEL);		/* everything reclaim can give */
	CHECK(cache_pages() == 0 && buffers() == 0);
	CHECK(reclaim_counters.pgsteal_file == before.pgsteal_file + FILE_PAGES);
	give_back(&h);
	mutex_lock(&fs_lock);
	intact = flat_reads_back(0);
	mutex_unlock(&fs_lock);
	CHECK(intact);
	flat_close();
}

/* Dirty buffers: ALLOC_NOFS may not write them back; ALLOC_KERNEL does,
 * and then frees them.  The cache's pages are held (as if mapped), so only
 * the buffers can give. */
static void host_reclaim_kernel_writes_back_dirty_buffers(void)
{
	struct page *held[FILE_PAGES], *page;
	struct hoard h = { 0 };

	CHECK(flat_open());
	mutex_lock(&fs_lock);
	CHECK(flat_write(2));
	for (uint32_t i = 0; i < FILE_PAGES; i++)
		CHECK((held[i] = find_get_page(&flat.inode, i)) != NULL);
	CHECK(!disk_holds(2));
	hoard_all(&h, ALLOC_ATOMIC);
	CHECK(alloc_page(ALLOC_NOFS) == NULL);	/* fs_lock held: no write */
	mutex_unlock(&fs_lock);
	CHECK(buffers() == FILE_BYTES / BLOCK);
	page = alloc_page(ALLOC_KERNEL);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(buffers() < FILE_BYTES / BLOCK);
	CHECK(disk_holds(2));
	for (uint32_t i = 0; i < FILE_PAGES; i++)
		put_page(held[i]);
	give_back(&h);
	flat_close();
}

/* A fault's ALLOC_USER under fs_lock (a copy_to_user there faulted) is
 * narrowed to ALLOC_NOFS rather than refused; outside, it is ALLOC_KERNEL. */
static void host_reclaim_user_under_fs_lock_is_nofs(void)
{
	struct reclaim_counters before;
	struct hoard h = { 0 };
	struct page *page;

	CHECK(flat_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	mutex_lock(&fs_lock);
	before = reclaim_counters;
	hoard_all(&h, ALLOC_USER);		/* no panic: buffers only */
	CHECK(buffers() == 0 && cache_pages() == FILE_PAGES);
	CHECK(reclaim_counters.pgsteal_file == before.pgsteal_file);
	mutex_unlock(&fs_lock);
	page = alloc_page(ALLOC_USER);
	CHECK(page != NULL);
	hoard_page(&h, page);
	CHECK(reclaim_counters.pgsteal_file > before.pgsteal_file);
	give_back(&h);
	flat_close();
}

/* kmalloc asks for a page in the caller's context: reclaim gives it. */
static void host_reclaim_kmalloc_gets_a_page_from_reclaim(void)
{
	struct hoard h = { 0 };
	void *small, *large;

	CHECK(flat_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	small = kmalloc(2000, ALLOC_KERNEL);	/* a new 2048-byte slab */
	large = kmalloc(3 * PAGE_SIZE, ALLOC_KERNEL);
	CHECK(small != NULL && large != NULL);
	kfree(small);
	kfree(large);
	give_back(&h);
	flat_close();
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

	CHECK(flat_open() && caches_filled());
	hoard_all(&h, ALLOC_ATOMIC);
	before = reclaim_counters;
	CHECK(alloc_pages(MAX_ORDER - 1, ALLOC_KERNEL) == NULL);
	CHECK(reclaim_counters.allocstall > before.allocstall);
	CHECK(reclaim_counters.allocstall <= before.allocstall + 4);
	CHECK(reclaim_counters.pgsteal_direct > before.pgsteal_direct);
	give_back(&h);
	flat_close();
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
	HOST_TEST(host_reclaim_user_under_fs_lock_is_nofs, ARENA),
	HOST_TEST(host_reclaim_kmalloc_gets_a_page_from_reclaim, ARENA),
	HOST_TEST(host_reclaim_gives_up_when_nothing_frees, ARENA),
	HOST_TEST(host_reclaim_rounds_are_bounded, ARENA),
	HOST_TEST(host_reclaim_kernel_under_fs_lock_panics, ARENA),
	HOST_TEST(host_reclaim_sleeping_context_with_irqs_off_panics, ARENA),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
