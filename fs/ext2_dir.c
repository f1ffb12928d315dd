/*
 * fs/ext2_dir.c - ext2 directories (linear, with file types) and the
 * namespace operations on them.
 *
 * Owns: the format of directory blocks.  A directory is whole blocks of
 * entries (struct ext2_dirent) whose rec_len chain covers each block exactly;
 * an entry with inode 0 is free space.  Hashed (dir_index) directories are
 * read linearly, which their format allows; the first change to one clears
 * EXT2_INDEX_FL, since the index is not kept up to date here.
 *
 * Interface: ext2_dir_ops (include/vfs.h struct inode_ops), reached through
 * the vfs_* namespace calls, which have checked the name already.
 *
 * Invariants:
 *   - Every entry is checked before use (check_dirent): rec_len >= 8, a
 *     multiple of 4, inside the block, and long enough for its name.  A bad
 *     one is -EIO with a message, never an access past the block.
 *   - A directory's nlink is 2 + its subdirectories; its parent's ".." entry
 *     counts in the parent's nlink.
 *
 * Locks: none yet (include/vfs.h).  May sleep.
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <string.h>

#include "ext2.h"

/* Where an entry is: its held block, and its and the previous entry's
 * offsets in it (prev == off for the first entry of a block). */
struct dirpos {
	struct buf *b;
	uint32_t off, prev;
};

static struct ext2_dirent *at(struct buf *b, uint32_t off)
{
	return (struct ext2_dirent *)((char *)b->data + off);
}

static int check_dirent(struct inode *dir, struct buf *b, uint32_t off)
{
	struct ext2_dirent *de = at(b, off);
	uint32_t bs = dir->sb->block_size;

	if (off + 8 <= bs && de->rec_len >= 8 && de->rec_len % 4 == 0 &&
	    de->rec_len <= bs - off && 8u + de->name_len <= de->rec_len &&
	    de->inode <= EXT2_SB(dir->sb)->inodes_count)
		return 0;
	printk(KERN_ERR "ext2: %s: directory %u block %u offset %u: bad entry "
	       "(rec_len %u, name_len %u)\n", dir->sb->bdev->name, dir->ino,
	       b->blockno, off, off + 8 <= bs ? de->rec_len : 0,
	       off + 8 <= bs ? de->name_len : 0);
	return -EIO;
}

/* Directory block n, read and held. */
static struct buf *dir_block(struct inode *dir, uint32_t n)
{
	uint32_t blockno;
	int err = ext2_get_block(dir, n, false, &blockno);

	if (err)
		return ERR_PTR(err);
	if (blockno == 0) {
		printk(KERN_ERR "ext2: %s: directory %u has a hole at block %u\n",
		       dir->sb->bdev->name, dir->ino, n);
		return ERR_PTR(-EIO);
	}
	return bread(dir->sb->bdev, blockno, dir->sb->block_size);
}

static uint32_t dir_blocks(struct inode *dir)
{
	return (uint32_t)(dir->size / dir->sb->block_size);
}

/* Find name: 0 and its position (block held), -ENOENT, -EIO. */
static int find_entry(struct inode *dir, const char *name, size_t len,
		      struct dirpos *pos)
{
	uint32_t bs = dir->sb->block_size;

	for (uint32_t n = 0; n < dir_blocks(dir); n++) {
		struct buf *b = dir_block(dir, n);
		uint32_t prev = 0;

		if (IS_ERR(b))
			return PTR_ERR(b);
		for (uint32_t off = 0; off < bs; off += at(b, off)->rec_len) {
			struct ext2_dirent *de = at(b, off);
			int err = check_dirent(dir, b, off);

			if (err) {
				brelse(b);
				return err;
			}
			if (de->inode && de->name_len == len &&
			    !memcmp(de->name, name, len)) {
				*pos = (struct dirpos){ b, off, prev };
				return 0;
			}
			prev = off;
		}
		brelse(b);
	}
	return -ENOENT;
}

static int ext2_lookup(struct inode *dir, const char *name, size_t len,
		       uint32_t *ino)
{
	struct dirpos pos;
	int err = find_entry(dir, name, len, &pos);

	if (err)
		return err;
	*ino = at(pos.b, pos.off)->inode;
	brelse(pos.b);
	return 0;
}

