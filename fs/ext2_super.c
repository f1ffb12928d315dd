/*
 * fs/ext2_super.c - mounting an ext2 revision 1 filesystem.
 *
 * Owns: struct ext2_sb_info; the held buffers of the superblock and of the
 * group-descriptor blocks, whose free counts the allocators in
 * fs/ext2_inode.c change in place (then ext2_dirty_super / ext2_dirty_gd).
 *
 * Interface: ext2_mount(bdev, read_only) -> super_block (include/vfs.h);
 * vfs_sync and vfs_umount reach ext2_sync and ext2_put_super.
 *
 * Invariants, established at mount and relied on everywhere in fs/ext2_*.c:
 *   - the geometry is sane: block size 1..4 KiB, groups cover the blocks,
 *     inodes_count == groups * inodes_per_group, 128 <= inode size <= block;
 *   - every group's bitmaps and inode table lie inside the filesystem, so
 *     the allocators may read them without checking again;
 *   - incompat features other than filetype are refused, unknown ro_compat
 *     ones refuse a read-write mount.  A damaged or unknown image gives
 *     -EINVAL (or -EIO from the disk) and one KERN_ERR line, never a panic.
 *
 * Locks: none yet (include/vfs.h).  May sleep.
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>

#include "ext2.h"

static int bad(struct block_device *bdev, const char *why)
{
	printk(KERN_ERR "ext2: %s: %s; not mounted\n", bdev->name, why);
	return -EINVAL;
}

/* Geometry and features.  Return: 0 or -EINVAL with a message. */
static int check_super(struct block_device *bdev, const struct ext2_super *es,
		       bool read_only)
{
	uint32_t bs, groups, dev_blocks;

	if (es->s_magic != EXT2_MAGIC)
		return bad(bdev, "no ext2 magic");
	if (es->s_rev_level != EXT2_DYNAMIC_REV)
		return bad(bdev, "not revision 1");
	if (es->s_log_block_size > 2)
		return bad(bdev, "block size over 4 KiB");
	bs = 1024u << es->s_log_block_size;
	if (es->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED) {
		printk(KERN_ERR "ext2: %s: unsupported incompat features %#x\n",
		       bdev->name, es->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED);
		return -EINVAL;
	}
	if (!read_only && (es->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED)) {
		printk(KERN_ERR "ext2: %s: unsupported ro_compat features %#x: "
		       "read-only mount only\n", bdev->name,
		       es->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED);
		return -EINVAL;
	}
	if (es->s_first_data_block != (bs == 1024 ? 1u : 0u))
		return bad(bdev, "bad first data block");
	if (es->s_blocks_per_group < 8 || es->s_blocks_per_group > bs * 8 ||
	    es->s_inodes_per_group == 0 || es->s_inodes_per_group > bs * 8)
		return bad(bdev, "bad blocks or inodes per group");
	if (es->s_inode_size < EXT2_GOOD_OLD_INODE_SIZE || es->s_inode_size > bs ||
	    (es->s_inode_size & (es->s_inode_size - 1)))
		return bad(bdev, "bad inode size");
	dev_blocks = (uint32_t)MIN(bdev->nr_sectors / (bs / SECTOR_SIZE),
				   (uint64_t)UINT32_MAX);
	if (es->s_blocks_count <= es->s_first_data_block ||
	    es->s_blocks_count > dev_blocks)
		return bad(bdev, "block count exceeds the device");
	groups = (es->s_blocks_count - es->s_first_data_block +
		  es->s_blocks_per_group - 1) / es->s_blocks_per_group;
	if ((uint64_t)groups * es->s_inodes_per_group != es->s_inodes_count)
		return bad(bdev, "inode count does not match the groups");
	if (es->s_first_ino <= EXT2_ROOT_INO || es->s_first_ino >= es->s_inodes_count)
		return bad(bdev, "bad first inode");
	if (es->s_free_blocks_count > es->s_blocks_count ||
	    es->s_free_inodes_count > es->s_inodes_count)
		return bad(bdev, "free counts exceed totals");
	return 0;
}

bool ext2_block_ok(struct super_block *sb, uint32_t blockno)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	return blockno >= sbi->first_data_block && blockno < sbi->blocks_count;
}

/* Each group's bitmaps and inode table inside the fs.  0 or -EINVAL. */
static int check_groups(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t table_blocks = (sbi->inodes_per_group * sbi->inode_size +
				 sb->block_size - 1) / sb->block_size;

	for (uint32_t g = 0; g < sbi->nr_groups; g++) {
		struct ext2_group_desc *gd = ext2_gd(sbi, g);

		if (!ext2_block_ok(sb, gd->bg_block_bitmap) ||
		    !ext2_block_ok(sb, gd->bg_inode_bitmap) ||
		    !ext2_block_ok(sb, gd->bg_inode_table) ||
		    !ext2_block_ok(sb, gd->bg_inode_table + table_blocks - 1) ||
		    gd->bg_free_blocks_count > sbi->blocks_per_group ||
		    gd->bg_free_inodes_count > sbi->inodes_per_group) {
			printk(KERN_ERR "ext2: %s: group %u descriptor is damaged\n",
			       sb->bdev->name, g);
			return -EINVAL;
		}
	}
	return 0;
}

