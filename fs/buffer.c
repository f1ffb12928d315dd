/*
 * fs/buffer.c - the buffer cache.
 *
 * Owns: every struct buf, the hash table that finds them by (bdev, blockno),
 * and the LRU list of idle ones.
 *
 * Interface (include/buf.h): bread/bget -> use -> bdirty -> brelse; bwrite,
 * bsync and buf_flush_expired write dirty buffers back; reclaim
 * (mm/reclaim.c) frees clean idle buffers with buf_shrink, after writing
 * idle dirty ones with buf_writeback_idle when its context allows.
 *
 * Invariants:
 *   - At most one buffer exists for a (bdev, blockno); a lookup with a
 *     different size for a cached block is refused (-EINVAL).
 *   - A buffer is on the LRU list iff its refcount is 0; the LRU runs from
 *     the most recently released (head) to the least (tail).
 *   - B_BUSY is set exactly while the buffer's request is in flight; its data
 *     must not change then.  B_DIRTY implies B_UPTODATE.
 *   - buffer data is kmalloc'd at its own size, a power of two <= PAGE_SIZE,
 *     so it never straddles a page: one block-request segment describes it.
 *   - cache.bytes <= cache.limit, except while every buffer is in use.
 *
 * Locks: cache.lock (spin, interrupts off) guards the hash, the LRU, every
 * buffer's flags, refcount and dirty_since.  It is taken by the I/O
 * completion in interrupt context.  I/O is started and waited for without it:
 * functions that wait (bread, bget, bwrite, bsync, buf_flush_expired) must be
 * called without it and may sleep.  Lock order: cache.lock -> kmalloc_lock.
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <spinlock.h>
#include <string.h>
#include <timer.h>

#define BUF_HASH_SIZE	256
#define BUF_LIMIT_SHARE	4	/* the cache may use 1/4 of managed memory */

static struct {
	struct spinlock lock;
	struct list_head hash[BUF_HASH_SIZE];
	struct list_head lru;
	struct wait_queue io_done;	/* woken when any buffer's I/O ends */
	size_t nr_buffers, nr_dirty, bytes, limit;
	uint64_t hits, misses;
	bool ready;
} cache = { .lock = SPINLOCK_INIT("buffer cache") };

static void cache_init_once(void)
{
	for (unsigned int i = 0; i < BUF_HASH_SIZE; i++)
		list_init(&cache.hash[i]);
	list_init(&cache.lru);
	wait_queue_init(&cache.io_done);
	cache.limit = nr_managed_pages() * PAGE_SIZE / BUF_LIMIT_SHARE;
	cache.ready = true;
}

static bool buf_has(const struct buf *b, enum buf_flag f)
{
	return b->flags & (1u << f);
}

static void buf_set(struct buf *b, enum buf_flag f)
{
	b->flags |= 1u << f;
}

static void buf_clear(struct buf *b, enum buf_flag f)
{
	b->flags &= ~(1u << f);
}

static struct list_head *hash_chain(const struct block_device *bdev, uint32_t blockno)
{
	uintptr_t h = ((uintptr_t)bdev >> 4) ^ blockno ^ (blockno >> 8);

	return &cache.hash[h % BUF_HASH_SIZE];
}

/* Find a cached buffer.  Caller holds cache.lock. */
static struct buf *lookup(const struct block_device *bdev, uint32_t blockno)
{
	struct buf *b;

	assert_spin_locked(&cache.lock);
	list_for_each_entry(b, hash_chain(bdev, blockno), hash)
		if (b->bdev == bdev && b->blockno == blockno)
			return b;
	return NULL;
}

/* Take a reference.  Caller holds cache.lock. */
static void hold(struct buf *b)
{
	assert_spin_locked(&cache.lock);
	if (b->refcount++ == 0)
		list_del(&b->lru);
}

static void free_buf(struct buf *b)
{
	cache.nr_buffers--;
	cache.bytes -= b->size;
	kfree(b->data);
	kfree(b);
}

