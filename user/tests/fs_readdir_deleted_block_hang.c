/*
 * fs_readdir_deleted_block_hang - regression test for "a directory listing
 * hangs the whole machine".
 *
 * Fill a fresh directory with 90 files whose entries span several disk
 * blocks, delete the last 30 so that a later block holds nothing but
 * deleted entries, then list it, check that rmdir and rename see it as not
 * empty, empty it and remove it.  Walnut's ext2_readdir used to stay at the
 * start of such a block forever; since the kernel does not preempt itself,
 * ls, rmdir and rename (which asks whether the target is empty) all stopped
 * the machine.  The harness's timeout is this test's failure mode for the
 * hang; everything else is checked here.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

#define FILES	90
#define DELETED	30

/* 40-character names: 48-byte ext2 entries, so 90 of them fill more than one
 * 4 KiB block and the last 30 cover at least one whole 1 KiB block. */
static void entry_name(char *buf, size_t size, int i)
{
	snprintf(buf, size, "entry-%034d", i);
}

/* Entries of dir other than "." and "..", or -1 if it cannot be read. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int make_files(const char *dir, int from, int to)
{
	char path[256], name[64];

	for (int i = from; i < to; i++) {
		int fd;

		entry_name(name, sizeof(name), i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return 0;
		close(fd);
	}
	return 1;
}

static int remove_files(const char *dir, int from, int to)
{
	char path[256], name[64];

	for (int i = from; i < to; i++) {
		entry_name(name, sizeof(name), i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (unlink(path) != 0)
			return 0;
	}
	return 1;
}

int main(void)
{
	char dir[128], other[128];
	struct stat st = { 0 };
	int n;

	scratch_path(dir, sizeof(dir), "readdir");
	scratch_path(other, sizeof(other), "readdir-other");
	if (!check_errno("fs_readdir_deleted_block_mkdir", mkdir(dir, 0755) == 0, "mkdir %s", dir))
		return test_exit_code();
	check_errno("fs_readdir_deleted_block_fill", make_files(dir, 0, FILES), "create");
	/* On ext2 the entries now fill more than one block, which the bug
	 * needs; a filesystem with no blocks (Linux's tmpfs) has none. */
	check("fs_readdir_deleted_block_spans_blocks",
	      stat(dir, &st) == 0 && (st.st_size >= 2 * 1024 || st.st_blocks == 0),
	      "directory is %ld bytes", (long)st.st_size);
	check_errno("fs_readdir_deleted_block_delete_last",
		    remove_files(dir, FILES - DELETED, FILES), "unlink");

	n = count_entries(dir);
	check("fs_readdir_deleted_block_lists_the_rest", n == FILES - DELETED,
	      "listed %d entries, want %d", n, FILES - DELETED);
	expect_errno("fs_readdir_deleted_block_rmdir_not_empty", rmdir(dir), ENOTEMPTY);
	check_errno("fs_readdir_deleted_block_mkdir_other", mkdir(other, 0755) == 0, "mkdir");
	expect_errno_of("fs_readdir_deleted_block_rename_over_not_empty",
			rename(other, dir), ENOTEMPTY, EEXIST, 0);

	check_errno("fs_readdir_deleted_block_empty_it",
		    remove_files(dir, 0, FILES - DELETED), "unlink");
	n = count_entries(dir);
	check("fs_readdir_deleted_block_lists_empty", n == 0, "listed %d entries", n);
	check_errno("fs_readdir_deleted_block_rename_over_empty",
		    rename(other, dir) == 0, "rename");
	check_errno("fs_readdir_deleted_block_rmdir", rmdir(dir) == 0, "rmdir");
	expect_errno("fs_readdir_deleted_block_gone", stat(dir, &st), ENOENT);
	return test_exit_code();
}