static uint8_t file_type(uint16_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return EXT2_FT_REG_FILE;
	case S_IFDIR:	return EXT2_FT_DIR;
	case S_IFCHR:	return EXT2_FT_CHRDEV;
	case S_IFBLK:	return EXT2_FT_BLKDEV;
	case S_IFIFO:	return EXT2_FT_FIFO;
	case S_IFSOCK:	return EXT2_FT_SOCK;
	case S_IFLNK:	return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

static void fill_entry(struct ext2_dirent *de, const char *name, size_t len,
		       struct inode *inode)
{
	de->inode = inode->ino;
	de->name_len = (uint8_t)len;
	de->file_type = file_type(inode->mode);
	memcpy(de->name, name, len);
}

/* The directory changed: its times, and the index no longer matches. */
static void dir_changed(struct inode *dir)
{
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;
	dir->mtime = dir->ctime = vfs_time();
	mark_inode_dirty(dir);
}

/* Put the entry in the free space of block b, if it fits; true if it did. */
static bool add_in_block(struct inode *dir, struct buf *b, const char *name,
			 size_t len, struct inode *inode, int *err)
{
	uint32_t need = EXT2_DIRENT_LEN(len), bs = dir->sb->block_size;

	for (uint32_t off = 0; off < bs; off += at(b, off)->rec_len) {
		struct ext2_dirent *de = at(b, off), *nde;
		uint32_t used;

		*err = check_dirent(dir, b, off);
		if (*err)
			return false;
		used = de->inode ? EXT2_DIRENT_LEN(de->name_len) : 0;
		if (de->rec_len - used < need)
			continue;
		nde = de;
		if (used) {	/* split: the new entry takes the slack */
			nde = at(b, off + used);
			nde->rec_len = de->rec_len - used;
			de->rec_len = used;
		}
		fill_entry(nde, name, len, inode);
		bdirty(b);
		return true;
	}
	return false;
}

/* Add (name -> inode) to dir: free space first, else a new block. */
static int add_entry(struct inode *dir, const char *name, size_t len,
		     struct inode *inode)
{
	uint32_t n, blockno;
	struct buf *b;
	int err = 0;

	for (n = 0; n < dir_blocks(dir); n++) {
		bool done;

		b = dir_block(dir, n);
		if (IS_ERR(b))
			return PTR_ERR(b);
		done = add_in_block(dir, b, name, len, inode, &err);
		brelse(b);
		if (done || err)
			goto out;
	}
	err = ext2_get_block(dir, n, true, &blockno);
	if (err)
		return err;
	b = bread(dir->sb->bdev, blockno, dir->sb->block_size);
	if (IS_ERR(b))
		return PTR_ERR(b);
	at(b, 0)->rec_len = dir->sb->block_size;
	fill_entry(at(b, 0), name, len, inode);
	bdirty(b);
	brelse(b);
	dir->size += dir->sb->block_size;
out:
	if (!err)
		dir_changed(dir);
	return err;
}

/* Remove the entry at pos (and release its block): merge it into the
 * previous entry, or mark it free if it is first in its block. */
static void remove_entry(struct inode *dir, struct dirpos *pos)
{
	struct ext2_dirent *de = at(pos->b, pos->off);

	if (pos->off == pos->prev)
		de->inode = 0;
	else
		at(pos->b, pos->prev)->rec_len += de->rec_len;
	bdirty(pos->b);
	brelse(pos->b);
	dir_changed(dir);
}

/* Point an existing entry at another inode (rename over a target). */
static void retarget_entry(struct inode *dir, struct dirpos *pos,
			   struct inode *inode)
{
	struct ext2_dirent *de = at(pos->b, pos->off);

	de->inode = inode->ino;
	de->file_type = file_type(inode->mode);
	bdirty(pos->b);
	brelse(pos->b);
	dir_changed(dir);
}

/* ext2's file-type codes (EXT2_FT_*) as the DT_* values readdir reports:
 * DT_x is the S_IFx type bits shifted down (Linux's IFTODT). */
static unsigned int dirent_type(uint8_t ft)
{
	static const uint16_t mode_of[] = {
		[EXT2_FT_REG_FILE] = S_IFREG, [EXT2_FT_DIR] = S_IFDIR,
		[EXT2_FT_CHRDEV] = S_IFCHR, [EXT2_FT_BLKDEV] = S_IFBLK,
		[EXT2_FT_FIFO] = S_IFIFO, [EXT2_FT_SOCK] = S_IFSOCK,
		[EXT2_FT_SYMLINK] = S_IFLNK,
	};

	return ft < ARRAY_SIZE(mode_of) ? mode_of[ft] >> 12 : 0;	/* DT_UNKNOWN */
}

/*
 * Offer dir's entries from *fpos on to fn, advancing *fpos past each one fn
 * takes.  Every pass of the outer loop ends with *fpos at the start of the
 * next block (or returns), so a block holding only deleted entries is
 * stepped over: the kernel does not preempt itself, and a loop here that
 * stood still would stop the whole machine (the "readdir of a block of
 * deleted entries hangs" bug).
 */
static int ext2_readdir(struct inode *dir, uint64_t *fpos, filldir_t fn,
			void *ctx)
{
	uint32_t bs = dir->sb->block_size;

	while (*fpos < dir->size) {
		uint64_t block_start = ALIGN_DOWN(*fpos, (uint64_t)bs);
		struct buf *b = dir_block(dir, (uint32_t)(*fpos / bs));
		uint32_t start = *fpos % bs, off;
		int stop = 0;

		if (IS_ERR(b))
			return PTR_ERR(b);
		for (off = 0; off < bs && !stop; off += at(b, off)->rec_len) {
			struct ext2_dirent *de = at(b, off);
			int err = check_dirent(dir, b, off);

			if (err) {
				brelse(b);
				return err;
			}
			if (off < start || !de->inode)
				continue;
			stop = fn(ctx, de->name, de->name_len, de->inode,
				  dirent_type(de->file_type));
			if (stop >= 0)	/* < 0: not taken; offer it again */
				*fpos = block_start + off + de->rec_len;
		}
		brelse(b);
		if (stop)
			return 0;
		*fpos = block_start + bs;
	}
	return 0;
}

static int not_dot(void *ctx, const char *name, size_t len, uint32_t ino,
		   unsigned int type)
{
	bool dot = (len == 1 && name[0] == '.') ||
		   (len == 2 && name[0] == '.' && name[1] == '.');

	*(bool *)ctx = !dot;
	return !dot;
}

/* Return: 1 if dir holds only "." and "..", 0 if not, or -EIO. */
static int dir_is_empty(struct inode *dir)
{
	uint64_t pos = 0;
	bool other = false;
	int err = ext2_readdir(dir, &pos, not_dot, &other);

	return err ? err : !other;
}

/* ---- namespace operations ---- */

static int exists(struct inode *dir, const char *name, size_t len)
{
	uint32_t ino;
	int err = ext2_lookup(dir, name, len, &ino);

	return err == -ENOENT ? 0 : err ? err : -EEXIST;
}

/* Link a new inode into dir; on failure it is deleted by the iput. */
static int add_new(struct inode *dir, const char *name, size_t len,
		   struct inode *inode, struct inode **out)
{
	int err = add_entry(dir, name, len, inode);

	if (err) {
		inode->nlink = 0;
		iput(inode);
		return err;
	}
	*out = inode;
	return 0;
}

static int ext2_create(struct inode *dir, const char *name, size_t len,
		       uint16_t mode, struct inode **out)
{
	struct inode *inode;
	int err = exists(dir, name, len);

	if (err)
		return err;
	inode = ext2_new_inode(dir, mode);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->nlink = 1;
	return add_new(dir, name, len, inode, out);
}

/* The first block of a new directory: "." and "..". */
static int make_dot_entries(struct inode *inode, struct inode *parent)
{
	uint32_t blockno;
	struct buf *b;
	int err = ext2_get_block(inode, 0, true, &blockno);

	if (err)
		return err;
	b = bread(inode->sb->bdev, blockno, inode->sb->block_size);
	if (IS_ERR(b))
		return PTR_ERR(b);
	at(b, 0)->rec_len = 12;
	fill_entry(at(b, 0), ".", 1, inode);
	at(b, 12)->rec_len = inode->sb->block_size - 12;
	fill_entry(at(b, 12), "..", 2, parent);
	bdirty(b);
	brelse(b);
	inode->size = inode->sb->block_size;
	return 0;
}

static int ext2_mkdir(struct inode *dir, const char *name, size_t len,
		      uint16_t mode, struct inode **out)
{
	struct inode *inode;
	int err = exists(dir, name, len);

	if (err)
		return err;
	if (dir->nlink >= 65000)
		return -EMLINK;
	inode = ext2_new_inode(dir, mode);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	err = make_dot_entries(inode, dir);
	if (err) {
		inode->nlink = 0;
		iput(inode);
		return err;
	}
	inode->nlink = 2;
	err = add_new(dir, name, len, inode, out);
	if (!err) {
		dir->nlink++;
		mark_inode_dirty(dir);
	}
	return err;
}

/* Find name in dir and get its inode: 0, the position held, *inode held. */
static int find_inode(struct inode *dir, const char *name, size_t len,
		      struct dirpos *pos, struct inode **inode)
{
	int err = find_entry(dir, name, len, pos);

	if (err)
		return err;
	*inode = iget(dir->sb, at(pos->b, pos->off)->inode);
	if (IS_ERR(*inode)) {
		brelse(pos->b);
		return PTR_ERR(*inode);
	}
	return 0;
}

static int ext2_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct inode *inode;
	struct dirpos pos;
	int err = find_inode(dir, name, len, &pos, &inode);

	if (err)
		return err;
	err = !S_ISDIR(inode->mode) ? -ENOTDIR : dir_is_empty(inode);
	if (err == 1) {
		remove_entry(dir, &pos);
		inode->nlink = 0;	/* deleted by the last iput */
		dir->nlink--;
		mark_inode_dirty(dir);
		err = 0;
	} else {
		brelse(pos.b);
		if (err == 0)
			err = -ENOTEMPTY;
	}
	iput(inode);
	return err;
}

