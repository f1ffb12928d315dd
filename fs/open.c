/*
 * fs/open.c - the system calls that take path names: open, stat, mkdir,
 * unlink, rename, link, symlink, readlink, chdir, getcwd, access, and
 * getdents64, sync, umask.
 *
 * Owns nothing: each call copies its path in (getname), resolves it from
 * current's root and cwd under fs_lock (fs/fd.c), and calls the VFS.
 * Errors are Linux's for the same call.
 *
 * Locks: fs_lock around every VFS call; user copies are made with it held
 * (a fault on anonymous memory never takes it).
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

#define AT_FDCWD	(-100)
#define AT_REMOVEDIR	0x200
#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

extern struct mutex fs_lock;

static int lookup(const char *path, unsigned int flags, struct inode **out)
{
	return vfs_lookup(current->root, current->cwd, path, flags, out);
}

static int lookup_parent(const char *path, struct inode **dir,
			 char name[NAME_MAX + 1])
{
	return vfs_lookup_parent(current->root, current->cwd, path, dir, name);
}

/* ---- open ---- */

/* The inode open() names, created if O_CREAT asks and it is missing. */
static int open_lookup(const char *path, unsigned int flags, uint16_t mode,
		       struct inode **out)
{
	char name[NAME_MAX + 1];
	struct inode *dir;
	int err = lookup(path, flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW, out);

	if (!err && (flags & O_CREAT) && (flags & O_EXCL)) {
		iput(*out);
		return -EEXIST;
	}
	if (err != -ENOENT || !(flags & O_CREAT))
		return err;
	err = lookup_parent(path, &dir, name);
	if (err)
		return err;
	err = vfs_create(dir, name, mode & ~current->umask & 07777, out);
	iput(dir);
	return err;
}

static int open_checks(struct inode *inode, unsigned int flags)
{
	unsigned int acc = flags & O_ACCMODE;

	if (S_ISLNK(inode->mode))
		return -ELOOP;		/* O_NOFOLLOW on a symlink */
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EISDIR;
	if (acc == O_ACCMODE)
		return -EINVAL;
	return 0;
}

static long do_open(const char __user *upath, unsigned int flags, uint16_t mode)
{
	char *path = getname(upath);
	struct inode *inode;
	struct file *f;
	int err, fd;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	err = open_lookup(path, flags, mode, &inode);
	kfree(path);
	if (err)
		goto out_unlock;
	err = open_checks(inode, flags);
	if (!err && (flags & O_TRUNC) && S_ISREG(inode->mode) &&
	    (flags & O_ACCMODE) != O_RDONLY)
		err = vfs_truncate(inode, 0);
	f = err ? NULL : file_open_inode(inode, flags);
	iput(inode);
	if (err)
		goto out_unlock;
	if (IS_ERR(f)) {
		err = (int)PTR_ERR(f);
		goto out_unlock;
	}
	mutex_unlock(&fs_lock);
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
out_unlock:
	mutex_unlock(&fs_lock);
	return err;
}

static long sys_open(const char __user *upath, unsigned int flags, uint32_t mode)
{
	return do_open(upath, flags, (uint16_t)mode);
}
SYSCALL(__NR_open, sys_open);

static long sys_openat(int dirfd, const char __user *upath, unsigned int flags,
		       uint32_t mode)
{
	if (dirfd != AT_FDCWD)
		return -ENOSYS;		/* only the cwd form, for now */
	return do_open(upath, flags, (uint16_t)mode);
}
SYSCALL(__NR_openat, sys_openat);

static long sys_creat(const char __user *upath, uint32_t mode)
{
	return do_open(upath, O_CREAT | O_WRONLY | O_TRUNC, (uint16_t)mode);
}
SYSCALL(__NR_creat, sys_creat);

/* ---- stat ---- */

struct stat64 {			/* Linux i386, asm/stat.h */
	uint64_t st_dev;
	uint32_t __pad0;
	uint32_t __st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev;
	uint32_t __pad3;
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;		/* 512-byte units */
	uint32_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	uint32_t st_ctime, st_ctime_nsec;
	uint64_t st_ino;
};
_Static_assert(sizeof(struct stat64) == 96, "struct stat64 is Linux's");

