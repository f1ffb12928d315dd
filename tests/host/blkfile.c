/*
 * tests/host/blkfile.c - a disk driver for host tests: image files read and
 * written with pread/pwrite.
 *
 * Host tests run the real block layer, drivers/blkdev.c: this file only
 * supplies a struct disk whose submit() does the transfer at once and calls
 * blk_complete(), so wait_event() never waits.  disk_register() then reads
 * the image's sector 0 as on a real disk (a bare filesystem image has no
 * partition table and is one whole-disk device named as asked).
 * The block layer cannot unregister a disk, so a name is registered once per
 * test process; opening it again points the same disk at the file anew.
 * Also provides jiffies_read(), which fs/buffer.c and fs/vfs.c call (time
 * stands still on the host), and the scheduler's sleep_on/wake_up: requests
 * complete before submit returns, so nothing ever has to wait, and a sleep
 * would be a bug; and mutexes, which the one thread takes at once and
 * counts, so that mutex_held tells the truth: the allocator asks whether
 * fs_lock is held (mm/reclaim.c), and a test that calls the filesystem
 * takes fs_lock first, as the kernel's callers do.  (The one thread's
 * struct task, current, is tests/host/task.c's.)
 *
 * Use: struct block_device *bdev = host_blkfile_open("x.img", "hda1");
 *      ... ; host_blkfile_close(bdev);
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blkdev.h>
#include <buf.h>
#include <errno.h>
#include <kernel.h>
#include <mutex.h>
#include <string.h>
#include "blkfile.h"

struct host_blkfile {
	struct disk disk;
	int fd;			/* -1 while closed: requests fail with -EIO */
};

uint64_t jiffies_read(void)
{
	return 0;
}

void sleep_on(struct wait_queue *wq, enum sleep_kind kind)
{
	panic("host: sleep_on: a request did not complete synchronously");
}

void wake_up(struct wait_queue *wq)
{
}

/* The filesystem lock (fs/fd.c in the kernel). */
struct mutex fs_lock = MUTEX_INIT(fs_lock, "fs_lock", true);

/* One thread: a mutex is free or ours; depth counts our locks. */
void mutex_lock(struct mutex *m)
{
	if (m->depth && !m->recursive)
		panic("mutex %s: taken twice (self-deadlock)", m->name);
	m->depth++;
}

void mutex_unlock(struct mutex *m)
{
	if (!m->depth)
		panic("mutex %s: released while not held", m->name);
	m->depth--;
}

bool mutex_held(const struct mutex *m)
{
	return m->depth > 0;
}

static void blkfile_submit(struct disk *disk, struct blk_request *rq)
{
	struct host_blkfile *f = disk->driver_data;
	off_t pos = (off_t)rq->disk_sector * SECTOR_SIZE;
	int status = f->fd < 0 ? -EIO : 0;

	for (unsigned int i = 0; !status && i < rq->nr_segs; i++) {
		const struct blk_seg *s = &rq->segs[i];
		char *kva = (char *)page_to_kva(s->page) + s->offset;
		ssize_t n = rq->dir == BLK_READ ? pread(f->fd, kva, s->len, pos)
						: pwrite(f->fd, kva, s->len, pos);

		if (n != (ssize_t)s->len)
			status = -EIO;
		pos += s->len;
	}
	blk_complete(rq, status);
}

static const struct disk_ops blkfile_ops = { .submit = blkfile_submit };

static struct host_blkfile *register_file(const char *name, uint64_t nr_sectors, int fd)
{
	struct host_blkfile *f = calloc(1, sizeof(*f));

	f->fd = fd;
	strlcpy(f->disk.name, name, sizeof(f->disk.name));
	f->disk.nr_sectors = nr_sectors;
	f->disk.ops = &blkfile_ops;
	f->disk.driver_data = f;
	wait_queue_init(&f->disk.wait);
	if (disk_register(&f->disk) < 0) {
		free(f);	/* never registered: nothing points at it */
		return NULL;
	}
	return f;
}

struct block_device *host_blkfile_open(const char *path, const char *name)
{
	struct block_device *bdev = blkdev_find(name);
	struct stat st;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st) < 0)
		goto fail;
	if (!bdev) {
		if (!register_file(name, st.st_size / SECTOR_SIZE, fd))
			goto fail;
		return blkdev_find(name);
	}
	if (bdev->disk->nr_sectors != (uint64_t)st.st_size / SECTOR_SIZE)
		goto fail;		/* the registered disk has another size */
	((struct host_blkfile *)bdev->disk->driver_data)->fd = fd;
	return bdev;
fail:
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Close the file and drop its cached blocks, so a reopen reads the image as
 * it is now (a test may have changed it in between). */
void host_blkfile_close(struct block_device *bdev)
{
	struct host_blkfile *f = bdev->disk->driver_data;

	buf_forget(bdev);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}
