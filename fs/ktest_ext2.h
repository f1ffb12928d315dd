/* fs/ktest_ext2.h - the mount fixture the ext2 self-tests share
 * (fs/ext2_ktest.c, fs/ext2_damage_ktest.c).
 *
 * The tests call the VFS as the system calls do, with fs_lock held: the
 * fixture takes it at mount and drops it at unmount.  A test that stops
 * early leaves it held; the runner (kernel/ktest.c) lets it go.
 */
#ifndef WALNUT_FS_KTEST_EXT2_H
#define WALNUT_FS_KTEST_EXT2_H

#include <buf.h>
#include <err.h>
#include <errno.h>
#include <mutex.h>
#include <vfs.h>

/* Mount bdev (NULL: -ENODEV) read-write, taking fs_lock on success. */
static inline struct super_block *ext2_fixture_mount(struct block_device *bdev)
{
	struct super_block *sb;

	mutex_lock(&fs_lock);
	sb = bdev ? ext2_mount(bdev, false) : ERR_PTR(-ENODEV);
	if (IS_ERR(sb))
		mutex_unlock(&fs_lock);
	return sb;
}

/* Unmount, forget the cached blocks, drop fs_lock; 0 or the first error. */
static inline int ext2_fixture_unmount(struct super_block *sb)
{
	struct block_device *bdev = sb->bdev;
	int err = vfs_umount(sb);

	buf_forget(bdev);
	mutex_unlock(&fs_lock);
	return err;
}

#endif
