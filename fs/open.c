/*
 * fs/open.c - the system calls that open files or ask about access:
 * open, openat, creat; access, faccessat, faccessat2; chdir, fchdir,
 * getcwd; umask; truncate, ftruncate; sync, fsync, fdatasync.
 *
 * Owns nothing: each call copies its path in (getname), resolves it from
 * current's root and cwd or a directory descriptor (fs/namei.h) under
 * fs_lock, and calls the VFS.  Errors are Linux's for the same call.
 *
 * Locks: fs_lock around every VFS call, never across a user copy (a copy
 * may fault, and a fault may need fs_lock or the disk).  A FIFO's open
 * waits for its other end after fs_lock is dropped.
 */
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>
#include <vfs.h>
#include "namei.h"

#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

/* ---- open ---- */

/* The inode open() names, created if O_CREAT asks and it is missing. */
static int open_lookup(int dirfd, const char *path, unsigned int flags,
		       uint16_t mode, struct inode **out)
{
	char name[NAME_MAX + 1];
	struct inode *dir;
	int err = path_at(dirfd, path, flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW, out);

	if (!err && (flags & O_CREAT) && (flags & O_EXCL)) {
		iput(*out);
		return -EEXIST;
	}
	if (err != -ENOENT || !(flags & O_CREAT))
		return err;
	err = path_parent_at(dirfd, path, &dir, name);
	if (err)
		return err;
	err = vfs_create(dir, name, mode & ~current->umask & 07777, out);
	iput(dir);
	return err;
}

static bool wants_write(unsigned int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

/* Linux's refusals for opening inode with flags, in its order. */
static int open_checks(struct inode *inode, unsigned int flags)
{
	unsigned int acc = flags & O_ACCMODE;

	if (S_ISLNK(inode->mode))
		return -ELOOP;		/* O_NOFOLLOW on a symlink */
	if (S_ISDIR(inode->mode) && (flags & O_CREAT))
		return -EISDIR;		/* even O_RDONLY | O_CREAT */
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EISDIR;
	if (acc == O_ACCMODE)
		return -EINVAL;
	return 0;
}

/* The open file for inode (checked): a regular file opened for writing
 * takes write access first (-ETXTBSY while a program runs from it), and
 * O_TRUNC cuts it.  Context: fs_lock held.  Return: the file, or an error
 * pointer. */
static struct file *open_inode(struct inode *inode, unsigned int flags)
{
	bool writer = wants_write(flags) && S_ISREG(inode->mode);
	struct file *f;
	int err;

	assert_mutex_held(&fs_lock);
	err = writer ? get_write_access(inode) : 0;
	if (!err && (flags & O_TRUNC) && writer)
		err = vfs_truncate(inode, 0);
	f = err ? ERR_PTR(err) : file_open_inode(inode, flags);
	if (IS_ERR(f)) {
		if (writer && err != -ETXTBSY)
			put_write_access(inode);
		return f;
	}
	f->write_access = writer;	/* file_put gives it back */
	return f;
}

/* The open file path names, with its name kept for /proc/<pid>/maps.
 * Context: fs_lock held.  Return: the file, or an error pointer. */
static struct file *open_path(int dirfd, const char *path, unsigned int flags,
			      uint16_t mode)
{
	struct inode *inode;
	struct file *f;
	int err;

	assert_mutex_held(&fs_lock);
	err = open_lookup(dirfd, path, flags, mode, &inode);
	if (err)
		return ERR_PTR(err);
	err = open_checks(inode, flags);
	f = err ? ERR_PTR(err) : open_inode(inode, flags);
	iput(inode);
	if (IS_ERR(f))
		return f;
	f->name = file_name_new(path_base(dirfd, path), path);
	if (!f->name) {
		file_put(f);
		return ERR_PTR(-ENOMEM);
	}
	return f;
}

static long do_open(int dirfd, const char __user *upath, unsigned int flags,
		    uint16_t mode)
{
	char *path = getname(upath);
	struct file *f;
	int err, fd;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	f = open_path(dirfd, path, flags, mode);
	mutex_unlock(&fs_lock);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->inode && S_ISFIFO(f->inode->mode)) {
		err = fifo_wait_partner(f);
		if (err) {
			file_put(f);
			return err;
		}
	}
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long sys_openat(int dirfd, const char __user *upath, unsigned int flags,
		       uint32_t mode)
{
	return do_open(dirfd, upath, flags, (uint16_t)mode);
}
SYSCALL(__NR_openat, sys_openat);

static long sys_open(const char __user *upath, unsigned int flags, uint32_t mode)
{
	return do_open(AT_FDCWD, upath, flags, (uint16_t)mode);
}
SYSCALL(__NR_open, sys_open);

static long sys_creat(const char __user *upath, uint32_t mode)
{
	return do_open(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, (uint16_t)mode);
}
SYSCALL(__NR_creat, sys_creat);

/* ---- the working directory ---- */

/* Make the held directory inode current's working directory (the
 * reference passes to it).  -ENOTDIR (and put) if it is no directory. */
static int set_cwd(struct inode *inode)
{
	if (!S_ISDIR(inode->mode)) {
		iput(inode);
		return -ENOTDIR;
	}
	iput(current->cwd);
	current->cwd = inode;
	return 0;
}

static long sys_chdir(const char __user *upath)
{
	struct inode *inode;
	int err;

	err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &inode);
	if (err)
		return err;
	mutex_lock(&fs_lock);
	err = set_cwd(inode);
	mutex_unlock(&fs_lock);
	return err;
}
SYSCALL(__NR_chdir, sys_chdir);

