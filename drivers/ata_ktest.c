/*
 * drivers/ata_ktest.c - self-tests of the ATA driver on the disks that
 * tools/testdisk.py makes (layout in drivers/testdisk.h): reads of every
 * shape, checked against the pattern; writes to the scratch partition read
 * back; LBA48 across sector 2^28; the secondary channel; a drive error; the
 * PRD table's 64 KiB rules.  tools/testplan.py boots them twice, once with
 * DMA (the default) and once with ata=pio; ata_mode_is_the_requested_one
 * keeps a silent fallback to PIO from passing the DMA boot.
 */
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include "ata.h"
#include "testdisk.h"

static struct block_device *need(const char *name)
{
	struct block_device *b = blkdev_find(name);

	if (!b)
		ktest_fail_reason("no block device %s", name);
	return b;
}

/* Read nr one-page segments (len each) at sector of bdev and check them. */
static int read_check(struct block_device *b, uint64_t sector, unsigned int nr,
		      uint32_t len)
{
	struct blk_seg segs[16];
	uint32_t lens[16];
	int rc;

	for (unsigned int i = 0; i < nr; i++)
		lens[i] = len;
	if (nr > ARRAY_SIZE(segs) || !td_alloc_segs(segs, nr, NULL, lens))
		return -ENOMEM;
	td_poison(segs, nr);
	rc = blk_rw(b, sector, BLK_READ, segs, nr);
	if (rc == 0 && !td_match(segs, nr, b->start_sector + sector, false))
		rc = -1;
	td_free_segs(segs, nr);
	return rc;
}

KTEST(ata_mode_is_the_requested_one)
{
	struct block_device *b;
	struct ata_drive *d;
	struct ata_stats before = ata_stats;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	d = b->disk->driver_data;
	KT_ASSERT(d->dma == ata_dma_requested());
	KT_ASSERT(read_check(b, 100, 1, SECTOR_SIZE) == 0);
	if (ata_dma_requested())
		KT_ASSERT(ata_stats.dma_cmds == before.dma_cmds + 1 &&
			  ata_stats.pio_cmds == before.pio_cmds);
	else
		KT_ASSERT(ata_stats.pio_cmds == before.pio_cmds + 1 &&
			  ata_stats.dma_cmds == before.dma_cmds);
	return 0;
}

KTEST(ata_read_one_sector)
{
	struct block_device *b;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	KT_ASSERT(read_check(b, 1, 1, SECTOR_SIZE) == 0);
	KT_ASSERT(read_check(b, TD_DISK_SECTORS - 1, 1, SECTOR_SIZE) == 0);
	return 0;
}

KTEST(ata_read_8_sectors)
{
	struct block_device *b;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	KT_ASSERT(read_check(b, 1000, 1, PAGE_SIZE) == 0);
	return 0;
}

KTEST(ata_read_128_sectors)
{
	struct block_device *b;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	KT_ASSERT(read_check(b, 5000, 16, PAGE_SIZE) == 0);
	return 0;
}

/* 1024 sectors in one request: four LBA28 commands of 256 (or one LBA48). */
KTEST(ata_read_1024_sectors_in_one_request)
{
	static struct blk_seg segs[BLK_MAX_SEGS];
	struct block_device *b;
	int rc;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	KT_ASSERT(td_alloc_segs(segs, BLK_MAX_SEGS, NULL, NULL));
	td_poison(segs, BLK_MAX_SEGS);
	rc = blk_rw(b, 20000, BLK_READ, segs, BLK_MAX_SEGS);
	if (rc == 0 && !td_match(segs, BLK_MAX_SEGS, 20000, false))
		rc = -1;
	td_free_segs(segs, BLK_MAX_SEGS);
	KT_ASSERT(rc == 0);
	return 0;
}

/* Four pages in falling pfn order (so none follows the one before it),
 * segments of different lengths and offsets. */
KTEST(ata_read_noncontiguous_pages)
{
	static const uint32_t off[4] = { 0, 512, 0, 1024 };
	static const uint32_t len[4] = { 4096, 1536, 4096, 2560 };
	struct page *blocks[4];
	struct blk_seg segs[4];
	struct block_device *b;
	int rc;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	for (int i = 0; i < 4; i++) {
		blocks[i] = alloc_pages(1, ALLOC_KERNEL);
		KT_ASSERT(blocks[i] != NULL);	/* leak on fail: reported */
	}
	for (int i = 0; i < 4; i++)	/* the second page of each pair, last first */
		segs[i] = (struct blk_seg){ blocks[3 - i] + 1, off[i], len[i] };
	for (int i = 0; i + 1 < 4; i++)
		KT_ASSERT(page_to_pfn(segs[i].page) + 1 != page_to_pfn(segs[i + 1].page));
	td_poison(segs, 4);
	rc = blk_rw(b, 3001, BLK_READ, segs, 4);
	if (rc == 0 && !td_match(segs, 4, 3001, false))
		rc = -1;
	for (int i = 0; i < 4; i++)
		free_pages(blocks[i], 1);
	KT_ASSERT(rc == 0);
	return 0;
}

