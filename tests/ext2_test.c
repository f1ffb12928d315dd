/*
 * tests/ext2_test.c - host tests of fs/ext2_*.c, fs/vfs.c and fs/file.c on
 * real images: made by mke2fs -t ext2 -r 1 -d from a staging directory the
 * test writes, used through tests/host/blkfile.c, and checked afterwards with
 * e2fsck -fn (any complaint fails the test).  Bad images are made with
 * debugfs and by writing bytes into the image.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hosttest.h>
#include <blkfile.h>
#include <buf.h>
#include <err.h>
#include <errno.h>
#include <mm.h>
#include <mutex.h>
#include <string.h>
#include <vfs.h>
#include "ext2.h"

#define ARENA	8192		/* pages: 32 MiB */
#define BIG	(1u << 20)	/* double indirect with 1 KiB blocks */

static char dir[64], img[128];

static uint8_t pattern(uint32_t seed, uint64_t i)
{
	return (uint8_t)(i * 31 + seed * 7 + i / 251);
}

static void put_file(const char *name, uint32_t seed, size_t len)
{
	char path[256];
	uint8_t *data = malloc(len + 1);
	FILE *f;

	for (size_t i = 0; i < len; i++)
		data[i] = pattern(seed, i);
	snprintf(path, sizeof(path), "%s/root/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	free(data);
}

static const struct { const char *name; uint32_t seed; size_t len; } staged[] = {
	{ "empty", 1, 0 }, { "small", 2, 100 }, { "a/b/c.txt", 3, 5000 },
	{ "a/twelve", 4, 12 * 1024 }, { "a/big", 5, BIG }, { "a/b/odd", 6, 70001 },
};

/* Absolute, so it means the same from any directory; > 59 bytes: slow. */
static const char slow_target[] = "/./././././././././././././././././././././"
	"./././././a/b/../b/c.txt";

/* Stage files and make an image; path in img.  false on failure. */
static bool make_image(unsigned int block_size)
{
	char cmd[512];

	snprintf(dir, sizeof(dir), "/tmp/walnut-ext2-XXXXXX");
	if (!mkdtemp(dir))
		return false;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/root/a/b %s/root/emptydir && "
		 "ln -s small %s/root/fast && ln -s %s %s/root/slow",
		 dir, dir, dir, slow_target, dir);
	if (system(cmd))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(staged); i++)
		put_file(staged[i].name, staged[i].seed, staged[i].len);
	snprintf(img, sizeof(img), "%s/fs.img", dir);
	snprintf(cmd, sizeof(cmd), "mke2fs -q -F -t ext2 -r 1 -b %u -d %s/root "
		 "%s 16M >/dev/null 2>&1", block_size, dir, img);
	return system(cmd) == 0;
}

static void cleanup(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);
}

static bool fsck_clean(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "e2fsck -fn %s > %s/fsck.log 2>&1 || "
		 "{ cat %s/fsck.log; exit 1; }", img, dir, dir);
	return system(cmd) == 0;
}

static struct block_device *bdev;

/* Open the image as hda1 and mount it.  From here the test calls the VFS
 * as the system calls do, holding fs_lock; unmount drops it.  (A disk is
 * opened before: registering one reads its partition table, and that
 * allocation may enter the filesystem.) */
static struct super_block *mount_img(bool ro)
{
	bdev = host_blkfile_open(img, "hda1");
	if (!bdev)
		return ERR_PTR(-ENODEV);
	mutex_lock(&fs_lock);
	return ext2_mount(bdev, ro);
}

static void unmount(struct super_block *sb)
{
	vfs_umount(sb);
	mutex_unlock(&fs_lock);
	host_blkfile_close(bdev);
}

static struct inode *path(struct super_block *sb, const char *p)
{
	struct inode *inode;
	int err = vfs_lookup(sb->root, sb->root, p, LOOKUP_FOLLOW, &inode);

	return err ? ERR_PTR(err) : inode;
}

