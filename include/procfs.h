/* include/procfs.h - /proc, processes and memory as text (fs/procfs.c).
 *
 *	struct super_block *sb = procfs_create();	at boot
 *	vfs_mount(sb, proc_dir);			on the root's /proc
 */
#ifndef WALNUT_PROCFS_H
#define WALNUT_PROCFS_H

struct super_block;
struct super_block *procfs_create(void);	/* ERR_PTR(-ENOMEM) */

#endif
