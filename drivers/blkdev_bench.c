/*
 * drivers/blkdev_bench.c - bench=blk: sequential throughput through the
 * block layer, one synchronous request at a time, on the whole of hda.
 * hda's contents are overwritten: boot it with a scratch disk only
 * (tools/harness.py bench does).  The transfer mode is the boot's own
 * (DMA, or PIO with ata=pio), so the harness boots twice.
 *
 * Timed with jiffies (HZ = 100, so 10 ms resolution): each figure repeats
 * BENCH_BYTES-long sequential passes over the start of hda until at least
 * BENCH_MIN_TICKS have gone by, so fast DMA is timed over a second or more
 * too.  Figures only.
 * Allocates its buffer pages and frees them; sleeps in blk_rw.
 */
#include <bench.h>
#include <blkdev.h>
#include <errno.h>
#include <kernel.h>
#include <string.h>
#include <timer.h>
#include "ata.h"

#define BENCH_BYTES	(8u << 20)
#define BENCH_MAX_PAGES	16	/* 64 KiB requests */
#define BENCH_MIN_TICKS	(HZ / 2)

struct bench_result {
	uint64_t bytes;
	uint64_t ticks;
	int error;
};

/* Sequential passes of BENCH_BYTES in requests of req_bytes, until
 * BENCH_MIN_TICKS have passed. */
static struct bench_result bench_pass(struct block_device *b, enum blk_dir dir,
				      struct blk_seg *segs, uint32_t req_bytes)
{
	unsigned int nr = req_bytes / PAGE_SIZE;
	uint32_t sectors = req_bytes / SECTOR_SIZE;
	uint64_t start = jiffies_read();
	struct bench_result r = { 0, 0, 0 };

	while (r.ticks < BENCH_MIN_TICKS) {
		for (uint64_t s = 0; s < BENCH_BYTES / SECTOR_SIZE; s += sectors) {
			r.error = blk_rw(b, s, dir, segs, nr);
			if (r.error)
				return r;
		}
		r.bytes += BENCH_BYTES;
		r.ticks = jiffies_read() - start;
	}
	return r;
}

static void bench_report(const char *mode, enum blk_dir dir, uint32_t req_bytes,
			 struct bench_result r)
{
	/* MiB/s in tenths: bytes * HZ * 10 / (ticks * 1 MiB). */
	uint64_t tenths = r.ticks ? r.bytes * HZ * 10 / (r.ticks << 20) : 0;

	if (r.error) {
		printk("BENCH blk %s %s %uK: error %d\n", mode,
		       dir == BLK_READ ? "read" : "write", req_bytes >> 10, r.error);
		return;
	}
	printk("BENCH blk %s %-5s %2uK: %llu.%llu MiB/s (%llu MiB in %llu ticks)\n",
	       mode, dir == BLK_READ ? "read" : "write", req_bytes >> 10,
	       tenths / 10, tenths % 10, r.bytes >> 20, r.ticks);
}

static int bench_blk(void)
{
	static const uint32_t sizes[] = { 4096, 65536 };
	struct block_device *b = blkdev_find("hda");
	struct blk_seg segs[BENCH_MAX_PAGES];
	const char *mode;

	if (!b || b->nr_sectors < BENCH_BYTES / SECTOR_SIZE) {
		printk("BENCH blk: needs hda of at least %u MiB\n", BENCH_BYTES >> 20);
		return -ENODEV;
	}
	mode = ((struct ata_drive *)b->disk->driver_data)->dma ? "DMA" : "PIO";
	for (unsigned int i = 0; i < BENCH_MAX_PAGES; i++) {
		segs[i] = (struct blk_seg){ alloc_page(), 0, PAGE_SIZE };
		if (!segs[i].page) {
			while (i--)
				free_page(segs[i].page);
			return -ENOMEM;
		}
		memset(page_to_kva(segs[i].page), (int)i, PAGE_SIZE);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		bench_report(mode, BLK_WRITE, sizes[i],
			     bench_pass(b, BLK_WRITE, segs, sizes[i]));
		bench_report(mode, BLK_READ, sizes[i],
			     bench_pass(b, BLK_READ, segs, sizes[i]));
	}
	for (unsigned int i = 0; i < BENCH_MAX_PAGES; i++)
		free_page(segs[i].page);
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