static int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	struct inode *inode;
	struct dirpos pos;
	int err = find_inode(dir, name, len, &pos, &inode);

	if (err)
		return err;
	if (S_ISDIR(inode->mode)) {
		brelse(pos.b);
		err = -EISDIR;
	} else {
		remove_entry(dir, &pos);
		inode->nlink--;
		inode->ctime = vfs_time();
		mark_inode_dirty(inode);
	}
	iput(inode);
	return err;
}

static int ext2_link(struct inode *dir, const char *name, size_t len,
		     struct inode *target)
{
	int err = exists(dir, name, len);

	if (err)
		return err;
	if (target->nlink >= 65000)
		return -EMLINK;
	err = add_entry(dir, name, len, target);
	if (!err) {
		target->nlink++;
		target->ctime = vfs_time();
		mark_inode_dirty(target);
	}
	return err;
}

static int ext2_symlink(struct inode *dir, const char *name, size_t len,
			const char *target, struct inode **out)
{
	size_t tlen = strlen(target);
	struct inode *inode;
	int err = exists(dir, name, len);

	if (err)
		return err;
	if (tlen >= dir->sb->block_size)
		return -ENAMETOOLONG;
	inode = ext2_new_inode(dir, S_IFLNK | 0777);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->nlink = 1;
	if (tlen <= EXT2_FAST_SYMLINK_MAX) {
		err = ext2_fast_symlink_set(inode, target, tlen);
	} else {
		long n = vfs_write(inode, target, tlen, 0);

		err = n < 0 ? (int)n : 0;
	}
	if (err) {
		inode->nlink = 0;
		iput(inode);
		return err;
	}
	return add_new(dir, name, len, inode, out);
}

