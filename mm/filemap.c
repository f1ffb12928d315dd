/*
 * mm/filemap.c - the page cache: regular files' data in whole pages.
 *
 * Owns: the page hash, which finds the page holding byte index * PAGE_SIZE
 * of a file by (inode, index); the list of inodes that have pages; the
 * page lock's wait queue; the counts /proc/meminfo shows.
 *
 *	inode ----pages----> page(index 0) -> page(index 3) -> ...  (list)
 *	(inode, index) --hash--> page_hash[h] -> page -> page ...  (hash_next)
 *
 * Interface (include/pagecache.h): read_cache_page / find_get_page to get a
 * page, put_page when done; lock_page / unlock_page around changing one;
 * set_page_dirty.  filemap_write_range, filemap_sync_all and
 * filemap_flush_expired write dirty pages back; truncate_inode_pages and
 * filemap_evict_inode drop them; filemap_shrink drops clean ones that
 * nobody uses, for reclaim (mm/reclaim.c).  vfs_read / vfs_write
 * (fs/file.c) go through filemap_read_kernel / filemap_write_kernel here;
 * read(2), write(2) and mmap faults through mm/filemap_user.c, built on
 * the same steps (mm/filemap_internal.h: filemap_begin_write,
 * filemap_end_write).
 *
 * The disk is reached only through the buffer cache: a page is filled by
 * get_block + bread + memcpy and written back by get_block + bget + memcpy
 * + bdirty.  So file data and metadata never disagree about a block (a
 * block freed from a file and reused as an indirect block has one buffer),
 * and the buffer flusher, bsync and unmount finish the job.
 *
 * Invariants:
 *   - A page is in the cache iff page->mapping != NULL; it is then on its
 *     inode's list and in the hash, and the cache holds one reference.
 *   - PG_uptodate: the page holds the file's bytes.  Bytes past i_size in
 *     the page are zero (fill zeroes them, truncate and a write that
 *     extends the file re-zero them, write-back zeroes them before copying).
 *   - PG_dirty implies PG_uptodate and page->dirty_since is set.
 *   - An inode with no holders has no pages (iput evicts them).
 *   - A write never exposes a partly copied page: a not-uptodate page
 *     becomes uptodate only after a fill or a copy of the whole page.
 *
 * Locks: fs_lock (fs/fd.c) -> page lock (PG_locked).  fs_lock guards the
 * hash, the lists, page->mapping/index and i_size; every function here
 * that takes a struct inode wants it held, and asserts so.  The page lock
 * is held while a page is filled or written back and while a write copies
 * into it -- never across a user-memory access that may fault (rule 6,
 * "never fault while holding a page lock": docs/history.md).
 * set_page_dirty and the flag tests may be called without fs_lock (the
 * fault path, the walker, an interrupt handler): the kernel is
 * uniprocessor and non-preemptive, and set_page_dirty changes the page
 * and the dirty count with interrupts off.
 * Everything may sleep (disk reads).
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <sched.h>
#include <string.h>
#include <timer.h>
#include <vfs.h>
#include <wait.h>
#include <x86.h>
#include "filemap_internal.h"

#define PAGE_HASH_SIZE		1024
#define CACHE_LIMIT_SHARE	2	/* clean idle pages past 1/2 of memory
					   are dropped as new ones come */
#define CACHE_LIMIT_BATCH	16

static struct page *page_hash[PAGE_HASH_SIZE];
static struct wait_queue page_wait = WAIT_QUEUE_INIT(page_wait);
static struct list_head cached_inodes = LIST_HEAD_INIT(cached_inodes);
static struct pagecache_stats stats;

static uint32_t now32(void)
{
	return (uint32_t)jiffies_read();
}

/* ---- the page lock ---- */

static bool page_is_locked(struct page *page)
{
	return page_has_flag(page, PG_locked);
}

