/*
 * drivers/blkdev_ktest.c - self-tests of the block layer.  Request checks
 * run against a fake disk whose submit() only counts, so "refused, and
 * nothing sent" is checked exactly; the partition tests read the MBR that
 * tools/testdisk.py writes on hda (drivers/testdisk.h).
 */
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include "ata.h"
#include "testdisk.h"

static unsigned int fake_submits;
static uint64_t fake_last_sector;
static int fake_status;
static unsigned int done_calls;

static void fake_submit(struct disk *disk, struct blk_request *rq)
{
	fake_submits++;
	fake_last_sector = rq->disk_sector;
	blk_complete(rq, fake_status);
}

static const struct disk_ops fake_ops = { .submit = fake_submit };
static struct disk fake_disk = { .name = "fake", .nr_sectors = 1000,
				 .ops = &fake_ops };
static struct block_device fake_whole = { .name = "fake", .disk = &fake_disk,
					  .nr_sectors = 1000 };
static struct block_device fake_part = { .name = "fake1", .disk = &fake_disk,
					 .start_sector = 100, .nr_sectors = 50,
					 .partno = 1 };

/* Submit one request of nr_segs segments (offset, len) to bdev at sector;
 * returns blk_rw's result; *sent says whether the fake disk saw it. */
static int try_rw(struct block_device *b, uint64_t sector, unsigned int nr_segs,
		  uint32_t off, uint32_t len, bool *sent)
{
	static struct blk_seg segs[BLK_MAX_SEGS + 1];
	struct page *pg = alloc_page(ALLOC_KERNEL);
	unsigned int before = fake_submits;
	int rc;

	if (!pg)
		return -ENOMEM;
	wait_queue_init(&fake_disk.wait);
	fake_status = 0;
	for (unsigned int i = 0; i < nr_segs && i < ARRAY_SIZE(segs); i++)
		segs[i] = (struct blk_seg){ pg, off, len };
	rc = blk_rw(b, sector, BLK_READ, segs, nr_segs);
	free_page(pg);
	*sent = fake_submits != before;
	return rc;
}

KTEST(blk_accepts_a_good_request)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, 0, 2, 0, 512, &sent) == 0 && sent);
	KT_ASSERT(try_rw(&fake_whole, 998, 1, 1024, 1024, &sent) == 0 && sent);
	KT_ASSERT(fake_last_sector == 998);
	return 0;
}

KTEST(blk_rejects_misaligned_offset)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, 0, 1, 2, 512, &sent) == -EINVAL && !sent);
	return 0;
}

KTEST(blk_rejects_length_not_multiple_of_512)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, 0, 1, 0, 1000, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, 0, 1, 0, 0, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, 0, 1, 0, 510, &sent) == -EINVAL && !sent);
	return 0;
}

KTEST(blk_rejects_segment_past_its_page)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, 0, 1, 3584, 1024, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, 0, 1, 0, 8192, &sent) == -EINVAL && !sent);
	return 0;
}

KTEST(blk_rejects_bad_segment_counts)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, 0, 0, 0, 512, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, 0, BLK_MAX_SEGS + 1, 0, 512, &sent) == -EINVAL
		  && !sent);
	KT_ASSERT(try_rw(&fake_whole, 0, BLK_MAX_SEGS, 0, 512, &sent) == 0 && sent);
	return 0;
}

KTEST(blk_rejects_read_past_device_end)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, 999, 1, 0, 1024, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, 1000, 1, 0, 512, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, 999, 1, 0, 512, &sent) == 0 && sent);
	return 0;
}

/* sector + nr must not wrap round to something small. */
KTEST(blk_rejects_sector_overflow)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_whole, UINT64_MAX, 1, 0, 512, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_whole, UINT64_MAX - 1, 1, 0, 1024, &sent) == -EINVAL
		  && !sent);
	return 0;
}

KTEST(blk_partition_adds_its_start_and_stops_at_its_end)
{
	bool sent;

	KT_ASSERT(try_rw(&fake_part, 10, 1, 0, 512, &sent) == 0 && sent);
	KT_ASSERT(fake_last_sector == 110);
	KT_ASSERT(try_rw(&fake_part, 49, 1, 0, 1024, &sent) == -EINVAL && !sent);
	KT_ASSERT(try_rw(&fake_part, 50, 1, 0, 512, &sent) == -EINVAL && !sent);
	return 0;
}

