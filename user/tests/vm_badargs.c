/*
 * vm_badargs - bad arguments to mmap, munmap, mprotect, msync, madvise and
 * mlock fail with the errno Linux gives, and change nothing.
 *
 * Kept are only the cases whose answer Linux gives the same for an i386
 * program on a 32-bit or a 64-bit kernel, as root or not.  (An unaligned
 * mmap offset is refused by the C library, glibc's and Walnut's alike,
 * before the kernel sees it: mmap2 counts in pages.)
 */
#include "vmlib.h"

#define RW	(PROT_READ | PROT_WRITE)

static void *map(size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

/* expect_errno for mmap, whose failure is MAP_FAILED rather than -1. */
static void expect_map_errno(const char *name, void *ret, int err)
{
	expect_errno(name, ret == MAP_FAILED ? -1 : (long)(uintptr_t)ret, err);
	if (ret != MAP_FAILED)
		munmap(ret, PG);
}

static void mmap_args(int rdonly_fd, int wronly_fd, int dir_fd)
{
	char *p = map_anon(2);
	int fds[2];

	expect_map_errno("vm_badargs_mmap_len_0_einval",
			 map(0, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	expect_map_errno("vm_badargs_mmap_fixed_unaligned_einval",
			 mmap(p + 1, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	expect_map_errno("vm_badargs_mmap_neither_shared_nor_private_einval",
			 map(PG, RW, MAP_ANONYMOUS, -1, 0), EINVAL);
	expect_map_errno("vm_badargs_mmap_unaligned_offset_einval",
			 map(PG, PROT_READ, MAP_PRIVATE, rdonly_fd, 100), EINVAL);
	expect_map_errno("vm_badargs_mmap_bad_fd_ebadf",
			 map(PG, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);
	expect_map_errno("vm_badargs_mmap_fd_minus_1_ebadf",
			 map(PG, PROT_READ, MAP_SHARED, -1, 0), EBADF);
	expect_map_errno("vm_badargs_mmap_shared_write_rdonly_fd_eacces",
			 map(PG, RW, MAP_SHARED, rdonly_fd, 0), EACCES);
	expect_map_errno("vm_badargs_mmap_wronly_fd_eacces",
			 map(PG, PROT_READ, MAP_SHARED, wronly_fd, 0), EACCES);
	expect_map_errno("vm_badargs_mmap_directory_enodev",
			 map(PG, PROT_READ, MAP_PRIVATE, dir_fd, 0), ENODEV);
	if (pipe(fds) == 0) {
		expect_map_errno("vm_badargs_mmap_pipe_enodev",
				 map(PG, PROT_READ, MAP_SHARED, fds[0], 0), ENODEV);
		close(fds[0]);
		close(fds[1]);
	}
	expect_map_errno("vm_badargs_mmap_len_wraps_enomem",
			 map((size_t)-1, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	expect_map_errno("vm_badargs_mmap_len_rounds_past_end_enomem",
			 map((size_t)-PG + 1, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	check("vm_badargs_mmap_failures_left_mapping_intact", p && p[0] == 0 && p[PG] == 0,
	      "mapping changed");
	munmap(p, 2 * PG);
}

/* A private mapping of a read-only fd may be made writable; a shared one
 * may not. */
static void mprotect_rdonly_file(int rdonly_fd)
{
	char *s = map(PG, PROT_READ, MAP_SHARED, rdonly_fd, 0);
	char *q = map(PG, PROT_READ, MAP_PRIVATE, rdonly_fd, 0);

	if (require("vm_badargs_mmap_shared_rdonly_fd", s != MAP_FAILED))
		expect_errno("vm_badargs_mprotect_write_shared_rdonly_fd_eacces",
			     mprotect(s, PG, RW), EACCES);
	if (require("vm_badargs_mmap_private_rdonly_fd", q != MAP_FAILED))
		check_errno("vm_badargs_mprotect_write_private_rdonly_fd_ok",
			    mprotect(q, PG, RW) == 0, "mprotect");
	munmap(s, PG);
	munmap(q, PG);
}

/* The other calls, on a mapping of 2 pages followed by an unmapped page. */
static void range_args(void)
{
	char *p = map_anon(3), *hole;

	if (!require("vm_badargs_range_setup", p != NULL))
		return;
	hole = p + 2 * PG;
	p[0] = 'k';
	munmap(hole, PG);

	expect_errno("vm_badargs_munmap_unaligned_einval", munmap(p + 1, PG), EINVAL);
	expect_errno("vm_badargs_munmap_len_0_einval", munmap(p, 0), EINVAL);
	expect_errno("vm_badargs_mprotect_unaligned_einval", mprotect(p + 1, PG, PROT_READ), EINVAL);
	if (!skip_under_emulator("vm_badargs_unmapped_ranges",
				 "its mprotect, msync and mlock accept unmapped memory")) {
		expect_errno("vm_badargs_mprotect_unmapped_enomem",
			     mprotect(hole, PG, PROT_READ), ENOMEM);
		/* Linux changes the mapped part before it meets the hole:
		 * page 1 is read-only afterwards, so nothing below writes
		 * to it. */
		expect_errno("vm_badargs_mprotect_partly_unmapped_enomem",
			     mprotect(p + PG, 2 * PG, PROT_READ), ENOMEM);
		expect_errno("vm_badargs_msync_unmapped_enomem", msync(hole, PG, MS_SYNC), ENOMEM);
		expect_errno("vm_badargs_mlock_unmapped_enomem", mlock(hole, PG), ENOMEM);
	}
	expect_errno("vm_badargs_mprotect_unknown_bits_einval", mprotect(p, PG, 0x100), EINVAL);
	expect_errno("vm_badargs_msync_unaligned_einval", msync(p + 1, PG, MS_SYNC), EINVAL);
	expect_errno("vm_badargs_msync_sync_and_async_einval", msync(p, PG, MS_SYNC | MS_ASYNC),
		     EINVAL);
	expect_errno("vm_badargs_msync_unknown_flag_einval", msync(p, PG, 0x100), EINVAL);
	expect_errno("vm_badargs_madvise_unaligned_einval", madvise(p + 1, PG, MADV_NORMAL),
		     EINVAL);
	if (!skip_under_emulator("vm_badargs_madvise_unknown_advice_einval",
				 "its madvise ignores advice it does not know"))
		expect_errno("vm_badargs_madvise_unknown_advice_einval", madvise(p, PG, 12345),
			     EINVAL);
	expect_errno("vm_badargs_mlockall_no_flags_einval", mlockall(0), EINVAL);
	check("vm_badargs_range_failures_left_mapping_intact", p[0] == 'k', "p[0]=%d", p[0]);
	munmap(p, 2 * PG);
}

int main(void)
{
	char path[128];
	int rdonly_fd, wronly_fd, dir_fd;

	rdonly_fd = pattern_file(scratch_path(path, sizeof(path), "badargs"), PG);
	if (rdonly_fd >= 0)
		close(rdonly_fd);
	rdonly_fd = open(path, O_RDONLY);
	wronly_fd = open(path, O_WRONLY);
	dir_fd = open(scratch_dir(), O_RDONLY);
	if (!check_errno("vm_badargs_setup", rdonly_fd >= 0 && wronly_fd >= 0 && dir_fd >= 0,
			 "open"))
		return test_exit_code();
	mmap_args(rdonly_fd, wronly_fd, dir_fd);
	mprotect_rdonly_file(rdonly_fd);
	range_args();
	close(rdonly_fd);
	close(wronly_fd);
	close(dir_fd);
	unlink(path);
	return test_exit_code();
}