/* Sleeps until PG_locked is ours.  Context: may sleep; no spin lock held. */
/* The locker's count (current->page_locks) lets the walker and the fault
 * path check that no page lock is held where they may fault (rule 6).
 * Pages are locked and unlocked by the same task: I/O here is synchronous.
 * (An unlock from an I/O completion, when there is one, would have to
 * settle the count with the task that locked.) */
/* Make the page lock, which nobody holds, current's. */
static void take_page_lock(struct page *page)
{
	assert(!page_is_locked(page));
	page_set_flag(page, PG_locked);
	current->page_locks++;
}

void lock_page(struct page *page)
{
	wait_event(&page_wait, !page_is_locked(page));
	take_page_lock(page);	/* non-preemptive: nobody came between */
}

void unlock_page(struct page *page)
{
	assert(page_is_locked(page) && "unlock_page of an unlocked page");
	assert(current->page_locks > 0 && "unlock_page by a task that locked none");
	current->page_locks--;
	page_clear_flag(page, PG_locked);
	wake_up(&page_wait);
}

/* ---- dirty state ---- */

/**
 * set_page_dirty - the page is newer than where it is kept: its file, for
 * a page-cache page (a write, a shared mapping's store found by the fault
 * path or the walker); swap, for an anonymous or swap-cache page, which
 * swap must write before it may free it (rule 4, docs/history.md).
 * Touches PG_dirty on every page; on a page-cache page also dirty_since
 * (the flusher's age test) and the cache's dirty count.  Also changed by
 * clear_page_dirty (write-back, under the page lock; cache_remove) and
 * read by the flusher, both under fs_lock.
 * Context: any, interrupt handlers included (a DMA completion marks the
 * page it filled): takes no lock, never sleeps.  Interrupts are off while
 * it changes the page, so the bit, the time and the count change together.
 */
void set_page_dirty(struct page *page)
{
	bool was_on = irq_save();

	if (!page_has_flag(page, PG_dirty)) {
		page_set_flag(page, PG_dirty);
		if (page_is_file(page)) {
			page->dirty_since = now32();
			stats.nr_dirty++;
		}
	}
	irq_restore(was_on);
}

/* The page's bytes have gone to the buffer cache, or it leaves the cache.
 * Interrupts off: set_page_dirty may come from an interrupt handler. */
static void clear_page_dirty(struct page *page)
{
	bool was_on = irq_save();

	if (page_has_flag(page, PG_dirty)) {
		page_clear_flag(page, PG_dirty);
		stats.nr_dirty--;
	}
	irq_restore(was_on);
}

/* ---- the hash and the lists ---- */

static struct page **hash_slot(const struct inode *inode, uint32_t index)
{
	uint32_t h = (uint32_t)(uintptr_t)inode / sizeof(void *) + index * 31;

	return &page_hash[(h ^ (h >> 10)) % PAGE_HASH_SIZE];
}

static struct page *hash_find(const struct inode *inode, uint32_t index)
{
	for (struct page *p = *hash_slot(inode, index); p; p = p->hash_next)
		if (p->mapping == inode && p->index == index)
			return p;
	return NULL;
}

/* Put a fresh page into the cache at index, locked, not uptodate.  The
 * caller's reference becomes the cache's. */
static void cache_insert(struct inode *inode, uint32_t index, struct page *page)
{
	struct page **slot = hash_slot(inode, index);

	page->flags &= ~(1u << PG_uptodate | 1u << PG_dirty);
	take_page_lock(page);
	page->mapping = inode;
	page->index = index;
	page->hash_next = *slot;
	*slot = page;
	if (inode->nr_pages++ == 0)
		list_add_tail(&inode->cached_node, &cached_inodes);
	list_add_tail(&page->list, &inode->pages);
	stats.nr_pages++;
}

/* Take a locked page out of the cache and drop the cache's reference.  A
 * process that still maps it (or a pin) keeps the page itself. */