static long sys_fchdir(int fd)
{
	struct file *f = fd_file(fd);
	int err;

	if (!f)
		return -EBADF;
	if (!f->inode)
		return -ENOTDIR;	/* a pipe */
	mutex_lock(&fs_lock);
	ihold(f->inode);
	err = set_cwd(f->inode);
	mutex_unlock(&fs_lock);
	return err;
}
SYSCALL(__NR_fchdir, sys_fchdir);

/* ---- access ---- */

/* Everyone is root: only "execute" needs an x bit somewhere (or a
 * directory), and writing needs a writable filesystem, except for devices
 * and FIFOs, which are writable anyway. */
static int may_access(const struct inode *inode, int mode)
{
	if ((mode & X_OK) && !S_ISDIR(inode->mode) && !(inode->mode & 0111))
		return -EACCES;
	if ((mode & W_OK) && inode->sb->read_only &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISLNK(inode->mode)))
		return -EROFS;
	return 0;
}

/* faccessat2: AT_EACCESS (the effective ids: the same here),
 * AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH are the flags it takes. */
static long sys_faccessat2(int dirfd, const char __user *upath, int mode,
			   int flags)
{
	long lflags = at_flags_to_lookup(flags, AT_EACCESS | AT_SYMLINK_NOFOLLOW |
					 AT_EMPTY_PATH, true);
	struct inode *inode;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (lflags < 0)
		return lflags;
	err = user_path_at(dirfd, upath, (unsigned int)lflags, &inode);
	if (err)
		return err;
	mutex_lock(&fs_lock);
	err = may_access(inode, mode);
	iput(inode);
	mutex_unlock(&fs_lock);
	return err;
}
SYSCALL(__NR_faccessat2, sys_faccessat2);

static long sys_faccessat(int dirfd, const char __user *upath, int mode)
{
	return sys_faccessat2(dirfd, upath, mode, 0);
}
SYSCALL(__NR_faccessat, sys_faccessat);

static long sys_access(const char __user *upath, int mode)
{
	return sys_faccessat2(AT_FDCWD, upath, mode, 0);
}
SYSCALL(__NR_access, sys_access);

static long sys_umask(uint32_t mask)
{
	uint32_t old = current->umask;

	current->umask = mask & 0777;
	return (long)old;
}
SYSCALL(__NR_umask, sys_umask);

/* sync(2): every dirty page into the buffer cache, then every buffer out. */
static long sys_sync(void)
{
	mutex_lock(&fs_lock);
	filemap_sync_all();
	if (root_sb)
		vfs_sync(root_sb);
	bsync(NULL);
	mutex_unlock(&fs_lock);
	return 0;
}
SYSCALL(__NR_sync, sys_sync);

