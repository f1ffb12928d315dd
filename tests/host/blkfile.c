/*
 * tests/host/blkfile.c - a block layer for host tests: block devices backed
 * by image files, read and written with pread/pwrite.
 *
 * Implements the include/blkdev.h calls that fs/buffer.c makes (blk_submit,
 * blk_wait, blk_rw, blk_complete, blkdev_find, blkdev_get) for host unit
 * tests only; the kernel's block layer is drivers/blkdev.c.  Requests
 * complete synchronously inside blk_submit, so wait_event() never waits.
 * Also provides jiffies_read(), which fs/buffer.c and fs/vfs.c call: time
 * stands still on the host.
 *
 * Use: struct block_device *bdev = host_blkfile_open("x.img", "hda");
 *      ... ; host_blkfile_close(bdev);
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blkdev.h>
#include <errno.h>
#include <kernel.h>
#include <string.h>
#include "blkfile.h"

#define MAX_FILES	4

static struct host_blkfile {
	struct disk disk;
	struct block_device bdev;
	int fd;
} *files[MAX_FILES];

uint64_t jiffies_read(void)
{
	return 0;
}

struct block_device *host_blkfile_open(const char *path, const char *name)
{
	struct host_blkfile *f;
	struct stat st;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	for (int i = 0; i < MAX_FILES; i++) {
		if (files[i])
			continue;
		f = calloc(1, sizeof(*f));
		f->fd = fd;
		strlcpy(f->disk.name, name, sizeof(f->disk.name));
		f->disk.nr_sectors = st.st_size / SECTOR_SIZE;
		strlcpy(f->bdev.name, name, sizeof(f->bdev.name));
		f->bdev.disk = &f->disk;
		f->bdev.nr_sectors = f->disk.nr_sectors;
		files[i] = f;
		return &f->bdev;
	}
	close(fd);
	return NULL;
}

void host_blkfile_close(struct block_device *bdev)
{
	for (int i = 0; i < MAX_FILES; i++) {
		if (files[i] && &files[i]->bdev == bdev) {
			close(files[i]->fd);
			free(files[i]);
			files[i] = NULL;
		}
	}
}

static struct host_blkfile *file_of(struct block_device *bdev)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i] && &files[i]->bdev == bdev)
			return files[i];
	return NULL;
}

/* The same checks as the real blk_submit, then the transfer, at once. */
int blk_submit(struct blk_request *rq)
{
	struct host_blkfile *f = file_of(rq->bdev);
	uint64_t total = 0;
	off_t pos;

	if (!f || rq->nr_segs == 0 || rq->nr_segs > BLK_MAX_SEGS)
		return -EINVAL;
	for (unsigned int i = 0; i < rq->nr_segs; i++) {
		const struct blk_seg *s = &rq->segs[i];

		if (s->offset % 4 || s->len % 4 || s->offset + s->len > PAGE_SIZE)
			return -EINVAL;
		total += s->len;
	}
	if (total == 0 || total % SECTOR_SIZE ||
	    rq->sector + total / SECTOR_SIZE > rq->bdev->nr_sectors)
		return -EINVAL;
	rq->nr_sectors = total / SECTOR_SIZE;
	rq->disk_sector = rq->sector + rq->bdev->start_sector;
	pos = (off_t)rq->disk_sector * SECTOR_SIZE;
	rq->status = 0;
	for (unsigned int i = 0; i < rq->nr_segs; i++) {
		const struct blk_seg *s = &rq->segs[i];
		char *kva = (char *)page_to_kva(s->page) + s->offset;
		ssize_t n = rq->dir == BLK_READ ? pread(f->fd, kva, s->len, pos)
						: pwrite(f->fd, kva, s->len, pos);

		if (n != (ssize_t)s->len)
			rq->status = -EIO;
		pos += s->len;
	}
	blk_complete(rq, rq->status);
	return 0;
}

void blk_complete(struct blk_request *rq, int status)
{
	rq->status = status;
	rq->completed = true;
	if (rq->done)
		rq->done(rq);
}

int blk_wait(struct blk_request *rq)
{
	return rq->status;
}

int blk_rw(struct block_device *bdev, uint64_t sector, enum blk_dir dir,
	   struct blk_seg *segs, unsigned int nr_segs)
{
	struct blk_request rq = { .bdev = bdev, .sector = sector, .dir = dir,
				  .segs = segs, .nr_segs = nr_segs };
	int err = blk_submit(&rq);

	return err ? err : blk_wait(&rq);
}

struct block_device *blkdev_get(unsigned int index)
{
	for (int i = 0, n = 0; i < MAX_FILES; i++)
		if (files[i] && n++ == (int)index)
			return &files[i]->bdev;
	return NULL;
}

struct block_device *blkdev_find(const char *name)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i] && !strcmp(files[i]->bdev.name, name))
			return &files[i]->bdev;
	return NULL;
}
