/*
 * fs/ext2_inode.c - ext2 inodes, the block map, and block and inode
 * allocation from the group bitmaps.
 *
 * Owns: struct ext2_inode (the in-memory inode) and every change to the
 * block and inode bitmaps and to the free counts in the group descriptors
 * and the superblock.
 *
 * Interface (fs/ext2.h): the super_ops that iget/iput call
 * (ext2_read_inode, ext2_write_inode, ext2_delete_inode); ext2_get_block,
 * the one block-map walker (file block -> device block, allocating on
 * demand); ext2_truncate_blocks; ext2_new_inode for the directory code;
 * ext2_block_path, the pure arithmetic of the map (tested on the host).
 *
 * Invariants:
 *   - A bitmap bit and the free counts change together: bitmap buffer, group
 *     descriptor and superblock are all dirtied in the same call.
 *   - i_blocks counts every data and map block in 512-byte units.
 *   - A block number read from an inode or an indirect block is used only
 *     after ext2_block_ok(): a bad one is -EIO with a message, never an
 *     access outside the filesystem.
 *   - A newly allocated block is zeroed before anyone maps it.
 *
 * Locks: none yet (include/vfs.h).  May sleep.
 */
#include <buf.h>
#include <devfs.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>

#include "ext2.h"

#define EXTRA_ISIZE_OFFSET	128	/* u16 i_extra_isize in a big inode */
#define EXTRA_ISIZE		32	/* what mke2fs gives 256-byte inodes */

static const struct inode_ops ext2_special_ops;	/* devices, fifos: none */

static int corrupt(struct super_block *sb, uint32_t ino, const char *what,
		   uint32_t value)
{
	printk(KERN_ERR "ext2: %s: inode %u: %s %u\n", sb->bdev->name, ino,
	       what, value);
	return -EIO;
}

struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode *ei = kzalloc(sizeof(*ei), ALLOC_NOFS);

	return ei ? &ei->vfs : NULL;
}

void ext2_destroy_inode(struct inode *inode)
{
	kfree(EXT2_I(inode));
}

static bool is_fast_symlink(struct inode *inode)
{
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t acl = ei->i_file_acl ? inode->sb->block_size / 512 : 0;

	return S_ISLNK(inode->mode) && ei->i_blocks == acl;
}

/* The buffer holding inode ino, and its offset in it.  Caller brelses. */
static struct buf *inode_buf(struct super_block *sb, uint32_t ino,
			     uint32_t *offset)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t group, index, byte;

	if (ino == 0 || ino > sbi->inodes_count) {
		printk(KERN_ERR "ext2: %s: inode number %u out of range\n",
		       sb->bdev->name, ino);
		return ERR_PTR(-EIO);
	}
	group = (ino - 1) / sbi->inodes_per_group;
	index = (ino - 1) % sbi->inodes_per_group;
	byte = index * sbi->inode_size;
	*offset = byte % sb->block_size;
	return bread(sb->bdev, ext2_gd(sbi, group)->bg_inode_table +
		     byte / sb->block_size, sb->block_size);
}

static void set_ops(struct inode *inode)
{
	if (S_ISREG(inode->mode)) {
		inode->ops = &ext2_file_ops;
	} else if (S_ISDIR(inode->mode)) {
		inode->ops = &ext2_dir_ops;
	} else if (S_ISLNK(inode->mode)) {
		inode->ops = &ext2_symlink_ops;
	} else {
		inode->ops = &ext2_special_ops;
		init_special_inode(inode);	/* what open() gives */
	}
}

static bool is_device(const struct inode *inode)
{
	return (inode->mode & S_IFMT) == S_IFCHR || (inode->mode & S_IFMT) == S_IFBLK;
}

/* A device file's number lives in i_block, as Linux's ext2 keeps it: the
 * old 16-bit form (major << 8 | minor) in i_block[0] when both fit in a
 * byte, else 0 there and the new form in i_block[1].  For small numbers
 * both forms are the same bits as inode->rdev (include/devfs.h). */