/* Does the file at p hold len bytes of pattern(seed)? */
static bool file_is(struct super_block *sb, const char *p, uint32_t seed,
		    size_t len)
{
	struct inode *inode = path(sb, p);
	uint8_t *data;
	bool ok;

	if (IS_ERR(inode))
		return false;
	data = malloc(len + 16);
	ok = inode->size == len && vfs_read(inode, data, len + 16, 0) == (long)len;
	for (size_t i = 0; ok && i < len; i++)
		ok = data[i] == pattern(seed, i);
	free(data);
	iput(inode);
	return ok;
}

static bool write_pattern(struct inode *inode, uint32_t seed, size_t len,
			  size_t chunk)
{
	uint8_t *data = malloc(len);
	bool ok = true;

	for (size_t i = 0; i < len; i++)
		data[i] = pattern(seed, i);
	for (size_t off = 0; ok && off < len; off += chunk) {
		size_t n = MIN(chunk, len - off);

		ok = vfs_write(inode, data + off, n, off) == (long)n;
	}
	free(data);
	return ok;
}

static void read_all(unsigned int bs)
{
	struct super_block *sb;
	char link[PATH_MAX];
	struct inode *inode;

	CHECK(make_image(bs));
	sb = mount_img(true);
	CHECK(!IS_ERR(sb));
	CHECK(sb->block_size == bs);
	for (size_t i = 0; i < ARRAY_SIZE(staged); i++)
		CHECK(file_is(sb, staged[i].name, staged[i].seed, staged[i].len));
	CHECK(file_is(sb, "fast", 2, 100));	/* through the symlink */
	CHECK(file_is(sb, "/slow", 3, 5000));
	CHECK(vfs_lookup(sb->root, sb->root, "slow", 0, &inode) == 0);
	CHECK(vfs_readlink(inode, link, sizeof(link)) == (int)strlen(slow_target));
	CHECK(memcmp(link, slow_target, strlen(slow_target)) == 0);
	iput(inode);
	unmount(sb);
	cleanup();
}

static void host_ext2_read_staged_1k(void) { read_all(1024); }
static void host_ext2_read_staged_4k(void) { read_all(4096); }

static int count_entry(void *ctx, const char *name, size_t len, uint32_t ino,
		       unsigned int type)
{
	(*(int *)ctx)++;
	return 0;
}

static int count_dir(struct super_block *sb, const char *p)
{
	struct inode *d = path(sb, p);
	uint64_t pos = 0;
	int n = 0;

	if (IS_ERR(d))
		return -1;
	if (vfs_readdir(d, &pos, count_entry, &n))
		n = -1;
	iput(d);
	return n;
}

/* Many namespace changes in directory "many"; returns false on failure. */
static bool churn(struct super_block *sb)
{
	struct inode *d, *f;
	char name[64];
	bool ok = vfs_mkdir(sb->root, "many", 0755) == 0;

	d = path(sb, "many");
	if (!ok || IS_ERR(d))
		return false;
	for (int i = 0; ok && i < 120; i++) {
		snprintf(name, sizeof(name), "file-with-a-longish-name-%03d", i);
		ok = vfs_create(d, name, 0644, &f) == 0;
		if (ok) {
			ok = write_pattern(f, i, i * 37, 1000);
			iput(f);
		}
	}
	for (int i = 0; ok && i < 120; i += 2) {
		snprintf(name, sizeof(name), "file-with-a-longish-name-%03d", i);
		ok = vfs_unlink(d, name) == 0;
	}
	for (int i = 0; ok && i < 20; i++) {
		snprintf(name, sizeof(name), "sub%d", i);
		ok = vfs_mkdir(d, name, 0700) == 0;
	}
	for (int i = 0; ok && i < 20; i += 3) {
		snprintf(name, sizeof(name), "sub%d", i);
		ok = vfs_rmdir(d, name) == 0;
	}
	ok = ok && count_dir(sb, "many") == 2 + 60 + 13;
	ok = ok && vfs_rmdir(d, "sub1") == 0 && vfs_rmdir(sb->root, "many") == -ENOTEMPTY;
	iput(d);
	return ok;
}

