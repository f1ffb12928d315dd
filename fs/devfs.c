/*
 * fs/devfs.c - /dev: a filesystem the kernel makes up, one file per device.
 *
 * Owns: the table of devices (devices[]), filled once by the first
 * devfs_create and never changed: console (5:1) and tty (5:0), the
 * terminal (tty_file_ops, include/tty.h); null (1:3) and zero (1:5); and
 * one block-device file per disk and partition the block layer knows,
 * with Linux's IDE numbers (hda 3:0, hda1 3:1, hdb 3:64, hdc 22:0, hdd
 * 22:64).  And the devfs superblocks that show that table.
 *
 * A device file opens its device by type and number (device_open), as on
 * Linux: /dev's files, and those mknod(2) makes on a disk filesystem,
 * which get their file_ops from init_special_inode (FIFOs too).
 * The names cannot change: every namespace call gets -EROFS (the
 * superblock is read_only), but the devices themselves read and write.
 *
 * Interface (include/devfs.h): devfs_create(), then vfs_mount on /dev.
 * Lookup and readdir go through devfs_dir_ops; open() gives the device's
 * file_ops, with f->private the device's own (a block device's struct
 * block_device).  Block-device files move data with blk_rw, in
 * whole sectors through a bounce of at most XFER_PAGES pages per request:
 * no caching, as raw devices do.  The buffer cache is written back when a
 * disk file is opened, so what a mounted filesystem wrote is there to read.
 *
 * Inode numbers: 1 for the directory, 2 + index for entry index.
 * Invariants: entries are fixed after devfs_create; an entry's inode has
 * nlink 1 and is never written back or deleted.
 * Locks: none.  The table is read-only after creation; a block transfer
 * keeps its state on its stack and in its own bounce pages.  May sleep:
 * disk I/O and user copies.
 */
#include <blkdev.h>
#include <buf.h>
#include <devfs.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>
#include <uaccess.h>
#include <vfs.h>

#define DEVFS_ROOT_INO	1
#define DEVFS_MAX	32		/* 4 fixed + the block layer's 24 */
#define XFER_PAGES	16		/* 64 KiB per disk request */

/* Linux's major numbers (Documentation/admin-guide/devices.txt). */
#define MEM_MAJOR	1
#define TTYAUX_MAJOR	5

/* Directory-entry types as getdents64 reports them (Linux's DT_*). */
enum { DT_CHR = 2, DT_DIR = 4, DT_BLK = 6 };

#define DEVFS_DEV	MKDEV(0, 5)	/* st_dev: an anonymous number, as
					   Linux's devtmpfs usually has */

struct devfs_entry {
	char name[12];
	uint16_t mode;			/* S_IFCHR or S_IFBLK, and permissions */
	uint32_t rdev;
	const struct file_ops *fops;
	void *private;			/* a block device's struct block_device */
};

struct devfs {
	struct super_block sb;
	uint32_t made;			/* time of devfs_create: every inode's */
};

/* Every device the kernel has, filled once (register_devices) and never
 * changed: what each devfs shows, and what a device file anywhere (an ext2
 * mknod) opens, by its type and number. */
static struct devfs_entry devices[DEVFS_MAX];
static unsigned int nr_devices;

/* ---- /dev/null and /dev/zero ---- */

static long null_read(struct file *f, void __user *buf, size_t len,
		      uint64_t *pos)
{
	return 0;
}

/* Whatever is written is taken, and gone. */
static long null_write(struct file *f, const void __user *buf, size_t len,
		       uint64_t *pos)
{
	return (long)MIN(len, (size_t)MAX_RW_COUNT);
}

static long zero_read(struct file *f, void __user *buf, size_t len,
		      uint64_t *pos)
{
	size_t n = clear_user_partial(buf, MIN(len, (size_t)MAX_RW_COUNT));

	return n ? (long)n : -EFAULT;
}

/* Both are endless and have no place: any seek lands at 0, as on Linux. */
static int64_t null_llseek(struct file *f, int64_t off, int whence)
{
	f->pos = 0;
	return 0;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = null_write, .llseek = null_llseek,
};

static const struct file_ops zero_ops = {
	.read = zero_read, .write = null_write, .llseek = null_llseek,
};

/* ---- disks and partitions ---- */

/* A bounce buffer of whole pages, as the segments of one disk request. */
struct bounce {
	struct blk_seg seg[XFER_PAGES];
	unsigned int nr;
};

