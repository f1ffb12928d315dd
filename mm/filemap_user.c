/*
 * mm/filemap_user.c - the page cache meets user memory: read(2) and write(2)
 * on regular files, and faults on mapped files (filemap_vm_ops).
 *
 * Owns no state; built on mm/filemap.c's per-page steps
 * (mm/filemap_internal.h).
 *
 * The rule (rule 6; Nick Piggin, 2007: docs/history.md): never touch user
 * memory holding the page lock -- nor fs_lock, which a fault on a mapped
 * file takes, and which comes after mmap_lock in the lock order.  A user
 * copy can fault, and the fault may need the very page being written
 * (write(fd, p, n) with p an unfaulted mapping of the same range of fd),
 * or a page another writer holds locked while it faults on ours.  So:
 *
 *   read:   fs_lock, read_cache_page (a reference), drop fs_lock,
 *           copy_to_user_partial (may fault: nothing held), put_page; a
 *           short copy ends the read with the count so far.
 *   write, one page chunk at a time:
 *     1. fault_in_readable(src): fault the source in, nothing held, and
 *        cut the chunk to the bytes that are there (none: -EFAULT, or the
 *        count written so far);
 *     2. fs_lock, filemap_begin_write: the page locked, filled if partial;
 *     3. copy_from_user_nofault: faults off, so a page that went away since
 *        step 1 gives a short copy instead of a fault;
 *     4. filemap_end_write: dirty, i_size; unlock; drop fs_lock.
 *     5. If step 3 copied nothing: pin the source page through the walker
 *        (get_one_user_page, nothing held), redo 2-4 copying from the pin's
 *        kernel address, which cannot fault, unpin.  This always progresses.
 *
 * Locks: inode->write_lock (one write(2) per file at a time, so O_APPEND
 * and concurrent writes stay whole; taken by the caller, fs/fd.c, before
 * anything else) -> mmap_lock (the walker) -> fs_lock -> page lock.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <sched.h>
#include <string.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>
#include <walk.h>
#include "filemap_internal.h"

#define MAX_FILE_SIZE	0xFFFFFFFFull	/* get_block takes a u32 block */

unsigned int filemap_fail_nofault_copies;	/* filemap_internal.h */

/**
 * filemap_read - read(2) of a regular file: len bytes at pos into ubuf.
 * Context: takes and drops fs_lock per page; may sleep and fault.
 * Return: bytes read (short at end of file or at a bad buffer), or -errno
 * (-EFAULT, -EIO, -ENOMEM) if none.
 */
long filemap_read(struct inode *inode, void __user *ubuf, size_t len,
		  uint64_t pos)
{
	size_t done = 0;
	long err = 0;

	while (done < len) {
		uint32_t offset = (uint32_t)(pos & (PAGE_SIZE - 1));
		size_t n = MIN(len - done, (size_t)(PAGE_SIZE - offset)), copied;
		struct page *page = NULL;

		mutex_lock(&fs_lock);
		if (pos < inode->size) {
			n = (size_t)MIN((uint64_t)n, inode->size - pos);
			page = read_cache_page(inode, (uint32_t)(pos >> PAGE_SHIFT));
		}
		mutex_unlock(&fs_lock);
		if (!page)
			break;		/* end of file */
		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			break;
		}
		copied = copy_to_user_partial((char *)ubuf + done,
					      (char *)page_to_kva(page) + offset, n);
		put_page(page);
		done += copied;
		pos += copied;
		if (copied < n) {
			err = -EFAULT;
			break;
		}
	}
	return done ? (long)done : err;
}

/* Steps 2-4: n bytes (inside one page) at pos from src, copied with page
 * faults off.  Return bytes written (0 if the source was not there), or
 * -errno. */
static long write_nofault(struct inode *inode, const char __user *src,
			  uint32_t n, uint64_t pos)
{
	struct page *page;
	size_t left;

	mutex_lock(&fs_lock);
	page = filemap_begin_write(inode, pos, &n);
	if (IS_ERR(page)) {
		mutex_unlock(&fs_lock);
		return PTR_ERR(page);
	}
	if (filemap_fail_nofault_copies) {
		filemap_fail_nofault_copies--;
		left = n;
	} else {
		left = copy_from_user_nofault((char *)page_to_kva(page) +
					      (pos & (PAGE_SIZE - 1)), src, n);
	}
	n = (uint32_t)filemap_end_write(inode, page, pos, n - left);
	mutex_unlock(&fs_lock);
	return n;
}

