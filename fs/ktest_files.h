/* fs/ktest_files.h - helpers for self-tests that read and write files the
 * way a process does, through struct file and its user-pointer file_ops
 * (fs/devfs_ktest.c, fs/procfs_ktest.c).
 *
 * The self-tests run in the boot thread, which has no address space.
 * user_window_open() gives it one for the length of a test: a fresh mm with
 * one read-write VMA at KT_UVA, made current->mm and loaded, so that
 * copy_to_user and friends fault pages in as for any process.
 * user_window_close() takes it away again and frees every page.
 *
 *	struct user_window w;
 *	if (user_window_open(&w, 8192)) return -1;
 *	n = kt_read(f, &w, kbuf, len);        f->ops->read into the window,
 *	                                      then the bytes into kbuf
 *	user_window_close(&w);
 */
#ifndef WALNUT_FS_KTEST_FILES_H
#define WALNUT_FS_KTEST_FILES_H

#include <err.h>
#include <errno.h>
#include <mm.h>
#include <sched.h>
#include <string.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>

#define KT_UVA	0x10000000u	/* where the window starts */

struct user_window {
	struct mm *mm, *saved;
	uint32_t len;
};

static inline int user_window_open(struct user_window *w, uint32_t len)
{
	w->len = ALIGN_UP(len, PAGE_SIZE);
	w->mm = mm_create();
	if (!w->mm)
		return -ENOMEM;
	if (vma_add(w->mm, KT_UVA, KT_UVA + w->len, VM_READ | VM_WRITE)) {
		mmput(w->mm);
		return -ENOMEM;
	}
	w->saved = current->mm;
	current->mm = w->mm;
	mm_activate(w->mm);
	return 0;
}

static inline void user_window_close(struct user_window *w)
{
	current->mm = w->saved;
	mm_activate(w->saved);
	mmput(w->mm);
}

static inline void __user *kt_ubuf(const struct user_window *w)
{
	return (void __user *)KT_UVA;
}

/* f->ops->read of up to len bytes (at most the window) into the window,
 * then copied to kbuf.  Return: as the read. */
static inline long kt_read(struct file *f, const struct user_window *w,
			   void *kbuf, size_t len)
{
	long n = f->ops->read(f, kt_ubuf(w), MIN(len, (size_t)w->len), &f->pos);

	if (n > 0 && copy_from_user(kbuf, kt_ubuf(w), (size_t)n))
		return -EFAULT;
	return n;
}

/* kbuf copied into the window, then f->ops->write of it. */
static inline long kt_write(struct file *f, const struct user_window *w,
			    const void *kbuf, size_t len)
{
	len = MIN(len, (size_t)w->len);
	if (copy_to_user(kt_ubuf(w), kbuf, len))
		return -EFAULT;
	return f->ops->write(f, kt_ubuf(w), len, &f->pos);
}

/* readdir into a string of " name" words: kt_add_name is the filldir. */
struct kt_names {
	char buf[512];
	size_t len;
};

static inline int kt_add_name(void *ctx, const char *name, size_t len,
			      uint32_t ino, unsigned int type)
{
	struct kt_names *n = ctx;

	if (n->len + len + 2 > sizeof(n->buf))
		return -1;
	n->buf[n->len++] = ' ';
	memcpy(n->buf + n->len, name, len);
	n->len += len;
	n->buf[n->len] = '\0';
	return 0;
}

/* Did readdir give name? */
static inline bool kt_lists(const struct kt_names *n, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(n->buf, name); p; p = strstr(p + 1, name))
		if (p > n->buf && p[-1] == ' ' &&
		    (p[len] == ' ' || p[len] == '\0'))
			return true;
	return false;
}

/* Open path (from root) as a process would.  Return: the file or ERR_PTR. */
static inline struct file *kt_open(struct inode *root, const char *path,
				   unsigned int flags)
{
	struct inode *inode;
	struct file *f;
	int err = vfs_lookup(root, root, path, LOOKUP_FOLLOW, &inode);

	if (err)
		return ERR_PTR(err);
	f = file_open_inode(inode, flags);
	iput(inode);
	return f;
}

#endif
