/*
 * <sys/dirent.h> - DIR and struct dirent, for newlib's <dirent.h>.
 *
 * Newlib's generic version is an #error: it leaves directories to the
 * system.  Walnut reads them with Linux's getdents64 (user/lib/dirent.c);
 * struct dirent has the members programs use on Linux, with d_type's DT_*
 * values as Linux (and glibc) number them.
 */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#define _DIRENT_HAVE_D_TYPE	1

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14

/* Converts between d_type and the S_IFMT bits of st_mode. */
#define IFTODT(mode)	(((mode) & 0170000) >> 12)
#define DTTOIF(type)	((type) << 12)

struct dirent {
	ino_t d_ino;
	off_t d_off;			/* not meaningful to programs */
	unsigned short d_reclen;	/* sizeof(struct dirent) */
	unsigned char d_type;		/* DT_*, or DT_UNKNOWN */
	char d_name[256];		/* NUL-terminated */
};

/* An open directory: opendir() allocates it, closedir() frees it. */
typedef struct __walnut_dir {
	int fd;
	size_t pos, len;		/* next record, end of valid bytes */
	struct dirent entry;		/* what readdir() returns */
	char buf[4096] __attribute__((aligned(8)));	/* getdents64 output */
} DIR;

#endif /* _SYS_DIRENT_H */
