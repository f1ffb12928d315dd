/*
 * fs/namei.c - names: how a system call's path becomes an inode, from the
 * root, the working directory or a directory descriptor (fs/namei.h), and
 * the calls that change or read the namespace: mkdir, rmdir, unlink,
 * symlink, mknod, link, rename, readlink, each with its *at twin, and
 * getdents64.
 *
 * Owns no state.  Each call copies its path in, resolves it under fs_lock
 * and calls the VFS (fs/vfs.c), which checks the names and calls the
 * filesystem.  Errors are Linux's for the same call, in Linux's order:
 * argument checks first, then the lookup, then the operation.
 *
 * Locks: fs_lock around each lookup and VFS call.  A path is copied in
 * before fs_lock is taken: the copy may fault, and a fault may need
 * fs_lock itself (a file mapping), or read the disk.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>
#include <vfs.h>
#include "namei.h"

#define RENAME_NOREPLACE	(1 << 0)	/* renameat2: fail if new exists */

/* ---- resolving a path ---- */

long at_flags_to_lookup(int at_flags, int allowed, bool follow_by_default)
{
	long flags = follow_by_default ? LOOKUP_FOLLOW : 0;

	if (at_flags & ~allowed)
		return -EINVAL;
	if (at_flags & AT_SYMLINK_NOFOLLOW)
		flags &= ~LOOKUP_FOLLOW;
	if (at_flags & AT_SYMLINK_FOLLOW)
		flags |= LOOKUP_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		flags |= LOOKUP_EMPTY;
	return flags;
}

/* dirfd's open file: -EBADF if dirfd is not open. */
static int dirfd_file(int dirfd, struct file **out)
{
	*out = fd_file(dirfd);
	return *out ? 0 : -EBADF;
}

/* Where a relative path starts: the working directory, or the directory
 * open as dirfd.  Not held: current's cwd and files hold it. */
static int start_dir(int dirfd, struct inode **start)
{
	struct file *f;
	int err;

	if (dirfd == AT_FDCWD) {
		*start = current->cwd;
		return 0;
	}
	err = dirfd_file(dirfd, &f);
	if (err)
		return err;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	*start = f->inode;
	return 0;
}

struct inode *path_base(int dirfd, const char *path)
{
	struct inode *start = NULL;

	if (path[0] != '/' && start_dir(dirfd, &start))
		start = NULL;
	return start;
}

int path_at(int dirfd, const char *path, unsigned int flags,
	    struct inode **out)
{
	struct inode *start = current->cwd;
	int err = path[0] == '/' ? 0 : start_dir(dirfd, &start);

	assert_mutex_held(&fs_lock);
	if (err)
		return err;
	return vfs_lookup(current->root, start, path, flags & LOOKUP_FOLLOW, out);
}

int path_parent_at(int dirfd, const char *path, struct inode **dir,
		   char name[NAME_MAX + 1])
{
	struct inode *start = current->cwd;
	int err = path[0] == '/' ? 0 : start_dir(dirfd, &start);

	assert_mutex_held(&fs_lock);
	if (err)
		return err;
	return vfs_lookup_parent(current->root, start, path, dir, name);
}

/* The file dirfd names itself (AT_EMPTY_PATH with ""): any open file with
 * an inode, or the working directory for AT_FDCWD.  Held. */
static int empty_path_at(int dirfd, struct inode **out)
{
	struct file *f;
	int err;

	if (dirfd == AT_FDCWD) {
		*out = current->cwd;
	} else {
		err = dirfd_file(dirfd, &f);
		if (err)
			return err;
		if (!f->inode)
			return -ENOENT;		/* a pipe: nothing to name */
		*out = f->inode;
	}
	ihold(*out);
	return 0;
}

int user_path_at(int dirfd, const char __user *upath, unsigned int flags,
		 struct inode **out)
{
	char *path = kmalloc(PATH_MAX, ALLOC_NOFS);
	long n;

