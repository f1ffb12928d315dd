/*
 * drivers/blkdev_bench.c - bench=blk: sequential throughput on the whole of
 * hda, first through the block layer, then through the buffer cache.
 * hda's contents are overwritten: boot it with a scratch disk only
 * (tools/harness.py bench does).  The transfer mode is the boot's own
 * (DMA, or PIO with ata=pio), so the harness boots twice.
 *
 * Each row is one bench_case: a step (move req_bytes at a byte offset of
 * hda) repeated over a sequential pass.  The block-layer steps are one
 * synchronous blk_rw of req_bytes.  The buffer-cache steps move 4 KiB
 * blocks between the cache and the same pages: a 4K step is one block, a 64K
 * step a run of 16.  The cache has no batched read, so a read step is one
 * bread (one request, waited for) per block; a write step is bget + copy +
 * bdirty per block and then one bsync, which starts the run's writes before
 * it waits.  "cold" rows buf_forget the disk before each pass (inside the
 * timing: dropping buffers is cache work a cold reader pays for too);
 * "warm" rows read a range that fits the cache, primed by an untimed pass.
 *
 * Timed with jiffies (HZ = 100, so 10 ms resolution): each figure repeats
 * passes until at least BENCH_MIN_TICKS have gone by, so fast DMA is timed
 * over a second or more too.  Figures only.
 * Allocates its buffer pages and frees them, and leaves no buffers of hda
 * cached; sleeps in blk_rw, bread and bsync.
 */
#include <bench.h>
#include <blkdev.h>
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <string.h>
#include <timer.h>
#include "ata.h"

#define BENCH_BYTES	(8u << 20)
#define BENCH_WARM_BYTES (2u << 20)	/* fits the cache of a 16 MiB boot */
#define BENCH_MAX_PAGES	16	/* 64 KiB requests */
#define BENCH_MIN_TICKS	(HZ / 2)
#define BENCH_BLOCK	PAGE_SIZE	/* buffer-cache block size */

struct bench_ctx {
	struct block_device *bdev;	/* hda */
	const char *mode;		/* "DMA" or "PIO" */
	struct blk_seg segs[BENCH_MAX_PAGES];	/* the data, a page a segment */
};

/* Move req_bytes at byte pos of hda to (BLK_READ) or from the pages. */
typedef int (*bench_step_fn)(struct bench_ctx *c, enum blk_dir dir,
			     uint64_t pos, uint32_t req_bytes);

/* What the buffer cache holds of hda when a pass starts. */
enum bench_cache {
	CACHE_UNUSED,	/* block-layer rows: the cache is not involved */
	CACHE_COLD,	/* buf_forget(hda) before each pass, timed */
	CACHE_WARM,	/* primed by an untimed pass; every timed read hits */
};

struct bench_case {
	const char *label;	/* "read", "write", "buf read-cold", ... */
	bench_step_fn step;
	enum blk_dir dir;
	uint32_t pass_bytes;	/* one sequential pass from byte 0 */
	enum bench_cache cache;
};

struct bench_result {
	uint64_t bytes;
	uint64_t ticks;
	int error;
};

static int blk_step(struct bench_ctx *c, enum blk_dir dir, uint64_t pos,
		    uint32_t req_bytes)
{
	return blk_rw(c->bdev, pos / SECTOR_SIZE, dir, c->segs,
		      req_bytes / PAGE_SIZE);
}

static int buf_step(struct bench_ctx *c, enum blk_dir dir, uint64_t pos,
		    uint32_t req_bytes)
{
	uint32_t first = (uint32_t)(pos / BENCH_BLOCK);

	for (uint32_t i = 0; i < req_bytes / BENCH_BLOCK; i++) {
		void *page = page_to_kva(c->segs[i].page);
		struct buf *b = dir == BLK_READ ?
			bread(c->bdev, first + i, BENCH_BLOCK) :
			bget(c->bdev, first + i, BENCH_BLOCK);

		if (IS_ERR(b))
			return PTR_ERR(b);
		if (dir == BLK_READ) {
			memcpy(page, b->data, BENCH_BLOCK);
		} else {
			memcpy(b->data, page, BENCH_BLOCK);
			bdirty(b);
		}
		brelse(b);
	}
	return dir == BLK_WRITE ? bsync(c->bdev) : 0;
}

/* Sequential passes of bc in steps of req_bytes: one pass, then more until
 * min_ticks have passed. */
static struct bench_result bench_pass(struct bench_ctx *c,
				      const struct bench_case *bc,
				      uint32_t req_bytes, uint64_t min_ticks)
{
	uint64_t start = jiffies_read();
	struct bench_result r = { 0, 0, 0 };

	do {
		if (bc->cache == CACHE_COLD)
			buf_forget(c->bdev);
		for (uint64_t pos = 0; pos < bc->pass_bytes; pos += req_bytes) {
			r.error = bc->step(c, bc->dir, pos, req_bytes);
			if (r.error)
				return r;
		}
		r.bytes += bc->pass_bytes;
		r.ticks = jiffies_read() - start;
	} while (r.ticks < min_ticks);
	return r;
}

