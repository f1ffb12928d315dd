/*
 * mkdir - make directories.
 *
 *   mkdir [-p] dir...
 *
 * -p: make missing parents too, and do not complain about a directory that
 * already exists.  New directories get mode 0777 less the umask.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Make every ancestor of path; path is cut and restored in place. */
static int make_parents(char *path)
{
	char *p = path;

	while (*p == '/')
		p++;
	while ((p = strchr(p, '/'))) {
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
		while (*p == '/')
			p++;
	}
	return 0;
}

static int make_dir(char *path, int parents)
{
	if (parents && make_parents(path) < 0)
		return -1;
	if (mkdir(path, 0777) == 0)
		return 0;
	if (parents && errno == EEXIST && is_dir(path))
		return 0;
	fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	int i = 1, parents = 0, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-p") != 0) {
			fprintf(stderr, "mkdir: %s: unknown option\n", argv[i]);
			return 1;
		}
		parents = 1;
	}
	if (i == argc) {
		fprintf(stderr, "usage: mkdir [-p] dir...\n");
		return 1;
	}
	for (; i < argc; i++)
		if (make_dir(argv[i], parents) < 0)
			status = 1;
	return status;
}
