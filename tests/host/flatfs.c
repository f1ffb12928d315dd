/*
 * tests/host/flatfs.c - one file on a scratch disk (tests/host/flatfs.h):
 * the smallest filesystem the page cache can run on.  Its get_block maps
 * file block n to disk block n + 1; its inode and super block are static,
 * never iget'd or iput, so the test alone decides when pages come and go.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <blkfile.h>
#include <buf.h>
#include <mutex.h>
#include <pagecache.h>
#include <vfs.h>
#include "flatfs.h"

#define DISK_BYTES	(FLATFS_BYTES + 64 * 1024)

static struct {
	char image[64];
	struct super_block sb;
	struct inode inode;
} flat;

struct inode *flatfs_inode;

static int flat_get_block(struct inode *inode, uint32_t fblock, bool create,
			  uint32_t *blockno)
{
	*blockno = fblock + 1;
	return 0;
}

static const struct inode_ops flat_ops = { .get_block = flat_get_block };

/* The byte at offset off of the file written with seed. */
static uint8_t file_byte(uint32_t seed, size_t off)
{
	return (uint8_t)(off * 7 + off / 4093 + seed);
}

bool flatfs_open(void)
{
	int fd;

	snprintf(flat.image, sizeof(flat.image), "/tmp/walnut-flatfs-XXXXXX");
	fd = mkstemp(flat.image);
	if (fd < 0 || ftruncate(fd, DISK_BYTES) < 0)
		return false;
	close(fd);
	flat.sb = (struct super_block){ .block_size = FLATFS_BLOCK };
	flat.sb.bdev = host_blkfile_open(flat.image, "hda");
	flat.inode = (struct inode){ .sb = &flat.sb, .ino = 2, .refcount = 1,
				     .mode = S_IFREG | 0644,
				     .size = FLATFS_BYTES, .ops = &flat_ops };
	list_init(&flat.inode.pages);
	list_init(&flat.inode.cached_node);
	flatfs_inode = &flat.inode;
	return flat.sb.bdev != NULL;
}

void flatfs_close(void)
{
	mutex_lock(&fs_lock);
	truncate_inode_pages(&flat.inode, 0);
	mutex_unlock(&fs_lock);
	if (flat.sb.bdev) {
		bsync(flat.sb.bdev);
		host_blkfile_close(flat.sb.bdev);	/* clean buffers go */
	}
	unlink(flat.image);
	flatfs_inode = NULL;
}

bool flatfs_write(uint32_t seed)
{
	static uint8_t data[FLATFS_BYTES];

	for (size_t i = 0; i < FLATFS_BYTES; i++)
		data[i] = file_byte(seed, i);
	return filemap_write_kernel(&flat.inode, data, FLATFS_BYTES, 0) ==
	       FLATFS_BYTES && filemap_sync_all() == 0;
}

bool flatfs_sync(void)
{
	return bsync(flat.sb.bdev) == 0;
}

bool flatfs_reads_back(uint32_t seed)
{
	static uint8_t data[FLATFS_BYTES];

	if (filemap_read_kernel(&flat.inode, data, FLATFS_BYTES, 0) !=
	    FLATFS_BYTES)
		return false;
	for (size_t i = 0; i < FLATFS_BYTES; i++)
		if (data[i] != file_byte(seed, i))
			return false;
	return true;
}

bool flatfs_disk_holds(uint32_t seed)
{
	static uint8_t data[FLATFS_BYTES];
	FILE *f = fopen(flat.image, "rb");
	bool ok = f && fseek(f, FLATFS_BLOCK, SEEK_SET) == 0 &&
		  fread(data, 1, FLATFS_BYTES, f) == FLATFS_BYTES;

	if (f)
		fclose(f);
	for (size_t i = 0; ok && i < FLATFS_BYTES; i++)
		ok = data[i] == file_byte(seed, i);
	return ok;
}

size_t flatfs_cache_pages(void)
{
	struct pagecache_stats st;

	pagecache_stats(&st);
	return st.nr_pages;
}

size_t flatfs_buffers(void)
{
	struct buf_stats st;

	buf_get_stats(&st);
	return st.nr_buffers;
}
