/*
 * fs/ext2_damage_ktest.c - self-tests of ext2 on damaged images, on a real
 * IDE disk: each damage gives the right error and one KERN_ERR line naming
 * it, and the kernel carries on (the runner's next test runs, and its leak
 * check sees every page come back).
 *
 * They run on boots whose command line has "testdamage=KIND": the harness
 * attaches as hda a disk made by tools/fsfixture.py: make_damaged, the
 * fixture of fs/ext2_ktest.c with 1 KiB blocks and one thing broken on the
 * host, at the byte (keep the values below in step with fsfixture.py):
 *   badmagic    s_magic is 0
 *   badgroup    group 0's inode table is at BAD_BLOCK
 *   badrec      /dir/sub's ".." entry has rec_len BAD_REC_LEN, 4 bytes
 *               past the end of its block
 *   badblockno  /odd-size's i_block[2] is BAD_BLOCK, and so is the first
 *               pointer in /direct-edge's indirect block
 * Every test mounts and unmounts, and drops the device's cached buffers.
 */
#include <buf.h>
#include <cmdline.h>
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <string.h>
#include <vfs.h>
#include "ktest_ext2.h"

#define BAD_BLOCK	99999999u
#define BAD_REC_LEN	1016u

#define NEED_DAMAGE(kind)					\
	do {							\
		const char *k = cmdline_get("testdamage");	\
		if (!k || strcmp(k, kind) != 0)			\
			return 0;				\
	} while (0)

/* The messages a test expects are searched for after a mark put in the log
 * just before the call, so one printed by an earlier test cannot count. */
static unsigned int log_marks;

static void log_mark(void)
{
	printk(KERN_DEBUG "ktest log mark %u\n", ++log_marks);
}

static bool logged_since_mark(const char *what)
{
	static char tail[2048];
	char mark[32];
	const char *after;
	size_t n = printk_log_read(tail, sizeof(tail) - 1);

	tail[n] = '\0';
	snprintf(mark, sizeof(mark), "ktest log mark %u\n", log_marks);
	after = strstr(tail, mark);
	return after && strstr(after, what);
}

/* call must give err, and print a line holding msg, or the test fails. */
#define KT_ASSERT_ERR_LOGGED(call, err, msg)				\
	do {								\
		long got_;						\
									\
		log_mark();						\
		got_ = (call);						\
		if (got_ != (err))					\
			return ktest_fail_reason("%s: %ld, want %d", #call, \
						 got_, (err)), -1;	\
		if (!logged_since_mark(msg))				\
			return ktest_fail_reason("%s: no \"%s\" line", #call, \
						 msg), -1;		\
	} while (0)

static struct block_device *fixture_bdev(void)
{
	return blkdev_find("hda1");
}

static struct super_block *mount_fixture(void)
{
	return ext2_fixture_mount(fixture_bdev());
}

static int unmount_fixture(struct super_block *sb)
{
	return ext2_fixture_unmount(sb);
}

static long mount_error(bool read_only)
{
	struct super_block *sb = ext2_mount(fixture_bdev(), read_only);

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	unmount_fixture(sb);
	return 0;
}

/* After a refused mount the disk still reads: block 1 comes back. */
static bool disk_still_reads(void)
{
	struct buf *b = bread(fixture_bdev(), 1, 1024);

	if (IS_ERR(b))
		return false;
	brelse(b);
	buf_forget(fixture_bdev());
	return true;
}

KTEST(ext2_damage_bad_magic_refuses_mount)
{
	NEED_DAMAGE("badmagic");
	KT_ASSERT(fixture_bdev() != NULL);
	KT_ASSERT_ERR_LOGGED(mount_error(false), -EINVAL,
			     "ext2: hda1: no ext2 magic; not mounted");
	KT_ASSERT_ERR_LOGGED(mount_error(true), -EINVAL,
			     "ext2: hda1: no ext2 magic; not mounted");
	KT_ASSERT(disk_still_reads());
	return 0;
}

KTEST(ext2_damage_bad_group_refuses_mount)
{
	NEED_DAMAGE("badgroup");
	KT_ASSERT(fixture_bdev() != NULL);
	KT_ASSERT_ERR_LOGGED(mount_error(false), -EINVAL,
			     "ext2: hda1: group 0 descriptor is damaged");
	KT_ASSERT(disk_still_reads());
	return 0;
}

static long lookup_error(struct super_block *sb, const char *path)
{
	struct inode *inode;
	int err = vfs_lookup(sb->root, sb->root, path, 0, &inode);

	if (!err)
		iput(inode);
	return err;
}

static int count_entry(void *ctx, const char *name, size_t len, uint32_t ino,
		       unsigned int type)
{
	(*(unsigned int *)ctx)++;
	return 0;
}

