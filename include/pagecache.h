/* include/pagecache.h - the page cache: file data in whole pages
 * (mm/filemap.c).
 *
 * Every regular file's data passes through here: read(2)/write(2), the
 * kernel's vfs_read/vfs_write, exec and mmap faults all see the same pages,
 * so a MAP_SHARED store is seen by read() and a write() by a mapping.
 * A page belongs to (inode, index) -- page->mapping, page->index -- and is
 * found through a hash; the inode also keeps a list of its pages for
 * write-back, truncate and eviction.
 *
 * Page state (include/mm.h page flags):
 *   PG_locked    someone is filling or writing the page: wait with
 *                lock_page.  It is an I/O lock only, never a pin (rule
 *                3), and nobody touches user memory while holding it
 *                (rule 6; both in docs/history.md).
 *   PG_uptodate  the page holds the file's bytes (a read has finished).
 *   PG_dirty     newer than the disk; written back by the flusher,
 *                sync/fsync/msync, and when a shared mapping goes away.
 *                (set_page_dirty sets it on anonymous pages too, for
 *                swap.)
 *
 * Locks: fs_lock (fs/fd.c) around every call that reaches the filesystem;
 * the page lock inside it.  Callers that copy to or from user space drop
 * both first (filemap_read, filemap_write do this themselves).
 */
#ifndef WALNUT_PAGECACHE_H
#define WALNUT_PAGECACHE_H

#include <types.h>

struct inode;
struct page;
struct vm_ops;

void lock_page(struct page *page);	/* sleeps until PG_locked is ours */
void unlock_page(struct page *page);	/* wakes waiters */
/* Any page, page-cache or anonymous: newer than its file or swap.  Safe
 * from an interrupt handler (a DMA completion). */
void set_page_dirty(struct page *page);

/* The page at index, with a reference (put_page it), or NULL. */
struct page *find_get_page(struct inode *inode, uint32_t index);
/* The page at index, read from the disk if need be: uptodate, with a
 * reference, unlocked.  ERR_PTR(-EIO/-ENOMEM).  Caller holds fs_lock. */
struct page *read_cache_page(struct inode *inode, uint32_t index);

/* read(2)/write(2) on a regular file: user buffers, never faulting with a
 * lock held.  Return bytes moved (short at end of file), or -errno if none. */
long filemap_read(struct inode *inode, void __user *ubuf, size_t len,
		  uint64_t pos);
long filemap_write(struct inode *inode, const void __user *ubuf, size_t len,
		   uint64_t pos);

/* The same on kernel buffers (vfs_read/vfs_write: exec, ext2 symlinks,
 * self-tests).  Caller holds fs_lock. */
long filemap_read_kernel(struct inode *inode, void *kbuf, size_t len,
			 uint64_t pos);
long filemap_write_kernel(struct inode *inode, const void *kbuf, size_t len,
			  uint64_t pos);

/* Write back dirty pages of [start, end) bytes (end 0: to the end), or of
 * every file (filemap_sync_all).  Return 0 or the first -errno. */
int filemap_write_range(struct inode *inode, uint64_t start, uint64_t end);
int filemap_sync_all(void);
void filemap_flush_expired(void);	/* the flusher's periodic work */
/* Drop the pages from byte offset from on (truncate; eviction from 0). */
void truncate_inode_pages(struct inode *inode, uint64_t from);
/* The last iput: dirty pages to the buffer cache (unless deleted), then
 * every page dropped.  Caller holds fs_lock. */
void filemap_evict_inode(struct inode *inode);
/* Reclaim (mm/reclaim.c): drop up to nr clean pages that only the cache
 * holds; how many went.  Caller holds fs_lock. */
size_t filemap_shrink(size_t nr);

/* Mapping a regular file: file_ops.mmap for regular files (sets
 * filemap_vm_ops), and exec's private mappings of ELF segments (a VMA with
 * v->inode held and filemap_vm_ops).  Return 0 or -errno. */
struct file;
struct vma;
struct mm;
extern const struct vm_ops filemap_vm_ops;
int generic_file_mmap(struct file *f, struct vma *v);

struct pagecache_stats {
	size_t nr_pages, nr_dirty;
};
void pagecache_stats(struct pagecache_stats *st);

#endif
