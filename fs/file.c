/*
 * fs/file.c - file data on kernel buffers, for any filesystem with a block
 * map: vfs_read, vfs_write, vfs_truncate.
 *
 * Owns nothing: file data lives in the buffer cache, keyed by the device
 * block that inode->ops->get_block maps each file block to.
 *
 * Interface (include/vfs.h): vfs_read/vfs_write(inode, kbuf, len, off)
 * return bytes moved or -errno; vfs_truncate(inode, size).  User copies and
 * file descriptors come later (they wrap these); the page cache will call
 * get_block the same way.
 *
 * Invariants:
 *   - A hole (get_block gives block 0) reads as zeros.
 *   - Bytes past i_size in the last block are zero on disk: truncate clears
 *     them, so growing a file again never shows old data.
 *
 * Locks: none yet (include/vfs.h); may sleep.
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <string.h>
#include <vfs.h>

#define VFS_MAX_FILE_SIZE	0xFFFFFFFFull	/* get_block takes a u32 */

/* Read: bytes read (short at end of file), or -errno if none were. */
long vfs_read(struct inode *inode, void *kbuf, size_t len, uint64_t off)
{
	uint32_t bs = inode->sb->block_size;
	size_t done = 0;
	int err = 0;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!inode->ops->get_block)
		return -EINVAL;
	if (off >= inode->size)
		return 0;
	len = MIN((uint64_t)len, inode->size - off);
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t in_block = pos % bs, blockno;
		size_t n = MIN(len - done, (size_t)(bs - in_block));

		err = inode->ops->get_block(inode, pos / bs, false, &blockno);
		if (err)
			break;
		if (blockno == 0) {
			memset((char *)kbuf + done, 0, n);
		} else {
			struct buf *b = bread(inode->sb->bdev, blockno, bs);

			if (IS_ERR(b)) {
				err = PTR_ERR(b);
				break;
			}
			memcpy((char *)kbuf + done, (char *)b->data + in_block, n);
			brelse(b);
		}
		done += n;
	}
	return done ? (long)done : err;
}

/* Write one block's worth (n bytes at in_block) of file block fblock. */
static int write_block(struct inode *inode, uint32_t fblock, uint32_t in_block,
		       const void *src, size_t n)
{
	uint32_t bs = inode->sb->block_size, blockno;
	struct buf *b;
	int err = inode->ops->get_block(inode, fblock, true, &blockno);

	if (err)
		return err;
	/* A whole block is overwritten: no need to read it first. */
	b = n == bs ? bget(inode->sb->bdev, blockno, bs)
		    : bread(inode->sb->bdev, blockno, bs);
	if (IS_ERR(b))
		return PTR_ERR(b);
	memcpy((char *)b->data + in_block, src, n);
	bdirty(b);
	brelse(b);
	return 0;
}

/* Write: bytes written (short on -ENOSPC part-way), or -errno if none. */
long vfs_write(struct inode *inode, const void *kbuf, size_t len, uint64_t off)
{
	uint32_t bs = inode->sb->block_size;
	size_t done = 0;
	int err = 0;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!inode->ops->get_block)
		return -EINVAL;
	if (inode->sb->read_only)
		return -EROFS;
	if (off > VFS_MAX_FILE_SIZE || len > VFS_MAX_FILE_SIZE - off)
		return -EFBIG;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t in_block = pos % bs;
		size_t n = MIN(len - done, (size_t)(bs - in_block));

		err = write_block(inode, pos / bs, in_block,
				  (const char *)kbuf + done, n);
		if (err)
			break;
		done += n;
		if (off + done > inode->size)
			inode->size = off + done;
	}
	if (done) {
		inode->mtime = inode->ctime = vfs_time();
		mark_inode_dirty(inode);
	}
	return done ? (long)done : err;
}

/* Zero the bytes of the last block past size, so a later extension reads
 * zeros there. */
static int zero_tail(struct inode *inode, uint64_t size)
{
	uint32_t bs = inode->sb->block_size, blockno;
	struct buf *b;
	int err;

	if (size % bs == 0)
		return 0;
	err = inode->ops->get_block(inode, size / bs, false, &blockno);
	if (err || blockno == 0)
		return err;
	b = bread(inode->sb->bdev, blockno, bs);
	if (IS_ERR(b))
		return PTR_ERR(b);
	memset((char *)b->data + size % bs, 0, bs - size % bs);
	bdirty(b);
	brelse(b);
	return 0;
}

/**
 * vfs_truncate - set a regular file's size; blocks past it are freed.
 * Growing leaves a hole.  Return: 0, -EISDIR, -EINVAL, -EROFS, -EFBIG, -EIO.
 */
int vfs_truncate(struct inode *inode, uint64_t size)
{
	int err;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode) || !inode->ops->truncate_blocks)
		return -EINVAL;
	if (inode->sb->read_only)
		return -EROFS;
	if (size > VFS_MAX_FILE_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		err = zero_tail(inode, size);
		if (!err)
			err = inode->ops->truncate_blocks(inode, size);
		if (err)
			return err;
	}
	inode->size = size;
	inode->mtime = inode->ctime = vfs_time();
	mark_inode_dirty(inode);
	return 0;
}
