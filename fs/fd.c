/*
 * fs/fd.c - open files and file descriptors: struct file, each task's
 * files[] table, and the system calls that work on descriptors (close,
 * dup, dup2, dup3, fcntl, ioctl).
 *
 * Owns: struct file and its refcount; the filesystem lock.  (read, write
 * and lseek, and their vector and positional kin, are fs/read_write.c.)
 *
 * Interface (include/vfs.h): file_alloc / file_open_inode make a file;
 * file_get / file_put count holders; fd_install puts one in current's
 * table; fd_file finds it; fd_close removes it.  generic_file_ops serve
 * regular files and directories of a disk filesystem.
 *
 * Invariants:
 *   - A file's refcount counts the descriptors (in all tasks) that point at
 *     it plus any temporary holders; the last file_put releases it.
 *   - current->cloexec bit fd is set only while files[fd] is open.
 *
 * Locks: fs_lock, a recursive mutex, serialises everything that reaches the
 * disk filesystem (lookups, reads and writes of regular files, namespace
 * changes, the last iput); ext2 sleeps on the disk in the middle of its
 * updates, and another process must not enter it then.  Pipes and the TTY
 * never take it, so a process sleeping on them holds no filesystem lock.
 * A task's files[] is touched only by the task itself.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <proc.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <tty.h>
#include <uaccess.h>
#include <vfs.h>

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1
#define SETFL_MASK	(O_APPEND | O_NONBLOCK)	/* what F_SETFL may change */

struct mutex fs_lock = MUTEX_INIT(fs_lock, "fs_lock", true);

/* ---- struct file ---- */

struct file *file_alloc(const struct file_ops *ops, unsigned int flags)
{
	struct file *f = kzalloc(sizeof(*f), ALLOC_NOFS);

	if (!f)
		return NULL;
	f->refcount = 1;
	f->flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->ops = ops;
	return f;
}

/**
 * file_open_inode - open inode (held by the caller, who keeps its
 * reference: the file takes another) with flags.
 * Return: the file, or an error pointer from the ops' open, or -ENOMEM.
 */
struct file *file_open_inode(struct inode *inode, unsigned int flags)
{
	const struct file_ops *ops = inode->fops ? inode->fops : &generic_file_ops;
	struct file *f = file_alloc(ops, flags);
	int err;

	if (!f)
		return ERR_PTR(-ENOMEM);
	ihold(inode);
	f->inode = inode;
	err = ops->open ? ops->open(inode, f) : 0;
	if (err) {
		f->ops = &generic_file_ops;	/* nothing of the ops' to release */
		file_put(f);
		return ERR_PTR(err);
	}
	return f;
}

void file_get(struct file *f)
{
	assert(f->refcount > 0);
	f->refcount++;
}