	assert(!mutex_held(&fs_lock) && "copying a path in may fault");
	if (!path)
		return -ENOMEM;
	n = strncpy_from_user(path, upath, PATH_MAX);
	mutex_lock(&fs_lock);
	if (n == 0)
		n = flags & LOOKUP_EMPTY ? empty_path_at(dirfd, out) : -ENOENT;
	else if (n > 0)
		n = path_at(dirfd, path, flags, out);
	mutex_unlock(&fs_lock);
	kfree(path);
	return (int)n;
}

/* ---- one name in one directory ---- */

enum dirop {
	DIROP_MKDIR,
	DIROP_RMDIR,
	DIROP_UNLINK,
	DIROP_SYMLINK,
	DIROP_MKNOD,
};

/* What a dirop needs besides the name. */
struct dirop_args {
	uint32_t mode;		/* mkdir, mknod: S_IF* and permissions */
	uint32_t rdev;		/* mknod */
	const char *target;	/* symlink */
};

static int run_dirop(enum dirop op, struct inode *dir, const char *name,
		     const struct dirop_args *a)
{
	uint16_t perms = (uint16_t)(a->mode & ~current->umask & 07777);

	switch (op) {
	case DIROP_MKDIR:
		return vfs_mkdir(dir, name, perms);
	case DIROP_RMDIR:
		return vfs_rmdir(dir, name);
	case DIROP_UNLINK:
		return vfs_unlink(dir, name);
	case DIROP_SYMLINK:
		return vfs_symlink(dir, name, a->target);
	case DIROP_MKNOD:
		return vfs_mknod(dir, name, (uint16_t)(a->mode & S_IFMT) | perms,
				 a->rdev);
	}
	return -EINVAL;
}

static long path_dirop(int dirfd, const char __user *upath, enum dirop op,
		       const struct dirop_args *a)
{
	char *path = getname(upath), name[NAME_MAX + 1];
	struct inode *dir;
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	err = path_parent_at(dirfd, path, &dir, name);
	if (!err) {
		err = run_dirop(op, dir, name, a);
		iput(dir);
	}
	mutex_unlock(&fs_lock);
	kfree(path);
	return err;
}

static long sys_mkdirat(int dirfd, const char __user *upath, uint32_t mode)
{
	return path_dirop(dirfd, upath, DIROP_MKDIR, &(struct dirop_args){ .mode = mode });
}
SYSCALL(__NR_mkdirat, sys_mkdirat);

static long sys_mkdir(const char __user *upath, uint32_t mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}
SYSCALL(__NR_mkdir, sys_mkdir);

static long sys_rmdir(const char __user *upath)
{
	return path_dirop(AT_FDCWD, upath, DIROP_RMDIR, &(struct dirop_args){ 0 });
}
SYSCALL(__NR_rmdir, sys_rmdir);

static long sys_unlinkat(int dirfd, const char __user *upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return path_dirop(dirfd, upath, flags ? DIROP_RMDIR : DIROP_UNLINK,
			  &(struct dirop_args){ 0 });
}
SYSCALL(__NR_unlinkat, sys_unlinkat);

static long sys_unlink(const char __user *upath)
{
	return sys_unlinkat(AT_FDCWD, upath, 0);
}
SYSCALL(__NR_unlink, sys_unlink);

static long sys_symlinkat(const char __user *utarget, int dirfd,
			  const char __user *upath)
{
	char *target = getname(utarget);
	long err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	err = path_dirop(dirfd, upath, DIROP_SYMLINK,
			 &(struct dirop_args){ .target = target });
	kfree(target);
	return err;
}
SYSCALL(__NR_symlinkat, sys_symlinkat);

static long sys_symlink(const char __user *utarget, const char __user *upath)
{
	return sys_symlinkat(utarget, AT_FDCWD, upath);
}
SYSCALL(__NR_symlink, sys_symlink);