/*
 * Free up to nr clean idle buffers from the LRU tail; returns how many.
 * Caller holds cache.lock.
 */
static size_t evict_clean(size_t nr)
{
	struct list_head *pos = cache.lru.prev;
	size_t freed = 0;

	assert_spin_locked(&cache.lock);
	while (pos != &cache.lru && freed < nr) {
		struct buf *b = list_entry(pos, struct buf, lru);

		pos = pos->prev;
		if (buf_has(b, B_DIRTY) || buf_has(b, B_BUSY))
			continue;
		list_del(&b->lru);
		list_del(&b->hash);
		free_buf(b);
		freed++;
	}
	return freed;
}

size_t buf_shrink(size_t nr_wanted)
{
	size_t freed;

	spin_lock(&cache.lock);
	freed = cache.ready ? evict_clean(nr_wanted) : 0;
	spin_unlock(&cache.lock);
	return freed;
}

static bool valid_size(uint32_t size)
{
	return size >= SECTOR_SIZE && size <= PAGE_SIZE && (size & (size - 1)) == 0;
}

/* A new, unhashed buffer, making room in the cache first if it is full. */
static struct buf *alloc_buf(struct block_device *bdev, uint32_t blockno,
			     uint32_t size)
{
	struct buf *b;

	if (cache.bytes + size > cache.limit && buf_shrink(16) == 0)
		bsync(NULL), buf_shrink(16);	/* all dirty: clean some */
	b = kzalloc(sizeof(*b), ALLOC_NOFS);
	if (b)
		b->data = kmalloc(size, ALLOC_NOFS);
	if (!b || !b->data) {
		kfree(b);
		return NULL;
	}
	b->bdev = bdev;
	b->blockno = blockno;
	b->size = size;
	b->refcount = 1;
	list_init(&b->lru);
	return b;
}

/* The buffer for a block, cached or new, referenced; or an error pointer. */
static struct buf *get_buf(struct block_device *bdev, uint32_t blockno,
			   uint32_t size)
{
	struct buf *b, *fresh = NULL;

	if (!bdev || !valid_size(size))
		return ERR_PTR(-EINVAL);
	for (;;) {
		spin_lock(&cache.lock);
		if (!cache.ready)
			cache_init_once();
		b = lookup(bdev, blockno);
		if (b || fresh)
			break;
		spin_unlock(&cache.lock);
		fresh = alloc_buf(bdev, blockno, size);	/* may sleep */
		if (!fresh)
			return ERR_PTR(-ENOMEM);
	}
	if (b) {
		if (b->size != size) {
			spin_unlock(&cache.lock);
			kfree(fresh ? fresh->data : NULL);
			kfree(fresh);
			return ERR_PTR(-EINVAL);
		}
		hold(b);
		cache.hits++;
	} else {
		b = fresh;
		fresh = NULL;
		list_add(&b->hash, hash_chain(bdev, blockno));
		cache.nr_buffers++;
		cache.bytes += size;
		cache.misses++;
	}
	spin_unlock(&cache.lock);
	if (fresh) {		/* lost a race: someone else cached it first */
		kfree(fresh->data);
		kfree(fresh);
	}
	return b;
}

static void io_end(struct blk_request *rq)
{
	struct buf *b = rq->private;

	spin_lock(&cache.lock);
	buf_clear(b, B_BUSY);
	if (rq->status) {
		buf_set(b, B_ERROR);
		if (rq->dir == BLK_WRITE && !buf_has(b, B_DIRTY)) {
			buf_set(b, B_DIRTY);	/* keep the data: it is not on disk */
			cache.nr_dirty++;
		}
	} else {
		buf_clear(b, B_ERROR);
		if (rq->dir == BLK_READ)
			buf_set(b, B_UPTODATE);
	}
	spin_unlock(&cache.lock);
	wake_up(&cache.io_done);
}

