/*
 * ls - list files and directories.
 *
 *   ls [-a] [-l] [-1] [file...]        options may be combined: -la
 *
 * Operands that are not directories are listed first, as given; then each
 * directory's entries, sorted by name in byte order, under a "dir:" heading
 * when there is more than one operand.  Names starting with '.' are hidden
 * unless -a.  On a terminal names go in columns fitted to its width
 * (TIOCGWINSZ), elsewhere one per line (and always with -1).
 *
 * -l prints, for each name: mode string, links, uid, gid, size, modification
 * time (local time, YYYY-MM-DD HH:MM), name, and "-> target" for a symlink;
 * a directory's listing starts with "total N" in KiB blocks.  With -l a
 * symlink operand is listed itself, without -l the directory it names is
 * listed.  Users and groups are numbers (there is no passwd lookup), and
 * device files show a size, not major/minor numbers.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct entry {
	char *name;		/* as shown */
	char *path;		/* for readlink */
	struct stat st;
};

struct list {
	struct entry *v;
	size_t n, cap;
};

static int opt_a, opt_l, opt_1, status;
static unsigned term_width;	/* 0: not a terminal, one name per line */

static void fail(const char *what)
{
	fflush(stdout);		/* keep output in the order it was made */
	fprintf(stderr, "ls: %s: %s\n", what, strerror(errno));
	status = 1;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "ls: out of memory\n");
		exit(1);
	}
	return p;
}

static char *join(const char *dir, const char *name)
{
	size_t ld = strlen(dir), ln = strlen(name);
	char *p = xmalloc(ld + ln + 2);

	memcpy(p, dir, ld);
	p[ld] = '/';
	memcpy(p + ld + 1, name, ln + 1);
	return p;
}

static void list_add(struct list *l, const char *name, char *path,
		     const struct stat *st)
{
	struct entry *e;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			fprintf(stderr, "ls: out of memory\n");
			exit(1);
		}
	}
	e = &l->v[l->n++];
	e->name = xmalloc(strlen(name) + 1);
	strcpy(e->name, name);
	e->path = path;
	e->st = *st;
}

static void list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].path);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

/* ---- long format ---- */

static void mode_string(mode_t m, char s[11])
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	s[1] = m & S_IRUSR ? 'r' : '-';
	s[2] = m & S_IWUSR ? 'w' : '-';
	s[3] = m & S_ISUID ? (m & S_IXUSR ? 's' : 'S') : (m & S_IXUSR ? 'x' : '-');
	s[4] = m & S_IRGRP ? 'r' : '-';
	s[5] = m & S_IWGRP ? 'w' : '-';
	s[6] = m & S_ISGID ? (m & S_IXGRP ? 's' : 'S') : (m & S_IXGRP ? 'x' : '-');
	s[7] = m & S_IROTH ? 'r' : '-';
	s[8] = m & S_IWOTH ? 'w' : '-';
	s[9] = m & S_ISVTX ? (m & S_IXOTH ? 't' : 'T') : (m & S_IXOTH ? 'x' : '-');
	s[10] = '\0';
}

/* Numbers by hand: st_size may be 64-bit, and %llu support varies. */
static const char *num(unsigned long long v, char out[24])
{
	char *p = out + 23;

	*p = '\0';
	do
		*--p = '0' + v % 10;
	while ((v /= 10) > 0);
	return p;
}

static int num_width(unsigned long long v)
{
	char tmp[24];

	return (int)strlen(num(v, tmp));
}

/* " -> target" for a symlink, read with a buffer that grows to fit. */
static void print_link_target(const char *path)
{
	size_t size = 256;

	for (;;) {
		char *buf = xmalloc(size);
		ssize_t n = readlink(path, buf, size);

		if (n < 0) {
			free(buf);
			fail(path);
			return;
		}
		if ((size_t)n < size) {
			printf(" -> %.*s", (int)n, buf);
			free(buf);
			return;
		}
		free(buf);
		size *= 2;
	}
}

struct widths {
	int links, uid, gid, size;
};

static void measure(const struct list *l, struct widths *w)
{
	size_t i;
	int n;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < l->n; i++) {
		const struct stat *st = &l->v[i].st;

		if ((n = num_width(st->st_nlink)) > w->links)
			w->links = n;
		if ((n = num_width(st->st_uid)) > w->uid)
			w->uid = n;
		if ((n = num_width(st->st_gid)) > w->gid)
			w->gid = n;
		if ((n = num_width((unsigned long long)st->st_size)) > w->size)
			w->size = n;
	}
}