static void cache_remove(struct page *page)
{
	struct inode *inode = page->mapping;
	struct page **pp = hash_slot(inode, page->index);
	bool was_on;

	assert(page_is_locked(page) && "cache_remove of an unlocked page");
	while (*pp != page)
		pp = &(*pp)->hash_next;
	*pp = page->hash_next;
	page->hash_next = NULL;
	list_del(&page->list);
	if (--inode->nr_pages == 0)
		list_del(&inode->cached_node);
	was_on = irq_save();	/* a set_page_dirty from an interrupt sees the
				   page in the cache and counted, or out of it */
	clear_page_dirty(page);
	page->mapping = NULL;
	irq_restore(was_on);
	page_clear_flag(page, PG_uptodate);
	unlock_page(page);
	stats.nr_pages--;
	put_page(page);
}

/**
 * filemap_shrink - drop up to nr clean, unlocked pages that only the cache
 * holds, oldest first in each file; each goes back to the page allocator.
 * For reclaim (mm/reclaim.c), and for the cache's own limit.
 * Context: fs_lock held.  Return: how many went.
 */
size_t filemap_shrink(size_t nr)
{
	struct inode *inode, *itmp;
	size_t freed = 0;

	assert_mutex_held(&fs_lock);
	list_for_each_entry_safe(inode, itmp, &cached_inodes, cached_node) {
		struct page *page, *ptmp;

		list_for_each_entry_safe(page, ptmp, &inode->pages, list) {
			if (freed == nr)
				return freed;
			if (page->refcount != 1 || page_is_locked(page) ||
			    page_has_flag(page, PG_dirty))
				continue;
			lock_page(page);	/* not locked: does not sleep */
			cache_remove(page);	/* may empty the inode's list */
			freed++;
		}
	}
	return freed;
}

/* A new page for the cache.  Past its share of memory the cache first
 * drops clean pages of its own: a limit it keeps, whatever memory is free.
 * It does the same when free memory is down to the allocator's reserve
 * (free_pages_low), which is for the allocations under fs_lock that cannot
 * drop cache pages -- ext2's buffers above all.  Running out of memory is
 * reclaim's business (mm/reclaim.c), which this ALLOC_NOFS allocation
 * (fs_lock is held) lets free clean buffers only; if that was not enough,
 * the cache drops clean pages of its own -- it holds fs_lock, so that is
 * no re-entry -- and tries once more.  Without these, a file read in a
 * machine whose memory is all clean cache and anonymous pages came back
 * short (vm_oom_despite_clean_cache_read_while_memory_held). */
static struct page *alloc_cache_page(void)
{
	struct page *page;

	if (stats.nr_pages > nr_managed_pages() / CACHE_LIMIT_SHARE || free_pages_low())
		filemap_shrink(CACHE_LIMIT_BATCH);
	page = alloc_page(ALLOC_NOFS);
	if (!page && filemap_shrink(CACHE_LIMIT_BATCH))
		page = alloc_page(ALLOC_NOFS);
	return page;
}

/* ---- finding pages ---- */

struct page *find_get_page(struct inode *inode, uint32_t index)
{
	struct page *page;

	assert_mutex_held(&fs_lock);
	page = hash_find(inode, index);
	if (page)
		get_page(page);
	return page;
}

/* The page at index, created if need be: locked, referenced.  A page found
 * is re-checked after the sleep in lock_page: a truncate may have taken it
 * out of the cache meanwhile.  Return the page or ERR_PTR(-ENOMEM). */
static struct page *grab_cache_page(struct inode *inode, uint32_t index)
{
	struct page *page;

	for (;;) {
		page = find_get_page(inode, index);
		if (!page)
			break;
		lock_page(page);
		if (page->mapping == inode && page->index == index)
			return page;
		unlock_page(page);
		put_page(page);
	}
	page = alloc_cache_page();
	if (!page)
		return ERR_PTR(-ENOMEM);
	cache_insert(inode, index, page);
	get_page(page);		/* the caller's */
	return page;
}

