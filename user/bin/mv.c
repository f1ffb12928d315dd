/*
 * mv - move (rename) files.
 *
 *   mv src dst          rename, also to another directory
 *   mv src... dir       move into an existing directory
 *
 * No options.  Uses rename(2); when source and target are on different file
 * systems (EXDEV), a regular file is copied and then removed; anything else
 * is refused.  An existing target file is replaced.
 */
#define PROG "mv"
#include "fileutil.h"

static int copy_across(const char *src, const char *dst, const struct stat *st)
{
	int in, out, r;

	if (!S_ISREG(st->st_mode)) {
		fprintf(stderr, "mv: %s: cannot move across file systems\n", src);
		return -1;
	}
	if ((in = open(src, O_RDONLY)) < 0) {
		fail(src);
		return -1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 07777)) < 0) {
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
	if (r == 0 && unlink(src) < 0) {
		fail(src);
		r = -1;
	}
	return r;
}

static int move(const char *src, const char *dst)
{
	struct stat st;
	int err;

	if (rename(src, dst) == 0)
		return 0;
	err = errno;
	/* Blame the operand that is wrong: a missing source, else the target. */
	if (lstat(src, &st) < 0) {
		fail(src);
		return -1;
	}
	if (err == EXDEV)
		return copy_across(src, dst, &st);
	errno = err;
	fail(dst);
	return -1;
}

int main(int argc, char **argv)
{
	return run_on_operands(argc, argv, move);
}