/* A 4-byte aligned, not sector-aligned, segment; a sector spans two. */
KTEST(ata_read_odd_offset_segment)
{
	static const uint32_t off[2] = { 12, 100 };
	static const uint32_t len[2] = { 700, 324 };
	struct blk_seg segs[2];
	struct block_device *b;
	int rc;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	KT_ASSERT(td_alloc_segs(segs, 2, off, len));
	td_poison(segs, 2);
	rc = blk_rw(b, 777, BLK_READ, segs, 2);
	if (rc == 0 && !td_match(segs, 2, 777, false))
		rc = -1;
	td_free_segs(segs, 2);
	KT_ASSERT(rc == 0);
	return 0;
}

/* Pages 12..19 of a 128 KiB block (naturally aligned, so its middle is a
 * 64 KiB boundary), from byte 2048 of page 12: 60 sectors that are one
 * physical run crossing the boundary. */
static bool build_straddling(struct page *blk, struct blk_seg *segs)
{
	for (int i = 0; i < 8; i++)
		segs[i] = (struct blk_seg){ blk + 12 + i, i ? 0 : 2048,
					    i ? PAGE_SIZE : 2048 };
	return (page_to_pfn(blk) << PAGE_SHIFT) % 0x20000 == 0;
}

KTEST(ata_prd_splits_at_64k_boundary)
{
	static struct prd prdt[8];
	struct blk_request rq = { 0 };
	struct seg_cursor cur = { 0, 0 };
	struct blk_seg segs[8];
	struct page *blk = alloc_pages(5, ALLOC_KERNEL);
	pa_t start, boundary;
	int n;

	KT_ASSERT(blk != NULL);
	KT_ASSERT(build_straddling(blk, segs));
	rq.segs = segs;
	rq.nr_segs = 8;
	n = ata_prd_build(prdt, ARRAY_SIZE(prdt), &rq, &cur, 60 * SECTOR_SIZE);
	free_pages(blk, 5);
	start = (page_to_pfn(blk + 12) << PAGE_SHIFT) + 2048;
	boundary = (page_to_pfn(blk) << PAGE_SHIFT) + 0x10000;
	KT_ASSERT(n == 2);
	KT_ASSERT(prdt[0].pa == start && prdt[0].count == boundary - start);
	KT_ASSERT(prdt[0].flags == 0 && prdt[1].flags == PRD_EOT);
	KT_ASSERT(prdt[1].pa == boundary && prdt[1].count == 60 * 512 - (boundary - start));
	KT_ASSERT(cur.seg == 8 && cur.off == 0);
	return 0;
}

/* 128 KiB of contiguous pages: two full 64 KiB entries, count field 0. */
KTEST(ata_prd_caps_entries_at_64k)
{
	static struct prd prdt[4];
	static struct blk_seg segs[32];
	struct blk_request rq = { .segs = segs, .nr_segs = 32 };
	struct seg_cursor cur = { 0, 0 };
	struct page *blk = alloc_pages(5, ALLOC_KERNEL);
	int n;

	KT_ASSERT(blk != NULL);
	for (int i = 0; i < 32; i++)
		segs[i] = (struct blk_seg){ blk + i, 0, PAGE_SIZE };
	n = ata_prd_build(prdt, ARRAY_SIZE(prdt), &rq, &cur, 32 * PAGE_SIZE);
	free_pages(blk, 5);
	KT_ASSERT(n == 2);
	KT_ASSERT(prdt[0].count == 0 && prdt[1].count == 0);
	KT_ASSERT(prdt[1].pa == prdt[0].pa + 0x10000 && prdt[1].flags == PRD_EOT);
	n = ata_prd_build(prdt, 1, &rq, &(struct seg_cursor){ 0, 0 }, 32 * PAGE_SIZE);
	KT_ASSERT(n == -E2BIG);
	return 0;
}

KTEST(ata_read_across_64k_boundary)
{
	struct page *blk = alloc_pages(5, ALLOC_KERNEL);
	struct blk_seg segs[8];
	struct block_device *b = blkdev_find("hda");
	int rc = 0;

	KT_ASSERT(blk != NULL);
	if (!build_straddling(blk, segs))
		rc = -2;
	if (rc == 0 && cmdline_has("testdisk")) {
		td_poison(segs, 8);
		rc = b ? blk_rw(b, 9000, BLK_READ, segs, 8) : -3;
		if (rc == 0 && !td_match(segs, 8, 9000, false))
			rc = -1;
	}
	free_pages(blk, 5);
	KT_ASSERT(rc == 0);
	return 0;
}