static uint32_t rdev_from_block(const uint32_t *i_block)
{
	return i_block[0] ? i_block[0] : i_block[1];
}

static void rdev_to_block(uint32_t rdev, uint32_t *i_block)
{
	bool old_form = MAJOR(rdev) < 256 && MINOR(rdev) < 256;

	i_block[0] = old_form ? rdev : 0;
	i_block[1] = old_form ? 0 : rdev;
	i_block[2] = 0;
}

/* Every block number in i_block inside the filesystem.  0 or -EIO. */
static int check_map(struct inode *inode)
{
	struct ext2_inode *ei = EXT2_I(inode);

	if (!inode->ops->get_block || is_fast_symlink(inode))
		return 0;	/* i_block holds no block numbers */
	for (int i = 0; i < EXT2_N_BLOCKS; i++)
		if (ei->i_block[i] && !ext2_block_ok(inode->sb, ei->i_block[i]))
			return corrupt(inode->sb, inode->ino,
				       "block number outside the fs:", ei->i_block[i]);
	return 0;
}

int ext2_read_inode(struct inode *inode)
{
	struct ext2_inode *ei = EXT2_I(inode);
	struct ext2_dinode *di;
	uint32_t offset;
	struct buf *b = inode_buf(inode->sb, inode->ino, &offset);

	if (IS_ERR(b))
		return PTR_ERR(b);
	di = (struct ext2_dinode *)((char *)b->data + offset);
	inode->mode = di->i_mode;
	inode->nlink = di->i_links_count;
	inode->uid = di->i_uid | (uint32_t)di->i_uid_high << 16;
	inode->gid = di->i_gid | (uint32_t)di->i_gid_high << 16;
	inode->size = di->i_size;
	if (S_ISREG(di->i_mode))
		inode->size |= (uint64_t)di->i_size_high << 32;
	inode->atime = di->i_atime;
	inode->mtime = di->i_mtime;
	inode->ctime = di->i_ctime;
	memcpy(ei->i_block, di->i_block, sizeof(ei->i_block));
	ei->i_blocks = di->i_blocks;
	ei->i_flags = di->i_flags;
	ei->i_file_acl = di->i_file_acl;
	ei->i_dtime = di->i_dtime;
	ei->group = (inode->ino - 1) / EXT2_SB(inode->sb)->inodes_per_group;
	brelse(b);
	if (is_device(inode))
		inode->rdev = rdev_from_block(ei->i_block);
	if (inode->mode == 0)
		return corrupt(inode->sb, inode->ino, "is not in use, mode", 0);
	set_ops(inode);
	return check_map(inode);
}

int ext2_write_inode(struct inode *inode)
{
	struct ext2_inode *ei = EXT2_I(inode);
	struct ext2_dinode *di;
	uint32_t offset;
	struct buf *b = inode_buf(inode->sb, inode->ino, &offset);

	if (IS_ERR(b))
		return PTR_ERR(b);
	di = (struct ext2_dinode *)((char *)b->data + offset);
	di->i_mode = inode->mode;
	di->i_links_count = inode->nlink;
	di->i_uid = inode->uid & 0xFFFF;
	di->i_uid_high = inode->uid >> 16;
	di->i_gid = inode->gid & 0xFFFF;
	di->i_gid_high = inode->gid >> 16;
	di->i_size = (uint32_t)inode->size;
	if (S_ISREG(inode->mode))
		di->i_size_high = (uint32_t)(inode->size >> 32);
	di->i_atime = inode->atime;
	di->i_mtime = inode->mtime;
	di->i_ctime = inode->ctime;
	di->i_dtime = ei->i_dtime;
	if (is_device(inode))
		rdev_to_block(inode->rdev, ei->i_block);
	memcpy(di->i_block, ei->i_block, sizeof(di->i_block));
	di->i_blocks = ei->i_blocks;
	di->i_flags = ei->i_flags;
	bdirty(b);
	brelse(b);
	inode->dirty = false;
	return 0;
}

