/*
 * stdio_files - files and directories through newlib's stdio and the POSIX
 * calls under it: contents, offsets, sizes, types, names, links, holes and
 * descriptors.
 *
 * Everything happens inside a fresh scratch directory (under /tmp if it
 * exists), entered with chdir so all names below are relative; the last
 * check is that the directory can be removed, i.e. that nothing was left.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

static const char *const notes_lines[] = { "line 1\n", "second line\n", "third\n" };

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Reads up to size-1 bytes of path into buf, NUL-terminated; returns count. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read_full(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static int make_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	int ok = fd >= 0 && write_full(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

static void test_stdio_write_then_read(void)
{
	FILE *f = fopen("notes.txt", "w");
	char line[64], got[8] = { 0 };
	int lines_ok = 1;
	long want;

	if (!check_errno("stdio_files_fopen_write", f != NULL, "fopen"))
		return;
	fprintf(f, "line %d\n", 1);
	fputs(notes_lines[1], f);
	fwrite(notes_lines[2], 1, strlen(notes_lines[2]), f);
	want = (long)(strlen(notes_lines[0]) + strlen(notes_lines[1]) + strlen(notes_lines[2]));
	check("stdio_files_ftell_after_writes", ftell(f) == want, "ftell %ld, want %ld", ftell(f), want);
	check_errno("stdio_files_fclose", fclose(f) == 0, "fclose");

	f = fopen("notes.txt", "r");
	if (!check_errno("stdio_files_fopen_read", f != NULL, "fopen"))
		return;
	for (int i = 0; i < 3; i++)
		lines_ok &= fgets(line, sizeof(line), f) && strcmp(line, notes_lines[i]) == 0;
	check("stdio_files_fgets_reads_lines_back", lines_ok, "a line differs");
	check("stdio_files_fgets_null_at_eof", !fgets(line, sizeof(line), f) && feof(f),
	      "fgets past the end did not report EOF");
	fseek(f, 5, SEEK_SET);
	check("stdio_files_fseek_set_fread", fread(got, 1, 4, f) == 4 &&
	      memcmp(got, "1\nse", 4) == 0 && ftell(f) == 9, "read '%.4s', ftell %ld", got, ftell(f));
	fseek(f, -6, SEEK_END);
	check("stdio_files_fseek_end_fread", fread(got, 1, 6, f) == 6 && memcmp(got, "third\n", 6) == 0,
	      "read '%.6s'", got);
	fclose(f);
}

static void test_umask_applied(void)
{
	struct stat st;

	make_file("masked", "m");
	check("stdio_files_created_mode_masked_by_umask",
	      stat("masked", &st) == 0 && (st.st_mode & 0777) == 0644,
	      "mode %o, want 644", (unsigned)(st.st_mode & 0777));
	unlink("masked");
}

static void test_append_modes(void)
{
	char buf[128];
	long before = file_size("notes.txt");
	FILE *f = fopen("notes.txt", "a");

	if (!check_errno("stdio_files_fopen_append", f != NULL, "fopen"))
		return;
	fputs("fourth\n", f);
	fclose(f);
	check("stdio_files_append_grows_file", file_size("notes.txt") == before + 7,
	      "size %ld, want %ld", file_size("notes.txt"), before + 7);

	/* "a+": a seek back to the start does not move where writes go. */
	f = fopen("notes.txt", "a+");
	if (!f)
		return;
	fseek(f, 0, SEEK_SET);
	fputs("fifth\n", f);
	fclose(f);
	slurp("notes.txt", buf, sizeof(buf));
	check("stdio_files_append_plus_writes_at_end",
	      strncmp(buf, "line 1\n", 7) == 0 && strcmp(buf + before, "fourth\nfifth\n") == 0,
	      "file is '%s'", buf);
}

enum { BIG = 100 * 1024 };

static void test_100k_round_trip(void)
{
	static unsigned char out[BIG], in[BIG + 1];
	FILE *f = fopen("big.bin", "wb");
	size_t got;

	for (int i = 0; i < BIG; i++)
		out[i] = (unsigned char)(i * 31 + i / 256);
	if (!check_errno("stdio_files_fopen_big", f != NULL, "fopen"))
		return;
	for (int off = 0; off < BIG; off += 1000)
		fwrite(out + off, 1, BIG - off < 1000 ? BIG - off : 1000, f);
	fclose(f);
	check("stdio_files_100k_size", file_size("big.bin") == BIG, "size %ld", file_size("big.bin"));
	f = fopen("big.bin", "rb");
	if (!f)
		return;
	got = fread(in, 1, sizeof(in), f);
	check("stdio_files_100k_round_trip", got == BIG && memcmp(in, out, BIG) == 0 && feof(f),
	      "read %u bytes back", (unsigned)got);
	fclose(f);
}

