/*
 * vmlib.h - what the vm_* user tests share, on top of testlib.h: page-sized
 * anonymous mappings, the process's fault counters from /proc/self/stat,
 * the lines of /proc/self/maps, and the fixed text pattern that file tests
 * write and the harness looks for in the disk image afterwards.
 *
 * Builds against glibc and against Walnut's glue alike (<sys/mman.h> there
 * is user/include's, with Linux's values).
 */
#ifndef WALNUT_VMLIB_H
#define WALNUT_VMLIB_H

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "testlib.h"

#define PG	4096

/*
 * For a step a check depends on (a mapping, a file): silent when it worked,
 * a FAIL line named `name` with errno when it did not, so that a test cannot
 * pass by skipping its checks.  Returns ok.
 */
static inline int require(const char *name, int ok)
{
	if (!ok)
		check_errno(name, 0, "setup failed");
	return ok;
}

/* A fresh private anonymous read-write mapping of n pages, or NULL. */
static inline char *map_anon(size_t pages)
{
	char *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Linux backs an aligned anonymous range with 2 MiB pages when it can, and
 * then one fault fills 512 pages: tests that count faults ask for small
 * pages.  Walnut has only small pages.
 */
static inline void want_small_pages(void *p UNUSED, size_t len UNUSED)
{
#ifdef MADV_NOHUGEPAGE
	madvise(p, len, MADV_NOHUGEPAGE);
#endif
}

/*
 * Field `field` (1-based, as in proc(5)) of /proc/self/stat, counted after
 * the command name, which may itself hold spaces and parentheses.  -1 if it
 * cannot be read.  Field 10 is minflt, 12 majflt.
 */
static inline long self_stat_field(int field)
{
	char buf[1024], *p;
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	for (int f = 3; f <= field; f++) {	/* field 3 follows ") " */
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (f == field)
			return strtol(p, NULL, 10);
	}
	return -1;
}

static inline long minflt(void)
{
	return self_stat_field(10);
}

/* One line of /proc/<pid>/maps: "start-end perms offset dev inode path". */
struct maps_line {
	uintptr_t start, end;
	char perms[5];
	char name[256];		/* the path or [area] at the end, or "" */
};

/*
 * Calls fn(line, arg) for each line of /proc/self/maps until it returns
 * non-zero; returns that value, 0 at the end, or -1 if the file cannot be
 * read or a line does not parse.
 */
static inline int for_each_map(int (*fn)(const struct maps_line *, void *), void *arg)
{
	static char text[32768];
	struct maps_line m;
	ssize_t n, got = 0;
	char *line, *next;
	int fd = open("/proc/self/maps", O_RDONLY), r = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += n;
	close(fd);
	text[got] = '\0';
	for (line = text; *line && r == 0; line = next) {
		unsigned long start, end;

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (sscanf(line, "%lx-%lx %4s", &start, &end, m.perms) != 3)
			return -1;
		if (sscanf(line, "%*s %*s %*s %*s %*s %255[^\n]", m.name) != 1)
			m.name[0] = '\0';
		m.start = start;
		m.end = end;
		r = fn(&m, arg);
	}
	return r;
}

/*
 * The text the file tests write into their files, which tools/testplan.py
 * (vm_file_pattern) rebuilds to check the disk image: records "%07d\n",
 * numbered from 0, so 8 bytes each and 512 to a page.
 */
static inline void fill_pattern(char *buf, size_t len)
{
	char rec[9];

	for (size_t off = 0; off < len; off += 8) {
		snprintf(rec, sizeof(rec), "%07d\n", (int)(off / 8) % 10000000);
		memcpy(buf + off, rec, len - off < 8 ? len - off : 8);
	}
}

/* Does buf hold fill_pattern's text? */
static inline int is_pattern(const char *buf, size_t len)
{
	char *want = malloc(len);
	int same;

	if (!want)
		return 0;
	fill_pattern(want, len);
	same = memcmp(buf, want, len) == 0;
	free(want);
	return same;
}

/* A file of `len` bytes of fill_pattern at path, written with write(2);
 * returns an fd open O_RDWR at offset 0, or -1. */
static inline int pattern_file(const char *path, size_t len)
{
	char *buf = malloc(len);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (!buf || fd < 0 || (fill_pattern(buf, len), write_full(fd, buf, len)) != (ssize_t)len) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	free(buf);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* The whole of fd, read from offset 0 with read(2) (which leaves the offset
 * at the end), is len bytes of the pattern. */
static inline int file_is_pattern(int fd, size_t len)
{
	char *buf = malloc(len + 1);
	int ok;

	if (!buf)
		return 0;
	ok = lseek(fd, 0, SEEK_SET) == 0 && read_full(fd, buf, len + 1) == (ssize_t)len &&
	     is_pattern(buf, len);
	free(buf);
	return ok;
}

#endif
