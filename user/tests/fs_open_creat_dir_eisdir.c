/*
 * fs_open_creat_dir_eisdir - regression test for "open(dir, O_CREAT) on an
 * existing directory succeeds".  Linux refuses O_CREAT on a directory with
 * EISDIR whatever the access mode, including O_RDONLY; Walnut used to open
 * it.  Without O_CREAT a directory still opens for reading.
 */
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

int main(void)
{
	char dir[128];
	int fd;

	scratch_path(dir, sizeof(dir), "creatdir");
	if (!check_errno("fs_open_creat_dir_setup", mkdir(dir, 0755) == 0, "mkdir"))
		return test_exit_code();
	expect_errno("fs_open_creat_dir_rdonly_eisdir", open(dir, O_RDONLY | O_CREAT, 0644), EISDIR);
	expect_errno("fs_open_creat_dir_wronly_eisdir", open(dir, O_WRONLY | O_CREAT, 0644), EISDIR);
	expect_errno("fs_open_creat_dir_rdwr_eisdir", open(dir, O_RDWR | O_CREAT, 0644), EISDIR);
	expect_errno("fs_open_creat_excl_dir_eexist", open(dir, O_RDONLY | O_CREAT | O_EXCL, 0644),
		     EEXIST);
	expect_errno("fs_creat_dir_eisdir", creat(dir, 0644), EISDIR);
	fd = open(dir, O_RDONLY);
	check_errno("fs_open_dir_rdonly_still_works", fd >= 0, "open");
	close(fd);
	check_errno("fs_open_creat_dir_cleanup", rmdir(dir) == 0, "rmdir");
	return test_exit_code();
}
