/*
 * ln - make links.
 *
 *   ln [-s] [-f] target [linkname]     one link (default name: target's last
 *                                      component, in the current directory)
 *   ln [-s] [-f] target... dir         links inside an existing directory
 *
 * -s makes symbolic links (target is stored as given, not checked);
 * -f removes an existing linkname first.  Options may be combined: -sf.
 */
#define PROG "ln"
#include "fileutil.h"

static int opt_s, opt_f;

static int make_link(const char *target, const char *name)
{
	struct stat st;
	int err;

	if (opt_f && unlink(name) < 0 && errno != ENOENT) {
		fail(name);
		return -1;
	}
	if ((opt_s ? symlink(target, name) : link(target, name)) == 0)
		return 0;
	err = errno;
	/* A hard link's missing target is the target's fault, not the name's. */
	if (!opt_s && err != EEXIST && lstat(target, &st) < 0) {
		fail(target);
		return -1;
	}
	errno = err;
	fail(name);
	return -1;
}

static int parse_flags(int argc, char **argv)
{
	int i;
	const char *p;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (p = argv[i] + 1; *p; p++) {
			if (*p == 's')
				opt_s = 1;
			else if (*p == 'f')
				opt_f = 1;
			else {
				fprintf(stderr, "ln: -%c: unknown option\n", *p);
				exit(1);
			}
		}
	}
	return i;
}

/* Links named after their targets, inside dir. */
static int link_into(const char *dir, char **targets, int n)
{
	int i, status = 0;

	for (i = 0; i < n; i++) {
		char *name = path_in_dir(dir, targets[i]);

		if (!name) {
			fprintf(stderr, "ln: out of memory\n");
			return 1;
		}
		if (make_link(targets[i], name) < 0)
			status = 1;
		free(name);
	}
	return status;
}

int main(int argc, char **argv)
{
	int i = parse_flags(argc, argv), n = argc - i;
	const char *last = argv[argc - 1];

	if (n < 1) {
		fprintf(stderr, "usage: ln [-sf] target [name] | ln [-sf] target... dir\n");
		return 1;
	}
	if (n == 1)
		return link_into(".", argv + i, 1);
	if (is_dir(last))
		return link_into(last, argv + i, n - 1);
	if (n > 2) {
		errno = ENOTDIR;
		fail(last);
		return 1;
	}
	return make_link(argv[i], last) < 0;
}