static void fill_stat64(const struct inode *inode, uint16_t anon_mode,
			struct stat64 *st)
{
	uint32_t bs = inode ? inode->sb->block_size : PAGE_SIZE;

	memset(st, 0, sizeof(*st));
	if (!inode) {			/* a pipe */
		st->st_mode = anon_mode;
		st->st_nlink = 1;
		st->st_blksize = bs;
		return;
	}
	st->st_dev = inode->sb->dev;
	st->st_ino = st->__st_ino = inode->ino;
	st->st_mode = inode->mode;
	st->st_nlink = inode->nlink;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = (int64_t)inode->size;
	st->st_blksize = bs;
	st->st_blocks = ALIGN_UP(inode->size, (uint64_t)bs) / 512;
	st->st_atime = inode->atime;
	st->st_mtime = inode->mtime;
	st->st_ctime = inode->ctime;
}

static long stat_path(const char __user *upath, struct stat64 __user *ust,
		      unsigned int flags)
{
	char *path = getname(upath);
	struct inode *inode;
	struct stat64 st;
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	err = lookup(path, flags, &inode);
	if (!err) {
		fill_stat64(inode, 0, &st);
		iput(inode);
	}
	mutex_unlock(&fs_lock);
	kfree(path);
	return err ? err : copy_to_user(ust, &st, sizeof(st));
}

static long sys_stat64(const char __user *upath, struct stat64 __user *ust)
{
	return stat_path(upath, ust, LOOKUP_FOLLOW);
}
SYSCALL(__NR_stat64, sys_stat64);

static long sys_lstat64(const char __user *upath, struct stat64 __user *ust)
{
	return stat_path(upath, ust, 0);
}
SYSCALL(__NR_lstat64, sys_lstat64);

static long sys_fstat64(int fd, struct stat64 __user *ust)
{
	struct file *f = fd_file(fd);
	struct stat64 st;

	if (!f)
		return -EBADF;
	fill_stat64(f->inode, f->anon_mode, &st);
	return copy_to_user(ust, &st, sizeof(st));
}
SYSCALL(__NR_fstat64, sys_fstat64);

/* ---- directories ---- */

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
	c = (struct getdents_ctx){ .kbuf = kmalloc(size ? size : 1), .size = size,
				   .pos = &f->pos };
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

/* ---- namespace changes: one path, a (directory, name) operation ---- */

enum dirop {
	DIROP_MKDIR,
	DIROP_RMDIR,
	DIROP_UNLINK,
	DIROP_SYMLINK,
};

static int run_dirop(enum dirop op, struct inode *dir, const char *name,
		     const void *arg)
{
	switch (op) {
	case DIROP_MKDIR:
		return vfs_mkdir(dir, name, (uint16_t)(*(const uint32_t *)arg &
						       ~current->umask & 07777));
	case DIROP_RMDIR:
		return vfs_rmdir(dir, name);
	case DIROP_UNLINK:
		return vfs_unlink(dir, name);
	case DIROP_SYMLINK:
		return vfs_symlink(dir, name, arg);
	}
	return -EINVAL;
}

static long path_dirop(const char __user *upath, enum dirop op, const void *arg)
{
	char *path = getname(upath), name[NAME_MAX + 1];
	struct inode *dir;
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	err = lookup_parent(path, &dir, name);
	if (!err) {
		err = run_dirop(op, dir, name, arg);
		iput(dir);
	}
	mutex_unlock(&fs_lock);
	kfree(path);
	return err;
}

static long sys_mkdir(const char __user *upath, uint32_t mode)
{
	return path_dirop(upath, DIROP_MKDIR, &mode);
}
SYSCALL(__NR_mkdir, sys_mkdir);

static long sys_rmdir(const char __user *upath)
{
	return path_dirop(upath, DIROP_RMDIR, NULL);
}
SYSCALL(__NR_rmdir, sys_rmdir);

static long sys_unlink(const char __user *upath)
{
	return path_dirop(upath, DIROP_UNLINK, NULL);
}
SYSCALL(__NR_unlink, sys_unlink);

