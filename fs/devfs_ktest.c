/*
 * fs/devfs_ktest.c - self-tests of devfs (fs/devfs.c) and of mounting it
 * and procfs on an ext2 directory (fs/vfs.c: vfs_mount, lookup across
 * mounts), through struct file as a process would use them
 * (fs/ktest_files.h).
 *
 * Every boot: the directory, null and zero.  Boots with "testdisk" (the
 * disks of tools/testdisk.py): the disk files' numbers, reads checked
 * against the disks' pattern, bounds, and an unaligned write to the scratch
 * partition that is put back afterwards.  Boots with "testfs" (an ext2
 * fixture on hda1): devfs and procfs mounted on directories of it.
 */
#include <blkdev.h>
#include <buf.h>
#include <cmdline.h>
#include <devfs.h>
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <procfs.h>
#include <string.h>
#include <vfs.h>
#include "../drivers/testdisk.h"
#include "ktest_files.h"

/* mode and rdev of path in sb; false if it is not there. */
static bool node_is(struct super_block *sb, const char *path, uint16_t mode,
		    uint32_t rdev)
{
	struct inode *inode;
	bool ok;

	if (vfs_lookup(sb->root, sb->root, path, 0, &inode))
		return false;
	ok = inode->mode == mode && inode->rdev == rdev;
	iput(inode);
	return ok;
}

KTEST(devfs_lists_and_stats_its_files)
{
	struct super_block *sb = devfs_create();
	struct kt_names n = { .len = 0 };
	struct inode *inode;
	uint64_t pos = 0;

	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(vfs_readdir(sb->root, &pos, kt_add_name, &n) == 0);
	KT_ASSERT(kt_lists(&n, ".") && kt_lists(&n, "..") &&
		  kt_lists(&n, "null") && kt_lists(&n, "zero"));
	KT_ASSERT(node_is(sb, "/null", S_IFCHR | 0666, MKDEV(1, 3)));
	KT_ASSERT(node_is(sb, "zero", S_IFCHR | 0666, MKDEV(1, 5)));
	KT_ASSERT(MAJOR(MKDEV(22, 64)) == 22 && MINOR(MKDEV(22, 64)) == 64);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/nope", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/null/x", 0, &inode) == -ENOTDIR);
	KT_ASSERT(vfs_create(sb->root, "new", 0644, &inode) == -EROFS);
	KT_ASSERT(vfs_unlink(sb->root, "null") == -EROFS);
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