static void write_all(unsigned int bs)
{
	struct super_block *sb;
	struct inode *f, *a, *b;

	CHECK(make_image(bs));
	sb = mount_img(false);
	CHECK(!IS_ERR(sb));
	CHECK(churn(sb));
	/* A 1 MiB file written in odd chunks, then cut and grown. */
	CHECK(vfs_create(sb->root, "new-big", 0644, &f) == 0);
	CHECK(write_pattern(f, 9, BIG, 3000));
	iput(f);
	CHECK(file_is(sb, "new-big", 9, BIG));
	f = path(sb, "a/big");
	CHECK(!IS_ERR(f));
	CHECK(vfs_truncate(f, 300000) == 0);
	CHECK(vfs_truncate(f, 400000) == 0);	/* a hole: reads zeros */
	iput(f);
	CHECK(file_is(sb, "a/twelve", 4, 12 * 1024));
	/* rename: a file over a file, a directory to another parent. */
	a = path(sb, "a");
	b = path(sb, "a/b");
	CHECK(!IS_ERR(a) && !IS_ERR(b));
	CHECK(vfs_rename(a, "twelve", b, "odd") == 0);
	CHECK(vfs_rename(sb->root, "emptydir", b, "moved") == 0);
	CHECK(vfs_rename(b, "moved", b, "x") == 0);
	CHECK(vfs_rename(a, "b", b, "inside") == -EINVAL);
	f = path(sb, "small");
	CHECK(!IS_ERR(f));
	CHECK(vfs_link(f, b, "hard") == 0 && f->nlink == 2);
	iput(f);
	CHECK(vfs_symlink(b, "fast2", "../../small") == 0);
	CHECK(vfs_symlink(b, "slow2", slow_target) == 0);
	CHECK(vfs_unlink(sb->root, "empty") == 0);
	iput(a);
	iput(b);
	CHECK(file_is(sb, "a/b/odd", 4, 12 * 1024));
	CHECK(file_is(sb, "a/b/fast2", 2, 100));
	CHECK(file_is(sb, "a/b/slow2", 3, 5000));
	CHECK(vfs_unlink(sb->root, "new-big") == 0);
	CHECK(vfs_sync(sb) == 0);
	unmount(sb);
	CHECK(fsck_clean());
	sb = mount_img(true);	/* what was written is what is read */
	CHECK(!IS_ERR(sb));
	CHECK(file_is(sb, "a/b/odd", 4, 12 * 1024));
	CHECK(file_is(sb, "a/b/hard", 2, 100));
	CHECK(file_is(sb, "a/b/x/../../b/slow2", 3, 5000));
	unmount(sb);
	cleanup();
}

static void host_ext2_write_fsck_1k(void) { write_all(1024); }
static void host_ext2_write_fsck_4k(void) { write_all(4096); }

static void host_ext2_block_path_triple(void)
{
	uint32_t o[4], p = 256;

	CHECK(ext2_block_path(p, 11, o) == 1 && o[0] == 11);
	CHECK(ext2_block_path(p, 12, o) == 2 && o[0] == 12 && o[1] == 0);
	CHECK(ext2_block_path(p, 12 + 255, o) == 2 && o[1] == 255);
	CHECK(ext2_block_path(p, 12 + 256, o) == 3 && o[0] == 13 && o[1] == 0 && o[2] == 0);
	CHECK(ext2_block_path(p, 12 + 256 + 65535, o) == 3 && o[1] == 255 && o[2] == 255);
	CHECK(ext2_block_path(p, 12 + 256 + 65536, o) == 4 && o[0] == 14 &&
	      o[1] == 0 && o[2] == 0 && o[3] == 0);
	CHECK(ext2_block_path(p, 12 + 256 + 65536 + 65536 * 3 + 256 * 5 + 7, o) == 4 &&
	      o[1] == 3 && o[2] == 5 && o[3] == 7);
	CHECK(ext2_block_path(p, 12 + 256 + 65536 + 16777216 - 1, o) == 4 &&
	      o[1] == 255 && o[2] == 255 && o[3] == 255);
	CHECK(ext2_block_path(p, 12 + 256 + 65536 + 16777216, o) == -EFBIG);
	/* 4 KiB blocks: 12 + 2^10 + 2^20 + 2^30 blocks, less than 2^32. */
	CHECK(ext2_block_path(1024, 12 + 1024 + (1u << 20) + (1u << 30) - 1, o) == 4 &&
	      o[1] == 1023 && o[2] == 1023 && o[3] == 1023);
	CHECK(ext2_block_path(1024, 0xFFFFFFFFu, o) == -EFBIG);
}

