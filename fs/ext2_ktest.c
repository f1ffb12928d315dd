/*
 * fs/ext2_ktest.c - self-tests of ext2 on a real IDE disk, through the ATA
 * driver (DMA or PIO, as the boot asks), the buffer cache and the VFS.
 *
 * They run on boots whose command line has "testfs": the harness attaches a
 * disk made by tools/fsfixture.py as hda, whose hda1 holds files and a
 * /manifest of their sizes and CRC-32s.  After the boot the harness runs
 * e2fsck -fn on the image, so what the write test leaves must be a clean
 * filesystem.  Each test mounts and unmounts, and drops the device's cached
 * buffers, so the runner's leak check sees every page come back.
 */
#include <buf.h>
#include <cmdline.h>
#include <crc32.h>
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <string.h>
#include <vfs.h>
#include "ktest_ext2.h"

#define NEED_TEST_FS()						\
	do {							\
		if (!cmdline_has("testfs"))			\
			return 0;				\
	} while (0)

#define CHUNK	3000	/* not a multiple of any block size */

static struct super_block *mount_fixture(void)
{
	return ext2_fixture_mount(blkdev_find("hda1"));
}

static int unmount_fixture(struct super_block *sb)
{
	return ext2_fixture_unmount(sb);
}

/* CRC-32 of a whole file, read in odd-sized chunks. */
static long file_crc(struct inode *inode, uint32_t *crc_out)
{
	char *buf = kmalloc(CHUNK, ALLOC_NOFS);
	uint64_t off = 0;
	uint32_t crc = 0;
	long n;

	if (!buf)
		return -ENOMEM;
	while ((n = vfs_read(inode, buf, CHUNK, off)) > 0) {
		crc = crc32(crc, buf, (size_t)n);
		off += (uint64_t)n;
	}
	kfree(buf);
	*crc_out = crc;
	return n < 0 ? n : (long)off;
}

/* Check one manifest line, "/path size crc": 0, or -1 with a reason. */
static int check_manifest_line(struct super_block *sb, char *line)
{
	char *size_s = strchr(line, ' '), *crc_s;
	uint32_t size = 0, want = 0, got = 0;
	struct inode *inode;
	long n;

	if (!size_s || !(crc_s = strchr(size_s + 1, ' ')))
		return ktest_fail_reason("bad manifest line '%s'", line), -1;
	*size_s++ = '\0';
	*crc_s++ = '\0';
	for (; *size_s >= '0' && *size_s <= '9'; size_s++)
		size = size * 10 + (uint32_t)(*size_s - '0');
	for (; *crc_s; crc_s++)
		want = want * 16 + (uint32_t)(*crc_s <= '9' ? *crc_s - '0' : *crc_s - 'a' + 10);
	if (vfs_lookup(sb->root, sb->root, line, LOOKUP_FOLLOW, &inode) < 0)
		return ktest_fail_reason("%s: not found", line), -1;
	n = file_crc(inode, &got);
	iput(inode);
	if (n != (long)size || got != want)
		return ktest_fail_reason("%s: %ld bytes crc %08x, manifest says %u %08x",
					 line, n, got, size, want), -1;
	return 0;
}

KTEST(ext2_read_files_match_manifest)
{
	static char manifest[2048];
	struct super_block *sb;
	struct inode *inode;
	long n;
	int rc = 0, files = 0;

	NEED_TEST_FS();
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/manifest", LOOKUP_FOLLOW, &inode) == 0);
	n = vfs_read(inode, manifest, sizeof(manifest) - 1, 0);
	iput(inode);
	KT_ASSERT(n > 0);
	manifest[n] = '\0';
	for (char *line = manifest, *nl; rc == 0 && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		rc = check_manifest_line(sb, line);
		files++;
	}
	if (unmount_fixture(sb) < 0 && rc == 0)
		return ktest_fail_reason("unmount failed"), -1;
	if (rc)
		return rc;		/* the reason is the bad file's */
	KT_ASSERT(files >= 5);
	return 0;
}

KTEST(ext2_follow_fast_and_slow_symlinks)
{
	struct super_block *sb;
	struct inode *a, *b, *target;

	NEED_TEST_FS();
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/fast-link", LOOKUP_FOLLOW, &a) == 0);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/hello.txt", 0, &target) == 0);
	KT_ASSERT(a == target);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/slow-link", LOOKUP_FOLLOW, &b) == 0);
	KT_ASSERT(S_ISREG(b->mode) && b->size == 700);
	iput(a);
	iput(b);
	iput(target);
	KT_ASSERT(unmount_fixture(sb) == 0);
	return 0;
}