/*
 * Start I/O on a buffer the caller holds.  A write takes the dirty bit off
 * before it starts: a bdirty() while it runs marks the buffer dirty again, so
 * it is written again.  Called without cache.lock: a driver may complete the
 * request at once, and the completion takes the lock.
 */
static int start_io(struct buf *b, enum blk_dir dir)
{
	int err;

	spin_lock(&cache.lock);
	assert(!buf_has(b, B_BUSY) && b->refcount > 0);
	b->seg = (struct blk_seg){ kva_to_page(b->data),
				   (uint32_t)(uintptr_t)b->data & (PAGE_SIZE - 1), b->size };
	b->rq = (struct blk_request){
		.bdev = b->bdev, .dir = dir, .segs = &b->seg, .nr_segs = 1,
		.sector = (uint64_t)b->blockno * (b->size / SECTOR_SIZE),
		.done = io_end, .private = b,
	};
	if (dir == BLK_WRITE && buf_has(b, B_DIRTY)) {
		buf_clear(b, B_DIRTY);
		cache.nr_dirty--;
	}
	buf_set(b, B_BUSY);
	spin_unlock(&cache.lock);
	err = blk_submit(&b->rq);
	if (err) {
		b->rq.status = err;
		io_end(&b->rq);		/* as if the device had failed it */
	}
	return err;
}

static bool buf_is_busy(struct buf *b)
{
	return buf_has(b, B_BUSY);
}

/* Wait for a held buffer's I/O to end; its result, 0 or -EIO. */
static int wait_io(struct buf *b)
{
	wait_event(&cache.io_done, !buf_is_busy(b));
	return buf_has(b, B_ERROR) ? -EIO : 0;
}

/**
 * bget - the buffer for a block, without reading it.
 * Context: may sleep (it waits for write-back in flight on the block).
 * Return: the buffer, referenced; ERR_PTR(-EINVAL) for a bad size or a block
 * cached at another size; ERR_PTR(-ENOMEM).
 */
struct buf *bget(struct block_device *bdev, uint32_t blockno, uint32_t size)
{
	struct buf *b = get_buf(bdev, blockno, size);

	if (!IS_ERR(b))
		wait_io(b);	/* its data must not change under a write */
	return b;
}

/**
 * bread - the buffer for a block, read from the disk unless cached.
 * Context: may sleep.
 * Return: the buffer, referenced and up to date; or an error pointer:
 * -EIO if the read failed (the buffer is not kept referenced), or as bget.
 */
struct buf *bread(struct block_device *bdev, uint32_t blockno, uint32_t size)
{
	struct buf *b = bget(bdev, blockno, size);
	int err = 0;

	if (IS_ERR(b) || buf_has(b, B_UPTODATE))
		return b;
	err = start_io(b, BLK_READ);
	if (!err)
		err = wait_io(b);
	if (err) {
		brelse(b);
		return ERR_PTR(err);
	}
	return b;
}

/* Drop a reference; an idle buffer goes to the head of the LRU. */
void brelse(struct buf *b)
{
	spin_lock(&cache.lock);
	assert(b->refcount > 0 && "brelse of a buffer nobody holds");
	if (--b->refcount == 0)
		list_add(&b->lru, &cache.lru);
	spin_unlock(&cache.lock);
}

/* Mark a held buffer's data as newer than the disk (and so up to date). */
void bdirty(struct buf *b)
{
	spin_lock(&cache.lock);
	assert(b->refcount > 0 && "bdirty of a buffer nobody holds");
	buf_set(b, B_UPTODATE);
	if (!buf_has(b, B_DIRTY)) {
		buf_set(b, B_DIRTY);
		b->dirty_since = jiffies_read();
		cache.nr_dirty++;
	}
	spin_unlock(&cache.lock);
}

/* Write a held buffer now and wait.  Return: 0 or -EIO. */
int bwrite(struct buf *b)
{
	int err;

	wait_io(b);
	bdirty(b);
	err = start_io(b, BLK_WRITE);
	return err ? err : wait_io(b);
}