/* mknod's file types: a regular file (also for type 0), a FIFO, a device
 * or a socket; a directory is -EPERM (mkdir makes those), anything else
 * -EINVAL.  Checked before the path, as Linux's may_mknod. */
static int mknod_type(uint32_t *mode)
{
	switch (*mode & S_IFMT) {
	case 0:
		*mode |= S_IFREG;
		return 0;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	}
	return -EINVAL;
}

static long sys_mknodat(int dirfd, const char __user *upath, uint32_t mode,
			uint32_t dev)
{
	int err = mknod_type(&mode);

	if (err)
		return err;
	if ((mode & S_IFMT) != S_IFCHR && (mode & S_IFMT) != S_IFBLK)
		dev = 0;
	return path_dirop(dirfd, upath, DIROP_MKNOD,
			  &(struct dirop_args){ .mode = mode, .rdev = dev });
}
SYSCALL(__NR_mknodat, sys_mknodat);

static long sys_mknod(const char __user *upath, uint32_t mode, uint32_t dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}
SYSCALL(__NR_mknod, sys_mknod);

/* ---- two names: link and rename ---- */

/* Does name exist in dir (renameat2's RENAME_NOREPLACE)?  0 no, -EEXIST,
 * or the lookup's error. */
static int name_taken(struct inode *dir, const char *name)
{
	struct inode *inode;
	int err = vfs_lookup(current->root, dir, name, 0, &inode);

	if (err)
		return err == -ENOENT ? 0 : err;
	iput(inode);
	return -EEXIST;
}

/* linkat: old resolved as the flags say (not following a symlink unless
 * AT_SYMLINK_FOLLOW; "" with AT_EMPTY_PATH is olddirfd's file), then a new
 * name for it.  link(2) follows no symlink either, as on Linux. */
static long sys_linkat(int odirfd, const char __user *uold, int ndirfd,
		       const char __user *unew, int flags)
{
	long lflags = at_flags_to_lookup(flags, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH,
					 false);
	char name[NAME_MAX + 1], *new;
	struct inode *target, *ndir;
	long err;

	if (lflags < 0)
		return lflags;
	new = getname(unew);	/* both names in before any look-up, as Linux */
	if (IS_ERR(new))
		return PTR_ERR(new);
	err = user_path_at(odirfd, uold, (unsigned int)lflags, &target);
	if (err)
		goto out;
	mutex_lock(&fs_lock);
	err = path_parent_at(ndirfd, new, &ndir, name);
	if (!err) {
		err = vfs_link(target, ndir, name);
		iput(ndir);
	}
	iput(target);
	mutex_unlock(&fs_lock);
out:
	kfree(new);
	return err;
}
SYSCALL(__NR_linkat, sys_linkat);

static long sys_link(const char __user *uold, const char __user *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}
SYSCALL(__NR_link, sys_link);

/* Context: fs_lock held. */
static int rename_at(int odirfd, const char *old, int ndirfd, const char *new,
		     bool noreplace)
{
	char oname[NAME_MAX + 1], nname[NAME_MAX + 1];
	struct inode *odir, *ndir;
	int err = path_parent_at(odirfd, old, &odir, oname);

	if (err)
		return err;
	err = path_parent_at(ndirfd, new, &ndir, nname);
	if (!err) {
		err = noreplace ? name_taken(ndir, nname) : 0;
		if (!err)
			err = vfs_rename(odir, oname, ndir, nname);
		iput(ndir);
	}
	iput(odir);
	return err;
}

/* renameat2 with RENAME_NOREPLACE or no flags; RENAME_EXCHANGE and
 * RENAME_WHITEOUT are -EINVAL, as on Linux's ext2. */
static long sys_renameat2(int odirfd, const char __user *uold, int ndirfd,
			  const char __user *unew, unsigned int flags)
{
	char *old, *new;
	long err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	old = getname(uold);
	if (IS_ERR(old))
		return PTR_ERR(old);
	new = getname(unew);
	if (IS_ERR(new)) {
		kfree(old);
		return PTR_ERR(new);
	}
	mutex_lock(&fs_lock);
	err = rename_at(odirfd, old, ndirfd, new, flags & RENAME_NOREPLACE);
	mutex_unlock(&fs_lock);
	kfree(new);
	kfree(old);
	return err;
}
SYSCALL(__NR_renameat2, sys_renameat2);