static void poke(off_t off, const void *bytes, size_t n)
{
	int fd = open(img, O_RDWR);

	pwrite(fd, bytes, n, off);
	close(fd);
}

static void host_ext2_bad_magic(void)
{
	uint16_t junk = 0x1234;

	CHECK(make_image(1024));
	poke(1024 + 56, &junk, 2);
	CHECK(PTR_ERR(mount_img(true)) == -EINVAL);
	host_blkfile_close(bdev);
	cleanup();
}

static void host_ext2_bad_block_in_inode(void)
{
	struct super_block *sb;
	char cmd[512];

	CHECK(make_image(1024));
	snprintf(cmd, sizeof(cmd), "debugfs -w -R 'sif /a/b/c.txt block[2] 99999999'"
		 " %s >/dev/null 2>&1", img);
	CHECK(system(cmd) == 0);
	sb = mount_img(true);
	CHECK(!IS_ERR(sb));
	CHECK(PTR_ERR(path(sb, "a/b/c.txt")) == -EIO);
	CHECK(file_is(sb, "small", 2, 100));
	unmount(sb);
	cleanup();
}

static void host_ext2_bad_rec_len(void)
{
	struct super_block *sb;
	struct inode *d;
	uint16_t bogus[] = { 6, 1023, 4000 };
	uint32_t blockno;
	char cmd[512];

	for (size_t i = 0; i < ARRAY_SIZE(bogus); i++) {
		CHECK(make_image(1024));
		sb = mount_img(true);
		CHECK(!IS_ERR(sb));
		d = path(sb, "a/b");
		CHECK(!IS_ERR(d));
		CHECK(ext2_get_block(d, 0, false, &blockno) == 0 && blockno);
		iput(d);
		unmount(sb);
		/* The ".." entry's rec_len, at offset 12 + 4. */
		poke((off_t)blockno * 1024 + 16, &bogus[i], 2);
		sb = mount_img(true);
		CHECK(!IS_ERR(sb));
		CHECK(PTR_ERR(path(sb, "a/b/c.txt")) == -EIO);
		CHECK(count_dir(sb, "a/b") == -1);
		unmount(sb);
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		system(cmd);
	}
}