KTEST(devfs_null_and_zero)
{
	static uint8_t buf[5000];
	struct super_block *sb = devfs_create();
	struct user_window w;
	struct file *f;
	bool zeros = true;

	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(user_window_open(&w, sizeof(buf)) == 0);
	f = kt_open(sb->root, "/zero", O_RDWR);
	KT_ASSERT(!IS_ERR(f));
	memset(buf, 0xAA, sizeof(buf));
	KT_ASSERT(kt_write(f, &w, buf, sizeof(buf)) == sizeof(buf));	/* gone */
	KT_ASSERT(kt_read(f, &w, buf, sizeof(buf)) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	KT_ASSERT(zeros);
	KT_ASSERT(f->ops->llseek(f, 1234, SEEK_SET) == 0);
	file_put(f);
	f = kt_open(sb->root, "/null", O_RDWR);
	KT_ASSERT(!IS_ERR(f));
	KT_ASSERT(kt_read(f, &w, buf, sizeof(buf)) == 0);
	KT_ASSERT(kt_write(f, &w, buf, sizeof(buf)) == sizeof(buf));
	file_put(f);
	user_window_close(&w);
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

/* ---- disks (tools/testdisk.py) ---- */

KTEST(devfs_disk_files_have_linux_numbers)
{
	struct super_block *sb;
	struct inode *inode;

	NEED_TEST_DISKS();
	sb = devfs_create();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(node_is(sb, "/hda", S_IFBLK | 0660, MKDEV(3, 0)));
	KT_ASSERT(node_is(sb, "/hda1", S_IFBLK | 0660, MKDEV(3, 1)));
	KT_ASSERT(node_is(sb, "/hda2", S_IFBLK | 0660, MKDEV(3, 2)));
	KT_ASSERT(node_is(sb, "/hdb", S_IFBLK | 0660, MKDEV(3, 64)));
	KT_ASSERT(node_is(sb, "/hdd", S_IFBLK | 0660, MKDEV(22, 64)));
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/hda3", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/hdc", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

/* Byte off of disk sector s as tools/testdisk.py wrote it. */
static uint8_t disk_byte(uint64_t s, uint32_t off)
{
	return (uint8_t)(pattern_word(s, off / 4, false) >> (off % 4 * 8));
}

/* Do len bytes of buf match the disk from byte disk_off on? */
static bool matches_disk(const uint8_t *buf, size_t len, uint64_t disk_off)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t at = disk_off + i;

		if (buf[i] != disk_byte(at / SECTOR_SIZE, at % SECTOR_SIZE))
			return false;
	}
	return true;
}

/* cat /dev/hdd: all of it, in odd-sized reads, then 0 at the end. */
KTEST(devfs_disk_reads_whole_device)
{
	static uint8_t buf[3000];
	struct super_block *sb;
	struct user_window w;
	uint64_t total = 0;
	struct file *f;
	bool same = true;
	long n;

	NEED_TEST_DISKS();
	sb = devfs_create();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(user_window_open(&w, sizeof(buf)) == 0);
	f = kt_open(sb->root, "/hdd", O_RDONLY);
	KT_ASSERT(!IS_ERR(f));
	while ((n = kt_read(f, &w, buf, sizeof(buf))) > 0) {
		same &= matches_disk(buf, (size_t)n, total);
		total += (uint64_t)n;
	}
	KT_ASSERT(n == 0 && same);
	KT_ASSERT(total == (uint64_t)TD_SMALL_SECTORS * SECTOR_SIZE);
	KT_ASSERT(f->ops->llseek(f, 0, SEEK_END) == (int64_t)total);
	KT_ASSERT(f->ops->llseek(f, 1, SEEK_END) == -EINVAL);
	KT_ASSERT(f->ops->llseek(f, -1, SEEK_SET) == -EINVAL);
	file_put(f);
	f = kt_open(sb->root, "/hda1", O_RDONLY);	/* a partition, unaligned */
	KT_ASSERT(!IS_ERR(f));
	KT_ASSERT(f->ops->llseek(f, 700, SEEK_SET) == 700);
	KT_ASSERT(kt_read(f, &w, buf, sizeof(buf)) == sizeof(buf));
	KT_ASSERT(matches_disk(buf, sizeof(buf), TD_P1_START * SECTOR_SIZE + 700));
	file_put(f);
	user_window_close(&w);
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

/* Read sectors [sector, sector + 8) of bdev into a fresh page. */
static struct page *read_sectors(struct block_device *bdev, uint64_t sector)
{
	struct page *pg = alloc_page(ALLOC_KERNEL);
	struct blk_seg seg = { pg, 0, PAGE_SIZE };

	if (pg && blk_rw(bdev, sector, BLK_READ, &seg, 1)) {
		free_page(pg);
		return NULL;
	}
	return pg;
}

#define SCRATCH_OFF	(1000u * SECTOR_SIZE + 100)	/* in hda2, unaligned */
#define SCRATCH_LEN	2000u

/* An unaligned write lands exactly where it should, neighbours intact;
 * the original pattern is written back the same way.  Past the end:
 * a write stops there, then -ENOSPC. */
KTEST(devfs_disk_write_in_place)
{
	static uint8_t buf[SCRATCH_LEN];
	struct block_device *hda2 = blkdev_find("hda2");
	uint64_t disk_off = (uint64_t)TD_P2_START * SECTOR_SIZE + SCRATCH_OFF;
	struct super_block *sb;
	struct user_window w;
	struct page *pg;
	uint8_t *kva;
	struct file *f;
	bool ok;

	NEED_TEST_DISKS();
	KT_ASSERT(hda2);
	sb = devfs_create();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(user_window_open(&w, sizeof(buf)) == 0);
	f = kt_open(sb->root, "/hda2", O_RDWR);
	KT_ASSERT(!IS_ERR(f));
	memset(buf, 0x5A, sizeof(buf));
	KT_ASSERT(f->ops->llseek(f, SCRATCH_OFF, SEEK_SET) == SCRATCH_OFF);
	KT_ASSERT(kt_write(f, &w, buf, sizeof(buf)) == sizeof(buf));
	pg = read_sectors(hda2, SCRATCH_OFF / SECTOR_SIZE);
	KT_ASSERT(pg);
	kva = page_to_kva(pg);
	ok = matches_disk(kva, 100, disk_off - 100) &&
	     !memcmp(kva + 100, buf, SCRATCH_LEN) &&
	     matches_disk(kva + 100 + SCRATCH_LEN, PAGE_SIZE - 100 - SCRATCH_LEN,
			  disk_off + SCRATCH_LEN);
	free_page(pg);
	KT_ASSERT(ok);
	for (uint32_t i = 0; i < SCRATCH_LEN; i++)	/* put it back */
		buf[i] = disk_byte((disk_off + i) / SECTOR_SIZE,
				   (disk_off + i) % SECTOR_SIZE);
	KT_ASSERT(f->ops->llseek(f, SCRATCH_OFF, SEEK_SET) == SCRATCH_OFF);
	KT_ASSERT(kt_write(f, &w, buf, sizeof(buf)) == sizeof(buf));
	pg = read_sectors(hda2, SCRATCH_OFF / SECTOR_SIZE);
	KT_ASSERT(pg);
	ok = matches_disk(page_to_kva(pg), PAGE_SIZE, disk_off - 100);
	free_page(pg);
	KT_ASSERT(ok);
	KT_ASSERT(f->ops->llseek(f, 0, SEEK_END) == TD_P2_SECTORS * SECTOR_SIZE);
	KT_ASSERT(kt_write(f, &w, buf, 1) == -ENOSPC);
	KT_ASSERT(kt_read(f, &w, buf, 1) == 0);
	file_put(f);
	user_window_close(&w);
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

/* ---- mounted on an ext2 fixture (tools/fsfixture.py) ---- */

static bool names_same(struct inode *root, const char *a, const char *b)
{
	struct inode *x, *y;
	bool same;

	if (vfs_lookup(root, root, a, 0, &x))
		return false;
	if (vfs_lookup(root, root, b, 0, &y)) {
		iput(x);
		return false;
	}
	same = x == y;
	iput(x);
	iput(y);
	return same;
}

/* Make dir in root, mount sb on it.  Return: 0 or -errno. */
static int mount_on_new_dir(struct inode *root, const char *dir,
			    struct super_block *sb)
{
	struct inode *d;
	int err = vfs_mkdir(root, dir, 0755);

	if (!err)
		err = vfs_lookup(root, root, dir, 0, &d);
	if (err)
		return err;
	err = vfs_mount(sb, d);
	iput(d);
	return err;
}

KTEST(devfs_and_procfs_mounted_on_ext2)
{
	struct block_device *hda1 = blkdev_find("hda1");
	struct super_block *ext2, *dev, *proc;
	struct user_window w;
	uint8_t magic[2];
	char line[16];
	struct file *f;

	if (!cmdline_has("testfs"))
		return 0;
	KT_ASSERT(hda1);
	ext2 = ext2_mount(hda1, false);
	KT_ASSERT(!IS_ERR(ext2));
	dev = devfs_create();
	proc = procfs_create();
	KT_ASSERT(!IS_ERR(dev) && !IS_ERR(proc));
	KT_ASSERT(mount_on_new_dir(ext2->root, "kt-dev", dev) == 0);
	KT_ASSERT(mount_on_new_dir(ext2->root, "kt-proc", proc) == 0);
	KT_ASSERT(names_same(ext2->root, "/kt-dev", "/kt-dev/."));
	KT_ASSERT(names_same(ext2->root, "/kt-dev/..", "/"));
	KT_ASSERT(names_same(ext2->root, "/kt-proc/../kt-dev/..", "/kt-proc/.."));
	KT_ASSERT(vfs_rmdir(ext2->root, "kt-dev") == -EBUSY);
	KT_ASSERT(user_window_open(&w, PAGE_SIZE) == 0);
	f = kt_open(ext2->root, "/kt-dev/hda1", O_RDONLY);	/* the fs itself */
	KT_ASSERT(!IS_ERR(f));
	KT_ASSERT(f->ops->llseek(f, 1024 + 56, SEEK_SET) == 1080);	/* s_magic */
	KT_ASSERT(kt_read(f, &w, magic, 2) == 2);
	KT_ASSERT(magic[0] == 0x53 && magic[1] == 0xEF);
	file_put(f);
	f = kt_open(ext2->root, "kt-proc/meminfo", O_RDONLY);
	KT_ASSERT(!IS_ERR(f));
	KT_ASSERT(kt_read(f, &w, line, 9) == 9 && !memcmp(line, "MemTotal:", 9));
	file_put(f);
	user_window_close(&w);
	KT_ASSERT(vfs_umount(ext2) == -EBUSY);	/* the mounts hold it */
	KT_ASSERT(vfs_umount(dev) == 0 && vfs_umount(proc) == 0);
	KT_ASSERT(vfs_rmdir(ext2->root, "kt-dev") == 0);
	KT_ASSERT(vfs_rmdir(ext2->root, "kt-proc") == 0);
	KT_ASSERT(vfs_umount(ext2) == 0);
	buf_forget(hda1);
	return 0;
}
