/* include/buf.h - the buffer cache: disk blocks in memory.
 *
 * A buffer holds one block of a block device, keyed by (bdev, blockno, size).
 * Use:
 *	struct buf *b = bread(bdev, blockno, 1024);
 *	if (IS_ERR(b))
 *		return PTR_ERR(b);
 *	... read b->data; or change it and call bdirty(b) ...
 *	brelse(b);
 * Never touch a buffer after brelse().  bget() is bread() without the read,
 * for a block about to be overwritten whole: fill it, then bdirty().
 * Dirty buffers reach the disk by bsync() (all of a device, waits),
 * bwrite() (one buffer, waits), or the periodic flusher, which writes those
 * dirty for longer than BUF_DIRTY_EXPIRE.
 */
#ifndef WALNUT_BUF_H
#define WALNUT_BUF_H

#include <blkdev.h>
#include <list.h>
#include <types.h>

#define BUF_DIRTY_EXPIRE_MS	5000	/* write back after this long dirty */

/* Buffer state: one bit each in buf->flags. */
enum buf_flag {
	B_UPTODATE,	/* data matches the disk, or is newer (dirty) */
	B_DIRTY,	/* data is newer than the disk */
	B_BUSY,		/* I/O in flight: wait for it before using data */
	B_ERROR,	/* the last I/O failed */
};

struct buf {
	struct block_device *bdev;	/* [I] */
	uint32_t blockno;		/* [I] in units of size */
	uint32_t size;			/* [I] 512..PAGE_SIZE, a power of two */
	void *data;			/* [I] kva; never straddles a page */
	uint32_t flags;			/* [c] enum buf_flag bits */
	int refcount;			/* [c] holders; 0: on the LRU, reclaimable */
	uint64_t dirty_since;		/* [c] jiffies when it became dirty */
	struct list_head hash;		/* [c] hash chain */
	struct list_head lru;		/* [c] LRU list, most recent first */
	struct blk_request rq;		/* for the I/O in flight */
	struct blk_seg seg;
};

struct buf *bread(struct block_device *bdev, uint32_t blockno, uint32_t size);
struct buf *bget(struct block_device *bdev, uint32_t blockno, uint32_t size);
void brelse(struct buf *b);
void bdirty(struct buf *b);
int bwrite(struct buf *b);
int bsync(struct block_device *bdev);	/* NULL: every device */
void buf_flush_expired(void);		/* the periodic flusher's work */
size_t buf_shrink(size_t nr_wanted);	/* reclaim: free clean idle buffers */
int buf_writeback_idle(void);		/* reclaim: write idle dirty ones */
void buf_forget(struct block_device *bdev);	/* drop a device's clean buffers */

struct buf_stats {
	size_t nr_buffers;		/* cached */
	size_t nr_dirty;
	size_t bytes;			/* of block data */
	uint64_t hits, misses;
};
void buf_get_stats(struct buf_stats *st);

#endif