/* ---- bitmaps ---- */

/* Find and set the first clear bit in [start, nbits) of bitmap block
 * bitmap_block, then wrap to [0, start).  Return the bit, -ENOSPC, or -EIO. */
static int take_bit(struct super_block *sb, uint32_t bitmap_block,
		    uint32_t nbits, uint32_t start)
{
	struct buf *b = bread(sb->bdev, bitmap_block, sb->block_size);
	uint8_t *map;
	int taken = -ENOSPC;

	if (IS_ERR(b))
		return PTR_ERR(b);
	map = b->data;
	for (uint32_t n = 0; n < nbits; n++) {
		uint32_t bit = (start + n) % nbits;

		if (!(map[bit / 8] & (1u << (bit % 8)))) {
			map[bit / 8] |= 1u << (bit % 8);
			bdirty(b);
			taken = (int)bit;
			break;
		}
	}
	brelse(b);
	return taken;
}

static uint32_t blocks_in_group(struct ext2_sb_info *sbi, uint32_t g)
{
	return MIN(sbi->blocks_per_group,
		   sbi->blocks_count - sbi->first_data_block - g * sbi->blocks_per_group);
}

/* Take a free block of group g at or after bit start; 0 or -errno. */
static int alloc_in_group(struct super_block *sb, uint32_t g, uint32_t start,
			  uint32_t *blockno)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sbi, g);
	int bit;

	if (gd->bg_free_blocks_count == 0)
		return -ENOSPC;
	bit = take_bit(sb, gd->bg_block_bitmap, blocks_in_group(sbi, g), start);
	if (bit < 0)
		return bit;	/* count said free, bitmap full: say -ENOSPC */
	gd->bg_free_blocks_count--;
	sbi->es->s_free_blocks_count--;
	ext2_dirty_gd(sb, g);
	ext2_dirty_super(sb);
	*blockno = sbi->first_data_block + g * sbi->blocks_per_group + bit;
	return 0;
}

/**
 * ext2_alloc_block - take a free block, near goal if it can, zeroed.
 * Return: 0 and the block in *blockno; -ENOSPC, -EIO, -ENOMEM.
 */
int ext2_alloc_block(struct super_block *sb, uint32_t goal, uint32_t *blockno)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t g0 = 0, start = 0;
	struct buf *b;
	int err = -ENOSPC;

	if (ext2_block_ok(sb, goal)) {
		g0 = (goal - sbi->first_data_block) / sbi->blocks_per_group;
		start = (goal - sbi->first_data_block) % sbi->blocks_per_group;
	}
	for (uint32_t n = 0; n < sbi->nr_groups && err == -ENOSPC; n++)
		err = alloc_in_group(sb, (g0 + n) % sbi->nr_groups,
				     n ? 0 : start, blockno);
	if (err)
		return err;
	b = bget(sb->bdev, *blockno, sb->block_size);
	if (IS_ERR(b)) {
		ext2_free_block(sb, *blockno);
		return PTR_ERR(b);
	}
	memset(b->data, 0, sb->block_size);
	bdirty(b);
	brelse(b);
	return 0;
}

void ext2_free_block(struct super_block *sb, uint32_t blockno)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t g = (blockno - sbi->first_data_block) / sbi->blocks_per_group;
	uint32_t bit = (blockno - sbi->first_data_block) % sbi->blocks_per_group;
	struct ext2_group_desc *gd = ext2_gd(sbi, g);
	struct buf *b = bread(sb->bdev, gd->bg_block_bitmap, sb->block_size);
	uint8_t *map;

	if (IS_ERR(b))
		return;		/* the block leaks; e2fsck will find it */
	map = b->data;
	if (!(map[bit / 8] & (1u << (bit % 8)))) {
		printk(KERN_ERR "ext2: %s: freeing free block %u\n",
		       sb->bdev->name, blockno);
	} else {
		map[bit / 8] &= ~(1u << (bit % 8));
		bdirty(b);
		gd->bg_free_blocks_count++;
		sbi->es->s_free_blocks_count++;
		ext2_dirty_gd(sb, g);
		ext2_dirty_super(sb);
	}
	brelse(b);
}

