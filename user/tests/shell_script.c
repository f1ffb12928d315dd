/*
 * shell_script - /bin/sh runs scripts of pipelines and redirections, and
 * each one's output, read through a pipe, is exactly the expected text.
 *
 *	shell_script [SCRIPT-OR-DIR...]
 *
 * A directory stands for every *.sh in it; the default is /tests/data, where
 * the guest image holds user/tests/data/.  The expected output of X.sh is
 * X.expected beside it.  Each script runs as
 *
 *	/bin/sh SCRIPT DIR FILTER
 *
 * DIR is a fresh directory for its files, which must be empty again when
 * the script ends; FILTER is this program, a filter for scripts that use no
 * utility besides the shell (--cat, --upper, --count-lines, --unlink FILE...).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include "testlib.h"

enum { OUT_MAX = 8192 };

/* The filter roles: stdin to stdout through a small buffer. */
static int filter(const char *role)
{
	char buf[512];
	ssize_t n;
	long lines = 0;
	int upper = strcmp(role, "--upper") == 0, count = strcmp(role, "--count-lines") == 0;

	if (!upper && !count && strcmp(role, "--cat") != 0)
		return 2;
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			lines += buf[i] == '\n';
			if (upper)
				buf[i] = (char)toupper((unsigned char)buf[i]);
		}
		if (!count && write_full(1, buf, (size_t)n) != n)
			return 1;
	}
	if (count)
		printf("%ld\n", lines);
	return n < 0;
}

static int unlink_all(int argc, char **argv)
{
	int failed = 0;

	for (int i = 2; i < argc; i++)
		failed |= unlink(argv[i]) != 0;
	return failed;
}

/* Reads the whole of path into buf (NUL-terminated); returns its length. */
static long read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read_full(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/* A copy of text fit for a FAIL line: newlines shown as '|', cut short. */
static const char *one_line(const char *text)
{
	static char line[160];
	size_t i;

	for (i = 0; text[i] && i < sizeof(line) - 1; i++)
		line[i] = text[i] == '\n' ? '|' : text[i];
	line[i] = 0;
	return line;
}

/* Runs /bin/sh script dir self with stdout into a pipe; collects it. */
static pid_t run_shell(const char *script, const char *dir, const char *self,
		       char *out, size_t size, long *out_len)
{
	extern char **environ;
	int fds[2];
	pid_t pid;

	*out_len = -1;
	out[0] = 0;
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "sh", (char *)script, (char *)dir, (char *)self, NULL };

		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execve("/bin/sh", argv, environ);
		_exit(127);
	}
	close(fds[1]);
	*out_len = read_full(fds[0], out, size - 1);
	out[*out_len > 0 ? *out_len : 0] = 0;
	close(fds[0]);
	return pid;
}

/* "dir/name.sh" -> "name", for check names. */
static void script_stem(const char *script, char *stem, size_t size)
{
	const char *base = strrchr(script, '/') ? strrchr(script, '/') + 1 : script;
	size_t len = strlen(base);

	if (len > 3 && strcmp(base + len - 3, ".sh") == 0)
		len -= 3;
	snprintf(stem, size, "%.*s", (int)len, base);
}

static void test_script(const char *script, const char *self)
{
	static char expected[OUT_MAX], got[OUT_MAX];
	char path[512], stem[64], name[128], dir[128];
	size_t len = strlen(script);
	long got_len;

	script_stem(script, stem, sizeof(stem));
	snprintf(path, sizeof(path), "%.*s.expected",
		 (int)(len > 3 && strcmp(script + len - 3, ".sh") == 0 ? len - 3 : len), script);
	snprintf(name, sizeof(name), "shell_script_%s_expected_readable", stem);
	if (!check_errno(name, read_text(path, expected, sizeof(expected)) >= 0, "%s", path))
		return;
	scratch_path(dir, sizeof(dir), stem);
	snprintf(name, sizeof(name), "shell_script_%s_scratch_dir", stem);
	if (!check_errno(name, mkdir(dir, 0755) == 0, "mkdir %s", dir))
		return;
	snprintf(name, sizeof(name), "shell_script_%s_sh_exits_0", stem);
	expect_exit(name, run_shell(script, dir, self, got, sizeof(got), &got_len), 0);
	snprintf(name, sizeof(name), "shell_script_%s_output_matches", stem);
	check(name, strcmp(got, expected) == 0, "got %ld bytes: '%s'", got_len, one_line(got));
	snprintf(name, sizeof(name), "shell_script_%s_leaves_dir_empty", stem);
	check_errno(name, rmdir(dir) == 0, "rmdir %s", dir);
}

/* Tests path if it is a script, or every *.sh in it if it is a directory;
 * returns how many scripts ran. */
static int test_path(const char *path, const char *self)
{
	char script[512];
	struct dirent *de;
	struct stat st;
	int ran = 0;
	DIR *d;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		test_script(path, self);
		return 1;
	}
	d = opendir(path);
	while (d && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len <= 3 || strcmp(de->d_name + len - 3, ".sh") != 0)
			continue;
		snprintf(script, sizeof(script), "%s/%s", path, de->d_name);
		test_script(script, self);
		ran++;
	}
	if (d)
		closedir(d);
	return ran;
}

int main(int argc, char **argv)
{
	char *defaults[] = { argv[0], "/tests/data", NULL };
	int ran = 0;

	if (argc > 1 && strcmp(argv[1], "--unlink") == 0)
		return unlink_all(argc, argv);
	if (argc > 1 && argv[1][0] == '-')
		return filter(argv[1]);
	if (argc < 2) {
		argv = defaults;
		argc = 2;
	}
	for (int i = 1; i < argc; i++)
		ran += test_path(argv[i], argv[0]);
	check("shell_script_found_scripts", ran > 0, "no *.sh under %s", argv[1]);
	return test_exit_code();
}