static long sys_renameat(int odirfd, const char __user *uold, int ndirfd,
			 const char __user *unew)
{
	return sys_renameat2(odirfd, uold, ndirfd, unew, 0);
}
SYSCALL(__NR_renameat, sys_renameat);

static long sys_rename(const char __user *uold, const char __user *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}
SYSCALL(__NR_rename, sys_rename);

/* ---- reading names: readlink, getdents64 ---- */

static long sys_readlinkat(int dirfd, const char __user *upath,
			   char __user *ubuf, int size)
{
	struct inode *inode;
	char *kbuf = NULL;
	long n;

	if (size <= 0)
		return -EINVAL;
	n = user_path_at(dirfd, upath, 0, &inode);
	if (!n) {
		kbuf = kmalloc(PATH_MAX, ALLOC_KERNEL);	/* before fs_lock: may reclaim */
		mutex_lock(&fs_lock);
		n = kbuf ? vfs_readlink(inode, kbuf, PATH_MAX) : -ENOMEM;
		iput(inode);
		mutex_unlock(&fs_lock);
	}
	if (n > 0) {
		n = MIN(n, size);
		if (copy_to_user(ubuf, kbuf, (size_t)n))
			n = -EFAULT;
	}
	kfree(kbuf);
	return n;
}
SYSCALL(__NR_readlinkat, sys_readlinkat);

static long sys_readlink(const char __user *upath, char __user *ubuf, int size)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, size);
}
SYSCALL(__NR_readlink, sys_readlink);

struct dirent64_head {		/* linux_dirent64, before the name */
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
} __packed;

struct getdents_ctx {
	char *kbuf;
	size_t size, used;
	uint64_t *pos;
};

static int fill_dirent64(void *arg, const char *name, size_t len, uint32_t ino,
			 unsigned int type)
{
	struct getdents_ctx *c = arg;
	size_t reclen = ALIGN_UP(sizeof(struct dirent64_head) + len + 1, 8);
	struct dirent64_head *d = (struct dirent64_head *)(c->kbuf + c->used);

	if (c->used + reclen > c->size)
		return -1;		/* full: offer it again next time */
	*d = (struct dirent64_head){ .d_ino = ino, .d_off = (int64_t)*c->pos + 1,
				     .d_reclen = (uint16_t)reclen,
				     .d_type = (uint8_t)type };
	memcpy(d + 1, name, len);
	memset((char *)(d + 1) + len, 0, reclen - sizeof(*d) - len);
	c->used += reclen;
	return 0;
}

static long sys_getdents64(int fd, void __user *ubuf, size_t size)
{
	struct file *f = fd_file(fd);
	struct getdents_ctx c;
	int err;

	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	size = MIN(size, (size_t)(64 * 1024));
	if (!access_ok((uint32_t)ubuf, size))
		return -EFAULT;
	c = (struct getdents_ctx){ .size = size, .pos = &f->pos,
				   .kbuf = kmalloc(size ? size : 1,
						   ALLOC_KERNEL) };
	if (!c.kbuf)
		return -ENOMEM;
	mutex_lock(&fs_lock);
	err = vfs_readdir(f->inode, &f->pos, fill_dirent64, &c);
	mutex_unlock(&fs_lock);
	if (!err && c.used == 0 && f->pos < f->inode->size)
		err = -EINVAL;		/* not even one entry fits */
	if (!err && copy_to_user(ubuf, c.kbuf, c.used))
		err = -EFAULT;
	kfree(c.kbuf);
	return err ? err : (long)c.used;
}
SYSCALL(__NR_getdents64, sys_getdents64);