#define WRITEBACK_BATCH	64

/*
 * Pick up to WRITEBACK_BATCH dirty, not busy buffers of bdev (NULL: any)
 * dirty since before 'before' (jiffies), held; returns how many.  Only idle
 * buffers if idle_only: the flusher must not write a block someone is
 * changing.
 */
static unsigned int pick_dirty(struct block_device *bdev, uint64_t before,
			       bool idle_only, struct buf **batch)
{
	unsigned int n = 0;

	spin_lock(&cache.lock);
	for (unsigned int i = 0; i < BUF_HASH_SIZE && n < WRITEBACK_BATCH; i++) {
		struct buf *b;

		list_for_each_entry(b, &cache.hash[i], hash) {
			if (n == WRITEBACK_BATCH)
				break;
			if (!buf_has(b, B_DIRTY) || buf_has(b, B_BUSY) ||
			    (bdev && b->bdev != bdev) || b->dirty_since >= before ||
			    (idle_only && b->refcount))
				continue;
			hold(b);
			batch[n++] = b;
		}
	}
	spin_unlock(&cache.lock);
	return n;
}

/* Write back dirty buffers, a batch at a time: start them all, so the
 * driver can queue them, then wait for each.  Return: 0 or -EIO. */
static int write_back(struct block_device *bdev, uint64_t before, bool idle_only)
{
	struct buf *batch[WRITEBACK_BATCH];
	unsigned int n;
	int result = 0;

	if (!cache.ready)
		return 0;
	while ((n = pick_dirty(bdev, before, idle_only, batch)) > 0) {
		bool failed = false;

		for (unsigned int i = 0; i < n; i++)
			start_io(batch[i], BLK_WRITE);
		for (unsigned int i = 0; i < n; i++) {
			if (wait_io(batch[i]))
				failed = true;
			brelse(batch[i]);
		}
		if (failed) {
			result = -EIO;	/* those buffers stay dirty */
			break;
		}
	}
	return result;
}

/* Write every dirty buffer of bdev (NULL: of every device) and wait. */
int bsync(struct block_device *bdev)
{
	return write_back(bdev, UINT64_MAX, false);
}

/* Reclaim: write every idle dirty buffer, so that buf_shrink can free it.
 * Return: 0 or -EIO. */
int buf_writeback_idle(void)
{
	return write_back(NULL, UINT64_MAX, true);
}

/* The periodic flusher: write idle buffers dirty for BUF_DIRTY_EXPIRE_MS. */
void buf_flush_expired(void)
{
	uint64_t now = jiffies_read(), age = BUF_DIRTY_EXPIRE_MS * HZ / 1000;

	if (now > age)
		write_back(NULL, now - age, true);
}

/* Drop every clean, idle buffer of a device (before it goes away, or to make
 * the next reads come from the disk). */
void buf_forget(struct block_device *bdev)
{
	spin_lock(&cache.lock);
	for (unsigned int i = 0; cache.ready && i < BUF_HASH_SIZE; i++) {
		struct list_head *pos = cache.hash[i].next;

		while (pos != &cache.hash[i]) {
			struct buf *b = list_entry(pos, struct buf, hash);

			pos = pos->next;
			if (b->bdev != bdev || b->refcount || buf_has(b, B_DIRTY) ||
			    buf_has(b, B_BUSY))
				continue;
			list_del(&b->lru);
			list_del(&b->hash);
			free_buf(b);
		}
	}
	spin_unlock(&cache.lock);
}

void buf_get_stats(struct buf_stats *st)
{
	spin_lock(&cache.lock);
	*st = (struct buf_stats){
		.nr_buffers = cache.nr_buffers, .nr_dirty = cache.nr_dirty,
		.bytes = cache.bytes, .hits = cache.hits, .misses = cache.misses,
	};
	spin_unlock(&cache.lock);
}
