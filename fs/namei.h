/* fs/namei.h - how the path system calls find what they act on (fs/namei.c),
 * for fs/open.c, fs/stat.c and fs/namei.c.  Private to fs/.
 *
 * A path names a file from the root ("/a/b"), from the working directory
 * ("a/b"), or, in the *at calls, from a directory open as dirfd: what
 * openat(dirfd, "a/b", ...) resolves is what open would resolve had the
 * process chdir'd to dirfd first.  AT_FDCWD as dirfd means the working
 * directory, so every plain call is its *at twin with AT_FDCWD:
 *
 *	err = user_path_at(dirfd, upath, LOOKUP_FOLLOW, &inode);
 *	if (!err) {
 *		mutex_lock(&fs_lock);
 *		... use inode ...
 *		iput(inode);
 *		mutex_unlock(&fs_lock);
 *	}
 *
 * Linux's rules: an absolute path ignores dirfd; a relative one needs
 * dirfd open (-EBADF) and a directory (-ENOTDIR); an empty path is
 * -ENOENT unless the call allows AT_EMPTY_PATH, and then names dirfd's own
 * file (which need not be a directory).
 */
#ifndef WALNUT_FS_NAMEI_H
#define WALNUT_FS_NAMEI_H

#include <vfs.h>

/* Linux's values (include/uapi/linux/fcntl.h). */
#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_EACCESS		0x200	/* faccessat2 only */
#define AT_SYMLINK_FOLLOW	0x400
#define AT_EMPTY_PATH		0x1000

/* user_path_at's own flag, beside enum lookup_flag's LOOKUP_FOLLOW. */
#define LOOKUP_EMPTY		(1u << 8)	/* "" names dirfd's file */

/*
 * The flags of an *at call as lookup flags: AT_SYMLINK_NOFOLLOW turns
 * following off where the call follows by default, AT_SYMLINK_FOLLOW on
 * where it does not; AT_EMPTY_PATH gives LOOKUP_EMPTY.  allowed: the AT_*
 * bits the call takes.  Return: the lookup flags, or -EINVAL for a bit
 * outside allowed.
 */
long at_flags_to_lookup(int at_flags, int allowed, bool follow_by_default);

/* Where a relative path starts (not held: current's cwd or files hold
 * it); NULL for an absolute path or a bad dirfd. */
struct inode *path_base(int dirfd, const char *path);

/* The inodes handed back are held; the caller iputs them under fs_lock.
 * user_path_at copies the path in first, with no lock held (the copy may
 * fault), then looks it up under fs_lock; path_at and path_parent_at take
 * a path already copied, and the caller holds fs_lock. */
int user_path_at(int dirfd, const char __user *upath, unsigned int flags,
		 struct inode **out);
int path_at(int dirfd, const char *path, unsigned int flags,
	    struct inode **out);
int path_parent_at(int dirfd, const char *path, struct inode **dir,
		   char name[NAME_MAX + 1]);

#endif