static void bounce_free(struct bounce *b)
{
	for (unsigned int i = 0; i < b->nr; i++)
		free_page(b->seg[i].page);
}

/* Enough pages for bytes (a multiple of SECTOR_SIZE, at most XFER_PAGES
 * pages).  Return: 0 or -ENOMEM. */
static int bounce_alloc(struct bounce *b, uint32_t bytes)
{
	for (b->nr = 0; bytes; b->nr++) {
		struct blk_seg *s = &b->seg[b->nr];

		s->page = alloc_page(ALLOC_KERNEL);
		if (!s->page) {
			bounce_free(b);
			return -ENOMEM;
		}
		s->offset = 0;
		s->len = MIN(bytes, PAGE_SIZE);
		bytes -= s->len;
	}
	return 0;
}

/* Copy n bytes between the user's buffer and the bounce from byte off on.
 * Return: 0 or -EFAULT. */
static int bounce_copy(struct bounce *b, uint32_t off, char __user *ubuf,
		       size_t n, enum blk_dir dir)
{
	while (n) {
		char *kva = (char *)page_to_kva(b->seg[off / PAGE_SIZE].page) +
			    off % PAGE_SIZE;
		size_t k = MIN(n, (size_t)(PAGE_SIZE - off % PAGE_SIZE));
		int err = dir == BLK_READ ? copy_to_user(ubuf, kva, k)
					  : copy_from_user(kva, ubuf, k);

		if (err)
			return err;
		ubuf += k;
		off += k;
		n -= k;
	}
	return 0;
}

/* Move bytes [pos, pos + n) of bdev, all inside one bounce.  A write that
 * covers only part of a sector reads the sectors first.  Return: 0 or
 * -EFAULT, -EIO, -ENOMEM. */
static int disk_chunk(struct block_device *bdev, uint64_t pos,
		      char __user *ubuf, size_t n, enum blk_dir dir)
{
	uint64_t sector = pos / SECTOR_SIZE;
	uint32_t head = pos % SECTOR_SIZE;
	uint32_t bytes = ALIGN_UP(head + (uint32_t)n, SECTOR_SIZE);
	bool partial = head || (head + n) % SECTOR_SIZE;
	struct bounce b;
	int err = bounce_alloc(&b, bytes);

	if (err)
		return err;
	if (dir == BLK_READ || partial)
		err = blk_rw(bdev, sector, BLK_READ, b.seg, b.nr);
	if (!err)
		err = bounce_copy(&b, head, ubuf, n, dir);
	if (!err && dir == BLK_WRITE)
		err = blk_rw(bdev, sector, BLK_WRITE, b.seg, b.nr);
	bounce_free(&b);
	return err;
}

static uint64_t disk_bytes(const struct file *f)
{
	const struct block_device *bdev = f->private;

	return bdev->nr_sectors * SECTOR_SIZE;
}

/* Read or write from *pos, chunk by chunk.  Reading at the end gives 0,
 * writing there -ENOSPC; a transfer across the end stops at it.
 * Return: bytes moved, or -errno if none were. */
static long disk_io(struct file *f, char __user *ubuf, size_t len,
		    uint64_t *pos, enum blk_dir dir)
{
	uint64_t size = disk_bytes(f);
	size_t done = 0;
	int err = 0;

	if (*pos >= size)
		return dir == BLK_READ ? 0 : -ENOSPC;
	len = MIN((uint64_t)MIN(len, (size_t)MAX_RW_COUNT), size - *pos);
	while (done < len) {
		uint32_t head = *pos % SECTOR_SIZE;
		size_t n = MIN(len - done, (size_t)(XFER_PAGES * PAGE_SIZE - head));

		err = disk_chunk(f->private, *pos, ubuf + done, n, dir);
		if (err)
			break;
		*pos += n;
		done += n;
	}
	return done ? (long)done : err;
}

static long disk_read(struct file *f, void __user *buf, size_t len,
		      uint64_t *pos)
{
	return disk_io(f, buf, len, pos, BLK_READ);
}

static long disk_write(struct file *f, const void __user *buf, size_t len,
		       uint64_t *pos)
{
	return disk_io(f, (char __user *)buf, len, pos, BLK_WRITE);
}