/* Write the complement pattern to hda2's first 128 sectors, read it back
 * into other pages.  The harness checks the image afterwards, too. */
KTEST(ata_write_read_back)
{
	struct blk_seg out[16], in[16];
	struct block_device *b;
	int rc;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda2")) != NULL);
	KT_ASSERT(td_alloc_segs(out, 16, NULL, NULL));
	if (!td_alloc_segs(in, 16, NULL, NULL)) {
		td_free_segs(out, 16);
		KT_ASSERT(!"out of memory");
	}
	td_fill(out, 16, TD_P2_START, true);
	td_poison(in, 16);
	rc = blk_rw(b, 0, BLK_WRITE, out, 16);
	if (rc == 0)
		rc = blk_rw(b, 0, BLK_READ, in, 16);
	if (rc == 0 && !td_match(in, 16, TD_P2_START, true))
		rc = -1;
	td_free_segs(out, 16);
	td_free_segs(in, 16);
	KT_ASSERT(rc == 0);
	return 0;
}

/* A write from odd offsets, a sector spanning segments; read back. */
KTEST(ata_write_odd_offset_read_back)
{
	static const uint32_t off[3] = { 4, 2000, 36 };
	static const uint32_t len[3] = { 1020, 1028, 1024 };
	struct blk_seg out[3], in[1];
	struct block_device *b;
	int rc;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda2")) != NULL);
	KT_ASSERT(td_alloc_segs(out, 3, off, len));
	if (!td_alloc_segs(in, 1, NULL, (const uint32_t[]){ 3072 })) {
		td_free_segs(out, 3);
		KT_ASSERT(!"out of memory");
	}
	td_fill(out, 3, TD_P2_START + 256, true);
	td_poison(in, 1);
	rc = blk_rw(b, 256, BLK_WRITE, out, 3);
	if (rc == 0)
		rc = blk_rw(b, 256, BLK_READ, in, 1);
	if (rc == 0 && !td_match(in, 1, TD_P2_START + 256, true))
		rc = -1;
	td_free_segs(out, 3);
	td_free_segs(in, 1);
	KT_ASSERT(rc == 0);
	return 0;
}

/* hdb is 2^28 + 2048 sectors: a read below the edge is LBA28, one that
 * reaches past it must be LBA48. */
KTEST(ata_lba48_only_past_2_28)
{
	struct block_device *b;
	uint32_t before;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hdb")) != NULL);
	KT_ASSERT(b->nr_sectors == TD_BIG_SECTORS);
	before = ata_stats.lba48_cmds;
	KT_ASSERT(read_check(b, TD_BIG_EDGE - 16, 1, PAGE_SIZE) == 0);
	KT_ASSERT(ata_stats.lba48_cmds == before);
	KT_ASSERT(read_check(b, TD_BIG_EDGE - 4, 2, PAGE_SIZE) == 0);
	KT_ASSERT(ata_stats.lba48_cmds == before + 1);
	KT_ASSERT(read_check(b, TD_BIG_EDGE + 1000, 1, PAGE_SIZE) == 0);
	return 0;
}

/* hdd: the secondary channel's slave, IRQ 15. */
KTEST(ata_secondary_channel_read)
{
	struct block_device *b;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hdd")) != NULL);
	KT_ASSERT(b->nr_sectors == TD_SMALL_SECTORS);
	KT_ASSERT(read_check(b, 100, 2, PAGE_SIZE) == 0);
	return 0;
}

KTEST(ata_cdrom_is_skipped)
{
	NEED_TEST_DISKS();
	KT_ASSERT(blkdev_find("hdc") == NULL);
	return 0;
}

/* Past blk_submit's checks, straight to the driver: a sector beyond the
 * disk makes the drive abort.  The request completes with -EIO. */
KTEST(ata_drive_error_completes_with_eio)
{
	struct blk_request rq = { 0 };
	struct blk_seg seg;
	struct block_device *b;
	uint32_t errors = ata_stats.errors;

	NEED_TEST_DISKS();
	KT_ASSERT((b = need("hda")) != NULL);
	KT_ASSERT(td_alloc_segs(&seg, 1, NULL, (const uint32_t[]){ 512 }));
	rq = (struct blk_request){ .bdev = b, .dir = BLK_READ, .segs = &seg,
				   .nr_segs = 1, .nr_sectors = 1,
				   .disk_sector = TD_DISK_SECTORS + 10 };
	b->disk->ops->submit(b->disk, &rq);
	blk_wait(&rq);
	td_free_segs(&seg, 1);
	KT_ASSERT(rq.status == -EIO);
	KT_ASSERT(ata_stats.errors == errors + 1);
	KT_ASSERT(read_check(b, 1, 1, SECTOR_SIZE) == 0);	/* still works */
	return 0;
}
