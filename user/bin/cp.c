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
	return run_on_operands(argc, argv, copy_file);
}
