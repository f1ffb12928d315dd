/*
 * drivers/blkdev.c - the block layer: request checks, completion, disks and
 * their MBR partitions.  (In drivers/ rather than fs/: it sits between the
 * disk drivers and everything above, and the Makefile builds drivers/.)
 *
 * Owns: the table of block devices (whole disks and partitions).
 * Interface (include/blkdev.h):
 *   drivers:  disk_register(disk) once per disk, at boot, interrupts on;
 *             blk_complete(rq, status) from the interrupt handler.
 *   users:    blkdev_find("hda1") / blkdev_get(i), then blk_submit + blk_wait,
 *             or blk_rw for one synchronous transfer.
 * Invariants: a registered block device lies inside its disk
 *   (start_sector + nr_sectors <= disk->nr_sectors), checked when the
 *   partition table is read; a request handed to a driver lies inside its
 *   block device and is well formed (blk_check).  Block devices are never
 *   unregistered, so pointers to them stay valid.
 * Locks: none of its own.  The table is written only at boot, before anyone
 *   looks things up.  blk_complete runs in the interrupt handler, with the
 *   driver's channel lock already dropped (so done() may submit again).
 * Sleeps: blk_wait, blk_rw and disk_register (which reads sector 0).
 */
#include <blkdev.h>
#include <devfs.h>
#include <errno.h>
#include <kernel.h>
#include <string.h>

#define MAX_BLKDEVS	24	/* 4 disks x (whole + 4 partitions), and room */

/* MBR layout: the partition table at byte 446, signature 0x55 0xAA at 510. */
#define MBR_TABLE_OFF	0x1BE
#define MBR_ENTRY_SIZE	16
#define MBR_NR_ENTRIES	4
#define MBR_SIG_OFF	510
#define MBR_TYPE_OFF	4	/* within an entry */
#define MBR_START_OFF	8	/* LBA of the first sector, little-endian */
#define MBR_COUNT_OFF	12	/* number of sectors */

static struct block_device blkdevs[MAX_BLKDEVS];	/* [I] after boot */
static unsigned int nr_blkdevs;

/* Is every segment 4-byte aligned and inside its page, and the total a
 * non-zero multiple of SECTOR_SIZE?  Sets rq->nr_sectors if so. */
static bool blk_segs_ok(struct blk_request *rq)
{
	uint32_t total = 0;

	if (!rq->segs || rq->nr_segs == 0 || rq->nr_segs > BLK_MAX_SEGS)
		return false;
	for (unsigned int i = 0; i < rq->nr_segs; i++) {
		const struct blk_seg *s = &rq->segs[i];

		if (!s->page || s->len == 0 || (s->offset | s->len) & 3)
			return false;
		if (s->len > PAGE_SIZE || s->offset > PAGE_SIZE - s->len)
			return false;
		total += s->len;	/* <= 128 pages: no overflow */
	}
	if (total % SECTOR_SIZE)
		return false;
	rq->nr_sectors = total / SECTOR_SIZE;
	return true;
}

/* Well formed and inside its device?  Written overflow-safe. */
static bool blk_check(struct blk_request *rq)
{
	const struct block_device *b = rq->bdev;
	uint64_t nr;

	if (!b || !b->disk || (rq->dir != BLK_READ && rq->dir != BLK_WRITE))
		return false;
	if (!blk_segs_ok(rq))
		return false;
	nr = rq->nr_sectors;
	return !(nr > b->nr_sectors || rq->sector > b->nr_sectors - nr);
}

/*
 * blk_submit - check rq and hand it to its disk's driver.
 * Context: interrupts on or off, no spin lock held (the driver takes its own).
 * Return: 0 when queued (completion comes through done/blk_wait); -EINVAL for
 * a malformed or out-of-range request, in which case nothing reaches the disk.
 */
int blk_submit(struct blk_request *rq)
{
	if (!rq || !blk_check(rq))
		return -EINVAL;
	rq->disk_sector = rq->sector + rq->bdev->start_sector;
	rq->completed = false;
	rq->status = 0;
	rq->bdev->disk->ops->submit(rq->bdev->disk, rq);
	return 0;
}

/* blk_complete - the driver is done with rq.  Called from the interrupt
 * handler, without the driver's lock held. */
void blk_complete(struct blk_request *rq, int status)
{
	rq->status = status;
	rq->completed = true;
	if (rq->done)
		rq->done(rq);
	wake_up(&rq->bdev->disk->wait);
}

/* blk_wait - sleep until rq completes.  Return: 0 or -EIO.  May sleep. */
int blk_wait(struct blk_request *rq)
{
	wait_event(&rq->bdev->disk->wait, rq->completed);
	return rq->status;
}

/* blk_rw - one synchronous transfer.  Return: 0, -EINVAL or -EIO. */
int blk_rw(struct block_device *bdev, uint64_t sector, enum blk_dir dir,
	   struct blk_seg *segs, unsigned int nr_segs)
{
	struct blk_request rq = { .bdev = bdev, .sector = sector, .dir = dir,
				  .segs = segs, .nr_segs = nr_segs };
	int rc = blk_submit(&rq);