static void host_ext2_lookup_paths(void)
{
	struct super_block *sb;
	struct inode *a, *i1, *i2;
	char longname[300];

	CHECK(make_image(1024));
	sb = mount_img(false);
	CHECK(!IS_ERR(sb));
	a = path(sb, "/a");
	CHECK(!IS_ERR(a));
	CHECK(vfs_lookup(sb->root, a, "b/c.txt", 0, &i1) == 0);
	CHECK(vfs_lookup(sb->root, a, "./b/../b/./c.txt", 0, &i2) == 0);
	CHECK(i1 == i2);	/* one in-memory inode per ino */
	iput(i2);
	CHECK(vfs_lookup(sb->root, a, "/../../a/b//c.txt", 0, &i2) == 0 && i1 == i2);
	iput(i2);
	CHECK(vfs_lookup(sb->root, a, "b/c.txt/", 0, &i2) == -ENOTDIR);
	CHECK(vfs_lookup(sb->root, a, "b/c.txt/x", 0, &i2) == -ENOTDIR);
	CHECK(vfs_lookup(sb->root, a, "nope", 0, &i2) == -ENOENT);
	CHECK(vfs_lookup(sb->root, a, "", 0, &i2) == -ENOENT);
	memset(longname, 'x', 256);
	longname[256] = '\0';
	CHECK(vfs_lookup(sb->root, a, longname, 0, &i2) == -ENAMETOOLONG);
	CHECK(vfs_create(a, longname, 0644, &i2) == -ENAMETOOLONG);
	CHECK(vfs_symlink(a, "loop1", "loop2") == 0);
	CHECK(vfs_symlink(a, "loop2", "/a/loop1") == 0);
	CHECK(vfs_lookup(sb->root, a, "loop1", LOOKUP_FOLLOW, &i2) == -ELOOP);
	CHECK(vfs_lookup(sb->root, a, "loop1", 0, &i2) == 0 && S_ISLNK(i2->mode));
	iput(i2);
	CHECK(vfs_symlink(a, "up", "..") == 0);
	CHECK(vfs_lookup(sb->root, a, "up/a/up/small", 0, &i2) == 0);
	iput(i2);
	CHECK(vfs_create(a, "x", 0644, &i2) == 0);
	iput(i2);
	CHECK(vfs_create(a, "x", 0644, &i2) == -EEXIST);
	CHECK(vfs_rmdir(a, "x") == -ENOTDIR);
	CHECK(vfs_unlink(sb->root, "a") == -EISDIR);
	iput(i1);
	iput(a);
	unmount(sb);
	CHECK(fsck_clean());
	cleanup();
}

/* Is p, looked up from root r (LOOKUP_FOLLOW), the inode want? */
static bool names(struct inode *r, struct inode *cwd, const char *p,
		  struct inode *want)
{
	struct inode *inode;
	bool ok;

	if (vfs_lookup(r, cwd, p, LOOKUP_FOLLOW, &inode))
		return false;
	ok = inode == want;
	iput(inode);
	return ok;
}

/* The same image mounted read-only a second time on /a/b of the first. */
static void host_vfs_lookup_across_mount(void)
{
	struct super_block *sb, *sb2;
	struct block_device *bdev2;
	struct inode *a, *b, *small, *small2, *c2;

	CHECK(make_image(1024));
	bdev2 = host_blkfile_open(img, "hdb1");	/* before fs_lock: mount_img */
	sb = mount_img(false);
	CHECK(!IS_ERR(sb));
	sb2 = ext2_mount(bdev2, true);
	CHECK(!IS_ERR(sb2));
	a = path(sb, "/a");
	b = path(sb, "/a/b");
	small = path(sb, "/small");
	CHECK(vfs_mount(sb2, small) == -ENOTDIR);
	CHECK(vfs_mount(sb, b) == -EINVAL);
	CHECK(vfs_mount(sb2, b) == 0);
	CHECK(vfs_mount(sb2, a) == -EBUSY);	/* sb2 is mounted already */
	iput(b);
	small2 = path(sb2, "/small");
	c2 = path(sb2, "/a/b/c.txt");
	CHECK(names(sb->root, sb->root, "/a/b", sb2->root));
	CHECK(names(sb->root, sb->root, "/a/b/small", small2));
	CHECK(names(sb->root, a, "b/a/b/c.txt", c2));
	CHECK(names(sb->root, a, "b/fast", small2));	/* relative symlink */
	CHECK(vfs_lookup(sb->root, a, "b/slow", LOOKUP_FOLLOW, &b) == -ENOENT);
	CHECK(names(sb->root, sb->root, "/a/b/..", a));
	CHECK(names(sb->root, sb->root, "/a/b/../b/a/..", sb2->root));
	CHECK(names(sb->root, sb2->root, "../../small", small));
	CHECK(names(sb->root, sb2->root, "../../..", sb->root));
	CHECK(names(sb2->root, sb2->root, "/../..", sb2->root));  /* its root */
	CHECK(vfs_rmdir(a, "b") == -EBUSY);
	CHECK(vfs_rename(a, "b", a, "b2") == -EBUSY);
	CHECK(vfs_rename(sb->root, "emptydir", a, "b") == -EBUSY);
	CHECK(vfs_umount(sb) == -EBUSY);	/* sb2 holds /a/b */
	iput(small2);
	iput(c2);
	CHECK(vfs_umount(sb2) == 0);
	host_blkfile_close(bdev2);
	b = path(sb, "/a/b");
	CHECK(!IS_ERR(b) && b->sb == sb && b->mounted == NULL);
	CHECK(file_is(sb, "/a/b/c.txt", 3, 5000));
	iput(b);
	iput(small);
	iput(a);
	unmount(sb);
	CHECK(fsck_clean());
	cleanup();
}