/* The byte at offset off of test file i: depends on both, so a block written
 * to the wrong place or the wrong file shows. */
static uint8_t tree_byte(unsigned int i, uint64_t off)
{
	return (uint8_t)(i * 31 + off * 7 + (off >> 10));
}

static int write_pattern_file(struct inode *dir, const char *name,
			      unsigned int i, uint32_t size)
{
	static uint8_t buf[CHUNK];
	struct inode *f;
	int err = vfs_create(dir, name, S_IFREG | 0644, &f);

	if (err)
		return err;
	for (uint32_t off = 0; !err && off < size; off += CHUNK) {
		uint32_t n = MIN((uint32_t)CHUNK, size - off);

		for (uint32_t k = 0; k < n; k++)
			buf[k] = tree_byte(i, off + k);
		if (vfs_write(f, buf, n, off) != (long)n)
			err = -EIO;
	}
	iput(f);
	return err;
}

static bool pattern_file_ok(struct inode *dir, const char *name, unsigned int i,
			    uint32_t size)
{
	static uint8_t buf[CHUNK];
	struct inode *f;
	bool ok = true;

	if (vfs_lookup(dir, dir, name, 0, &f) < 0)
		return false;
	ok = f->size == size;
	for (uint32_t off = 0; ok && off < size; off += CHUNK) {
		uint32_t n = MIN((uint32_t)CHUNK, size - off);

		ok = vfs_read(f, buf, n, off) == (long)n;
		for (uint32_t k = 0; ok && k < n; k++)
			ok = buf[k] == tree_byte(i, off + k);
	}
	iput(f);
	return ok;
}

#define TREE_FILES	40
#define BIG_SIZE	((1u << 20) + 4321)	/* double-indirect at 1 KiB blocks */

static void tree_name(char *buf, size_t size, unsigned int i)
{
	snprintf(buf, size, "f%02u", i);
}

/* Make /wtest with files, a big one, a subdirectory, a symlink; remove every
 * third file; rename one.  Returns 0 or a negative errno. */
static int build_tree(struct inode *root)
{
	struct inode *dir;
	char name[16];
	int err = vfs_mkdir(root, "wtest", S_IFDIR | 0755);

	if (err || (err = vfs_lookup(root, root, "/wtest", 0, &dir)))
		return err;
	for (unsigned int i = 0; !err && i < TREE_FILES; i++) {
		tree_name(name, sizeof(name), i);
		err = write_pattern_file(dir, name, i, 100 * i + 1);
	}
	if (!err)
		err = write_pattern_file(dir, "big", 99, BIG_SIZE);
	for (unsigned int i = 0; !err && i < TREE_FILES; i += 3) {
		tree_name(name, sizeof(name), i);
		err = vfs_unlink(dir, name);
	}
	if (!err)
		err = vfs_rename(dir, "f01", dir, "renamed");
	if (!err)
		err = vfs_mkdir(dir, "sub", S_IFDIR | 0755);
	if (!err)
		err = vfs_symlink(dir, "to-big", "big");
	iput(dir);
	return err;
}

static bool tree_ok(struct inode *root)
{
	struct inode *dir, *gone;
	char name[16];
	bool ok;

	if (vfs_lookup(root, root, "/wtest", 0, &dir) < 0)
		return false;
	ok = pattern_file_ok(dir, "big", 99, BIG_SIZE) &&
	     pattern_file_ok(dir, "renamed", 1, 101);
	for (unsigned int i = 2; ok && i < TREE_FILES; i++) {
		tree_name(name, sizeof(name), i);
		if (i % 3 == 0) {
			ok = vfs_lookup(dir, dir, name, 0, &gone) == -ENOENT;
		} else {
			ok = pattern_file_ok(dir, name, i, 100 * i + 1);
		}
	}
	iput(dir);
	return ok;
}

KTEST(ext2_write_tree_survives_remount)
{
	struct super_block *sb;

	NEED_TEST_FS();
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(build_tree(sb->root) == 0);
	KT_ASSERT(tree_ok(sb->root));
	KT_ASSERT(unmount_fixture(sb) == 0);	/* writes back, drops the cache */
	sb = mount_fixture();			/* so this reads from the disk */
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(tree_ok(sb->root));
	KT_ASSERT(unmount_fixture(sb) == 0);
	return 0;
}
