/* tests/host/flatfs.h - one file on a scratch disk, for host tests of the
 * page cache and reclaim (tests/host/flatfs.c).
 *
 * The file's block n is disk block n + 1 of a fresh image registered as
 * "hda"; there is no metadata, so a test sees the page cache and the
 * buffer cache at work and nothing of ext2's.  Blocks are 1 KiB, the file
 * FLATFS_BYTES long.  The caller holds fs_lock around flatfs_write and
 * flatfs_reads_back, as the kernel's callers of the page cache do.
 */
#ifndef WALNUT_HOST_FLATFS_H
#define WALNUT_HOST_FLATFS_H

#include <types.h>
#include <mm.h>

#define FLATFS_BLOCK	1024
#define FLATFS_PAGES	64
#define FLATFS_BYTES	(FLATFS_PAGES * PAGE_SIZE)

extern struct inode *flatfs_inode;	/* the file, while open */

bool flatfs_open(void);			/* the image, the file on it */
void flatfs_close(void);		/* sync; drop its pages, buffers */
bool flatfs_write(uint32_t seed);	/* pages, on to dirty buffers */
bool flatfs_sync(void);			/* every buffer to the image */
bool flatfs_reads_back(uint32_t seed);	/* and so fills the caches */
bool flatfs_disk_holds(uint32_t seed);	/* the image file itself */
size_t flatfs_cache_pages(void);	/* the page cache's, all files' */
size_t flatfs_buffers(void);		/* the buffer cache's */

#endif