/* ---- the block map ---- */

/**
 * ext2_block_path - where file block fblock sits in the map.
 * offsets[0] is the index into i_block; offsets[1..] the index in each
 * indirect block on the way down.  Return: the depth (1 direct, 2 single,
 * 3 double, 4 triple indirect) or -EFBIG past what the map can address.
 */
int ext2_block_path(uint32_t ptrs_per_block, uint32_t fblock, uint32_t offsets[4])
{
	uint64_t p = ptrs_per_block, i = fblock;

	if (i < EXT2_NDIR_BLOCKS) {
		offsets[0] = (uint32_t)i;
		return 1;
	}
	i -= EXT2_NDIR_BLOCKS;
	if (i < p) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = (uint32_t)i;
		return 2;
	}
	i -= p;
	if (i < p * p) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = (uint32_t)(i / p);
		offsets[2] = (uint32_t)(i % p);
		return 3;
	}
	i -= p * p;
	if (i < p * p * p) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = (uint32_t)(i / (p * p));
		offsets[2] = (uint32_t)(i / p % p);
		offsets[3] = (uint32_t)(i % p);
		return 4;
	}
	return -EFBIG;
}

/* Fill an empty slot with a new block (goal: near the last one). */
static int fill_slot(struct inode *inode, uint32_t *slot, uint32_t goal)
{
	struct ext2_inode *ei = EXT2_I(inode);
	int err;

	if (!ext2_block_ok(inode->sb, goal))
		goal = EXT2_SB(inode->sb)->first_data_block +
		       ei->group * EXT2_SB(inode->sb)->blocks_per_group;
	err = ext2_alloc_block(inode->sb, goal, slot);
	if (err)
		return err;
	ei->i_blocks += inode->sb->block_size / 512;
	mark_inode_dirty(inode);
	return 0;
}

/**
 * ext2_get_block - the device block holding file block fblock.
 * @create: allocate the missing blocks (data and map) on the way.
 * Return: 0 with *blockno set (0: a hole, when !create); -EFBIG, -ENOSPC,
 * -EIO (a block number outside the fs, with a message), -ENOMEM.
 */
int ext2_get_block(struct inode *inode, uint32_t fblock, bool create,
		   uint32_t *blockno)
{
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t offsets[4], *slot, cur, prev = 0;
	struct buf *b = NULL;
	int depth = ext2_block_path(EXT2_SB(inode->sb)->ptrs_per_block, fblock,
				    offsets);
	int err = 0;

	if (depth < 0)
		return depth;
	slot = &ei->i_block[offsets[0]];
	for (int level = 0;; level++) {
		if (*slot == 0) {
			if (!create) {
				*blockno = 0;
				break;
			}
			err = fill_slot(inode, slot, prev ? prev + 1 : 0);
			if (err)
				break;
			if (b)
				bdirty(b);
		}
		cur = *slot;
		if (!ext2_block_ok(inode->sb, cur)) {
			err = corrupt(inode->sb, inode->ino,
				      "maps a block outside the fs:", cur);
			break;
		}
		if (level + 1 == depth) {
			*blockno = cur;
			break;
		}
		if (b)
			brelse(b);
		b = bread(inode->sb->bdev, cur, inode->sb->block_size);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			b = NULL;
			break;
		}
		slot = (uint32_t *)b->data + offsets[level + 1];
		prev = cur;
	}
	if (b)
		brelse(b);
	return err;
}

/* Free the blocks under *slot (depth levels of indirection below it, 0: a
 * data block) from relative file block 'from' on; the slot itself too if
 * from is 0.  Return: 0 or -EIO. */