static void print_long_entry(const struct entry *e, const struct widths *w)
{
	char mode[11], date[32], a[24], b[24], c[24], d[24];
	time_t t = e->st.st_mtime;
	struct tm *tm = localtime(&t);

	mode_string(e->st.st_mode, mode);
	if (!tm || !strftime(date, sizeof(date), "%Y-%m-%d %H:%M", tm))
		strcpy(date, "0000-00-00 00:00");
	printf("%s %*s %*s %*s %*s %s %s", mode,
	       w->links, num(e->st.st_nlink, a), w->uid, num(e->st.st_uid, b),
	       w->gid, num(e->st.st_gid, c),
	       w->size, num((unsigned long long)e->st.st_size, d), date, e->name);
	if (S_ISLNK(e->st.st_mode))
		print_link_target(e->path);
	putchar('\n');
}

static void print_long(const struct list *l, int is_dir)
{
	struct widths w;
	unsigned long long blocks = 0;
	char tmp[24];
	size_t i;

	if (is_dir) {
		for (i = 0; i < l->n; i++)
			blocks += ((unsigned long long)l->v[i].st.st_blocks + 1) / 2;
		printf("total %s\n", num(blocks, tmp));
	}
	measure(l, &w);
	for (i = 0; i < l->n; i++)
		print_long_entry(&l->v[i], &w);
}

/* ---- short format ---- */

/* Down the columns, as many as fit in term_width. */
static void print_columns(const struct list *l)
{
	size_t i, r, c, rows, cols, maxw = 0, colw;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].name) > maxw)
			maxw = strlen(l->v[i].name);
	colw = maxw + 2;
	cols = term_width / colw ? term_width / colw : 1;
	rows = (l->n + cols - 1) / cols;
	for (r = 0; r < rows; r++) {
		for (c = 0; (i = c * rows + r) < l->n; c++) {
			int last = i + rows >= l->n;

			printf("%-*s", last ? 0 : (int)colw, l->v[i].name);
		}
		putchar('\n');
	}
}

static void print_list(const struct list *l, int is_dir)
{
	size_t i;

	if (opt_l)
		print_long(l, is_dir);
	else if (term_width && !opt_1)
		print_columns(l);
	else
		for (i = 0; i < l->n; i++)
			printf("%s\n", l->v[i].name);
}

/* ---- operands ---- */

static void list_dir(const char *dir)
{
	struct list l = { NULL, 0, 0 };
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d) {
		fail(dir);
		return;
	}
	while ((de = readdir(d))) {
		char *path;

		if (de->d_name[0] == '.' && !opt_a)
			continue;
		path = join(dir, de->d_name);
		if (lstat(path, &st) < 0) {
			fail(path);	/* removed while we read: say so, go on */
			free(path);
			continue;
		}
		list_add(&l, de->d_name, path, &st);
	}
	closedir(d);
	qsort(l.v, l.n, sizeof(*l.v), by_name);
	print_list(&l, 1);
	list_free(&l);
}

/* Sort an operand into files or dirs. */
static void classify(const char *arg, struct list *files, struct list *dirs)
{
	struct stat st;
	char *path = xmalloc(strlen(arg) + 1);

	strcpy(path, arg);
	/* Without -l, follow a symlink operand (but list a dangling one). */
	if ((opt_l ? lstat(arg, &st) : stat(arg, &st)) < 0 &&
	    (opt_l || lstat(arg, &st) < 0)) {
		fail(arg);
		free(path);
		return;
	}
	list_add(S_ISDIR(st.st_mode) ? dirs : files, arg, path, &st);
}

static int parse_flags(int argc, char **argv)
{
	int i;
	const char *p;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (p = argv[i] + 1; *p; p++) {
			if (*p == 'a')
				opt_a = 1;
			else if (*p == 'l')
				opt_l = 1;
			else if (*p == '1')
				opt_1 = 1;
			else {
				fprintf(stderr, "ls: -%c: unknown option\n", *p);
				exit(1);
			}
		}
	}
	return i;
}

static void find_term_width(void)
{
	struct winsize ws;

	if (!isatty(1))
		return;
	term_width = 80;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		term_width = ws.ws_col;
}

int main(int argc, char **argv)
{
	struct list files = { NULL, 0, 0 }, dirs = { NULL, 0, 0 };
	int i = parse_flags(argc, argv), nops = argc - i, shown = 0;
	size_t k;

	find_term_width();
	if (nops == 0)
		classify(".", &files, &dirs);
	for (; i < argc; i++)
		classify(argv[i], &files, &dirs);
	qsort(files.v, files.n, sizeof(*files.v), by_name);
	qsort(dirs.v, dirs.n, sizeof(*dirs.v), by_name);
	if (files.n) {
		print_list(&files, 0);
		shown = 1;
	}
	for (k = 0; k < dirs.n; k++) {
		if (nops > 1 || files.n)
			printf("%s%s:\n", shown ? "\n" : "", dirs.v[k].name);
		list_dir(dirs.v[k].path);
		shown = 1;
	}
	list_free(&files);
	list_free(&dirs);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "ls: write error: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
