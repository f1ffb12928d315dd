/*
 * ps - list every process.
 *
 *   ps          prints "  PID  PPID S CMD", one line per process, by pid
 *
 * Reads /proc/<pid>/stat for each numeric entry of /proc.  That file is in
 * Linux's format, "pid (comm) state ppid pgrp session ...", and comm may
 * itself hold spaces and parentheses, so the fields after it are found from
 * the last ')'.  ps uses only pid, comm, state and ppid.  A process that
 * exits while ps runs is skipped.  No options.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proc {
	int pid, ppid;
	char state;
	char comm[64];
};

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Parse one stat line.  Returns 0, or -1 if it is not in the format. */
static int parse_stat(char *line, struct proc *p)
{
	char *open = strchr(line, '('), *close = strrchr(line, ')');
	size_t n;

	if (!open || !close || close < open)
		return -1;
	p->pid = atoi(line);
	n = close - open - 1;
	if (n >= sizeof(p->comm))
		n = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, n);
	p->comm[n] = '\0';
	if (sscanf(close + 1, " %c %d", &p->state, &p->ppid) != 2)
		return -1;
	return 0;
}

/* Returns 0, 1 if the process has gone (skip it quietly), or -1. */
static int read_proc(const char *pid, struct proc *p)
{
	char path[300], line[512];	/* a d_name is at most 255 bytes */
	int fd, err;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return errno == ENOENT || errno == ESRCH ? 1 : -1;
	do
		n = read(fd, line, sizeof(line) - 1);
	while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	errno = err;
	if (n < 0)
		return errno == ESRCH ? 1 : -1;
	line[n] = '\0';
	if (parse_stat(line, p) < 0) {
		fprintf(stderr, "ps: %s: bad format\n", path);
		return 1;
	}
	return 0;
}

static int by_pid(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

struct table {
	struct proc *v;
	size_t n, cap;
};

static int table_add(struct table *t, const struct proc *p)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct proc *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = *p;
	return 0;
}

static int collect(struct table *t)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct proc p;
	int r, status = 0;

	if (!d) {
		fprintf(stderr, "ps: /proc: %s\n", strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (!is_number(de->d_name))
			continue;
		r = read_proc(de->d_name, &p);
		if (r < 0) {
			fprintf(stderr, "ps: /proc/%s/stat: %s\n", de->d_name,
				strerror(errno));
			status = -1;
		} else if (r == 0 && table_add(t, &p) < 0) {
			fprintf(stderr, "ps: out of memory\n");
			status = -1;
			break;
		}
	}
	closedir(d);
	return status;
}

int main(int argc, char **argv)
{
	struct table t = { NULL, 0, 0 };
	size_t i;
	int status;

	if (argc > 1) {
		fprintf(stderr, "ps: %s: no options are supported\n", argv[1]);
		return 1;
	}
	status = collect(&t) < 0;
	qsort(t.v, t.n, sizeof(*t.v), by_pid);
	printf("  PID  PPID S CMD\n");
	for (i = 0; i < t.n; i++)
		printf("%5d %5d %c %s\n", t.v[i].pid, t.v[i].ppid,
		       t.v[i].state, t.v[i].comm);
	free(t.v);
	return status;
}