/* ---- between pages and blocks ---- */

static uint32_t blocks_per_page(const struct inode *inode)
{
	return PAGE_SIZE / inode->sb->block_size;
}

/* Bytes of the page at index that lie inside the file (0..PAGE_SIZE). */
static uint32_t bytes_in_file(const struct inode *inode, uint32_t index)
{
	uint64_t start = (uint64_t)index << PAGE_SHIFT;

	if (start >= inode->size)
		return 0;
	return (uint32_t)MIN((uint64_t)PAGE_SIZE, inode->size - start);
}

/* Read a locked page's blocks inside i_size; zero holes and the rest.
 * Return 0 (the page is uptodate) or -errno (it is not). */
static int fill_page(struct inode *inode, struct page *page)
{
	uint32_t bs = inode->sb->block_size, valid = bytes_in_file(inode, page->index);
	uint32_t fblock = page->index * blocks_per_page(inode);
	char *kva = page_to_kva(page);

	memset(kva + valid, 0, PAGE_SIZE - valid);
	for (uint32_t off = 0; off < valid; off += bs, fblock++) {
		uint32_t blockno;
		struct buf *b;
		int err = inode->ops->get_block(inode, fblock, false, &blockno);

		if (err)
			return err;
		if (blockno == 0) {
			memset(kva + off, 0, bs);
			continue;
		}
		b = bread(inode->sb->bdev, blockno, bs);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		memcpy(kva + off, b->data, bs);
		brelse(b);
	}
	memset(kva + valid, 0, PAGE_SIZE - valid);	/* a block past EOF */
	page_set_flag(page, PG_uptodate);
	return 0;
}

/* Copy a locked, dirty page into the buffers of its blocks inside i_size
 * (allocating them: a shared mapping may have written into a hole) and mark
 * those dirty.  Bytes past EOF are zeroed first: a store through a mapping
 * there is not file data.  Return 0 or -errno (the page stays dirty). */
static int write_page(struct inode *inode, struct page *page)
{
	uint32_t bs = inode->sb->block_size, valid = bytes_in_file(inode, page->index);
	uint32_t fblock = page->index * blocks_per_page(inode);
	char *kva = page_to_kva(page);
	int err = 0;

	clear_page_dirty(page);
	memset(kva + valid, 0, PAGE_SIZE - valid);
	for (uint32_t off = 0; off < valid && !err; off += bs, fblock++) {
		uint32_t blockno;
		struct buf *b;

		err = inode->ops->get_block(inode, fblock, true, &blockno);
		if (err)
			break;
		b = bget(inode->sb->bdev, blockno, bs);	/* overwritten whole */
		if (IS_ERR(b)) {
			err = (int)PTR_ERR(b);
			break;
		}
		memcpy(b->data, kva + off, bs);
		bdirty(b);
		brelse(b);
	}
	if (err) {
		printk(KERN_ERR "filemap: ino %u page %u: write-back failed: %d\n",
		       inode->ino, page->index, err);
		set_page_dirty(page);
	}
	return err;
}

/**
 * filemap_get_page - the page at index, uptodate, with a reference.
 * @major: set to true if it had to be read (a major fault), else false.
 * Context: fs_lock held; takes the page lock to fill it; may sleep.
 * Return: the page, ERR_PTR(-ENOMEM) or the filesystem's -EIO.
 */
struct page *filemap_get_page(struct inode *inode, uint32_t index, bool *major)
{
	struct page *page;
	int err;