/* Is dir 'inner' the directory 'outer' or below it?  0 no, 1 yes, -errno.
 * The climb is bounded: on a damaged disk ".." chains can loop, and a loop
 * here would never give the CPU back. */
static int is_below(struct inode *inner, struct inode *outer)
{
	uint32_t steps_left = EXT2_SB(inner->sb)->inodes_count;
	struct inode *cur = inner;
	int result = 0;

	ihold(cur);
	while (cur->ino != EXT2_ROOT_INO) {
		struct inode *up;
		uint32_t ino;

		if (cur == outer) {
			result = 1;
			break;
		}
		if (steps_left-- == 0) {
			printk(KERN_ERR "ext2: %s: directory %u: \"..\" chain loops\n",
			       cur->sb->bdev->name, inner->ino);
			result = -EIO;
			break;
		}
		result = ext2_lookup(cur, "..", 2, &ino);
		up = result ? ERR_PTR(result) : iget(cur->sb, ino);
		iput(cur);
		if (IS_ERR(up))
			return PTR_ERR(up);
		cur = up;
	}
	iput(cur);
	return result;
}

/* A directory moved from odir to ndir: its ".." and both link counts. */
static int reparent(struct inode *inode, struct inode *odir, struct inode *ndir)
{
	struct dirpos pos;
	int err = find_entry(inode, "..", 2, &pos);

	if (err)
		return err;
	retarget_entry(inode, &pos, ndir);
	odir->nlink--;
	ndir->nlink++;
	mark_inode_dirty(odir);
	mark_inode_dirty(ndir);
	return 0;
}

