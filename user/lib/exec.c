/*
 * exec.c - execve and the exec family built on it.
 *
 * execvp/execlp search PATH as glibc does: a name with a '/' is used as it
 * is; otherwise each PATH entry is tried in turn ("" meaning the current
 * directory), the search going on past ENOENT-like failures and ending with
 * EACCES if any candidate existed but could not be run.  A file the kernel
 * refuses as ENOEXEC (no ELF header: a script without #!) is handed to
 * /bin/sh, as POSIX asks.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "glue.h"

#define DEFAULT_PATH	"/bin:/usr/bin"

extern char **environ;

int execve(const char *path, char *const argv[], char *const envp[])
{
	return lx_ret(LX3(SYS_execve, path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Runs a script the kernel would not: /bin/sh file args... */
static void exec_shell(const char *file, char *const argv[])
{
	int n = 0, k = 0;

	while (argv[n])
		n++;
	{
		char *sh_argv[n + 3];

		sh_argv[k++] = "sh";
		sh_argv[k++] = (char *)file;
		for (int i = 1; i < n; i++)
			sh_argv[k++] = argv[i];
		sh_argv[k] = NULL;
		execve("/bin/sh", sh_argv, environ);
	}
}

/* One candidate of a PATH search; returns only on failure. */
static void try_exec(const char *file, char *const argv[])
{
	execve(file, argv, environ);
	if (errno == ENOEXEC) {
		exec_shell(file, argv);
		errno = ENOEXEC;
	}
}

int execvp(const char *name, char *const argv[])
{
	const char *path = getenv("PATH"), *p, *end;
	size_t name_len = strlen(name);
	int seen_eacces = 0;
	char file[PATH_MAX];

	if (*name == '\0')
		return __walnut_fail(ENOENT);
	if (strchr(name, '/')) {
		try_exec(name, argv);
		return -1;
	}
	for (p = path ? path : DEFAULT_PATH;; p = end + 1) {
		size_t dir_len;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		dir_len = (size_t)(end - p);
		if (dir_len + 1 + name_len + 1 > sizeof(file))
			errno = ENAMETOOLONG;
		else {
			memcpy(file, p, dir_len);
			file[dir_len] = '/';
			memcpy(file + dir_len + (dir_len > 0), name, name_len + 1);
			try_exec(file, argv);
		}
		if (errno == EACCES)
			seen_eacces = 1;
		else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG)
			return -1;	/* found, but it failed: say why */
		if (*end == '\0')
			break;
	}
	return __walnut_fail(seen_eacces ? EACCES : ENOENT);
}

/*
 * The list forms collect their arguments into an array on the stack.  count
 * walks a copy of the list to the NULL; fill stores arg0 and the rest.
 */
static int count_args(va_list ap)
{
	int n = 1;

	while (va_arg(ap, char *))
		n++;
	return n;
}

static void fill_args(char **argv, int n, const char *arg0, va_list ap)
{
	argv[0] = (char *)arg0;
	for (int i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);	/* the last is the NULL */
}

#define EXEC_LIST(arg0, last_named, call)				\
	do {								\
		va_list ap, ap2;					\
		int n;							\
									\
		va_start(ap, last_named);				\
		va_copy(ap2, ap);					\
		n = count_args(ap2);					\
		va_end(ap2);						\
		{							\
			char *argv[n + 1];				\
									\
			fill_args(argv, n, arg0, ap);			\
			va_end(ap);					\
			return call;					\
		}							\
	} while (0)

int execl(const char *path, const char *arg0, ...)
{
	EXEC_LIST(arg0, arg0, execve(path, argv, environ));
}

int execlp(const char *name, const char *arg0, ...)
{
	EXEC_LIST(arg0, arg0, execvp(name, argv));
}

/* execle: the environment follows the NULL that ends the arguments. */
int execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	char *const *envp;

	va_start(ap, arg0);
	while (va_arg(ap, char *))
		;
	envp = va_arg(ap, char *const *);
	va_end(ap);
	EXEC_LIST(arg0, arg0, execve(path, argv, envp));
}

WALNUT_ALIAS(execve, _execve);