	assert_mutex_held(&fs_lock);
	*major = false;
	page = find_get_page(inode, index);
	if (page && page_has_flag(page, PG_uptodate))
		return page;		/* the common case: no lock needed */
	if (page)
		put_page(page);
	page = grab_cache_page(inode, index);
	if (IS_ERR(page) || page_has_flag(page, PG_uptodate))
		goto out_unlock;
	*major = true;
	err = fill_page(inode, page);
	if (err) {
		cache_remove(page);	/* unlocks; a later read tries again */
		put_page(page);
		return ERR_PTR(err);
	}
out_unlock:
	if (!IS_ERR(page))
		unlock_page(page);
	return page;
}

struct page *read_cache_page(struct inode *inode, uint32_t index)
{
	bool major;

	return filemap_get_page(inode, index, &major);
}

/* ---- writing into the cache ---- */

/* Zero the bytes from size to the end of its page, if that page is cached:
 * a file about to grow must read zeros there, whatever a mapping stored
 * past the old end.  Nothing to write back: the disk has zeros there. */
static void zero_page_tail(struct inode *inode, uint64_t size)
{
	uint32_t in_page = (uint32_t)(size & (PAGE_SIZE - 1));
	struct page *page;

	if (in_page == 0)
		return;
	page = find_get_page(inode, (uint32_t)(size >> PAGE_SHIFT));
	if (!page)
		return;
	lock_page(page);
	if (page->mapping == inode && page_has_flag(page, PG_uptodate))
		memset((char *)page_to_kva(page) + in_page, 0, PAGE_SIZE - in_page);
	unlock_page(page);
	put_page(page);
}

/* Allocate the blocks under [from, from + *len) of the page at index.  On a
 * failure part-way *len shrinks to the bytes whose blocks exist.  Return 0,
 * or -errno if none could be had. */
static int map_blocks(struct inode *inode, uint32_t index, uint32_t from,
		      uint32_t *len)
{
	uint32_t bs = inode->sb->block_size, first = from / bs;
	uint32_t last = (from + *len - 1) / bs;
	uint32_t fblock0 = index * blocks_per_page(inode);

	for (uint32_t i = first; i <= last; i++) {
		uint32_t blockno;
		int err = inode->ops->get_block(inode, fblock0 + i, true, &blockno);

		if (err) {
			if (i == first)
				return err;
			*len = i * bs - from;
			break;
		}
	}
	return 0;
}

/**
 * filemap_begin_write - get the page for a write of *len bytes at pos (all
 * inside one page) ready to copy into: in the cache, locked, its blocks
 * allocated (so -ENOSPC comes now, not at write-back), and filled from the
 * disk unless the write covers it whole.  *len may shrink (-ENOSPC
 * part-way).
 * Context: fs_lock held; no page lock held; may sleep.
 * Return: the page, locked and referenced; or ERR_PTR(-ENOMEM, -ENOSPC,
 * -EIO).  Pair with filemap_end_write.
 */
struct page *filemap_begin_write(struct inode *inode, uint64_t pos,
				 uint32_t *len)
{
	uint32_t index = (uint32_t)(pos >> PAGE_SHIFT);
	uint32_t from = (uint32_t)(pos & (PAGE_SIZE - 1));
	struct page *page;
	int err;

	assert_mutex_held(&fs_lock);
	assert(*len > 0 && from + *len <= PAGE_SIZE);
	if (pos > inode->size)
		zero_page_tail(inode, inode->size);
	page = grab_cache_page(inode, index);
	if (IS_ERR(page))
		return page;
	err = map_blocks(inode, index, from, len);
	if (!err && !page_has_flag(page, PG_uptodate) && *len != PAGE_SIZE)
		err = fill_page(inode, page);
	if (err) {
		unlock_page(page);
		put_page(page);
		return ERR_PTR(err);
	}
	return page;
}

/**
 * filemap_end_write - finish a write begun by filemap_begin_write, of which
 * copied bytes at pos made it into the page: the page becomes dirty, the
 * file may grow.  A page that was not uptodate (a whole-page write) keeps
 * nothing of a short copy: its other bytes were never read.
 * Context: fs_lock held.  Unlocks and puts the page.
 * Return: the bytes written.
 */
