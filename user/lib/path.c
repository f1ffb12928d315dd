/*
 * path.c - calls that take path names: chdir, getcwd, access, link,
 * unlink, symlink, readlink, rename, rmdir.
 *
 * Straight Linux calls, but for getcwd(NULL, size), which glibc turns into
 * an allocated buffer and programs rely on.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "glue.h"

int chdir(const char *path)
{
	return lx_ret(LX1(SYS_chdir, path));
}

int fchdir(int fd)
{
	return lx_ret(LX1(SYS_fchdir, fd));
}

/* Linux's access() mode bits F_OK R_OK W_OK X_OK are newlib's too. */
int access(const char *path, int mode)
{
	return lx_ret(LX2(SYS_access, path, mode));
}

int link(const char *old, const char *new)
{
	return lx_ret(LX2(SYS_link, old, new));
}

int unlink(const char *path)
{
	return lx_ret(LX1(SYS_unlink, path));
}

int symlink(const char *target, const char *path)
{
	return lx_ret(LX2(SYS_symlink, target, path));
}

/* No terminating NUL, as on Linux. */
ssize_t readlink(const char *__restrict path, char *__restrict buf, size_t size)
{
	return lx_ret(LX3(SYS_readlink, path, buf, size));
}

int rename(const char *old, const char *new)
{
	return lx_ret(LX2(SYS_rename, old, new));
}

int rmdir(const char *path)
{
	return lx_ret(LX1(SYS_rmdir, path));
}

/*
 * The kernel's getcwd (183) returns the length including the NUL.  With buf
 * NULL, glibc allocates: size bytes, or as many as needed when size is 0.
 */
char *getcwd(char *buf, size_t size)
{
	char *mem = NULL, *shrunk;
	long r;

	if (!buf) {
		size_t want = size ? size : PATH_MAX;

		buf = mem = malloc(want);
		if (!mem)
			return NULL;	/* errno ENOMEM */
		r = LX2(SYS_getcwd, buf, want);
	} else {
		if (size == 0)
			return __walnut_fail(EINVAL), NULL;
		r = LX2(SYS_getcwd, buf, size);
	}
	if (lx_failed(r)) {
		free(mem);
		return __walnut_set_errno(-r), NULL;
	}
	if (mem && size == 0 && (shrunk = realloc(mem, (size_t)r)))
		buf = shrunk;
	return buf;
}

WALNUT_ALIAS(link, _link);
WALNUT_ALIAS(unlink, _unlink);