static void count_done(struct blk_request *rq)
{
	done_calls++;
}

KTEST(blk_completion_runs_done_and_returns_status)
{
	struct page *pg = alloc_page(ALLOC_KERNEL);
	struct blk_seg seg = { pg, 0, 512 };
	struct blk_request rq = { .bdev = &fake_whole, .dir = BLK_WRITE,
				  .segs = &seg, .nr_segs = 1, .done = count_done };
	unsigned int before = done_calls;
	int rc;

	KT_ASSERT(pg != NULL);
	wait_queue_init(&fake_disk.wait);
	fake_status = -EIO;
	rc = blk_submit(&rq);
	if (rc == 0)
		rc = blk_wait(&rq);
	fake_status = 0;
	free_page(pg);
	KT_ASSERT(rc == -EIO && rq.completed && rq.nr_sectors == 1);
	KT_ASSERT(done_calls == before + 1);
	return 0;
}

KTEST(blk_partition_table_parsed)
{
	struct block_device *b;

	NEED_TEST_DISKS();
	KT_ASSERT((b = blkdev_find("hda")) && b->nr_sectors == TD_DISK_SECTORS &&
		  b->start_sector == 0 && b->partno == 0);
	KT_ASSERT((b = blkdev_find("hda1")) && b->start_sector == TD_P1_START &&
		  b->nr_sectors == TD_P1_SECTORS && b->partno == 1);
	KT_ASSERT((b = blkdev_find("hda2")) && b->start_sector == TD_P2_START &&
		  b->nr_sectors == TD_P2_SECTORS && b->disk == blkdev_find("hda")->disk);
	KT_ASSERT(blkdev_find("hda4") == NULL);		/* type 0: unused */
	KT_ASSERT(blkdev_find("hdb1") == NULL);		/* no MBR on hdb */
	return 0;
}

/* Entry 3 says 30720 + 4096 sectors on a 32768-sector disk. */
KTEST(blk_partition_off_the_disk_refused)
{
	NEED_TEST_DISKS();
	KT_ASSERT(blkdev_find("hda") != NULL);
	KT_ASSERT(blkdev_find("hda3") == NULL);
	return 0;
}

/* Reading hda1's sector 0 gets the disk's sector 2048. */
KTEST(blk_partition_read_lands_at_its_start)
{
	struct blk_seg seg;
	struct block_device *b;
	int rc;

	NEED_TEST_DISKS();
	KT_ASSERT((b = blkdev_find("hda1")) != NULL);
	KT_ASSERT(td_alloc_segs(&seg, 1, NULL, NULL));
	td_poison(&seg, 1);
	rc = blk_rw(b, 0, BLK_READ, &seg, 1);
	if (rc == 0 && !td_match(&seg, 1, TD_P1_START, false))
		rc = -1;
	td_free_segs(&seg, 1);
	KT_ASSERT(rc == 0);
	return 0;
}

/* Past the end of a real partition and disk: -EINVAL, no command issued. */
KTEST(blk_real_disk_past_end_refused_nothing_sent)
{
	struct ata_stats before = ata_stats;
	struct blk_seg seg;
	struct block_device *p, *d;
	int r1, r2;

	NEED_TEST_DISKS();
	KT_ASSERT((p = blkdev_find("hda1")) && (d = blkdev_find("hda")));
	KT_ASSERT(td_alloc_segs(&seg, 1, NULL, NULL));
	r1 = blk_rw(p, TD_P1_SECTORS - 4, BLK_READ, &seg, 1);
	r2 = blk_rw(d, TD_DISK_SECTORS - 7, BLK_WRITE, &seg, 1);
	td_free_segs(&seg, 1);
	KT_ASSERT(r1 == -EINVAL && r2 == -EINVAL);
	KT_ASSERT(ata_stats.pio_cmds == before.pio_cmds &&
		  ata_stats.dma_cmds == before.dma_cmds);
	return 0;
}
