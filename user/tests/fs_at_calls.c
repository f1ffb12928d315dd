/*
 * fs_at_calls - the *at family: openat, mkdirat, fstatat, faccessat,
 * linkat, symlinkat, readlinkat, renameat, unlinkat, with a directory
 * descriptor, with AT_FDCWD, and with their flags; Linux's errors for a bad
 * or non-directory dirfd and for unknown flags.
 *
 * Layout, inside a fresh scratch directory "top" (entered with chdir):
 *	top/d/          the directory opened as dirfd
 *	top/d/f         a file made through dirfd
 *	top/other       the working directory's own file
 */
#define _GNU_SOURCE	/* AT_EMPTY_PATH in glibc */
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

static int dirfd_of_d;

static void test_create_through_dirfd(void)
{
	struct stat st;
	int fd;

	fd = openat(dirfd_of_d, "f", O_WRONLY | O_CREAT | O_EXCL, 0640);
	check_errno("fs_at_openat_creates_in_dirfd", fd >= 0, "openat");
	if (fd >= 0) {
		check("fs_at_openat_write", write(fd, "hello", 5) == 5, "write");
		close(fd);
	}
	check("fs_at_file_is_in_d", stat("d/f", &st) == 0 && st.st_size == 5,
	      "d/f missing or wrong size");
	check("fs_at_not_in_cwd", stat("f", &st) != 0, "f made in the cwd");
	check_errno("fs_at_mkdirat", mkdirat(dirfd_of_d, "sub", 0755) == 0, "mkdirat");
	check("fs_at_mkdirat_made_dir", stat("d/sub", &st) == 0 && S_ISDIR(st.st_mode),
	      "d/sub not a directory");
	check_errno("fs_at_symlinkat", symlinkat("f", dirfd_of_d, "lnk") == 0, "symlinkat");
}

static void test_fstatat(void)
{
	struct stat st, lst;
	int fd;

	check_errno("fs_at_fstatat_follows", fstatat(dirfd_of_d, "lnk", &st, 0) == 0 &&
		    S_ISREG(st.st_mode) && st.st_size == 5, "fstatat");
	check_errno("fs_at_fstatat_nofollow", fstatat(dirfd_of_d, "lnk", &lst,
		    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode), "fstatat nofollow");
	check_errno("fs_at_fstatat_fdcwd", fstatat(AT_FDCWD, "other", &st, 0) == 0 &&
		    st.st_size == 3, "fstatat AT_FDCWD");
	check_errno("fs_at_fstatat_absolute_ignores_dirfd",
		    fstatat(-1, "/", &st, 0) == 0 && S_ISDIR(st.st_mode), "fstatat /");
	fd = open("other", O_RDONLY);
	check_errno("fs_at_fstatat_empty_path", fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 &&
		    st.st_size == 3, "fstatat AT_EMPTY_PATH");
	expect_errno("fs_at_fstatat_empty_without_flag_enoent", fstatat(fd, "", &st, 0), ENOENT);
	expect_errno("fs_at_fstatat_file_dirfd_enotdir", fstatat(fd, "x", &st, 0), ENOTDIR);
	close(fd);
	check("fs_at_fstatat_root_and_proc_differ_in_st_dev",
	      fstatat(AT_FDCWD, "/", &st, 0) == 0 && fstatat(AT_FDCWD, "/proc", &lst, 0) == 0 &&
	      st.st_dev != 0 && st.st_dev != lst.st_dev, "st_dev %#lx and %#lx",
	      (unsigned long)st.st_dev, (unsigned long)lst.st_dev);
	expect_errno("fs_at_fstatat_bad_dirfd_ebadf", fstatat(-1, "x", &st, 0), EBADF);
	expect_errno("fs_at_fstatat_closed_dirfd_ebadf", fstatat(999, "x", &st, 0), EBADF);
	expect_errno("fs_at_fstatat_bad_flags_einval", fstatat(dirfd_of_d, "f", &st, 0x10000),
		     EINVAL);
}

