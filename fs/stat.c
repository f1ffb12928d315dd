/*
 * fs/stat.c - what a file is and its attributes: stat64, lstat64,
 * fstat64, fstatat64; and the calls that change attributes: chmod,
 * fchmod, fchmodat, utimensat (and utimensat_time64).
 *
 * Owns no state.  The path forms resolve through fs/namei.h under
 * fs_lock; the descriptor forms use the open file's inode.  Errors are
 * Linux's for the same call.
 *
 * Attribute changes set the inode's fields, its ctime, and mark it dirty;
 * the filesystem writes it back (ext2_write_inode) at the last iput or a
 * sync.  A read-only filesystem (devfs, procfs, an ext2 mounted so) is
 * -EROFS.  Walnut keeps times in whole seconds, as ext2's 128-byte inodes
 * do: nanoseconds given are dropped, and stat reports 0 for them.
 *
 * Locks: fs_lock around every lookup and change.
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

#define S_IALLUGO	07777		/* the bits chmod sets */
#define UTIME_NOW	((1l << 30) - 1l)	/* utimensat: this time */
#define UTIME_OMIT	((1l << 30) - 2l)	/* utimensat: leave it */
#define NSEC_PER_SEC	1000000000l

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

/* The stat of a path (flags: LOOKUP_FOLLOW, LOOKUP_EMPTY) from dirfd. */
static long stat_at(int dirfd, const char __user *upath, unsigned int flags,
		    struct stat64 __user *ust)
{
	struct inode *inode;
	struct stat64 st;
	int err;

	err = user_path_at(dirfd, upath, flags, &inode);
	if (err)
		return err;
	mutex_lock(&fs_lock);
	fill_stat64(inode, 0, &st);
	iput(inode);
	mutex_unlock(&fs_lock);
	return copy_to_user(ust, &st, sizeof(st));
}

#define AT_NO_AUTOMOUNT	0x800	/* fstatat: nothing automounts here */

static long sys_fstatat64(int dirfd, const char __user *upath,
			  struct stat64 __user *ust, int flags)
{
	long lflags = at_flags_to_lookup(flags & ~AT_NO_AUTOMOUNT,
					 AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, true);

	return lflags < 0 ? lflags : stat_at(dirfd, upath, (unsigned int)lflags, ust);
}
SYSCALL(__NR_fstatat64, sys_fstatat64);

static long sys_stat64(const char __user *upath, struct stat64 __user *ust)
{
	return stat_at(AT_FDCWD, upath, LOOKUP_FOLLOW, ust);
}
SYSCALL(__NR_stat64, sys_stat64);

