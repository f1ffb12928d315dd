/*
 * wc - count lines, words and bytes.
 *
 *   wc [-l] [-w] [-c] [file...]     no file, or "-": standard input
 *
 * Without options all three are printed, always in the order lines, words,
 * bytes, then the name; with several files a "total" line follows.  A word
 * is a run of characters that are not white space (isspace in the C
 * locale).  One count of one input is printed unpadded; otherwise each count
 * is right-aligned in 7 columns.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
	unsigned long long lines, words, bytes;
};

static int opt_l, opt_w, opt_c, width;
static struct counts total;
static char buf[65536];

/* Counts are 64-bit; format them by hand rather than trust %llu support. */
static const char *num(unsigned long long v, char out[24])
{
	char *p = out + 23;

	*p = '\0';
	do
		*--p = '0' + v % 10;
	while ((v /= 10) > 0);
	return p;
}

static void print(const struct counts *c, const char *name)
{
	unsigned long long v[3] = { c->lines, c->words, c->bytes };
	int on[3] = { opt_l, opt_w, opt_c }, i, first = 1;
	char tmp[24];

	for (i = 0; i < 3; i++) {
		if (!on[i])
			continue;
		printf("%s%*s", first ? "" : " ", width, num(v[i], tmp));
		first = 0;
	}
	if (name)
		printf(" %s", name);
	putchar('\n');
}

static int count(int fd, const char *name, struct counts *c)
{
	int in_word = 0;
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fflush(stdout);
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++) {
			unsigned char ch = buf[i];

			c->lines += ch == '\n';
			if (isspace(ch))
				in_word = 0;
			else if (!in_word) {
				in_word = 1;
				c->words++;
			}
		}
		c->bytes += n;
	}
	return 0;
}

/* Count one operand; name NULL means stdin with no name printed. */
static int wc_file(const char *name)
{
	struct counts c = { 0, 0, 0 };
	int fd = 0, r;

	if (name && strcmp(name, "-") != 0 && (fd = open(name, O_RDONLY)) < 0) {
		fflush(stdout);		/* keep output in the order it was made */
		fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
		return -1;
	}
	r = count(fd, name ? name : "-", &c);
	if (fd > 0)
		close(fd);
	if (r < 0)
		return -1;
	print(&c, name);
	total.lines += c.lines;
	total.words += c.words;
	total.bytes += c.bytes;
	return 0;
}

static int parse_flags(int argc, char **argv)
{
	int i;
	const char *p;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (p = argv[i] + 1; *p; p++) {
			if (*p == 'l')
				opt_l = 1;
			else if (*p == 'w')
				opt_w = 1;
			else if (*p == 'c')
				opt_c = 1;
			else
				return -*p;
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	int i = parse_flags(argc, argv), nfiles, status = 0;

	if (i < 0) {
		fprintf(stderr, "wc: -%c: unknown option\n", -i);
		return 1;
	}
	if (!opt_l && !opt_w && !opt_c)
		opt_l = opt_w = opt_c = 1;
	nfiles = argc - i;
	width = (opt_l + opt_w + opt_c > 1 || nfiles > 1) ? 7 : 0;
	if (nfiles == 0)
		status = wc_file(NULL) < 0;
	for (; i < argc; i++)
		if (wc_file(argv[i]) < 0)
			status = 1;
	if (nfiles > 1)
		print(&total, "total");
	if (fflush(stdout) != 0) {
		fprintf(stderr, "wc: write error: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
