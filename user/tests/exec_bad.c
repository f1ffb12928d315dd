/*
 * exec_bad - execve of things that are not runnable programs fails with the
 * right errno, and the caller carries on as if nothing happened.
 *
 * execve is called directly: execvp and friends would retry a file without
 * "#!" through /bin/sh, which is exactly what must not happen here.
 */
#include <fcntl.h>
#include "testlib.h"

static char dir[128];

/* dir/name, in a static buffer (one path in use at a time). */
static const char *in_dir(const char *name)
{
	static char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* Creates dir/name with the given bytes and mode (umask 0 makes the mode
 * exact; chmod is not among the calls Walnut's libc guarantees). */
static int make_file(const char *name, const void *bytes, size_t len, mode_t mode)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, mode);
	int ok = fd >= 0 && write_full(fd, bytes, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok;
}

/* The first `len` bytes of our own executable: a valid ELF header whose
 * program headers and segments are cut off. */
static int make_truncated_elf(const char *self, size_t len)
{
	char head[256];
	int fd = open(self, O_RDONLY);
	ssize_t n = fd >= 0 ? read_full(fd, head, len) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len && memcmp(head, "\177ELF", 4) == 0 &&
	       make_file("truncated", head, len, 0755);
}

static long try_exec(const char *path)
{
	char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };

	return execve(path, argv, envp);
}

static void test_bad_execs(const char *self)
{
	static const char text[] = "echo this is not a program and has no #! line\n";

	if (make_file("text", text, sizeof(text) - 1, 0755))
		expect_errno("exec_bad_text_file_enoexec", try_exec(in_dir("text")), ENOEXEC);
	if (make_file("empty", "", 0, 0755))
		expect_errno("exec_bad_empty_file_enoexec", try_exec(in_dir("empty")), ENOEXEC);
	if (make_file("noexec", text, sizeof(text) - 1, 0644))
		expect_errno("exec_bad_no_execute_permission_eacces", try_exec(in_dir("noexec")), EACCES);
	expect_errno("exec_bad_directory_eacces", try_exec(dir), EACCES);
	expect_errno("exec_bad_missing_file_enoent", try_exec(in_dir("missing")), ENOENT);
	expect_errno("exec_bad_path_through_file_enotdir", try_exec(in_dir("text/x")), ENOTDIR);
	expect_errno("exec_bad_empty_path_enoent", try_exec(""), ENOENT);
	/* Linux 6.x says ENOEXEC (older kernels, failing to read the program
	 * headers past the end, said EIO); EINVAL is as good an answer. */
	if (check_errno("exec_bad_truncated_elf_made", make_truncated_elf(self, 100), "%s",
		  self))
		expect_errno_of("exec_bad_truncated_elf_fails", try_exec(in_dir("truncated")),
				ENOEXEC, EIO, EINVAL, 0);
}

/* After all that, this process's memory is as it was, and it can still
 * fork and exec: a kernel must find every one of these errors before it
 * starts tearing down the caller's address space. */
static unsigned char canary[64 * 1024];

static void fill_canary(void)
{
	for (unsigned i = 0; i < sizeof(canary); i++)
		canary[i] = (unsigned char)(i * 7 + 3);
}

static void test_caller_carries_on(const char *self)
{
	unsigned bad = 0;
	pid_t pid;

	for (unsigned i = 0; i < sizeof(canary); i++)
		bad += canary[i] != (unsigned char)(i * 7 + 3);
	check("exec_bad_memory_intact_after_failed_execs", bad == 0, "%u bytes changed", bad);
	pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)self, "--exit-7", NULL }, *envp[] = { NULL };

		execve(self, argv, envp);
		_exit(127);
	}
	expect_exit("exec_bad_good_exec_still_works", pid, 7);
}

static void clean_up(void)
{
	static const char *const names[] = { "text", "empty", "noexec", "truncated" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(in_dir(names[i]));
	check_errno("exec_bad_scratch_dir_left_empty", rmdir(dir) == 0, "rmdir %s", dir);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--exit-7") == 0)
		return 7;
	umask(0);
	scratch_path(dir, sizeof(dir), "execbad");
	if (!check_errno("exec_bad_scratch_dir", mkdir(dir, 0755) == 0, "mkdir %s", dir))
		return test_exit_code();
	fill_canary();
	test_bad_execs(argv[0]);
	test_caller_carries_on(argv[0]);
	clean_up();
	return test_exit_code();
}