static long sys_unlinkat(int dirfd, const char __user *upath, int flags)
{
	if (dirfd != AT_FDCWD)
		return -ENOSYS;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return path_dirop(upath, flags ? DIROP_RMDIR : DIROP_UNLINK, NULL);
}
SYSCALL(__NR_unlinkat, sys_unlinkat);

static long sys_mkdirat(int dirfd, const char __user *upath, uint32_t mode)
{
	if (dirfd != AT_FDCWD)
		return -ENOSYS;
	return path_dirop(upath, DIROP_MKDIR, &mode);
}
SYSCALL(__NR_mkdirat, sys_mkdirat);

static long sys_symlink(const char __user *utarget, const char __user *upath)
{
	char *target = getname(utarget);
	long err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	err = path_dirop(upath, DIROP_SYMLINK, target);
	kfree(target);
	return err;
}
SYSCALL(__NR_symlink, sys_symlink);

/* Two paths: link(old, new) and rename(old, new). */
static long two_paths(const char __user *uold, const char __user *unew, bool rename)
{
	char *old = getname(uold), *new = IS_ERR(old) ? NULL : getname(unew);
	char oname[NAME_MAX + 1], nname[NAME_MAX + 1];
	struct inode *odir = NULL, *ndir = NULL, *target = NULL;
	long err;

	if (IS_ERR(old))
		return PTR_ERR(old);
	if (IS_ERR(new)) {
		kfree(old);
		return PTR_ERR(new);
	}
	mutex_lock(&fs_lock);
	err = rename ? lookup_parent(old, &odir, oname) : lookup(old, 0, &target);
	if (!err)
		err = lookup_parent(new, &ndir, nname);
	if (!err)
		err = rename ? vfs_rename(odir, oname, ndir, nname)
			     : vfs_link(target, ndir, nname);
	if (odir)
		iput(odir);
	if (ndir)
		iput(ndir);
	if (target)
		iput(target);
	mutex_unlock(&fs_lock);
	kfree(new);
	kfree(old);
	return err;
}

static long sys_link(const char __user *uold, const char __user *unew)
{
	return two_paths(uold, unew, false);
}
SYSCALL(__NR_link, sys_link);

static long sys_rename(const char __user *uold, const char __user *unew)
{
	return two_paths(uold, unew, true);
}
SYSCALL(__NR_rename, sys_rename);

static long sys_readlink(const char __user *upath, char __user *ubuf, int size)
{
	char *path = getname(upath), *kbuf = NULL;
	struct inode *inode;
	long n;

	if (IS_ERR(path))
		return PTR_ERR(path);
	if (size <= 0) {
		kfree(path);
		return -EINVAL;
	}
	mutex_lock(&fs_lock);
	n = lookup(path, 0, &inode);
	if (!n) {
		kbuf = kmalloc(PATH_MAX);
		n = kbuf ? vfs_readlink(inode, kbuf, PATH_MAX) : -ENOMEM;
		iput(inode);
	}
	mutex_unlock(&fs_lock);
	if (n > 0) {
		n = MIN(n, size);
		if (copy_to_user(ubuf, kbuf, (size_t)n))
			n = -EFAULT;
	}
	kfree(kbuf);
	kfree(path);
	return n;
}
SYSCALL(__NR_readlink, sys_readlink);

static long sys_chdir(const char __user *upath)
{
	char *path = getname(upath);
	struct inode *inode;
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	err = lookup(path, LOOKUP_FOLLOW, &inode);
	if (!err && !S_ISDIR(inode->mode)) {
		iput(inode);
		err = -ENOTDIR;
	}
	if (!err) {
		iput(current->cwd);
		current->cwd = inode;
	}
	mutex_unlock(&fs_lock);
	kfree(path);
	return err;
}
SYSCALL(__NR_chdir, sys_chdir);