/* fsync(2), fdatasync(2): the file's dirty pages and its inode reach the
 * disk (its device is synced whole, which takes the block map along).
 * Anything else open (a pipe, a device, /proc) has nothing to write. */
static long sys_fsync(int fd)
{
	struct file *f = fd_file(fd);
	struct inode *inode;
	int err = 0;

	if (!f)
		return -EBADF;
	inode = f->inode;
	if (!inode || !S_ISREG(inode->mode) || inode->sb->read_only)
		return 0;
	mutex_lock(&fs_lock);
	err = filemap_write_range(inode, 0, 0);
	if (!err && inode->dirty) {	/* size, times, block map: after the
					   pages, whose write-back may allocate */
		err = inode->sb->ops->write_inode(inode);
		if (!err)
			err = bsync(inode->sb->bdev);
	}
	mutex_unlock(&fs_lock);
	return err;
}
SYSCALL(__NR_fsync, sys_fsync);
SYSCALL(__NR_fdatasync, sys_fsync);

/* ---- getcwd ---- */

static long sys_getcwd(char __user *ubuf, size_t size)
{
	char *buf = kmalloc(PATH_MAX, ALLOC_KERNEL);
	long len;

	if (!buf)
		return -ENOMEM;
	mutex_lock(&fs_lock);
	len = vfs_dir_path(current->root, current->cwd, buf, PATH_MAX);
	mutex_unlock(&fs_lock);
	if (len >= 0)
		len++;			/* with the NUL, as Linux returns it */
	if (len > 0 && (size_t)len > size)
		len = -ERANGE;
	if (len > 0 && copy_to_user(ubuf, buf, (size_t)len))
		len = -EFAULT;
	kfree(buf);
	return len;
}
SYSCALL(__NR_getcwd, sys_getcwd);

/* ---- truncate(2), ftruncate(2) ---- */

/* Linux's checks for a length and an inode, before any change. */
static long truncate_checks(const struct inode *inode, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	return 0;
}

static long truncate_inode(struct inode *inode, int64_t length)
{
	long err = truncate_checks(inode, length);

	return err ? err : vfs_truncate(inode, (uint64_t)length);
}

/* truncate(2) writes the file as an open for writing would: -ETXTBSY
 * while a program runs from it. */
static long truncate_path_inode(struct inode *inode, int64_t length)
{
	long err = truncate_checks(inode, length);

	if (!err)
		err = get_write_access(inode);
	if (err)
		return err;
	err = vfs_truncate(inode, (uint64_t)length);
	put_write_access(inode);
	return err;
}

static long do_truncate_path(const char __user *upath, int64_t length)
{
	struct inode *inode;
	long err;

	err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &inode);
	if (err)
		return err;
	mutex_lock(&fs_lock);
	err = truncate_path_inode(inode, length);
	iput(inode);
	mutex_unlock(&fs_lock);
	return err;
}

/* ftruncate needs a descriptor open for writing: EINVAL otherwise, as
 * Linux answers (not EBADF). */
static long do_ftruncate(int fd, int64_t length)
{
	struct file *f = fd_file(fd);

	if (length < 0)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (!f->inode || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return truncate_inode(f->inode, length);
}

static long sys_truncate(const char __user *upath, int32_t length)
{
	return do_truncate_path(upath, length);
}
SYSCALL(__NR_truncate, sys_truncate);

static long sys_ftruncate(int fd, int32_t length)
{
	return do_ftruncate(fd, length);
}
SYSCALL(__NR_ftruncate, sys_ftruncate);

/* The 64-bit forms take the length as two words, low first (i386). */
static long sys_truncate64(const char __user *upath, uint32_t lo, uint32_t hi)
{
	return do_truncate_path(upath, (int64_t)((uint64_t)hi << 32 | lo));
}
SYSCALL(__NR_truncate64, sys_truncate64);

static long sys_ftruncate64(int fd, uint32_t lo, uint32_t hi)
{
	return do_ftruncate(fd, (int64_t)((uint64_t)hi << 32 | lo));
}
SYSCALL(__NR_ftruncate64, sys_ftruncate64);
