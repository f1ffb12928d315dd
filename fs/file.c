/*
 * fs/file.c - file data on kernel buffers, for any filesystem with a block
 * map: vfs_read, vfs_write, vfs_truncate.
 *
 * Owns nothing: file data lives in the page cache (mm/filemap.c), which
 * reaches the disk through inode->ops->get_block and the buffer cache, so
 * these see exactly what read(2), write(2) and mappings see.
 *
 * Interface (include/vfs.h): vfs_read/vfs_write(inode, kbuf, len, off)
 * return bytes moved or -errno; vfs_truncate(inode, size).
 *
 * Invariants:
 *   - A hole (get_block gives block 0) reads as zeros.
 *   - Bytes past i_size in the last block are zero on disk and in the
 *     cache: truncate clears them, so growing a file again never shows old
 *     data.
 *
 * Locks: each call takes fs_lock (recursive: callers may hold it already);
 * may sleep.
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mutex.h>
#include <pagecache.h>
#include <string.h>
#include <vfs.h>
#include <vm.h>

#define VFS_MAX_FILE_SIZE	0xFFFFFFFFull	/* get_block takes a u32 */

/* Read: bytes read (short at end of file), or -errno if none were. */
long vfs_read(struct inode *inode, void *kbuf, size_t len, uint64_t off)
{
	long n;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!inode->ops->get_block)
		return -EINVAL;
	mutex_lock(&fs_lock);
	n = filemap_read_kernel(inode, kbuf, len, off);
	mutex_unlock(&fs_lock);
	return n;
}

/* Write: bytes written (short on -ENOSPC part-way), or -errno if none. */
long vfs_write(struct inode *inode, const void *kbuf, size_t len, uint64_t off)
{
	long n;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!inode->ops->get_block)
		return -EINVAL;
	if (inode->sb->read_only)
		return -EROFS;
	if (off > VFS_MAX_FILE_SIZE || len > VFS_MAX_FILE_SIZE - off)
		return -EFBIG;
	mutex_lock(&fs_lock);
	n = filemap_write_kernel(inode, kbuf, len, off);
	mutex_unlock(&fs_lock);
	return n;
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
	mutex_lock(&fs_lock);
	truncate_inode_pages(inode, MIN(size, inode->size));
	if (size < inode->size)
		unmap_mapping_range(inode, size);
	err = size < inode->size ? zero_tail(inode, size) : 0;
	if (!err && size < inode->size)
		err = inode->ops->truncate_blocks(inode, size);
	if (!err) {
		inode->size = size;
		inode->mtime = inode->ctime = vfs_time();
		mark_inode_dirty(inode);
	}
	mutex_unlock(&fs_lock);
	return err;
}