static int trim(struct inode *inode, uint32_t *slot, unsigned int depth,
		uint64_t from)
{
	struct super_block *sb = inode->sb;
	uint64_t per = 1;
	int err = 0;

	if (*slot == 0)
		return 0;
	if (!ext2_block_ok(sb, *slot))
		return corrupt(sb, inode->ino, "maps a block outside the fs:", *slot);
	for (unsigned int i = 1; i < depth; i++)
		per *= EXT2_SB(sb)->ptrs_per_block;
	if (depth > 0) {
		struct buf *b = bread(sb->bdev, *slot, sb->block_size);
		uint32_t *map;

		if (IS_ERR(b))
			return PTR_ERR(b);
		map = b->data;
		for (uint64_t i = from / per; i < EXT2_SB(sb)->ptrs_per_block && !err; i++)
			err = trim(inode, &map[i], depth - 1,
				   i == from / per ? from % per : 0);
		if (from)
			bdirty(b);
		brelse(b);
	}
	if (from == 0 && !err) {
		ext2_free_block(sb, *slot);
		*slot = 0;
		EXT2_I(inode)->i_blocks -= sb->block_size / 512;
	}
	return err;
}

/**
 * ext2_truncate_blocks - free the blocks holding data past new_size.
 * Return: 0 or -EIO (blocks may leak then; the map stays consistent).
 */
int ext2_truncate_blocks(struct inode *inode, uint64_t new_size)
{
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t bs = inode->sb->block_size;
	uint64_t keep = (new_size + bs - 1) / bs, base = EXT2_NDIR_BLOCKS, span = 1;
	int err = 0;

	mark_inode_dirty(inode);
	if (is_fast_symlink(inode)) {
		memset(ei->i_block, 0, sizeof(ei->i_block));
		return 0;
	}
	for (uint64_t i = keep; i < EXT2_NDIR_BLOCKS && !err; i++)
		err = trim(inode, &ei->i_block[i], 0, 0);
	for (unsigned int depth = 1; depth <= 3 && !err; depth++) {
		span *= EXT2_SB(inode->sb)->ptrs_per_block;
		if (keep < base + span)
			err = trim(inode, &ei->i_block[EXT2_IND_BLOCK + depth - 1],
				   depth, keep > base ? keep - base : 0);
		base += span;
	}
	return err;
}

/* ---- inodes ---- */

/* Take a free inode in group g; its number in *ino.  0 or -errno. */
static int take_inode(struct super_block *sb, uint32_t g, bool is_dir,
		      uint32_t *ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sbi, g);
	int bit;

	if (gd->bg_free_inodes_count == 0)
		return -ENOSPC;
	bit = take_bit(sb, gd->bg_inode_bitmap, sbi->inodes_per_group, 0);
	if (bit < 0)
		return bit;
	gd->bg_free_inodes_count--;
	if (is_dir)
		gd->bg_used_dirs_count++;
	sbi->es->s_free_inodes_count--;
	ext2_dirty_gd(sb, g);
	ext2_dirty_super(sb);
	*ino = g * sbi->inodes_per_group + bit + 1;
	return 0;
}

/* Give inode ino back to its group's bitmap. */
static void free_inode_bit(struct super_block *sb, uint32_t ino, bool is_dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t g = (ino - 1) / sbi->inodes_per_group;
	uint32_t bit = (ino - 1) % sbi->inodes_per_group;
	struct ext2_group_desc *gd = ext2_gd(sbi, g);
	struct buf *b = bread(sb->bdev, gd->bg_inode_bitmap, sb->block_size);
	uint8_t *map;

	if (IS_ERR(b))
		return;
	map = b->data;
	if (map[bit / 8] & (1u << (bit % 8))) {
		map[bit / 8] &= ~(1u << (bit % 8));
		bdirty(b);
		gd->bg_free_inodes_count++;
		if (is_dir)
			gd->bg_used_dirs_count--;
		sbi->es->s_free_inodes_count++;
		ext2_dirty_gd(sb, g);
		ext2_dirty_super(sb);
	}
	brelse(b);
}