static void test_rename_remove(void)
{
	char buf[16];

	check_errno("stdio_files_rename", rename("big.bin", "moved.bin") == 0 &&
	      file_size("moved.bin") == BIG, "rename");
	expect_errno("stdio_files_renamed_old_name_gone", file_size("big.bin"), ENOENT);
	make_file("a.txt", "from a");
	make_file("b.txt", "from b");
	check("stdio_files_rename_replaces_target", rename("a.txt", "b.txt") == 0 &&
	      slurp("b.txt", buf, sizeof(buf)) == 6 && strcmp(buf, "from a") == 0 &&
	      file_size("a.txt") == -1, "b.txt holds '%s'", buf);
	check_errno("stdio_files_remove", remove("moved.bin") == 0 && remove("b.txt") == 0,
	      "remove");
	expect_errno("stdio_files_removed_is_gone", file_size("moved.bin"), ENOENT);
	expect_errno("stdio_files_remove_missing_enoent", remove("moved.bin"), ENOENT);
}

/* The listing of a fresh directory holds exactly what we made in it. */
static void test_readdir_lists_files(void)
{
	static const char *const names[] = { ".", "..", "f0", "f1", "long-file-name-number-two", "sub" };
	enum { NNAMES = sizeof(names) / sizeof(names[0]) };
	int seen[NNAMES] = { 0 }, strangers = 0, all_once = 1;
	struct dirent *de;
	DIR *d;

	mkdir("listing", 0755);
	make_file("listing/f0", "0");
	make_file("listing/f1", "1");
	make_file("listing/long-file-name-number-two", "2");
	mkdir("listing/sub", 0755);
	d = opendir("listing");
	if (!check_errno("stdio_files_opendir", d != NULL, "opendir"))
		return;
	while ((de = readdir(d)) != NULL) {
		int i;

		for (i = 0; i < NNAMES && strcmp(de->d_name, names[i]) != 0; i++)
			;
		if (i == NNAMES)
			strangers++;
		else
			seen[i]++;
	}
	closedir(d);
	for (int i = 0; i < NNAMES; i++)
		all_once &= seen[i] == 1;
	check("stdio_files_readdir_lists_each_entry_once", all_once && strangers == 0,
	      "%d unexpected names, or a name seen not once", strangers);
	for (int i = 2; i < NNAMES - 1; i++) {
		char path[64];

		snprintf(path, sizeof(path), "listing/%s", names[i]);
		unlink(path);
	}
	rmdir("listing/sub");
	rmdir("listing");
	expect_errno("stdio_files_opendir_missing_enoent", opendir("listing") ? 0 : -1, ENOENT);
}

static void test_stat_family(void)
{
	struct stat st, fst, lst;
	int fd = open("notes.txt", O_RDONLY);

	check_errno("stdio_files_stat_regular_file", stat("notes.txt", &st) == 0 && S_ISREG(st.st_mode) &&
	      st.st_size == file_size("notes.txt") && st.st_nlink == 1, "stat");
	check("stdio_files_fstat_matches_stat", fd >= 0 && fstat(fd, &fst) == 0 &&
	      fst.st_ino == st.st_ino && fst.st_size == st.st_size && S_ISREG(fst.st_mode),
	      "fstat differs from stat");
	if (fd >= 0)
		close(fd);
	check("stdio_files_stat_directory", stat(".", &st) == 0 && S_ISDIR(st.st_mode),
	      "mode %o", (unsigned)st.st_mode);
	symlink("notes.txt", "lnk");
	check("stdio_files_lstat_symlink", lstat("lnk", &lst) == 0 && S_ISLNK(lst.st_mode) &&
	      lst.st_size == (off_t)strlen("notes.txt"), "mode %o size %ld",
	      (unsigned)lst.st_mode, (long)lst.st_size);
	check("stdio_files_stat_follows_symlink", stat("lnk", &st) == 0 && S_ISREG(st.st_mode) &&
	      st.st_ino == fst.st_ino, "stat of the link is not the target");
	unlink("lnk");
	expect_errno("stdio_files_stat_missing_enoent", stat("no-such-file", &st), ENOENT);
	expect_errno("stdio_files_stat_through_file_enotdir", stat("notes.txt/x", &st), ENOTDIR);
}

/* getcwd after chdir ends in "/<name>". */
static int cwd_ends_with(const char *name)
{
	char cwd[512];
	size_t len = strlen(name);

	if (!getcwd(cwd, sizeof(cwd)) || strlen(cwd) < len + 1)
		return 0;
	return cwd[strlen(cwd) - len - 1] == '/' && strcmp(cwd + strlen(cwd) - len, name) == 0;
}