size_t filemap_end_write(struct inode *inode, struct page *page, uint64_t pos,
			 size_t copied)
{
	if (!page_has_flag(page, PG_uptodate)) {
		if (copied == PAGE_SIZE)
			page_set_flag(page, PG_uptodate);
		else
			copied = 0;
	}
	if (copied) {
		set_page_dirty(page);
		if (pos + copied > inode->size)
			inode->size = pos + copied;
		inode->mtime = inode->ctime = vfs_time();
		mark_inode_dirty(inode);
	}
	unlock_page(page);
	put_page(page);
	return copied;
}

/* After a failed write that allocated blocks past i_size: give them back,
 * so the block count matches the size again (e2fsck). */
void filemap_trim_blocks(struct inode *inode)
{
	if (inode->ops->truncate_blocks)
		inode->ops->truncate_blocks(inode, inode->size);
}

/* ---- kernel buffers: vfs_read, vfs_write ---- */

/* Context: fs_lock held.  Return: bytes read (short at EOF), or -errno. */
long filemap_read_kernel(struct inode *inode, void *kbuf, size_t len,
			 uint64_t pos)
{
	size_t done = 0;
	long err = 0;

	assert_mutex_held(&fs_lock);
	while (done < len && pos < inode->size) {
		uint32_t offset = (uint32_t)(pos & (PAGE_SIZE - 1));
		size_t n = MIN(len - done, (size_t)(PAGE_SIZE - offset));
		struct page *page = read_cache_page(inode, (uint32_t)(pos >> PAGE_SHIFT));

		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			break;
		}
		n = (size_t)MIN((uint64_t)n, inode->size - pos);
		memcpy((char *)kbuf + done, (char *)page_to_kva(page) + offset, n);
		put_page(page);
		done += n;
		pos += n;
	}
	return done ? (long)done : err;
}

/* Context: fs_lock held.  Return: bytes written (short on -ENOSPC), or
 * -errno if none. */
long filemap_write_kernel(struct inode *inode, const void *kbuf, size_t len,
			  uint64_t pos)
{
	size_t done = 0;
	long err = 0;

	assert_mutex_held(&fs_lock);
	while (done < len) {
		uint32_t offset = (uint32_t)(pos & (PAGE_SIZE - 1));
		uint32_t n = (uint32_t)MIN(len - done, (size_t)(PAGE_SIZE - offset));
		struct page *page = filemap_begin_write(inode, pos, &n);

		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			break;
		}
		memcpy((char *)page_to_kva(page) + offset, (const char *)kbuf + done, n);
		filemap_end_write(inode, page, pos, n);
		done += n;
		pos += n;
	}
	if (err && done < len)
		filemap_trim_blocks(inode);
	return done ? (long)done : err;
}

/* ---- write-back ---- */

/* Which dirty pages a write-back pass takes. */
struct writeback_range {
	uint32_t first, last;		/* page indexes, inclusive */
	bool expired_only;		/* only those dirty since before ... */
	uint32_t dirty_before;		/* ... this (jiffies, low bits) */
};

static bool wants(const struct writeback_range *r, const struct page *page)
{
	if (!page_has_flag(page, PG_dirty) || page->index < r->first ||
	    page->index > r->last)
		return false;
	return !r->expired_only || (int32_t)(page->dirty_since - r->dirty_before) < 0;
}

/* Copy the inode's dirty pages in r into the buffer cache.  The list cannot
 * change meanwhile: changes need fs_lock, and every page lock is taken
 * under it.  Return 0 or the first -errno. */
static int write_dirty_pages(struct inode *inode, const struct writeback_range *r)
{
	struct page *page;
	int result = 0;

	assert_mutex_held(&fs_lock);
	list_for_each_entry(page, &inode->pages, list) {
		int err;

		if (!wants(r, page))
			continue;
		lock_page(page);
		err = page_has_flag(page, PG_dirty) ? write_page(inode, page) : 0;
		unlock_page(page);
		if (err && !result)
			result = err;
	}
	return result;
}

