/*
 * tools/i386-launch.c - the stand-in that tools/run-i386 puts where an i386
 * program must be exec'able on a host that cannot run i386 binaries.
 *
 * qemu-i386 emulates one program; when that program calls execve on another
 * i386 binary (or on itself, through argv[0]), the call goes to the host
 * kernel, which refuses it.  So run-i386 puts there a copy of this host
 * program with the real program's absolute path appended as a last line,
 * "\n" MARK "/path/to/prog\n" (an ELF file may carry bytes past its
 * sections).  Exec'd, it reads that line back from its own file
 * (/proc/self/exe, which also works through a bind mount or a symbolic
 * link) and replaces itself with
 *
 *	qemu-i386 -0 ARGV0 /path/to/prog ARGS...
 *
 * so the program gets exactly the argv[0], arguments and environment that
 * its caller passed to execve: a shell script would add PWD to the
 * environment and lose argv[0].  qemu-i386 (7.2) hands the program its
 * environment in reverse order (it pushes each variable at the head of a
 * list), so this passes it reversed.
 *
 * Built by run-i386 with the host compiler, -DQEMU_I386="/usr/bin/qemu-i386".
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef QEMU_I386
#define QEMU_I386 "qemu-i386"
#endif
#define MARK "walnut-i386-target:"

extern char **environ;

/* The path on the last line of our own file, or NULL. */
static char *target_path(void)
{
	static char tail[PATH_MAX + 64];
	int fd = open("/proc/self/exe", O_RDONLY);
	struct stat st;
	ssize_t n;
	char *p;

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	n = st.st_size < (off_t)sizeof(tail) - 1 ? st.st_size : (off_t)sizeof(tail) - 1;
	if (pread(fd, tail, (size_t)n, st.st_size - n) != n)
		return NULL;
	close(fd);
	tail[n] = '\0';
	if (n < 2 || tail[n - 1] != '\n')
		return NULL;
	tail[n - 1] = '\0';
	for (p = tail + n - 2; p >= tail && *p != '\n'; p--)	/* the ELF has NULs */
		;
	if (p < tail || strncmp(p + 1, MARK, strlen(MARK)) != 0)
		return NULL;
	return p + 1 + strlen(MARK);
}

int main(int argc, char **argv)
{
	char *target = target_path(), **args, **env;
	size_t nenv = 0;

	if (!target || target[0] != '/') {
		fprintf(stderr, "i386-launch: no " MARK " line at the end of /proc/self/exe\n");
		return 125;
	}
	while (environ[nenv])
		nenv++;
	args = calloc((size_t)argc + 5, sizeof(*args));
	env = calloc(nenv + 1, sizeof(*env));
	if (!args || !env)
		return 125;
	for (size_t i = 0; i < nenv; i++)
		env[i] = environ[nenv - 1 - i];
	args[0] = QEMU_I386;
	args[1] = "-0";
	args[2] = argc > 0 ? argv[0] : target;
	args[3] = target;
	for (int i = 1; i < argc; i++)
		args[3 + i] = argv[i];
	execve(QEMU_I386, args, env);
	fprintf(stderr, "i386-launch: %s: ", QEMU_I386);
	perror("");
	return 127;
}
