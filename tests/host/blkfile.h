/* tests/host/blkfile.h - image files as block devices, for host tests
 * (tests/host/blkfile.c).  NULL if the file cannot be opened. */
#ifndef WALNUT_HOST_BLKFILE_H
#define WALNUT_HOST_BLKFILE_H

struct block_device;
struct block_device *host_blkfile_open(const char *path, const char *name);
void host_blkfile_close(struct block_device *bdev);

#endif