/*
 * Regression: "readdir of a block of deleted entries hangs".  Fill a
 * directory over several blocks, delete the last entries so that a later
 * block holds only free space, then list it, empty it and remove it.
 * ext2_readdir used to leave its position at the start of such a block and
 * read it again forever (ls, rmdir and rename all hung the machine).
 */
static void readdir_skips_deleted_block(unsigned int bs)
{
	struct super_block *sb;
	struct inode *d, *f;
	char name[64];
	const int files = 90, deleted = 30;

	CHECK(make_image(bs));
	sb = mount_img(false);
	CHECK(!IS_ERR(sb));
	CHECK(vfs_mkdir(sb->root, "d", 0755) == 0);
	d = path(sb, "d");
	CHECK(!IS_ERR(d));
	/* 40-byte names: 48-byte entries, so 90 of them span several blocks
	 * and the last 30 cover at least one whole block, whatever bs is. */
	for (int i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "entry-%034d", i);
		CHECK(vfs_create(d, name, 0644, &f) == 0);
		iput(f);
	}
	CHECK(d->size >= 2 * bs);
	for (int i = files - deleted; i < files; i++) {
		snprintf(name, sizeof(name), "entry-%034d", i);
		CHECK(vfs_unlink(d, name) == 0);
	}
	CHECK(count_dir(sb, "d") == 2 + files - deleted);
	CHECK(vfs_rmdir(sb->root, "d") == -ENOTEMPTY);
	for (int i = 0; i < files - deleted; i++) {
		snprintf(name, sizeof(name), "entry-%034d", i);
		CHECK(vfs_unlink(d, name) == 0);
	}
	CHECK(count_dir(sb, "d") == 2);
	CHECK(vfs_rename(sb->root, "emptydir", sb->root, "d") == 0);	/* over an empty dir */
	iput(d);
	CHECK(vfs_rmdir(sb->root, "d") == 0);
	CHECK(vfs_sync(sb) == 0);
	unmount(sb);
	CHECK(fsck_clean());
	cleanup();
}

static void host_ext2_readdir_skips_deleted_block_1k(void) { readdir_skips_deleted_block(1024); }
static void host_ext2_readdir_skips_deleted_block_4k(void) { readdir_skips_deleted_block(4096); }

static const struct host_test tests[] = {
	HOST_TEST(host_ext2_read_staged_1k, ARENA),
	HOST_TEST(host_ext2_read_staged_4k, ARENA),
	HOST_TEST(host_ext2_write_fsck_1k, ARENA),
	HOST_TEST(host_ext2_write_fsck_4k, ARENA),
	HOST_TEST(host_ext2_block_path_triple, 0),
	HOST_TEST(host_ext2_bad_magic, ARENA),
	HOST_TEST(host_ext2_bad_block_in_inode, ARENA),
	HOST_TEST(host_ext2_bad_rec_len, ARENA),
	HOST_TEST(host_ext2_lookup_paths, ARENA),
	HOST_TEST(host_vfs_lookup_across_mount, ARENA),
	HOST_TEST(host_ext2_readdir_skips_deleted_block_1k, ARENA),
	HOST_TEST(host_ext2_readdir_skips_deleted_block_4k, ARENA),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