static void test_cwd_and_dirs(void)
{
	char before[512], after[512], small[2];

	check_errno("stdio_files_getcwd", getcwd(before, sizeof(before)) != NULL && before[0] == '/',
	      "getcwd");
	check_errno("stdio_files_mkdir", mkdir("d1", 0755) == 0, "mkdir");
	expect_errno("stdio_files_mkdir_existing_eexist", mkdir("d1", 0755), EEXIST);
	check("stdio_files_chdir_getcwd", chdir("d1") == 0 && cwd_ends_with("d1"),
	      "chdir or getcwd wrong");
	check("stdio_files_chdir_dotdot", chdir("..") == 0 && getcwd(after, sizeof(after)) &&
	      strcmp(before, after) == 0, "back in '%s', not '%s'", after, before);
	check_errno("stdio_files_rmdir", rmdir("d1") == 0 && file_size("d1") == -1,
	      "rmdir");
	expect_errno("stdio_files_rmdir_missing_enoent", rmdir("d1"), ENOENT);
	expect_errno("stdio_files_chdir_to_file_enotdir", chdir("notes.txt"), ENOTDIR);
	expect_errno("stdio_files_getcwd_small_buffer_erange", getcwd(small, sizeof(small)) ? 0 : -1,
		     ERANGE);
}

static void test_dir_errors(void)
{
	char buf[8];
	int fd;

	mkdir("full", 0755);
	make_file("full/x", "x");
	expect_errno("stdio_files_rmdir_nonempty_enotempty", rmdir("full"), ENOTEMPTY);
	/* POSIX allows EPERM; Linux (and so Walnut) says EISDIR. */
	expect_errno("stdio_files_unlink_directory_eisdir", unlink("full"), EISDIR);
	expect_errno("stdio_files_rmdir_file_enotdir", rmdir("full/x"), ENOTDIR);
	fd = open("full", O_RDONLY);
	expect_errno("stdio_files_read_directory_eisdir", read(fd, buf, sizeof(buf)), EISDIR);
	close(fd);
	expect_errno("stdio_files_open_directory_for_write_eisdir", open("full", O_WRONLY), EISDIR);
	unlink("full/x");
	rmdir("full");
}

static void test_links(void)
{
	struct stat a, b;
	char buf[32];
	ssize_t n;

	check_errno("stdio_files_link", link("notes.txt", "hard") == 0 && stat("notes.txt", &a) == 0 &&
	      stat("hard", &b) == 0 && a.st_ino == b.st_ino && a.st_nlink == 2 && b.st_nlink == 2,
	      "link");
	expect_errno("stdio_files_link_existing_eexist", link("notes.txt", "hard"), EEXIST);
	unlink("hard");
	check("stdio_files_unlink_drops_link_count", stat("notes.txt", &a) == 0 && a.st_nlink == 1,
	      "nlink %d", (int)a.st_nlink);
	check_errno("stdio_files_symlink", symlink("notes.txt", "soft") == 0, "symlink");
	memset(buf, 'X', sizeof(buf));
	n = readlink("soft", buf, sizeof(buf));
	/* readlink does not NUL-terminate: the byte after the target is ours. */
	check("stdio_files_readlink", n == 9 && memcmp(buf, "notes.txt", 9) == 0 && buf[9] == 'X',
	      "readlink returned %d", (int)n);
	expect_errno("stdio_files_readlink_regular_file_einval", readlink("notes.txt", buf, sizeof(buf)),
		     EINVAL);
	unlink("soft");
	symlink("nowhere", "dangling");
	expect_errno("stdio_files_open_dangling_symlink_enoent", open("dangling", O_RDONLY), ENOENT);
	unlink("dangling");
}

enum { HOLE_AT = 20000 };

/* Seek past the end and write: the gap reads back as zeros. */
static void test_hole_reads_zero(void)
{
	static char buf[HOLE_AT + 16];
	int fd = open("holey", O_RDWR | O_CREAT | O_TRUNC, 0644), zeros = 1;
	struct stat st;

	if (!check_errno("stdio_files_open_creat", fd >= 0, "open"))
		return;
	write_full(fd, "start", 5);
	check("stdio_files_lseek_past_eof", lseek(fd, HOLE_AT, SEEK_SET) == HOLE_AT, "lseek: %s",
	      strerror(errno));
	write_full(fd, "end", 3);
	check("stdio_files_hole_file_size", fstat(fd, &st) == 0 && st.st_size == HOLE_AT + 3 &&
	      lseek(fd, 0, SEEK_END) == HOLE_AT + 3, "size %ld", (long)st.st_size);
	lseek(fd, 0, SEEK_SET);
	memset(buf, 'Z', sizeof(buf));
	check("stdio_files_hole_read_length", read_full(fd, buf, sizeof(buf)) == HOLE_AT + 3, "short read");
	for (int i = 5; i < HOLE_AT; i++)
		zeros &= buf[i] == 0;
	check("stdio_files_hole_reads_as_zeros", zeros && memcmp(buf, "start", 5) == 0 &&
	      memcmp(buf + HOLE_AT, "end", 3) == 0, "contents wrong");
	expect_errno("stdio_files_lseek_negative_einval", lseek(fd, -1, SEEK_SET), EINVAL);
	close(fd);
	unlink("holey");
}

