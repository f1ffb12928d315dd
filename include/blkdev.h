/* include/blkdev.h - block devices and block requests.
 *
 * A request moves whole 512-byte sectors between a device and a list of
 * (page, offset, length) segments: physical pages, not virtual addresses, so
 * the same request can carry a kernel buffer, a page-cache page or (later,
 * for raw I/O) a pinned user page.  I/O below this line never sees a virtual
 * address (rule 8, docs/history.md).
 *
 * Interface:
 *   blk_submit(rq)        start the request; rq->done(rq) runs on completion
 *                         (from the interrupt handler: must not sleep)
 *   blk_wait(rq)          sleep until the request is complete; its status
 *   blk_rw(bdev, sector, dir, segs, nr)   both, for one synchronous transfer
 *   blkdev_find(name)     "hda", "hda1", ... or NULL
 *
 * Rules for a request (checked by blk_submit, -EINVAL if broken): at least one
 * segment; each segment's offset and length are multiples of 4 bytes, lie
 * inside its page, and the total is a non-zero multiple of SECTOR_SIZE; the
 * sectors lie inside the device (a partition cannot reach past its end).
 * Errors: -EINVAL for a malformed request, -EIO for a device error (the
 * driver prints one line naming disk, sector and status).
 */
#ifndef WALNUT_BLKDEV_H
#define WALNUT_BLKDEV_H

#include <types.h>
#include <list.h>
#include <mm.h>
#include <wait.h>

#define SECTOR_SIZE	512
#define SECTOR_SHIFT	9
#define BLK_MAX_SEGS	128	/* per request */

enum blk_dir {
	BLK_READ,	/* device -> memory */
	BLK_WRITE,	/* memory -> device */
};

struct blk_seg {
	struct page *page;
	uint32_t offset;	/* bytes into the page */
	uint32_t len;		/* bytes */
};

struct block_device;

struct blk_request {
	struct block_device *bdev;
	uint64_t sector;		/* first sector, relative to bdev */
	enum blk_dir dir;
	struct blk_seg *segs;
	unsigned int nr_segs;
	void (*done)(struct blk_request *rq);	/* optional; runs in irq */
	void *private;			/* for done() */
	/* Filled in by the block layer and the driver: */
	uint32_t nr_sectors;		/* total length / SECTOR_SIZE */
	uint64_t disk_sector;		/* sector + the partition's start */
	volatile bool completed;
	int status;			/* 0 or -EIO, valid once completed */
	struct list_head queue;		/* [driver lock] on the driver's queue */
};

/* A disk driver: one per physical disk. */
struct disk;
struct disk_ops {
	/* Queue rq (rq->disk_sector, nr_sectors checked) and start it when the
	 * channel is free; call blk_complete() when it is done. */
	void (*submit)(struct disk *disk, struct blk_request *rq);
};

struct disk {
	char name[8];			/* "hda" */
	uint64_t nr_sectors;
	const struct disk_ops *ops;
	void *driver_data;
	struct wait_queue wait;		/* woken on every completion */
};

/* A whole disk, or one partition of it. */
struct block_device {
	char name[12];			/* "hda", "hda1" */
	struct disk *disk;
	uint64_t start_sector;		/* on the disk */
	uint64_t nr_sectors;
	unsigned int partno;		/* 0 for the whole disk */
};

int blk_submit(struct blk_request *rq);
int blk_wait(struct blk_request *rq);
int blk_rw(struct block_device *bdev, uint64_t sector, enum blk_dir dir,
	   struct blk_seg *segs, unsigned int nr_segs);
void blk_complete(struct blk_request *rq, int status);	/* drivers, in irq */

int disk_register(struct disk *disk);	/* reads its partition table */
struct block_device *blkdev_find(const char *name);
uint32_t blkdev_number(const struct block_device *bdev);	/* 0: none */
struct block_device *blkdev_get(unsigned int index);	/* NULL past the end */

#endif