/* Write a fresh on-disk inode: zeroed, with mode and times. */
static int init_disk_inode(struct super_block *sb, uint32_t ino, uint16_t mode)
{
	struct ext2_dinode *di;
	uint32_t offset, now = vfs_time();
	struct buf *b = inode_buf(sb, ino, &offset);

	if (IS_ERR(b))
		return PTR_ERR(b);
	di = (struct ext2_dinode *)((char *)b->data + offset);
	memset(di, 0, EXT2_SB(sb)->inode_size);
	if (EXT2_SB(sb)->inode_size >= EXTRA_ISIZE_OFFSET + EXTRA_ISIZE)
		*(uint16_t *)((char *)di + EXTRA_ISIZE_OFFSET) = EXTRA_ISIZE;
	di->i_mode = mode;
	di->i_atime = di->i_ctime = di->i_mtime = now;
	bdirty(b);
	brelse(b);
	return 0;
}

/**
 * ext2_new_inode - allocate an inode for a new file in dir, with no links
 * yet (the caller sets nlink once the entry is in place).
 * Return: the inode, held; ERR_PTR(-ENOSPC), -EIO, -ENOMEM.
 */
struct inode *ext2_new_inode(struct inode *dir, uint16_t mode)
{
	struct super_block *sb = dir->sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct inode *inode;
	uint32_t ino = 0;
	int err = -ENOSPC;

	for (uint32_t n = 0; n < sbi->nr_groups && err == -ENOSPC; n++)
		err = take_inode(sb, (EXT2_I(dir)->group + n) % sbi->nr_groups,
				 S_ISDIR(mode), &ino);
	if (!err)
		err = init_disk_inode(sb, ino, mode);
	if (err) {
		if (ino)
			free_inode_bit(sb, ino, S_ISDIR(mode));
		return ERR_PTR(err);
	}
	inode = iget(sb, ino);
	if (IS_ERR(inode)) {
		free_inode_bit(sb, ino, S_ISDIR(mode));
		return inode;
	}
	inode->uid = dir->uid;	/* no credentials yet: inherit */
	inode->gid = dir->gid;
	mark_inode_dirty(inode);
	return inode;
}

/* The last iput of an inode with no links: free its blocks and itself. */
void ext2_delete_inode(struct inode *inode)
{
	if (!is_fast_symlink(inode) && inode->ops->get_block)
		ext2_truncate_blocks(inode, 0);
	inode->size = 0;
	EXT2_I(inode)->i_dtime = vfs_time();
	ext2_write_inode(inode);
	free_inode_bit(inode->sb, inode->ino, S_ISDIR(inode->mode));
}

/* ---- symlinks ---- */

int ext2_fast_symlink_set(struct inode *inode, const char *target, size_t len)
{
	if (len > EXT2_FAST_SYMLINK_MAX)
		return -ENAMETOOLONG;
	memcpy(EXT2_I(inode)->i_block, target, len);
	inode->size = len;
	mark_inode_dirty(inode);
	return 0;
}

/* Return: the target's length (unterminated, at most size), or -errno. */
int ext2_readlink(struct inode *inode, char *buf, size_t size)
{
	size_t len = (size_t)MIN(inode->size, (uint64_t)size);

	if (is_fast_symlink(inode)) {
		if (inode->size > EXT2_FAST_SYMLINK_MAX)
			return corrupt(inode->sb, inode->ino,
				       "fast symlink too long:", (uint32_t)inode->size);
		memcpy(buf, EXT2_I(inode)->i_block, len);
		return (int)len;
	}
	return (int)vfs_read(inode, buf, len, 0);
}

const struct inode_ops ext2_file_ops = {
	.get_block = ext2_get_block,
	.truncate_blocks = ext2_truncate_blocks,
};

const struct inode_ops ext2_symlink_ops = {
	.get_block = ext2_get_block,
	.readlink = ext2_readlink,
};