static long sys_lstat64(const char __user *upath, struct stat64 __user *ust)
{
	return stat_at(AT_FDCWD, upath, 0, ust);
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

/* ---- changing attributes ---- */

/* Which attributes a change sets (struct attr_change.what). */
enum attr_bit {
	ATTR_MODE  = 1 << 0,
	ATTR_ATIME = 1 << 1,
	ATTR_MTIME = 1 << 2,
};

struct attr_change {
	unsigned int what;	/* enum attr_bit */
	uint16_t mode;		/* permission bits (S_IALLUGO) */
	uint32_t atime, mtime;	/* seconds since 1970 */
};

/* Apply a change to inode (ctime always moves).  Context: fs_lock held.
 * Return: 0, or -EROFS. */
static int set_attrs(struct inode *inode, const struct attr_change *c)
{
	assert_mutex_held(&fs_lock);
	if (inode->sb->read_only)
		return -EROFS;
	if (c->what & ATTR_MODE)
		inode->mode = (inode->mode & ~S_IALLUGO) | (c->mode & S_IALLUGO);
	if (c->what & ATTR_ATIME)
		inode->atime = c->atime;
	if (c->what & ATTR_MTIME)
		inode->mtime = c->mtime;
	inode->ctime = vfs_time();
	mark_inode_dirty(inode);
	return 0;
}

static long path_set_attrs(int dirfd, const char __user *upath,
			   unsigned int flags, const struct attr_change *c)
{
	struct inode *inode;
	int err;

	err = user_path_at(dirfd, upath, flags, &inode);
	if (err)
		return err;
	mutex_lock(&fs_lock);
	err = set_attrs(inode, c);
	iput(inode);
	mutex_unlock(&fs_lock);
	return err;
}

/* A pipe has no inode: fstat shows the file's anon_mode, so that is what
 * its fchmod changes. */
static long fd_set_attrs(int fd, const struct attr_change *c)
{
	struct file *f = fd_file(fd);
	int err;

	if (!f)
		return -EBADF;
	if (!f->inode) {
		if (c->what & ATTR_MODE)
			f->anon_mode = (f->anon_mode & ~S_IALLUGO) | (c->mode & S_IALLUGO);
		return 0;
	}
	mutex_lock(&fs_lock);
	err = set_attrs(f->inode, c);
	mutex_unlock(&fs_lock);
	return err;
}

static long sys_fchmodat(int dirfd, const char __user *upath, uint32_t mode)
{
	struct attr_change c = { .what = ATTR_MODE, .mode = (uint16_t)mode };

	return path_set_attrs(dirfd, upath, LOOKUP_FOLLOW, &c);
}
SYSCALL(__NR_fchmodat, sys_fchmodat);

static long sys_chmod(const char __user *upath, uint32_t mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}
SYSCALL(__NR_chmod, sys_chmod);

static long sys_fchmod(int fd, uint32_t mode)
{
	struct attr_change c = { .what = ATTR_MODE, .mode = (uint16_t)mode };

	return fd_set_attrs(fd, &c);
}
SYSCALL(__NR_fchmod, sys_fchmod);

/* ---- utimensat ---- */

/* One of utimensat's two times, already copied in. */
struct ktimespec {
	int64_t sec, nsec;
};

/* times (NULL: both now) as a change.  Return: 0, or -EINVAL for a
 * nanosecond count that is neither in [0, 1e9) nor UTIME_NOW/UTIME_OMIT. */
static int times_to_change(const struct ktimespec *times, struct attr_change *c)
{
	uint32_t now = vfs_time();
	const unsigned int bit[2] = { ATTR_ATIME, ATTR_MTIME };
	uint32_t *field[2] = { &c->atime, &c->mtime };

	*c = (struct attr_change){ .what = ATTR_ATIME | ATTR_MTIME,
				   .atime = now, .mtime = now };
	for (int i = 0; times && i < 2; i++) {
		if (times[i].nsec == UTIME_OMIT)
			c->what &= ~bit[i];
		else if (times[i].nsec != UTIME_NOW &&
			 (times[i].nsec < 0 || times[i].nsec >= NSEC_PER_SEC))
			return -EINVAL;
		else if (times[i].nsec != UTIME_NOW)
			*field[i] = (uint32_t)times[i].sec;
	}
	return 0;
}

/* utimensat with its times copied in.  A NULL path means dirfd's own file
 * (futimens), which takes no flags; with AT_FDCWD it is -EFAULT, as on
 * Linux, since there is no file to name. */
static long do_utimensat(int dirfd, const char __user *upath,
			 const struct ktimespec *times, int flags)
{
	struct attr_change c;
	long lflags;
	int err = times_to_change(times, &c);

	if (err)
		return err;
	lflags = at_flags_to_lookup(flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, true);
	if (lflags < 0)
		return lflags;
	if (upath == NULL && dirfd != AT_FDCWD)
		return flags ? -EINVAL : fd_set_attrs(dirfd, &c);
	return path_set_attrs(dirfd, upath, (unsigned int)lflags, &c);
}

/* Linux i386's struct timespec (32-bit seconds), and the time64 one,
 * which is a struct ktimespec. */
struct timespec32 {
	int32_t sec;
	int32_t nsec;
};

struct timespec64 {
	int64_t sec;
	int64_t nsec;
};
_Static_assert(sizeof(struct timespec64) == sizeof(struct ktimespec),
	       "struct timespec64 is a struct ktimespec");

static long sys_utimensat(int dirfd, const char __user *upath,
			  const struct timespec32 __user *utimes, int flags)
{
	struct timespec32 t[2];
	struct ktimespec kt[2];

	if (!utimes)
		return do_utimensat(dirfd, upath, NULL, flags);
	if (copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	for (int i = 0; i < 2; i++)
		kt[i] = (struct ktimespec){ t[i].sec, t[i].nsec };
	return do_utimensat(dirfd, upath, kt, flags);
}
SYSCALL(__NR_utimensat, sys_utimensat);

/* The one glibc calls first on i386 (falling back on ENOSYS). */
static long sys_utimensat_time64(int dirfd, const char __user *upath,
				 const struct timespec64 __user *utimes, int flags)
{
	struct timespec64 t[2];

	if (!utimes)
		return do_utimensat(dirfd, upath, NULL, flags);
	if (copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	return do_utimensat(dirfd, upath, (const struct ktimespec *)t, flags);
}
SYSCALL(__NR_utimensat_time64, sys_utimensat_time64);