/* Read the superblock at its real block size and the descriptors, held. */
static int load_metadata(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t bs = sb->block_size;
	uint32_t gd_start = sbi->first_data_block + 1;

	sbi->sbuf = bread(sb->bdev, EXT2_SUPER_OFFSET / bs, bs);
	if (IS_ERR(sbi->sbuf)) {
		int err = PTR_ERR(sbi->sbuf);

		sbi->sbuf = NULL;
		return err;
	}
	sbi->es = (struct ext2_super *)((char *)sbi->sbuf->data +
					EXT2_SUPER_OFFSET % bs);
	sbi->nr_gd_blocks = (sbi->nr_groups * sizeof(struct ext2_group_desc) +
			     bs - 1) / bs;
	if (gd_start + sbi->nr_gd_blocks > sbi->blocks_count)
		return -EINVAL;
	sbi->gd_bufs = kzalloc(sbi->nr_gd_blocks * sizeof(struct buf *),
			       ALLOC_NOFS);
	if (!sbi->gd_bufs)
		return -ENOMEM;
	for (uint32_t i = 0; i < sbi->nr_gd_blocks; i++) {
		struct buf *b = bread(sb->bdev, gd_start + i, bs);

		if (IS_ERR(b))
			return PTR_ERR(b);
		sbi->gd_bufs[i] = b;
	}
	return check_groups(sb);
}

static void release_metadata(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	for (uint32_t i = 0; sbi->gd_bufs && i < sbi->nr_gd_blocks; i++)
		if (sbi->gd_bufs[i])
			brelse(sbi->gd_bufs[i]);
	kfree(sbi->gd_bufs);
	if (sbi->sbuf)
		brelse(sbi->sbuf);
	buf_forget(sb->bdev);
	kfree(sbi);
	kfree(sb);
}

/* Fill sb and sbi from a checked superblock copy. */
static void set_geometry(struct super_block *sb, const struct ext2_super *es)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	sb->block_size = 1024u << es->s_log_block_size;
	sbi->blocks_per_group = es->s_blocks_per_group;
	sbi->inodes_per_group = es->s_inodes_per_group;
	sbi->inode_size = es->s_inode_size;
	sbi->first_data_block = es->s_first_data_block;
	sbi->blocks_count = es->s_blocks_count;
	sbi->inodes_count = es->s_inodes_count;
	sbi->first_ino = es->s_first_ino;
	sbi->ptrs_per_block = sb->block_size / 4;
	sbi->nr_groups = es->s_inodes_count / es->s_inodes_per_group;
}

/* The superblock read through a 1 KiB buffer, checked; 0 or -errno.  The
 * buffer is forgotten afterwards: with 4 KiB blocks the same bytes are read
 * again as part of block 0, and the cache must not hold both. */
static int probe(struct super_block *sb, bool read_only)
{
	struct buf *b = bread(sb->bdev, EXT2_SUPER_OFFSET / 1024, 1024);
	int err;

	if (IS_ERR(b))
		return PTR_ERR(b);
	err = check_super(sb->bdev, b->data, read_only);
	if (!err)
		set_geometry(sb, b->data);
	brelse(b);
	buf_forget(sb->bdev);
	return err;
}

/**
 * ext2_mount - mount the ext2 filesystem on bdev.
 * Return: the super_block with a held root inode; ERR_PTR(-EINVAL) for a
 * damaged or unsupported filesystem (one KERN_ERR line says why), -EIO,
 * -ENOMEM.
 */
struct super_block *ext2_mount(struct block_device *bdev, bool read_only)
{
	struct super_block *sb = kzalloc(sizeof(*sb), ALLOC_NOFS);
	struct inode *root;
	int err;

	if (!sb || !(sb->fs_info = kzalloc(sizeof(struct ext2_sb_info),
					   ALLOC_NOFS))) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->bdev = bdev;
	sb->dev = blkdev_number(bdev);	/* st_dev of its files */
	sb->read_only = read_only;
	sb->ops = &ext2_super_ops;
	err = probe(sb, read_only);
	if (!err)
		err = load_metadata(sb);
	if (err)
		goto out_release;
	root = iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root)) {
		err = PTR_ERR(root);
		goto out_release;
	}
	if (!S_ISDIR(root->mode)) {
		printk(KERN_ERR "ext2: %s: root is not a directory\n", bdev->name);
		iput(root);
		err = -EINVAL;
		goto out_release;
	}
	sb->root = root;
	return sb;
out_release:
	release_metadata(sb);
	return ERR_PTR(err);
}

void ext2_dirty_super(struct super_block *sb)
{
	bdirty(EXT2_SB(sb)->sbuf);
}

void ext2_dirty_gd(struct super_block *sb, uint32_t group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t per_block = sb->block_size / sizeof(struct ext2_group_desc);

	bdirty(sbi->gd_bufs[group / per_block]);
}

static int ext2_sync(struct super_block *sb)
{
	return bsync(sb->bdev);
}

static void ext2_put_super(struct super_block *sb)
{
	if (!sb->read_only)
		ext2_sync(sb);
	release_metadata(sb);
}

const struct super_ops ext2_super_ops = {
	.alloc_inode = ext2_alloc_inode,
	.destroy_inode = ext2_destroy_inode,
	.read_inode = ext2_read_inode,
	.write_inode = ext2_write_inode,
	.delete_inode = ext2_delete_inode,
	.sync = ext2_sync,
	.put_super = ext2_put_super,
};