/**
 * filemap_write_range - write back the dirty pages of [start, end) bytes
 * (end 0: to the end of the file) and wait until they are on the disk
 * (fsync, msync).  The device is synced whole, so the block map and inode
 * blocks the data needs go too.
 * Context: fs_lock held; may sleep.  Return: 0 or the first -errno.
 */
int filemap_write_range(struct inode *inode, uint64_t start, uint64_t end)
{
	struct writeback_range r = {
		.first = (uint32_t)(start >> PAGE_SHIFT),
		.last = end ? (uint32_t)((end - 1) >> PAGE_SHIFT) : UINT32_MAX,
	};
	int err, err2;

	if (end && end <= start)
		return 0;
	err = write_dirty_pages(inode, &r);
	err2 = bsync(inode->sb->bdev);
	return err ? err : err2;
}

/* Every dirty page of every file into the buffer cache (sync(2); the caller
 * then syncs the devices).  Context: fs_lock held.  0 or the first -errno. */
int filemap_sync_all(void)
{
	const struct writeback_range all = { .first = 0, .last = UINT32_MAX };
	struct inode *inode;
	int result = 0;

	assert_mutex_held(&fs_lock);
	list_for_each_entry(inode, &cached_inodes, cached_node) {
		int err = write_dirty_pages(inode, &all);

		if (err && !result)
			result = err;
	}
	return result;
}

/* The flusher's periodic work: pages dirty for BUF_DIRTY_EXPIRE_MS go to
 * the buffer cache (whose own flusher writes them out as they age there).
 * Context: a kernel thread; takes fs_lock. */
void filemap_flush_expired(void)
{
	struct writeback_range r = {
		.first = 0, .last = UINT32_MAX, .expired_only = true,
		.dirty_before = now32() - BUF_DIRTY_EXPIRE_MS * HZ / 1000,
	};
	struct inode *inode;

	if (stats.nr_dirty == 0)
		return;
	mutex_lock(&fs_lock);
	list_for_each_entry(inode, &cached_inodes, cached_node)
		write_dirty_pages(inode, &r);
	mutex_unlock(&fs_lock);
}

/* ---- truncate and eviction ---- */

/**
 * truncate_inode_pages - the file is being cut to from bytes (or evicted:
 * from 0).  The page holding byte from keeps its bytes before it and reads
 * zeros after; every later page leaves the cache, dirty or not (its blocks
 * are about to be freed).  A page still mapped or pinned keeps its own
 * references and simply stops being file data.
 * Context: fs_lock held, before the blocks are freed; may sleep.
 */
void truncate_inode_pages(struct inode *inode, uint64_t from)
{
	uint32_t first = (uint32_t)(ALIGN_UP(from, (uint64_t)PAGE_SIZE) >> PAGE_SHIFT);
	struct page *page, *tmp;

	assert_mutex_held(&fs_lock);
	zero_page_tail(inode, from);
	list_for_each_entry_safe(page, tmp, &inode->pages, list) {
		if (page->index < first)
			continue;
		lock_page(page);	/* no I/O may be in flight on it */
		cache_remove(page);
	}
}

/**
 * filemap_evict_inode - the inode's last holder is gone: write its dirty
 * pages to the buffer cache (unless it is being deleted), then drop them
 * all.  Context: fs_lock held (iput); may sleep.
 */
void filemap_evict_inode(struct inode *inode)
{
	const struct writeback_range all = { .first = 0, .last = UINT32_MAX };

	if (inode->nr_pages == 0)
		return;
	if (inode->nlink && !inode->sb->read_only)
		write_dirty_pages(inode, &all);
	truncate_inode_pages(inode, 0);
}

void pagecache_stats(struct pagecache_stats *st)
{
	*st = stats;
}
