/*
 * rm - remove files.
 *
 *   rm [-r] [-f] file...     options may be combined: -rf; -R is -r
 *
 * -r removes directories and everything below them (depth first; a
 *    directory's names are read in full and the directory closed before
 *    recursing, so a deep tree does not use up file descriptors).
 * -f says nothing about files that do not exist, and allows no operands.
 * "." and ".." (as last path component) and "/" are refused.  rm never asks
 * for confirmation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int opt_r, opt_f;

static void fail(const char *path)
{
	fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
}

/* a + "/" + b, malloc'd; NULL (reported) if out of memory. */
static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = malloc(la + lb + 2);

	if (!p) {
		fprintf(stderr, "rm: out of memory\n");
		return NULL;
	}
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

struct names {
	char **v;
	size_t n, cap;
};

static int names_add(struct names *ns, const char *s)
{
	char *copy = malloc(strlen(s) + 1);

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 16;
		char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v) {
			free(copy);
			return -1;
		}
		ns->v = v;
		ns->cap = cap;
	}
	if (!copy)
		return -1;
	strcpy(copy, s);
	ns->v[ns->n++] = copy;
	return 0;
}

static void names_free(struct names *ns)
{
	while (ns->n > 0)
		free(ns->v[--ns->n]);
	free(ns->v);
}

/* Every name in dir except . and .., read before anything is removed. */
static int read_names(const char *dir, struct names *ns)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d) {
		fail(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (names_add(ns, de->d_name) < 0) {
			fprintf(stderr, "rm: out of memory\n");
			r = -1;
			break;
		}
	}
	closedir(d);
	return r;
}

static int remove_path(const char *path);

static int remove_tree(const char *dir)
{
	struct names ns = { 0 };
	size_t i;
	int r = read_names(dir, &ns);

	for (i = 0; r == 0 && i < ns.n; i++) {
		char *child = join(dir, ns.v[i]);

		if (!child || remove_path(child) < 0)
			r = -1;
		free(child);
	}
	names_free(&ns);
	if (r == 0 && rmdir(dir) < 0) {
		fail(dir);
		r = -1;
	}
	return r;
}

static int remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (opt_f && errno == ENOENT)
			return 0;
		fail(path);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (opt_r)
			return remove_tree(path);
		errno = EISDIR;
		fail(path);
		return -1;
	}
	if (unlink(path) < 0) {
		fail(path);
		return -1;
	}
	return 0;
}

/* POSIX: refuse a last component of . or ..; and never the root. */
static int refused(const char *path)
{
	size_t n = strlen(path);
	const char *base;

	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 1 && path[0] == '/')
		return 1;
	base = path + n;
	while (base > path && base[-1] != '/')
		base--;
	return (path + n - base == 1 && base[0] == '.') ||
	       (path + n - base == 2 && base[0] == '.' && base[1] == '.');
}

static int parse_flags(int argc, char **argv)
{
	int i;
	const char *p;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (p = argv[i] + 1; *p; p++) {
			if (*p == 'r' || *p == 'R')
				opt_r = 1;
			else if (*p == 'f')
				opt_f = 1;
			else {
				fprintf(stderr, "rm: -%c: unknown option\n", *p);
				exit(1);
			}
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	int i = parse_flags(argc, argv), status = 0;

	if (i == argc && !opt_f) {
		fprintf(stderr, "usage: rm [-rf] file...\n");
		return 1;
	}
	for (; i < argc; i++) {
		if (refused(argv[i])) {
			fprintf(stderr, "rm: %s: refusing to remove\n", argv[i]);
			status = 1;
		} else if (remove_path(argv[i]) < 0) {
			status = 1;
		}
	}
	return status;
}
