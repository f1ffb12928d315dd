/*
 * cp - copy files.
 *
 *   cp src dst          copy one file to a new name
 *   cp src... dir       copy files into an existing directory
 *
 * No options: directories are not copied (no -r), and neither owner nor
 * times are kept.  A new file gets the source's permission bits less the
 * umask; an existing one is truncated and keeps its own.
 */
#define PROG "cp"
#include "fileutil.h"

static int check(int in, const char *src, const char *dst, mode_t *mode)
{
	struct stat st, dst_st;

	if (fstat(in, &st) < 0) {
		fail(src);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "cp: %s: is a directory (not copied)\n", src);
		return -1;
	}
	if (stat(dst, &dst_st) == 0 && dst_st.st_dev == st.st_dev &&
	    dst_st.st_ino == st.st_ino) {
		fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
		return -1;
	}
	*mode = st.st_mode & 07777;
	return 0;
}

static int copy_file(const char *src, const char *dst)
{
	int in, out, r;
	mode_t mode;

	if ((in = open(src, O_RDONLY)) < 0) {
		fail(src);
		return -1;
	}
	if (check(in, src, dst, &mode) < 0) {
		close(in);
		return -1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0) {
		fail(dst);
		close(in);
		return -1;
	}
	r = copy_data(in, out, src, dst);
	close(in);
	if (close(out) < 0 && r == 0) {
		fail(dst);
		r = -1;
	}
	return r;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;
	const char *last;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		fprintf(stderr, "cp: %s: unknown option\n", argv[i]);
		return 1;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: cp src dst | cp src... dir\n");
		return 1;
	}
	last = argv[argc - 1];
	if (!is_dir(last)) {
		if (argc - i > 2) {
			errno = ENOTDIR;
			fail(last);
			return 1;
		}
		return copy_file(argv[i], last) < 0;
	}
	for (; i < argc - 1; i++) {
		char *dst = path_in_dir(last, argv[i]);

		if (!dst) {
			fprintf(stderr, "cp: out of memory\n");
			return 1;
		}
		if (copy_file(argv[i], dst) < 0)
			status = 1;
		free(dst);
	}
	return status;
}
