/*
 * cat - copy files, or standard input, to standard output.
 *
 *   cat [file...]      no file, or "-", means standard input
 *
 * No options.  A file that cannot be read is reported and skipped; the exit
 * status is then 1.  A write error stops everything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

static int write_all(int fd, const char *p, size_t n)
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

/* Returns 0, 1 (read error: go on with the next file) or 2 (write error). */
static int copy(int fd, const char *name)
{
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0)
			return 0;
		if (write_all(1, buf, n) < 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return 2;
		}
	}
}

static int cat_file(const char *name)
{
	int fd, r;

	if (strcmp(name, "-") == 0)
		return copy(0, "-");
	fd = open(name, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	r = copy(fd, name);
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	int i, r, status = 0;

	if (argc < 2)
		return copy(0, "-") ? 1 : 0;
	for (i = 1; i < argc; i++) {
		r = cat_file(argv[i]);
		if (r == 2)
			return 1;
		if (r)
			status = 1;
	}
	return status;
}
