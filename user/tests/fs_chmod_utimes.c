/*
 * fs_chmod_utimes - the attribute calls: chmod, fchmod, fchmodat set the
 * permission bits (and keep the file type); utimensat, futimens, utimes
 * and utime set the access and modification times, with UTIME_NOW and
 * UTIME_OMIT; each moves the change time; Linux's errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/time.h>
#include <utime.h>
#include "testlib.h"

static char path[128], link_path[140];

static mode_t perms(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

static void test_chmod(void)
{
	struct stat st;
	int fd;

	check_errno("fs_chmod_sets_bits", chmod(path, 0751) == 0 && perms(path) == 0751,
		    "mode %o", (unsigned)perms(path));
	check("fs_chmod_keeps_type", stat(path, &st) == 0 && S_ISREG(st.st_mode), "type changed");
	check_errno("fs_chmod_setuid_bits", chmod(path, 04755) == 0 && perms(path) == 04755,
		    "mode %o", (unsigned)perms(path));
	fd = open(path, O_RDONLY);
	check_errno("fs_fchmod_sets_bits", fchmod(fd, 0600) == 0 && perms(path) == 0600,
		    "mode %o", (unsigned)perms(path));
	close(fd);
	check_errno("fs_fchmodat_sets_bits", fchmodat(AT_FDCWD, path, 0644, 0) == 0 &&
		    perms(path) == 0644, "mode %o", (unsigned)perms(path));
	check_errno("fs_chmod_follows_symlink", chmod(link_path, 0700) == 0 &&
		    perms(path) == 0700, "mode %o", (unsigned)perms(path));
	expect_errno("fs_chmod_missing_enoent", chmod("/no/such/file", 0644), ENOENT);
	expect_errno("fs_fchmod_bad_fd_ebadf", fchmod(-1, 0644), EBADF);
}

static int times_are(const char *p, time_t atime, time_t mtime)
{
	struct stat st;

	return stat(p, &st) == 0 && st.st_atime == atime && st.st_mtime == mtime;
}

static void test_utimensat(void)
{
	struct timespec ts[2] = { { 1000000, 0 }, { 2000000, 0 } };
	struct stat before, after;
	time_t now = time(NULL);
	int fd;

	check_errno("fs_utimensat_sets_times", utimensat(AT_FDCWD, path, ts, 0) == 0 &&
		    times_are(path, 1000000, 2000000), "utimensat");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1] = (struct timespec){ 3000000, 0 };
	check_errno("fs_utimensat_omit_keeps_atime", utimensat(AT_FDCWD, path, ts, 0) == 0 &&
		    times_are(path, 1000000, 3000000), "UTIME_OMIT");
	ts[0] = (struct timespec){ 0, UTIME_NOW };
	ts[1].tv_nsec = UTIME_OMIT;
	check_errno("fs_utimensat_now", utimensat(AT_FDCWD, path, ts, 0) == 0 &&
		    stat(path, &after) == 0 && after.st_atime >= now - 5 &&
		    after.st_mtime == 3000000, "UTIME_NOW");
	check_errno("fs_utimensat_null_is_now", utimensat(AT_FDCWD, path, NULL, 0) == 0 &&
		    stat(path, &after) == 0 && after.st_mtime >= now - 5, "NULL times");
	ts[0] = (struct timespec){ 5, 1000000000 };
	expect_errno("fs_utimensat_bad_nsec_einval", utimensat(AT_FDCWD, path, ts, 0), EINVAL);
	expect_errno("fs_utimensat_bad_flags_einval", utimensat(AT_FDCWD, path, NULL, 0x10000),
		     EINVAL);
	ts[0] = (struct timespec){ 7000000, 0 };
	ts[1] = (struct timespec){ 8000000, 0 };
	check_errno("fs_utimensat_nofollow_sets_link", lstat(link_path, &before) == 0 &&
		    utimensat(AT_FDCWD, link_path, ts, AT_SYMLINK_NOFOLLOW) == 0 &&
		    lstat(link_path, &after) == 0 && after.st_mtime == 8000000 &&
		    !times_are(path, 7000000, 8000000), "AT_SYMLINK_NOFOLLOW");
	fd = open(path, O_RDONLY);
	ts[0] = (struct timespec){ 9000000, 0 };
	ts[1] = (struct timespec){ 9500000, 0 };
	check_errno("fs_futimens_sets_times", futimens(fd, ts) == 0 &&
		    times_are(path, 9000000, 9500000), "futimens");
	close(fd);
	expect_errno("fs_futimens_bad_fd_ebadf", futimens(-1, ts), EBADF);
	expect_errno("fs_utimensat_missing_enoent", utimensat(AT_FDCWD, "/no/such", NULL, 0),
		     ENOENT);
}

static void test_utimes_utime(void)
{
	struct timeval tv[2] = { { 11000000, 0 }, { 12000000, 999999 } };
	struct utimbuf ub = { 13000000, 14000000 };
	struct stat st;
	time_t ctime_before;

	check_errno("fs_utimes_sets_times", utimes(path, tv) == 0 &&
		    times_are(path, 11000000, 12000000), "utimes");
	tv[1].tv_usec = 1000000;
	expect_errno("fs_utimes_bad_usec_einval", utimes(path, tv), EINVAL);
	check_errno("fs_utime_sets_times", utime(path, &ub) == 0 &&
		    times_are(path, 13000000, 14000000), "utime");
	ctime_before = stat(path, &st) == 0 ? st.st_ctime : 0;
	check("fs_utime_moves_ctime_not_back", ctime_before >= time(NULL) - 5,
	      "ctime %ld", (long)ctime_before);
}

int main(void)
{
	int fd;

	scratch_path(path, sizeof(path), "attrs");
	snprintf(link_path, sizeof(link_path), "%s.lnk", path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!check_errno("fs_attrs_setup", fd >= 0 && symlink(path, link_path) == 0, "create"))
		return test_exit_code();
	close(fd);
	test_chmod();
	test_utimensat();
	test_utimes_utime();
	unlink(link_path);
	unlink(path);
	return test_exit_code();
}
