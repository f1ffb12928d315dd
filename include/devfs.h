/* include/devfs.h - /dev, device files the kernel makes (fs/devfs.c).
 *
 *	struct super_block *sb = devfs_create();	at boot, after the disks
 *	vfs_mount(sb, dev_dir);				on the root's /dev
 *
 * Device numbers are kept as stat(2) reports st_rdev (Linux's encoding,
 * new_encode_dev), so fstat copies inode->rdev as it is; ext2 keeps them
 * the same way in a device file's i_block[1].
 */
#ifndef WALNUT_DEVFS_H
#define WALNUT_DEVFS_H

#include <types.h>

#define MKDEV(major, minor)						\
	((uint32_t)(((minor) & 0xff) | ((major) & 0xfff) << 8 |	\
		    ((minor) & ~0xffu) << 12))
#define MAJOR(dev)	((unsigned int)((dev) >> 8 & 0xfff))
#define MINOR(dev)	((unsigned int)(((dev) & 0xff) | ((dev) >> 12 & ~0xffu)))

struct super_block;
struct super_block *devfs_create(void);	/* ERR_PTR(-ENOMEM) */

#endif