static void test_access_and_readlink(void)
{
	char buf[16] = "";

	check_errno("fs_at_faccessat_exists", faccessat(dirfd_of_d, "f", R_OK | W_OK, 0) == 0,
		    "faccessat");
	expect_errno("fs_at_faccessat_missing_enoent", faccessat(dirfd_of_d, "nope", F_OK, 0),
		     ENOENT);
	expect_errno("fs_at_faccessat_not_executable_eacces",
		     faccessat(dirfd_of_d, "f", X_OK, 0), EACCES);
	expect_errno("fs_at_faccessat_bad_mode_einval", faccessat(dirfd_of_d, "f", 0100, 0),
		     EINVAL);
	check("fs_at_readlinkat", readlinkat(dirfd_of_d, "lnk", buf, sizeof(buf)) == 1 &&
	      buf[0] == 'f', "readlinkat gave '%s'", buf);
	expect_errno("fs_at_readlinkat_not_link_einval",
		     readlinkat(dirfd_of_d, "f", buf, sizeof(buf)), EINVAL);
}

static void test_link_rename_unlink(void)
{
	struct stat a, b;

	check_errno("fs_at_linkat_across_dirs", linkat(dirfd_of_d, "f", AT_FDCWD, "hard", 0) == 0,
		    "linkat");
	check("fs_at_linkat_same_inode", stat("hard", &a) == 0 && stat("d/f", &b) == 0 &&
	      a.st_ino == b.st_ino && a.st_nlink == 2, "not the same file");
	check_errno("fs_at_linkat_nofollow_links_the_link",
		    linkat(dirfd_of_d, "lnk", dirfd_of_d, "lnk2", 0) == 0 &&
		    lstat("d/lnk2", &a) == 0 && S_ISLNK(a.st_mode), "linkat to the symlink");
	check_errno("fs_at_linkat_follow_links_the_target",
		    linkat(dirfd_of_d, "lnk", dirfd_of_d, "f2", AT_SYMLINK_FOLLOW) == 0 &&
		    lstat("d/f2", &a) == 0 && S_ISREG(a.st_mode), "linkat AT_SYMLINK_FOLLOW");
	expect_errno("fs_at_linkat_bad_flags_einval",
		     linkat(dirfd_of_d, "f", dirfd_of_d, "f3", AT_SYMLINK_NOFOLLOW), EINVAL);
	check_errno("fs_at_renameat", renameat(AT_FDCWD, "hard", dirfd_of_d, "moved") == 0 &&
		    stat("d/moved", &a) == 0 && stat("hard", &b) != 0, "renameat");
	expect_errno("fs_at_unlinkat_dir_without_flag_eisdir",
		     unlinkat(dirfd_of_d, "sub", 0), EISDIR);
	check_errno("fs_at_unlinkat_removedir", unlinkat(dirfd_of_d, "sub", AT_REMOVEDIR) == 0,
		    "unlinkat AT_REMOVEDIR");
	expect_errno("fs_at_unlinkat_removedir_on_file_enotdir",
		     unlinkat(dirfd_of_d, "f", AT_REMOVEDIR), ENOTDIR);
	expect_errno("fs_at_unlinkat_bad_flags_einval", unlinkat(dirfd_of_d, "f", 0x10000), EINVAL);
	check_errno("fs_at_unlinkat_files", unlinkat(dirfd_of_d, "f", 0) == 0 &&
		    unlinkat(dirfd_of_d, "f2", 0) == 0 && unlinkat(dirfd_of_d, "moved", 0) == 0 &&
		    unlinkat(dirfd_of_d, "lnk", 0) == 0 && unlinkat(dirfd_of_d, "lnk2", 0) == 0,
		    "unlinkat");
}

int main(void)
{
	char top[128];
	int fd;

	scratch_path(top, sizeof(top), "at");
	if (!check_errno("fs_at_setup", mkdir(top, 0755) == 0 && chdir(top) == 0 &&
			 mkdir("d", 0755) == 0, "mkdir/chdir"))
		return test_exit_code();
	fd = open("other", O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, "abc", 3) != 3)
		check_errno("fs_at_setup_other", 0, "other");
	close(fd);
	dirfd_of_d = open("d", O_RDONLY | O_DIRECTORY);
	if (!check_errno("fs_at_open_dirfd", dirfd_of_d >= 0, "open d"))
		return test_exit_code();
	test_create_through_dirfd();
	test_fstatat();
	test_access_and_readlink();
	test_link_rename_unlink();
	close(dirfd_of_d);
	unlink("other");
	rmdir("d");
	if (chdir("/") == 0)
		check_errno("fs_at_cleanup", rmdir(top) == 0, "rmdir %s", top);
	return test_exit_code();
}