static long sys_access(const char __user *upath, int mode)
{
	char *path = getname(upath);
	struct inode *inode;
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	if (mode & ~(R_OK | W_OK | X_OK)) {
		kfree(path);
		return -EINVAL;
	}
	mutex_lock(&fs_lock);
	err = lookup(path, LOOKUP_FOLLOW, &inode);
	if (!err) {
		/* Everyone is root: only "execute" needs an x bit somewhere
		 * (or a directory), and writing needs a writable filesystem. */
		if ((mode & X_OK) && !S_ISDIR(inode->mode) && !(inode->mode & 0111))
			err = -EACCES;
		else if ((mode & W_OK) && inode->sb->read_only &&
			 (S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
			  S_ISLNK(inode->mode)))
			err = -EROFS;	/* devices and FIFOs are writable anyway */
		iput(inode);
	}
	mutex_unlock(&fs_lock);
	kfree(path);
	return err;
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

/* ---- getcwd: walk ".." up to the root, naming each step ---- */

struct find_name {
	uint32_t ino;
	char *name;		/* NAME_MAX + 1 */
	bool found;
};

static int match_ino(void *arg, const char *name, size_t len, uint32_t ino,
		     unsigned int type)
{
	struct find_name *fn = arg;

	if (ino != fn->ino || (len <= 2 && name[0] == '.' && (len == 1 || name[1] == '.')))
		return 0;
	memcpy(fn->name, name, len);
	fn->name[len] = '\0';
	fn->found = true;
	return 1;
}

/* Prepend "/name of dir in its parent" to the path ending at buf + *start;
 * replace *dir with its parent.  Crosses mount points upward. */
static int prepend_parent(struct inode **dir, char *buf, size_t *start)
{
	struct inode *d = *dir, *parent;
	struct find_name fn = { .ino = d->ino };
	uint64_t pos = 0;
	uint32_t pino;
	size_t len;
	int err;

	while (d == d->sb->root && d->sb->covered)	/* leave the mount */
		d = d->sb->covered;
	err = d->ops->lookup(d, "..", 2, &pino);
	parent = err ? ERR_PTR(err) : iget(d->sb, pino);
	if (IS_ERR(parent))
		return (int)PTR_ERR(parent);
	fn.ino = d->ino;
	fn.name = kmalloc(NAME_MAX + 1);
	err = fn.name ? vfs_readdir(parent, &pos, match_ino, &fn) : -ENOMEM;
	if (!err && !fn.found)
		err = -ENOENT;		/* the directory was removed */
	len = err ? 0 : strlen(fn.name);
	if (!err && len + 1 > *start)
		err = -ERANGE;
	if (!err) {
		*start -= len + 1;
		buf[*start] = '/';
		memcpy(buf + *start + 1, fn.name, len);
	}
	kfree(fn.name);
	iput(*dir);
	*dir = parent;
	return err;
}

static long sys_getcwd(char __user *ubuf, size_t size)
{
	char *buf = kmalloc(PATH_MAX);
	size_t start = PATH_MAX - 1, len;
	struct inode *dir = current->cwd;
	long err = 0;

	if (!buf)
		return -ENOMEM;
	buf[start] = '\0';
	mutex_lock(&fs_lock);
	ihold(dir);
	while (!err && dir != current->root)
		err = prepend_parent(&dir, buf, &start);
	iput(dir);
	mutex_unlock(&fs_lock);
	if (!err && start == PATH_MAX - 1)
		buf[--start] = '/';
	len = PATH_MAX - start;		/* with the NUL */
	if (!err && len > size)
		err = -ERANGE;
	if (!err && copy_to_user(ubuf, buf + start, len))
		err = -EFAULT;
	kfree(buf);
	return err ? err : (long)len;
}
SYSCALL(__NR_getcwd, sys_getcwd);

/* ---- truncate(2), ftruncate(2) ---- */

/* Linux's checks for a length and an inode, then the VFS's own. */
static long truncate_inode(struct inode *inode, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	return vfs_truncate(inode, (uint64_t)length);
}

static long do_truncate_path(const char __user *upath, int64_t length)
{
	char *path = getname(upath);
	struct inode *inode;
	long err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&fs_lock);
	err = vfs_lookup(current->root, current->cwd, path, LOOKUP_FOLLOW, &inode);
	kfree(path);
	if (!err) {
		err = truncate_inode(inode, length);
		iput(inode);
	}
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
