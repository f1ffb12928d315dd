/*
 * vm_file - file mappings and the page cache: a MAP_SHARED write is seen by
 * read(), a write() is seen through a mapping, MAP_PRIVATE writes never reach
 * the file, pages past the end of the file raise SIGBUS, and after msync +
 * fsync the bytes are on the disk.
 *
 *	vm_file [--keep]
 *
 * With --keep (the guest harness passes it), two files stay behind for the
 * host to read out of the disk image after the guest powers off
 * (tools/testplan.py: USER_TEST_DISK_FILES):
 *	<scratch>/vm_file.shared   written only through a MAP_SHARED mapping
 *	<scratch>/vm_file.private  written by write(), then scribbled on
 *	                           through a MAP_PRIVATE mapping
 * Both must hold fill_pattern's text (vmlib.h), two pages of it.
 */
#include "vmlib.h"

enum { FILE_PAGES = 2, FILE_LEN = FILE_PAGES * PG };

static int keep_files;

static char *file_name(char *buf, size_t size, const char *tag)
{
	if (keep_files)
		snprintf(buf, size, "%s/vm_file.%s", scratch_dir(), tag);
	else
		scratch_path(buf, size, tag);
	return buf;
}

static void done_with(const char *path)
{
	if (!keep_files)
		unlink(path);
}

/* Written only through the mapping, of a file that starts as zeroes. */
static void shared_write_reaches_read_and_disk(void)
{
	static const char zeroes[FILE_LEN];
	char path[128], *p;
	int fd;

	file_name(path, sizeof(path), "shared");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!check_errno("vm_file_shared_create",
			 fd >= 0 && write_full(fd, zeroes, FILE_LEN) == FILE_LEN, "%s", path))
		return;
	p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (check_errno("vm_file_shared_mmap", p != MAP_FAILED, "mmap")) {
		fill_pattern(p, FILE_LEN);
		check("vm_file_shared_write_seen_by_read", file_is_pattern(fd, FILE_LEN),
		      "read() does not return what was stored through the mapping");
		check_errno("vm_file_shared_msync_sync", msync(p, FILE_LEN, MS_SYNC) == 0, "msync");
		check_errno("vm_file_shared_fsync", fsync(fd) == 0, "fsync");
		munmap(p, FILE_LEN);
	}
	close(fd);
	fd = open(path, O_RDONLY);
	check("vm_file_shared_write_survives_munmap_and_close", file_is_pattern(fd, FILE_LEN),
	      "reopened file differs");
	close(fd);
	done_with(path);
}

/* write() into a range that is already mapped and faulted in. */
static void write_seen_through_mapping(void)
{
	char path[128], *p;
	int fd = pattern_file(file_name(path, sizeof(path), "w2m"), FILE_LEN);

	if (!check_errno("vm_file_w2m_create", fd >= 0, "%s", path))
		return;
	p = mmap(NULL, FILE_LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (check_errno("vm_file_w2m_mmap", p != MAP_FAILED, "mmap")) {
		check("vm_file_mapping_shows_file", is_pattern(p, FILE_LEN), "contents differ");
		lseek(fd, PG + 10, SEEK_SET);
		write(fd, "HELLO", 5);
		check("vm_file_write_seen_through_mapping", memcmp(p + PG + 10, "HELLO", 5) == 0,
		      "mapping shows \"%.5s\"", p + PG + 10);
		munmap(p, FILE_LEN);
	}
	close(fd);
	unlink(path);
}

/* Two shared mappings of one page are one page. */
static void two_mappings_one_page(void)
{
	char path[128], *a, *b;
	int fd = pattern_file(file_name(path, sizeof(path), "twice"), FILE_LEN);

	if (!require("vm_file_twice_setup", fd >= 0))
		return;
	a = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	b = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (check("vm_file_offset_mapping", a != MAP_FAILED && b != MAP_FAILED &&
		  memcmp(a, b + PG, PG) == 0, "mmap at offset PG failed or differs")) {
		a[7] = '#';
		check("vm_file_two_shared_mappings_share_the_page", b[PG + 7] == '#',
		      "other mapping shows '%c'", b[PG + 7]);
	}
	munmap(a, PG);
	munmap(b, FILE_LEN);
	close(fd);
	unlink(path);
}

/* MAP_PRIVATE: the writer sees its copy; read() and the disk never do. */
static void private_write_not_in_file(void)
{
	char path[128], *p;
	int fd = pattern_file(file_name(path, sizeof(path), "private"), FILE_LEN);

	if (!check_errno("vm_file_private_create", fd >= 0 && fsync(fd) == 0, "%s", path))
		return;
	p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (check_errno("vm_file_private_mmap", p != MAP_FAILED, "mmap")) {
		check("vm_file_private_shows_file", is_pattern(p, FILE_LEN), "contents differ");
		for (int i = 0; i < FILE_PAGES; i++)
			memset(p + i * PG, 'X', 100);
		check("vm_file_private_sees_own_write", p[0] == 'X' && p[PG + 99] == 'X',
		      "mapping shows '%c'", p[0]);
		check("vm_file_private_write_not_seen_by_read", file_is_pattern(fd, FILE_LEN),
		      "read() sees the private write");
		msync(p, FILE_LEN, MS_SYNC);
		munmap(p, FILE_LEN);
	}
	fsync(fd);
	check("vm_file_private_write_not_in_file_after_munmap", file_is_pattern(fd, FILE_LEN),
	      "read() sees the private write");
	close(fd);
	done_with(path);
}

static int touch_page(void *p)
{
	return *(volatile char *)p;
}

/*
 * A mapping longer than the file: the tail of the last page reads as zeroes,
 * a page wholly past the end is SIGBUS; after truncating to 0, so is the
 * first.
 */
static void past_eof_sigbus(void)
{
	char path[128], *p;
	int fd = pattern_file(file_name(path, sizeof(path), "eof"), PG + 100);

	if (!require("vm_file_eof_setup", fd >= 0))
		return;
	p = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
	if (check_errno("vm_file_eof_mmap", p != MAP_FAILED, "mmap")) {
		check("vm_file_eof_tail_of_last_page_is_zero", p[PG + 99] != 0 && p[PG + 100] == 0 &&
		      p[2 * PG - 1] == 0, "bytes %d %d", p[PG + 100], p[2 * PG - 1]);
		expect_killed("vm_file_page_past_eof_sigbus", spawn(touch_page, p + 2 * PG), SIGBUS);
		if (check_errno("vm_file_eof_ftruncate", ftruncate(fd, 0) == 0, "ftruncate"))
			expect_killed("vm_file_page_after_truncate_sigbus", spawn(touch_page, p),
				      SIGBUS);
		munmap(p, 3 * PG);
	}
	close(fd);
	unlink(path);
}

int main(int argc, char **argv)
{
	keep_files = argc > 1 && strcmp(argv[1], "--keep") == 0;
	shared_write_reaches_read_and_disk();
	write_seen_through_mapping();
	two_mappings_one_page();
	private_write_not_in_file();
	past_eof_sigbus();
	return test_exit_code();
}