void file_put(struct file *f)
{
	assert(f->refcount > 0);
	if (--f->refcount > 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	if (f->name)
		file_name_put(f->name);
	if (f->inode) {
		mutex_lock(&fs_lock);
		if (f->write_access)
			put_write_access(f->inode);
		iput(f->inode);
		mutex_unlock(&fs_lock);
	}
	kfree(f);
}

/* ---- the descriptor table ---- */

/* The lowest free descriptor >= min_fd gets f (the table takes over the
 * caller's reference).  Descriptors stop below RLIMIT_NOFILE, which is
 * never above NR_OPEN (kernel/resource.c).  Return the descriptor,
 * -EMFILE, or -EINVAL. */
int fd_install(struct file *f, int min_fd, bool cloexec)
{
	if (min_fd < 0 || min_fd >= NR_OPEN)
		return -EINVAL;
	for (int fd = min_fd; fd < (int)rlimit(RLIMIT_NOFILE); fd++) {
		if (current->files[fd])
			continue;
		current->files[fd] = f;
		if (cloexec)
			current->cloexec |= 1ull << fd;
		else
			current->cloexec &= ~(1ull << fd);
		return fd;
	}
	return -EMFILE;
}

struct file *fd_file(int fd)
{
	if (fd < 0 || fd >= NR_OPEN)
		return NULL;
	return current->files[fd];
}

int fd_close(int fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	current->files[fd] = NULL;
	current->cloexec &= ~(1ull << fd);
	file_put(f);
	return 0;
}

/* ---- regular files and directories of a disk filesystem ---- */

/* Regular files go through the page cache (mm/filemap_user.c), which
 * takes fs_lock itself and never holds it across a user copy. */
static long generic_read(struct file *f, void __user *ubuf, size_t len,
			 uint64_t *pos)
{
	long n;

	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->inode->ops->get_block)
		return -EINVAL;
	n = filemap_read(f->inode, ubuf, len, *pos);
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

/* One write(2) per file at a time (inode->write_lock): O_APPEND's "seek to
 * the end and write" and a write's bytes stay whole, though the page cache
 * drops fs_lock between pages. */
static long generic_write(struct file *f, const void __user *ubuf, size_t len,
			  uint64_t *pos)
{
	struct inode *inode = f->inode;
	long n;

	if (!inode->ops->get_block)
		return -EINVAL;
	mutex_lock(&inode->write_lock);
	if (f->flags & O_APPEND) {	/* pwrite(2) too, as on Linux */
		mutex_lock(&fs_lock);
		*pos = inode->size;
		mutex_unlock(&fs_lock);
	}
	n = filemap_write(inode, ubuf, len, *pos);
	if (n > 0)
		*pos += (uint64_t)n;
	mutex_unlock(&inode->write_lock);
	return n;
}

int64_t generic_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = f->inode ? (int64_t)f->inode->size : 0; break;
	default: return -EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

const struct file_ops generic_file_ops = {
	.read = generic_read,
	.write = generic_write,
	.llseek = generic_llseek,
	.mmap = generic_file_mmap,
};

/* ---- system calls on descriptors ---- */

static long sys_close(int fd)
{
	return fd_close(fd);
}
SYSCALL(__NR_close, sys_close);

static long dup_to(int oldfd, int min_fd, bool cloexec)
{
	struct file *f = fd_file(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	file_get(f);
	fd = fd_install(f, min_fd, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long sys_dup(int oldfd)
{
	return dup_to(oldfd, 0, false);
}
SYSCALL(__NR_dup, sys_dup);

/* dup2 and dup3: oldfd's file at newfd, closing what was there. */
static long dup_at(int oldfd, int newfd, bool cloexec)
{
	if (newfd < 0 || newfd >= (int)rlimit(RLIMIT_NOFILE) || !fd_file(oldfd))
		return -EBADF;
	fd_close(newfd);
	return dup_to(oldfd, newfd, cloexec);
}

static long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fd_file(oldfd) ? newfd : -EBADF;
	return dup_at(oldfd, newfd, false);
}
SYSCALL(__NR_dup2, sys_dup2);

/* dup3: as dup2, but the same fd twice is -EINVAL, and O_CLOEXEC is the
 * only flag. */
static long sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return dup_at(oldfd, newfd, flags & O_CLOEXEC);
}
SYSCALL(__NR_dup3, sys_dup3);

static long sys_fcntl(int fd, int cmd, uint32_t arg)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= rlimit(RLIMIT_NOFILE))
			return -EINVAL;
		return dup_to(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return current->cloexec & (1ull << fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			current->cloexec |= 1ull << fd;
		else
			current->cloexec &= ~(1ull << fd);
		return 0;
	case F_GETFL:
		return (long)f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		return 0;
	default:
		return -EINVAL;
	}
}
SYSCALL(__NR_fcntl, sys_fcntl);

static long sys_fcntl64(int fd, int cmd, uint32_t arg)
{
	return sys_fcntl(fd, cmd, arg);
}
SYSCALL(__NR_fcntl64, sys_fcntl64);

static long sys_ioctl(int fd, unsigned int cmd, uint32_t arg)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, cmd, arg);
}
SYSCALL(__NR_ioctl, sys_ioctl);

/* ---- the console for pid 1 ---- */

/* Give t (pid 1, current) fds 0, 1, 2 on /dev/console -- or on the console
 * TTY directly if the root has no /dev. */
int console_open_for_init(struct task *t)
{
	struct inode *inode;
	struct file *f;
	int err;

	mutex_lock(&fs_lock);
	err = vfs_lookup(t->root, t->cwd, "/dev/console", LOOKUP_FOLLOW, &inode);
	if (!err) {
		f = file_open_inode(inode, O_RDWR);
		iput(inode);
	} else {
		err = tty_open_console(&f);
		if (err)
			f = ERR_PTR(err);
	}
	mutex_unlock(&fs_lock);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	for (int fd = 0; fd < 3; fd++) {
		t->files[fd] = f;
		if (fd)
			file_get(f);
	}
	return 0;
}