/* Seek inside the device: [0, size], as Linux's fixed_size_llseek. */
static int64_t disk_llseek(struct file *f, int64_t off, int whence)
{
	int64_t size = (int64_t)disk_bytes(f), base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = size; break;
	default: return -EINVAL;
	}
	if (off < -base || off > size - base)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

/* Write back what filesystems have cached, so reads see it. */
static int disk_open(struct inode *inode, struct file *f)
{
	return bsync(NULL);
}

static const struct file_ops disk_ops = {
	.open = disk_open, .read = disk_read, .write = disk_write,
	.llseek = disk_llseek,
};

/* ---- device files, wherever they are ---- */

/* The device a device file names, by its type (S_IFCHR, S_IFBLK) and
 * number; NULL if the kernel has none. */
static const struct devfs_entry *find_device(uint16_t mode, uint32_t rdev)
{
	for (unsigned int i = 0; i < nr_devices; i++)
		if ((devices[i].mode & S_IFMT) == (mode & S_IFMT) &&
		    devices[i].rdev == rdev)
			return &devices[i];
	return NULL;
}

/* open() of a device file in /dev or on a disk: the file becomes the
 * device's, as Linux's chrdev_open does.  Return: 0, -ENXIO if there is
 * no such device, or the device's open's error. */
static int device_open(struct inode *inode, struct file *f)
{
	const struct devfs_entry *e = find_device(inode->mode, inode->rdev);

	if (!e)
		return -ENXIO;
	f->ops = e->fops;
	f->private = e->private;
	return e->fops->open ? e->fops->open(inode, f) : 0;
}

static const struct file_ops device_file_ops = {
	.open = device_open,
};

/**
 * init_special_inode - what open() gives for a device file or a FIFO of
 * any filesystem: the device (by inode->rdev) or a pipe (fs/pipe.c).
 * Sockets have nothing to open (-ENXIO, as Linux without the socket).
 */
void init_special_inode(struct inode *inode)
{
	switch (inode->mode & S_IFMT) {
	case S_IFCHR:
	case S_IFBLK:
		inode->fops = &device_file_ops;
		break;
	case S_IFIFO:
		inode->fops = &fifo_file_ops;
		break;
	default:
		inode->fops = &device_file_ops;	/* finds nothing: -ENXIO */
	}
}

/* ---- the directory ---- */

static void devfs_add(const char *name, uint16_t mode, uint32_t rdev,
		      const struct file_ops *fops, void *private)
{
	struct devfs_entry *e;

	if (nr_devices == DEVFS_MAX) {
		printk(KERN_ERR "devfs: no room for %s\n", name);
		return;
	}
	e = &devices[nr_devices++];
	strlcpy(e->name, name, sizeof(e->name));
	e->mode = mode;
	e->rdev = rdev;
	e->fops = fops;
	e->private = private;
}

static struct devfs *devfs_of(struct super_block *sb)
{
	return container_of(sb, struct devfs, sb);
}

static int devfs_lookup(struct inode *dir, const char *name, size_t len,
			uint32_t *ino)
{
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.')) {
		*ino = DEVFS_ROOT_INO;	/* the VFS climbs out of a mount */
		return 0;
	}
	for (unsigned int i = 0; i < nr_devices; i++) {
		if (strlen(devices[i].name) == len &&
		    !memcmp(devices[i].name, name, len)) {
			*ino = i + 2;
			return 0;
		}
	}
	return -ENOENT;
}

/* Entries in order: ".", "..", then the table; *pos counts them, so
 * entry i is at *pos 2 + i, which is also its inode number.  An entry fn
 * does not take (-1) is offered again next time. */
static int devfs_readdir(struct inode *dir, uint64_t *pos, filldir_t fn,
			 void *ctx)
{
	static const char *const dots[2] = { ".", ".." };
	int stop = 0;

	for (; !stop && *pos < 2 + (uint64_t)nr_devices; ) {
		const struct devfs_entry *e = &devices[*pos < 2 ? 0 : *pos - 2];

		if (*pos < 2)
			stop = fn(ctx, dots[*pos], *pos + 1, DEVFS_ROOT_INO, DT_DIR);
		else
			stop = fn(ctx, e->name, strlen(e->name), (uint32_t)*pos,
				  (e->mode & S_IFMT) == S_IFBLK ? DT_BLK : DT_CHR);
		if (stop >= 0)
			(*pos)++;
	}
	return 0;
}

