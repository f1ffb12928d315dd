/*
 * dirent.c - opendir, readdir, rewinddir, closedir over Linux's getdents64
 * (220).
 *
 * A DIR (<sys/dirent.h>) holds the descriptor and one buffer of records as
 * getdents64 packed them; readdir() hands them out one at a time, copied
 * into the DIR's struct dirent, and refills the buffer when it runs out.
 * The returned dirent is overwritten by the next readdir on the same DIR.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "glue.h"

DIR *fdopendir(int fd)
{
	DIR *dir = malloc(sizeof(*dir));

	if (!dir)
		return NULL;
	dir->fd = fd;
	dir->pos = dir->len = 0;
	return dir;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir)
		close(fd);	/* errno stays ENOMEM */
	return dir;
}

/* NULL at the end of the directory with errno untouched, or on error with
 * errno set. */
struct dirent *readdir(DIR *dir)
{
	const struct lx_dirent64 *lx;
	struct dirent *ent = &dir->entry;

	if (dir->pos >= dir->len) {
		long n = LX3(SYS_getdents64, dir->fd, dir->buf, sizeof(dir->buf));

		if (lx_failed(n))
			return __walnut_set_errno(-n), NULL;
		if (n == 0)
			return NULL;
		dir->pos = 0;
		dir->len = (size_t)n;
	}
	lx = (const struct lx_dirent64 *)(dir->buf + dir->pos);
	if (lx->d_reclen <= sizeof(*lx) || lx->d_reclen > dir->len - dir->pos) {
		dir->pos = dir->len;	/* a broken record: stop, don't loop */
		return __walnut_fail(EIO), NULL;
	}
	dir->pos += lx->d_reclen;
	ent->d_ino = (ino_t)lx->d_ino;
	ent->d_off = (off_t)lx->d_off;
	ent->d_reclen = sizeof(*ent);
	ent->d_type = lx->d_type;
	strncpy(ent->d_name, lx->d_name, sizeof(ent->d_name) - 1);
	ent->d_name[sizeof(ent->d_name) - 1] = '\0';
	return ent;
}

void rewinddir(DIR *dir)
{
	lseek(dir->fd, 0, SEEK_SET);
	dir->pos = dir->len = 0;
}

int closedir(DIR *dir)
{
	int r = close(dir->fd);

	free(dir);
	return r;
}

int dirfd(DIR *dir)
{
	return dir->fd;
}