	return rc ? rc : blk_wait(&rq);
}

static struct block_device *blkdev_add(struct disk *disk, unsigned int partno,
				       uint64_t start, uint64_t nr)
{
	struct block_device *b;

	assert(partno <= MBR_NR_ENTRIES);	/* so the name fits, too */
	if (nr_blkdevs == MAX_BLKDEVS) {
		printk(KERN_ERR "blk: too many block devices, %s%u ignored\n",
		       disk->name, partno);
		return NULL;
	}
	b = &blkdevs[nr_blkdevs++];
	b->disk = disk;
	b->partno = partno;
	b->start_sector = start;
	b->nr_sectors = nr;
	if (partno)
		snprintf(b->name, sizeof(b->name), "%s%u", disk->name, partno);
	else
		strlcpy(b->name, disk->name, sizeof(b->name));
	return b;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One MBR entry: registered if in use and inside the disk, else refused. */
static void parse_mbr_entry(struct disk *disk, const uint8_t *e, unsigned int partno)
{
	uint64_t start = get_le32(e + MBR_START_OFF);
	uint64_t nr = get_le32(e + MBR_COUNT_OFF);
	struct block_device *b;

	if (e[MBR_TYPE_OFF] == 0)
		return;
	if (start == 0 || nr == 0 || nr > disk->nr_sectors ||
	    start > disk->nr_sectors - nr) {
		printk(KERN_ERR "%s%u: refused: sectors %llu+%llu do not fit the "
		       "disk (%llu sectors)\n", disk->name, partno,
		       (unsigned long long)start, (unsigned long long)nr,
		       (unsigned long long)disk->nr_sectors);
		return;
	}
	b = blkdev_add(disk, partno, start, nr);
	if (b)
		printk("%s: start %llu, %llu sectors (%llu MiB), type %02x\n",
		       b->name, (unsigned long long)start, (unsigned long long)nr,
		       (unsigned long long)(nr >> 11), e[MBR_TYPE_OFF]);
}

/* Read sector 0 of the whole disk and register its primary partitions. */
static int read_partitions(struct block_device *whole)
{
	struct page *pg = alloc_page(ALLOC_KERNEL);
	struct blk_seg seg = { pg, 0, SECTOR_SIZE };
	const uint8_t *mbr;
	int rc;

	if (!pg)
		return -ENOMEM;
	rc = blk_rw(whole, 0, BLK_READ, &seg, 1);
	mbr = page_to_kva(pg);
	if (rc == 0 && mbr[MBR_SIG_OFF] == 0x55 && mbr[MBR_SIG_OFF + 1] == 0xAA) {
		for (unsigned int i = 0; i < MBR_NR_ENTRIES; i++)
			parse_mbr_entry(whole->disk, mbr + MBR_TABLE_OFF +
					i * MBR_ENTRY_SIZE, i + 1);
	} else if (rc == 0) {
		printk("%s: no partition table\n", whole->name);
	}
	free_page(pg);
	return rc;
}

/*
 * disk_register - make a disk and its partitions visible.
 * Context: boot, interrupts on (it waits for sector 0).  May sleep.
 * Return: 0; -ENOMEM if the table is full; -EIO if sector 0 cannot be read
 * (the whole disk stays registered).
 */
int disk_register(struct disk *disk)
{
	struct block_device *whole;

	wait_queue_init(&disk->wait);
	whole = blkdev_add(disk, 0, 0, disk->nr_sectors);
	if (!whole)
		return -ENOMEM;
	return read_partitions(whole);
}

struct block_device *blkdev_find(const char *name)
{
	for (unsigned int i = 0; i < nr_blkdevs; i++)
		if (strcmp(blkdevs[i].name, name) == 0)
			return &blkdevs[i];
	return NULL;
}

/* Linux's major numbers for IDE (Documentation/admin-guide/devices.txt). */
#define IDE0_MAJOR	3
#define IDE1_MAJOR	22
#define IDE_MINORS	64		/* per disk: the disk and 63 partitions */

/**
 * blkdev_number - bdev's device number, Linux's for IDE: hda 3:0, hda1
 * 3:1, hdb 3:64, hdc 22:0, hdd 22:64 (st_rdev of its /dev file, st_dev of
 * the files of a filesystem on it).
 * Return: the number (include/devfs.h encoding), or 0 for a disk whose
 * name is not hd[a-d].
 */
uint32_t blkdev_number(const struct block_device *bdev)
{
	const char *name = bdev->disk->name;
	unsigned int unit;

	if (strncmp(name, "hd", 2) || name[2] < 'a' || name[2] > 'd' || name[3])
		return 0;
	unit = (unsigned int)(name[2] - 'a');
	return MKDEV(unit < 2 ? IDE0_MAJOR : IDE1_MAJOR,
		     (unit % 2) * IDE_MINORS + bdev->partno);
}

struct block_device *blkdev_get(unsigned int index)
{
	return index < nr_blkdevs ? &blkdevs[index] : NULL;
}