static void test_open_flags(void)
{
	char buf[128];
	long size = file_size("notes.txt");
	int fd = open("notes.txt", O_WRONLY | O_APPEND), fl;

	lseek(fd, 0, SEEK_SET);
	check("stdio_files_o_append_writes_at_end", write(fd, "zz", 2) == 2 &&
	      file_size("notes.txt") == size + 2 && slurp("notes.txt", buf, sizeof(buf)) == size + 2 &&
	      memcmp(buf + size, "zz", 2) == 0 && memcmp(buf, "line 1", 6) == 0,
	      "file is '%s'", buf);
	fl = fcntl(fd, F_GETFL);
	check("stdio_files_fcntl_getfl", fl >= 0 && (fl & O_APPEND) && (fl & O_ACCMODE) == O_WRONLY,
	      "flags %#x", fl);
	expect_errno("stdio_files_read_write_only_fd_ebadf", read(fd, buf, 1), EBADF);
	close(fd);
	expect_errno("stdio_files_o_excl_existing_eexist",
		     open("notes.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	expect_errno("stdio_files_open_missing_enoent", open("absent", O_RDONLY), ENOENT);
	fd = open("fresh", O_WRONLY | O_CREAT | O_EXCL, 0644);
	check_errno("stdio_files_o_excl_new_file", fd >= 0, "open");
	close(fd);
	make_file("fresh", "some text");
	fd = open("fresh", O_WRONLY | O_TRUNC);
	check("stdio_files_o_trunc_empties", fd >= 0 && file_size("fresh") == 0,
	      "size %ld", file_size("fresh"));
	close(fd);
	fd = creat("fresh", 0644);
	check_errno("stdio_files_creat", fd >= 0 && write(fd, "c", 1) == 1 && file_size("fresh") == 1,
	      "creat");
	close(fd);
	unlink("fresh");
}

static void test_descriptors(void)
{
	int fd = open("notes.txt", O_RDONLY), fd2, hi;
	char buf[4];

	fd2 = dup(fd);
	check_errno("stdio_files_dup_shares_offset", fd2 >= 0 && fd2 != fd && read(fd, buf, 3) == 3 &&
	      lseek(fd2, 0, SEEK_CUR) == 3, "dup");
	check_errno("stdio_files_dup2_to_chosen_fd", dup2(fd, 20) == 20 && fcntl(20, F_GETFD) == 0 &&
	      lseek(20, 0, SEEK_CUR) == 3, "dup2");
	check_errno("stdio_files_dup2_same_fd", dup2(fd, fd) == fd, "dup2(fd, fd)");
	hi = fcntl(fd, F_DUPFD, 10);
	check("stdio_files_fcntl_dupfd_at_least", hi >= 10 && hi != 20, "F_DUPFD gave %d", hi);
	check("stdio_files_fcntl_cloexec_round_trip", fcntl(fd2, F_SETFD, FD_CLOEXEC) == 0 &&
	      fcntl(fd2, F_GETFD) == FD_CLOEXEC && fcntl(fd, F_GETFD) == 0,
	      "FD_CLOEXEC not kept per descriptor");
	close(hi);
	close(20);
	close(fd2);
	close(fd);
	expect_errno("stdio_files_read_closed_fd_ebadf", read(fd, buf, 1), EBADF);
	expect_errno("stdio_files_close_closed_fd_ebadf", close(fd), EBADF);
	expect_errno("stdio_files_dup2_bad_fd_ebadf", dup2(fd, 21), EBADF);
	expect_errno("stdio_files_fcntl_bad_fd_ebadf", fcntl(fd, F_GETFD), EBADF);
}

int main(void)
{
	char dir[128], home[512];

	umask(022);
	scratch_path(dir, sizeof(dir), "stdio");
	if (!getcwd(home, sizeof(home)) || mkdir(dir, 0755) != 0 || chdir(dir) != 0) {
		check_errno("stdio_files_scratch_dir", 0, "%s", dir);
		return test_exit_code();
	}
	test_stdio_write_then_read();
	test_umask_applied();
	test_append_modes();
	test_100k_round_trip();
	test_rename_remove();
	test_readdir_lists_files();
	test_stat_family();
	test_cwd_and_dirs();
	test_dir_errors();
	test_links();
	test_hole_reads_zero();
	test_open_flags();
	test_descriptors();
	unlink("notes.txt");
	check_errno("stdio_files_scratch_dir_left_empty", chdir(home) == 0 && rmdir(dir) == 0,
	      "rmdir %s", dir);
	return test_exit_code();
}