/* vfs_readdir of a whole directory: its result; *nr entries seen. */
static long readdir_all(struct super_block *sb, const char *path,
			unsigned int *nr)
{
	struct inode *dir;
	uint64_t pos = 0;
	int err = vfs_lookup(sb->root, sb->root, path, 0, &dir);

	*nr = 0;
	if (err)
		return err;
	err = vfs_readdir(dir, &pos, count_entry, nr);
	iput(dir);
	return err;
}

/* The file at path holds text, exactly. */
static bool file_is(struct super_block *sb, const char *path, const char *text)
{
	static char buf[128];
	struct inode *inode;
	long n;

	if (vfs_lookup(sb->root, sb->root, path, 0, &inode))
		return false;
	n = vfs_read(inode, buf, sizeof(buf), 0);
	iput(inode);
	return n == (long)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

#define BAD_DIRENT_MSG	"offset 12: bad entry (rec_len 1016, name_len 2)"
#define HELLO_TEXT	"Hello from the ext2 image.\n"

KTEST(ext2_damage_bad_rec_len_fails_lookup_and_readdir)
{
	struct super_block *sb;
	unsigned int nr;

	NEED_DAMAGE("badrec");
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT_ERR_LOGGED(lookup_error(sb, "/dir/sub/nested.txt"), -EIO,
			     BAD_DIRENT_MSG);
	KT_ASSERT_ERR_LOGGED(readdir_all(sb, "/dir/sub", &nr), -EIO,
			     BAD_DIRENT_MSG);
	KT_ASSERT(nr <= 1);		/* "." at most: it comes before */
	/* The rest of the filesystem is untouched by it. */
	KT_ASSERT(readdir_all(sb, "/", &nr) == 0 && nr >= 8);
	KT_ASSERT(file_is(sb, "/hello.txt", HELLO_TEXT));
	KT_ASSERT(unmount_fixture(sb) == 0);
	return 0;
}

static long create_error(struct super_block *sb, const char *dir_path,
			 const char *name)
{
	struct inode *dir, *f;
	int err = vfs_lookup(sb->root, sb->root, dir_path, 0, &dir);

	if (err)
		return err;
	err = vfs_create(dir, name, S_IFREG | 0644, &f);
	if (!err)
		iput(f);
	iput(dir);
	return err;
}

static long unlink_error(struct super_block *sb, const char *dir_path,
			 const char *name)
{
	struct inode *dir;
	int err = vfs_lookup(sb->root, sb->root, dir_path, 0, &dir);

	if (err)
		return err;
	err = vfs_unlink(dir, name);
	iput(dir);
	return err;
}

KTEST(ext2_damage_bad_rec_len_refuses_changes)
{
	struct super_block *sb;

	NEED_DAMAGE("badrec");
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT_ERR_LOGGED(create_error(sb, "/dir/sub", "new"), -EIO,
			     BAD_DIRENT_MSG);
	KT_ASSERT_ERR_LOGGED(unlink_error(sb, "/dir/sub", "nested.txt"), -EIO,
			     BAD_DIRENT_MSG);
	KT_ASSERT(unmount_fixture(sb) == 0);
	return 0;
}

KTEST(ext2_damage_bad_block_in_inode_fails_lookup)
{
	struct super_block *sb;

	NEED_DAMAGE("badblockno");
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT_ERR_LOGGED(lookup_error(sb, "/odd-size"), -EIO,
			     ": block number outside the fs: 99999999");
	KT_ASSERT(file_is(sb, "/hello.txt", HELLO_TEXT));
	KT_ASSERT(unmount_fixture(sb) == 0);
	return 0;
}

#define DIRECT_BYTES	(12 * 1024)	/* /direct-edge: 12 KiB + 1 */

static long read_at(struct inode *inode, uint64_t off, size_t len)
{
	static char buf[DIRECT_BYTES + 1];

	return vfs_read(inode, buf, MIN(len, sizeof(buf)), off);
}

KTEST(ext2_damage_bad_block_in_indirect_fails_read)
{
	static const char byte = 'x';
	struct super_block *sb;
	struct inode *f;

	NEED_DAMAGE("badblockno");
	sb = mount_fixture();
	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/direct-edge", 0, &f) == 0);
	KT_ASSERT(f->size == DIRECT_BYTES + 1);
	/* The direct blocks read; the read stops short at the bad pointer. */
	KT_ASSERT_ERR_LOGGED(read_at(f, 0, DIRECT_BYTES + 1), DIRECT_BYTES,
			     ": maps a block outside the fs: 99999999");
	KT_ASSERT_ERR_LOGGED(read_at(f, DIRECT_BYTES, 1), -EIO,
			     ": maps a block outside the fs: 99999999");
	KT_ASSERT_ERR_LOGGED(vfs_write(f, &byte, 1, DIRECT_BYTES), -EIO,
			     ": maps a block outside the fs: 99999999");
	KT_ASSERT(f->size == DIRECT_BYTES + 1);
	iput(f);
	KT_ASSERT(file_is(sb, "/hello.txt", HELLO_TEXT));
	KT_ASSERT(unmount_fixture(sb) == 0);
	return 0;
}