/* Step 5: the source page pinned, then copied through its kernel address.
 * n is cut to the source page.  Return bytes written (> 0), or -errno. */
static long write_pinned(struct inode *inode, const char __user *src,
			 uint32_t n, uint64_t pos)
{
	uint32_t uva = (uint32_t)src, in_src = uva & (PAGE_SIZE - 1);
	struct page *src_page = get_one_user_page(current->mm, uva, 0);
	struct page *page;

	if (IS_ERR(src_page))
		return PTR_ERR(src_page);
	n = MIN(n, PAGE_SIZE - in_src);
	mutex_lock(&fs_lock);
	page = filemap_begin_write(inode, pos, &n);
	if (!IS_ERR(page)) {
		/* memmove: src_page may be this very page, at the same place */
		memmove((char *)page_to_kva(page) + (pos & (PAGE_SIZE - 1)),
			(char *)page_to_kva(src_page) + in_src, n);
		n = (uint32_t)filemap_end_write(inode, page, pos, n);
	}
	mutex_unlock(&fs_lock);
	unpin_user_page(src_page);
	return IS_ERR(page) ? PTR_ERR(page) : (long)n;
}

/**
 * filemap_write - write(2) of a regular file: len bytes from ubuf at pos,
 * by the protocol at the top of this file.
 * Context: the caller holds inode->write_lock and nothing else; takes and
 * drops fs_lock per page; may sleep and fault.
 * Return: bytes written (short on -ENOSPC or a bad buffer part-way), or
 * -errno if none (-EFAULT, -ENOSPC, -EFBIG, -EROFS, -EIO, -ENOMEM).
 */
long filemap_write(struct inode *inode, const void __user *ubuf, size_t len,
		   uint64_t pos)
{
	size_t done = 0;
	long n = 0;

	if (inode->sb->read_only)
		return -EROFS;
	if (pos > MAX_FILE_SIZE || len > MAX_FILE_SIZE - pos)
		return -EFBIG;
	while (done < len) {
		const char __user *src = (const char __user *)ubuf + done;
		uint32_t chunk = (uint32_t)MIN(len - done,
					       (size_t)(PAGE_SIZE - (pos & (PAGE_SIZE - 1))));

		/* Only what can be read: a buffer that goes bad part-way
		 * writes the bytes before the bad page, as Linux does. */
		chunk = (uint32_t)fault_in_readable(src, chunk);
		if (chunk == 0) {
			n = -EFAULT;
			break;
		}
		n = write_nofault(inode, src, chunk, pos);
		if (n == 0)
			n = write_pinned(inode, src, chunk, pos);
		if (n < 0)
			break;
		done += (size_t)n;
		pos += (uint64_t)n;
	}
	if (n < 0) {
		mutex_lock(&fs_lock);
		filemap_trim_blocks(inode);	/* blocks a failed chunk took */
		mutex_unlock(&fs_lock);
	}
	return done ? (long)done : n;
}

/* ---- mapping a file ---- */

/* The page of the file at uva, with a reference for the caller's PTE.
 * Past the end of the file: SIGBUS, as Linux.  Counts a major fault when
 * the page had to come from the disk. */
static struct page *filemap_nopage(struct vma *v, uint32_t uva, bool write)
{
	uint32_t pgoff = v->pgoff + ((uva - v->start) >> PAGE_SHIFT);
	struct inode *inode = v->inode;
	struct page *page;
	bool major = false;

	mutex_lock(&fs_lock);
	if (((uint64_t)pgoff << PAGE_SHIFT) >= inode->size)
		page = ERR_PTR(-EFAULT);
	else
		page = filemap_get_page(inode, pgoff, &major);
	mutex_unlock(&fs_lock);
	if (major) {
		vm_counters.pgmajfault++;
		current->maj_flt++;
	}
	return page;
}

/* The VMA's inode reference is the mmap code's (mm/mmap.c): no open/close. */
const struct vm_ops filemap_vm_ops = {
	.nopage = filemap_nopage,
};

/* file_ops.mmap of regular files.  Return: 0, or -ENODEV for anything
 * else (mmap's answer for a file that cannot be mapped). */
int generic_file_mmap(struct file *f, struct vma *v)
{
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -ENODEV;
	v->ops = &filemap_vm_ops;
	return 0;
}