/* May src replace tgt (both held)?  0 or -errno. */
static int can_replace(struct inode *src, struct inode *tgt)
{
	int empty;

	if (S_ISDIR(src->mode) && !S_ISDIR(tgt->mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->mode) && S_ISDIR(tgt->mode))
		return -EISDIR;
	if (!S_ISDIR(tgt->mode))
		return 0;
	empty = dir_is_empty(tgt);
	return empty < 0 ? empty : empty ? 0 : -ENOTEMPTY;
}

/* Put src under (ndir, nname): over tgt if there is one (tgt held). */
static int place(struct inode *src, struct inode *ndir, const char *nname,
		 size_t nlen, struct inode *tgt)
{
	struct dirpos pos;
	int err;

	if (!tgt)
		return add_entry(ndir, nname, nlen, src);
	err = find_entry(ndir, nname, nlen, &pos);
	if (err)
		return err;
	retarget_entry(ndir, &pos, src);
	if (S_ISDIR(tgt->mode)) {
		tgt->nlink = 0;
		ndir->nlink--;
		mark_inode_dirty(ndir);
	} else {
		tgt->nlink--;
	}
	mark_inode_dirty(tgt);
	return 0;
}

static int ext2_rename(struct inode *odir, const char *oname, size_t olen,
		       struct inode *ndir, const char *nname, size_t nlen)
{
	struct inode *src, *tgt = NULL;
	struct dirpos pos;
	uint32_t ino;
	int err = find_inode(odir, oname, olen, &pos, &src);

	if (err)
		return err;
	brelse(pos.b);
	err = ext2_lookup(ndir, nname, nlen, &ino);
	if (!err && ino == src->ino)
		goto out_src;		/* two names of one inode: nothing */
	if (!err) {
		tgt = iget(ndir->sb, ino);
		err = IS_ERR(tgt) ? PTR_ERR(tgt) : can_replace(src, tgt);
		if (IS_ERR(tgt))
			tgt = NULL;
	} else if (err == -ENOENT) {
		err = 0;
	}
	if (!err && S_ISDIR(src->mode) && odir != ndir) {
		err = is_below(ndir, src);
		err = err == 1 ? -EINVAL : err;
	}
	if (!err)
		err = place(src, ndir, nname, nlen, tgt);
	if (!err)
		err = find_entry(odir, oname, olen, &pos);
	if (!err)
		remove_entry(odir, &pos);
	if (!err && S_ISDIR(src->mode) && odir != ndir)
		err = reparent(src, odir, ndir);
	if (tgt)
		iput(tgt);
out_src:
	iput(src);
	return err;
}

const struct inode_ops ext2_dir_ops = {
	.get_block = ext2_get_block,
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.rmdir = ext2_rmdir,
	.unlink = ext2_unlink,
	.link = ext2_link,
	.symlink = ext2_symlink,
	.rename = ext2_rename,
	.readdir = ext2_readdir,
};
