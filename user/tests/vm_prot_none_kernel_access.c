/*
 * vm_prot_none_kernel_access - regression test for "the kernel reads
 * memory the process made PROT_NONE".
 *
 * After mprotect(PROT_NONE) the process cannot touch the page, and neither
 * may the kernel on its behalf: write(2), a pipe, open(2) given the page
 * as a buffer or a path get EFAULT, as on Linux.  Walnut once only cleared
 * the user bit of the PTEs, which the kernel's own copies ignore, so the
 * bytes went out.  Checked for anonymous and file pages, touched before
 * mprotect and not.  The bytes are still there afterwards, and ptrace's
 * way in (/proc/<pid>/mem) may still read them, as Linux's may.
 */
#define _LARGEFILE64_SOURCE 1
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "testlib.h"

#define PG	4096

static char out_path[128], map_path[128];
static int out_fd, pipe_fds[2];

/* The kernel refuses p as a source, a destination and a path. */
static void kernel_refuses(const char *what, char *p)
{
	char name[96];

	snprintf(name, sizeof(name), "vm_prot_none_%s_write_file_efault", what);
	expect_errno(name, write(out_fd, p, 16), EFAULT);
	snprintf(name, sizeof(name), "vm_prot_none_%s_write_pipe_efault", what);
	expect_errno(name, write(pipe_fds[1], p, 16), EFAULT);
	snprintf(name, sizeof(name), "vm_prot_none_%s_read_into_efault", what);
	expect_errno(name, pread(out_fd, p, 16, 0), EFAULT);
	snprintf(name, sizeof(name), "vm_prot_none_%s_open_path_efault", what);
	expect_errno(name, open(p, O_RDONLY), EFAULT);
}

/* /proc/self/mem (ptrace's FORCE) may read it; we then get our bytes. */
static void force_read_works(const char *what, char *p, const char *want)
{
	char buf[16] = "", name[96];
	int fd = open("/proc/self/mem", O_RDONLY);
	int ok = fd >= 0 && pread64(fd, buf, 8, (off64_t)(uintptr_t)p) == 8 &&
		 memcmp(buf, want, 8) == 0;

	if (fd >= 0)
		close(fd);
	snprintf(name, sizeof(name), "vm_prot_none_%s_proc_mem_reads_it", what);
	if (!skip_under_emulator(name, "its /proc/self/mem is the host's"))
		check(name, ok, "read '%.8s'", buf);
}

static void anonymous_touched(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return (void)check_errno("vm_prot_none_anon_mmap", 0, "mmap");
	strcpy(p, "/tmp-secret");
	check_errno("vm_prot_none_anon_mprotect", mprotect(p, PG, PROT_NONE) == 0, "mprotect");
	kernel_refuses("anon_touched", p);
	force_read_works("anon_touched", p, "/tmp-sec");
	check("vm_prot_none_anon_bytes_kept", mprotect(p, PG, PROT_READ) == 0 &&
	      strcmp(p, "/tmp-secret") == 0, "the page lost its bytes");
	munmap(p, PG);
}

static void anonymous_untouched(void)
{
	char *p = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return (void)check_errno("vm_prot_none_untouched_mmap", 0, "mmap");
	kernel_refuses("anon_untouched", p);
	force_read_works("anon_untouched", p, "\0\0\0\0\0\0\0\0");
	check("vm_prot_none_untouched_reads_zero_later", mprotect(p, PG, PROT_READ) == 0 &&
	      p[0] == 0 && p[PG - 1] == 0, "not zero");
	munmap(p, PG);
}

/* A file's pages: a private mapping read before mprotect, and a shared
 * one mapped PROT_NONE from the start. */
static void file_pages(void)
{
	int fd = open(map_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *priv, *shared;

	if (fd < 0 || write_full(fd, "/tmp-file-secret", 17) != 17 || ftruncate(fd, PG) != 0)
		return (void)check_errno("vm_prot_none_file_setup", 0, "file");
	priv = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	shared = mmap(NULL, PG, PROT_NONE, MAP_SHARED, fd, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED)
		return (void)check_errno("vm_prot_none_file_mmap", 0, "mmap");
	check("vm_prot_none_file_private_read_first", priv[1] == 't', "not the file");
	mprotect(priv, PG, PROT_NONE);
	kernel_refuses("file_private_touched", priv);
	force_read_works("file_private_touched", priv, "/tmp-fil");
	kernel_refuses("file_shared_untouched", shared);
	force_read_works("file_shared_untouched", shared, "/tmp-fil");
	munmap(priv, PG);
	munmap(shared, PG);
	close(fd);
}

int main(void)
{
	scratch_path(out_path, sizeof(out_path), "protnone-out");
	scratch_path(map_path, sizeof(map_path), "protnone-map");
	out_fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!check_errno("vm_prot_none_setup", out_fd >= 0 && pipe(pipe_fds) == 0 &&
			 write_full(out_fd, "0123456789abcdef", 16) == 16, "open"))
		return test_exit_code();
	fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
	anonymous_touched();
	anonymous_untouched();
	file_pages();
	close(out_fd);
	unlink(out_path);
	unlink(map_path);
	return test_exit_code();
}