static void bench_report(const struct bench_ctx *c, const struct bench_case *bc,
			 uint32_t req_bytes, struct bench_result r)
{
	/* MiB/s in tenths: bytes * HZ * 10 / (ticks * 1 MiB). */
	uint64_t tenths = r.ticks ? r.bytes * HZ * 10 / (r.ticks << 20) : 0;
	/* The block layer's "read"/"write" keep their old width: tools parse
	 * those rows. */
	int width = bc->cache == CACHE_UNUSED ? 5 : 13;

	if (r.error) {
		printk("BENCH blk %s %s %uK: error %d\n", c->mode, bc->label,
		       req_bytes >> 10, r.error);
		return;
	}
	printk("BENCH blk %s %-*s %2uK: %llu.%llu MiB/s (%llu MiB in %llu ticks)\n",
	       c->mode, width, bc->label, req_bytes >> 10,
	       tenths / 10, tenths % 10, r.bytes >> 20, r.ticks);
}

/* Time one case at one request size and print its row. */
static void bench_case_run(struct bench_ctx *c, const struct bench_case *bc,
			   uint32_t req_bytes)
{
	struct buf_stats before, after;
	struct bench_result r;

	if (bc->cache == CACHE_WARM)
		bench_pass(c, bc, req_bytes, 0);	/* prime, untimed */
	buf_get_stats(&before);
	r = bench_pass(c, bc, req_bytes, BENCH_MIN_TICKS);
	buf_get_stats(&after);
	bench_report(c, bc, req_bytes, r);
	if (bc->cache == CACHE_WARM && after.misses != before.misses)
		printk("BENCH blk %s %s %uK: %llu misses: the range did not "
		       "fit the cache\n", c->mode, bc->label, req_bytes >> 10,
		       after.misses - before.misses);
}

static const struct bench_case blk_cases[] = {
	{ "write", blk_step, BLK_WRITE, BENCH_BYTES, CACHE_UNUSED },
	{ "read", blk_step, BLK_READ, BENCH_BYTES, CACHE_UNUSED },
};

static const struct bench_case buf_cases[] = {
	{ "buf write", buf_step, BLK_WRITE, BENCH_BYTES, CACHE_COLD },
	{ "buf read-cold", buf_step, BLK_READ, BENCH_BYTES, CACHE_COLD },
	{ "buf read-warm", buf_step, BLK_READ, BENCH_WARM_BYTES, CACHE_WARM },
};

/* Every case at 4 KiB, then every case at 64 KiB. */
static void bench_cases_run(struct bench_ctx *c, const struct bench_case *bc,
			    unsigned int nr)
{
	static const uint32_t sizes[] = { 4096, 65536 };

	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++)
		for (unsigned int i = 0; i < nr; i++)
			bench_case_run(c, &bc[i], sizes[s]);
}

static int bench_blk(void)
{
	struct bench_ctx c;
	unsigned int i;

	c.bdev = blkdev_find("hda");
	if (!c.bdev || c.bdev->nr_sectors < BENCH_BYTES / SECTOR_SIZE) {
		printk("BENCH blk: needs hda of at least %u MiB\n", BENCH_BYTES >> 20);
		return -ENODEV;
	}
	c.mode = ((struct ata_drive *)c.bdev->disk->driver_data)->dma ? "DMA" : "PIO";
	for (i = 0; i < BENCH_MAX_PAGES; i++) {
		c.segs[i] = (struct blk_seg){ alloc_page(ALLOC_KERNEL), 0,
					      PAGE_SIZE };
		if (!c.segs[i].page) {
			while (i--)
				free_page(c.segs[i].page);
			return -ENOMEM;
		}
		memset(page_to_kva(c.segs[i].page), (int)i, PAGE_SIZE);
	}
	bench_cases_run(&c, blk_cases, ARRAY_SIZE(blk_cases));
	printk("BENCH blk %s buf: 4K = one %u KiB block, 64K = a run of 16; "
	       "read: a bread per block (the cache has no batched read); "
	       "write: bget+bdirty per block, bsync per run\n",
	       c.mode, BENCH_BLOCK >> 10);
	bench_cases_run(&c, buf_cases, ARRAY_SIZE(buf_cases));
	buf_forget(c.bdev);
	for (i = 0; i < BENCH_MAX_PAGES; i++)
		free_page(c.segs[i].page);
	return 0;
}

int bench_run(const char *name)
{
	int rc = -EINVAL;

	if (name && strcmp(name, "blk") == 0)
		rc = bench_blk();
	else
		printk("BENCH %s: no such benchmark\n", name ? name : "");
	printk("BENCH DONE\n");
	return rc;
}