static const struct inode_ops devfs_dir_ops = {
	.lookup = devfs_lookup, .readdir = devfs_readdir,
};

static const struct inode_ops devfs_node_ops;	/* no names, no blocks */

/* ---- the superblock ---- */

static struct inode *devfs_alloc_inode(struct super_block *sb)
{
	return kzalloc(sizeof(struct inode), ALLOC_NOFS);
}

static void devfs_destroy_inode(struct inode *inode)
{
	kfree(inode);
}

/* Fill an inode from the table: ino 1 is the directory, 2 + i entry i. */
static int devfs_read_inode(struct inode *inode)
{
	struct devfs *d = devfs_of(inode->sb);
	const struct devfs_entry *e;

	inode->atime = inode->mtime = inode->ctime = d->made;
	if (inode->ino == DEVFS_ROOT_INO) {
		inode->mode = S_IFDIR | 0755;
		inode->nlink = 2;
		inode->ops = &devfs_dir_ops;
		return 0;
	}
	if (inode->ino < 2 || inode->ino - 2 >= nr_devices)
		return -ENOENT;
	e = &devices[inode->ino - 2];
	inode->mode = e->mode;
	inode->nlink = 1;
	inode->rdev = e->rdev;
	inode->ops = &devfs_node_ops;
	inode->fops = &device_file_ops;
	return 0;
}

static int devfs_write_inode(struct inode *inode)
{
	return 0;	/* nothing to write to */
}

static int devfs_sync(struct super_block *sb)
{
	return 0;
}

static void devfs_put_super(struct super_block *sb)
{
	kfree(devfs_of(sb));
}

static const struct super_ops devfs_super_ops = {
	.alloc_inode = devfs_alloc_inode,
	.destroy_inode = devfs_destroy_inode,
	.read_inode = devfs_read_inode,
	.write_inode = devfs_write_inode,
	.sync = devfs_sync,
	.put_super = devfs_put_super,
};

/* The terminal is drivers/tty.c's (branch tty).  A kernel built before it
 * is merged has no console or tty here, and init writes to the kernel
 * console instead (fs/fd.c: console_open_for_init).  tty_file_ops's open()
 * makes a file with no terminal of its own the console. */
#if __has_include(<tty.h>)
#include <tty.h>

static void devfs_add_terminals(void)
{
	devfs_add("console", S_IFCHR | 0600, MKDEV(TTYAUX_MAJOR, 1),
		  &tty_file_ops, NULL);
	devfs_add("tty", S_IFCHR | 0666, MKDEV(TTYAUX_MAJOR, 0),
		  &tty_file_ops, NULL);
}
#else
static void devfs_add_terminals(void)
{
}
#endif

/* The table of devices, once: the disks are all registered by now. */
static void register_devices(void)
{
	struct block_device *bdev;
	uint32_t rdev;

	if (nr_devices)
		return;
	devfs_add_terminals();
	devfs_add("null", S_IFCHR | 0666, MKDEV(MEM_MAJOR, 3), &null_ops, NULL);
	devfs_add("zero", S_IFCHR | 0666, MKDEV(MEM_MAJOR, 5), &zero_ops, NULL);
	for (unsigned int i = 0; (bdev = blkdev_get(i)); i++)
		if ((rdev = blkdev_number(bdev)))
			devfs_add(bdev->name, S_IFBLK | 0660, rdev, &disk_ops, bdev);
}

/**
 * devfs_create - a devfs superblock, to be mounted on /dev.
 * Context: after the disks are registered (their files are made now).
 * Return: the superblock (sb->root held), or ERR_PTR(-ENOMEM).
 */
struct super_block *devfs_create(void)
{
	struct devfs *d = kzalloc(sizeof(*d), ALLOC_NOFS);
	struct inode *root;

	if (!d)
		return ERR_PTR(-ENOMEM);
	d->sb.block_size = PAGE_SIZE;
	d->sb.read_only = true;
	d->sb.ops = &devfs_super_ops;
	d->sb.type = "devfs";
	d->sb.dev = DEVFS_DEV;
	d->sb.fs_info = d;
	d->made = vfs_time();
	register_devices();
	root = iget(&d->sb, DEVFS_ROOT_INO);
	if (IS_ERR(root)) {
		kfree(d);
		return ERR_PTR(PTR_ERR(root));
	}
	d->sb.root = root;
	return &d->sb;
}
