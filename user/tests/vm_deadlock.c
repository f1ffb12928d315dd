/*
 * vm_deadlock - the buffered-write deadlock (Nick Piggin, 2007: rule 6 in
 * docs/history.md) must not exist: write()
 * from a not-yet-faulted mapping of the very range being written completes
 * with the right bytes (MAP_SHARED and MAP_PRIVATE), and two processes
 * writing crosswise between two files, each from a mapping of the other's
 * file, both finish.
 *
 * A kernel that takes a page fault on the source while holding the page
 * lock of the destination hangs here: on the same page in the first two
 * cases, and as an ABBA deadlock between the two processes in the third.
 * The harness's timeout is the verdict then.  The files are removed; the
 * harness runs e2fsck -fn on the disk afterwards.
 */
#include "vmlib.h"

enum { FILE_PAGES = 4, FILE_LEN = FILE_PAGES * PG, CROSS_ROUNDS = 200 };

/* write(fd, p, FILE_LEN) at offset 0, where p maps that range of fd and no
 * page of it has been touched. */
static void write_from_own_mapping(const char *how, int flags)
{
	char path[128], name[96], *p;
	int fd = pattern_file(scratch_path(path, sizeof(path), how), FILE_LEN);
	ssize_t n;

	snprintf(name, sizeof(name), "vm_deadlock_own_%s_setup", how);
	if (!require(name, fd >= 0))
		return;
	p = mmap(NULL, FILE_LEN, PROT_READ, flags, fd, 0);
	snprintf(name, sizeof(name), "vm_deadlock_own_%s_mmap", how);
	if (require(name, p != MAP_FAILED)) {
		n = write(fd, p, FILE_LEN);
		snprintf(name, sizeof(name), "vm_deadlock_write_from_own_%s_mapping_completes", how);
		check_errno(name, n == FILE_LEN, "write returned %zd", n);
		snprintf(name, sizeof(name), "vm_deadlock_write_from_own_%s_mapping_bytes", how);
		check(name, file_is_pattern(fd, FILE_LEN) && is_pattern(p, FILE_LEN),
		      "file or mapping changed");
		munmap(p, FILE_LEN);
	}
	close(fd);
	unlink(path);
}

/*
 * Each round: map `from` afresh (so its pages are unfaulted in this mm) and
 * write all of it over `to`.  Both files hold the same pattern, so whatever
 * the interleaving, they still do at the end.  Exit 0 if every write was
 * whole.
 */
static int cross_writer(const char *from, const char *to)
{
	int from_fd = open(from, O_RDONLY), to_fd = open(to, O_WRONLY);

	if (from_fd < 0 || to_fd < 0)
		return 2;
	for (int i = 0; i < CROSS_ROUNDS; i++) {
		char *p = mmap(NULL, FILE_LEN, PROT_READ, MAP_SHARED, from_fd, 0);

		if (p == MAP_FAILED)
			return 3;
		if (lseek(to_fd, 0, SEEK_SET) != 0 || write(to_fd, p, FILE_LEN) != FILE_LEN)
			return 4;
		munmap(p, FILE_LEN);
	}
	close(from_fd);
	close(to_fd);
	return 0;
}

static void crosswise_writers(void)
{
	char a[128], b[128];
	int fa = pattern_file(scratch_path(a, sizeof(a), "cross-a"), FILE_LEN);
	int fb = pattern_file(scratch_path(b, sizeof(b), "cross-b"), FILE_LEN);
	pid_t ab, ba;

	if (check_errno("vm_deadlock_cross_setup", fa >= 0 && fb >= 0, "files")) {
		ab = fork();
		if (ab == 0)
			_exit(cross_writer(a, b));
		ba = fork();
		if (ba == 0)
			_exit(cross_writer(b, a));
		expect_exit("vm_deadlock_crosswise_a_to_b_completes", ab, 0);
		expect_exit("vm_deadlock_crosswise_b_to_a_completes", ba, 0);
		check("vm_deadlock_crosswise_files_intact",
		      file_is_pattern(fa, FILE_LEN) && file_is_pattern(fb, FILE_LEN),
		      "a file changed");
	}
	close(fa);
	close(fb);
	unlink(a);
	unlink(b);
}

int main(void)
{
	write_from_own_mapping("shared", MAP_SHARED);
	write_from_own_mapping("private", MAP_PRIVATE);
	crosswise_writers();
	return test_exit_code();
}
