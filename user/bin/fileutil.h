/*
 * user/bin/fileutil.h - what cp, mv and ln share: an error line, "is it a
 * directory", the path of a file moved into a directory, and copying a
 * file's bytes.  Include it after defining PROG, the program's name for
 * error lines.  Everything is static inline, so a program pays only for
 * what it uses.
 */
#ifndef WALNUT_FILEUTIL_H
#define WALNUT_FILEUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void fail(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
}

static inline int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir + "/" + the last component of src, malloc'd. */
static inline char *path_in_dir(const char *dir, const char *src)
{
	size_t n = strlen(src), ld = strlen(dir), lb;
	const char *base;
	char *p;

	while (n > 1 && src[n - 1] == '/')
		n--;
	base = src + n;
	while (base > src && base[-1] != '/')
		base--;
	lb = src + n - base;
	if (!(p = malloc(ld + lb + 2)))
		return NULL;
	memcpy(p, dir, ld);
	p[ld] = '/';
	memcpy(p + ld + 1, base, lb);
	p[ld + 1 + lb] = '\0';
	return p;
}

static inline int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* Copy the bytes; reports the operand that failed. */
static inline int copy_data(int in, int out, const char *src, const char *dst)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(src);
			return -1;
		}
		if (n == 0)
			return 0;
		if (write_all(out, buf, n) < 0) {
			fail(dst);
			return -1;
		}
	}
}

/* Refuse what cannot be copied: a directory, or a file onto itself. */


/*
 * The command line cp and mv share: "src dst", or "src... dir".  op(src,
 * dst) does one; returns the exit status.
 */
static inline int run_on_operands(int argc, char **argv,
				  int (*op)(const char *src, const char *dst))
{
	int i = 1, status = 0;
	const char *last;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		fprintf(stderr, PROG ": %s: unknown option\n", argv[i]);
		return 1;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: " PROG " src dst | " PROG " src... dir\n");
		return 1;
	}
	last = argv[argc - 1];
	if (!is_dir(last)) {
		if (argc - i > 2) {
			errno = ENOTDIR;
			fail(last);
			return 1;
		}
		return op(argv[i], last) < 0;
	}
	for (; i < argc - 1; i++) {
		char *dst = path_in_dir(last, argv[i]);

		if (!dst) {
			fprintf(stderr, PROG ": out of memory\n");
			return 1;
		}
		if (op(argv[i], dst) < 0)
			status = 1;
		free(dst);
	}
	return status;
}

#endif
