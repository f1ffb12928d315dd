/*
 * start.c - from _start (crt0.S) to main() and back out through exit().
 *
 * Chooses the string routines (string.c), sets environ, runs constructors
 * (.preinit_array, .init_array) and arranges for destructors to run at
 * exit, then calls main(argc, argv, envp) and passes its result to exit(),
 * which runs the atexit handlers, flushes stdio and ends with _exit().
 */
#include <stdlib.h>
#include <unistd.h>

#include "glue.h"
#include "strimpl.h"

extern char **environ;
int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __libc_fini_array(void);
void __walnut_start(long *sp) __attribute__((noreturn, used));
void _init(void);
void _fini(void);

/*
 * newlib's __libc_init_array() calls _init() and __libc_fini_array() calls
 * _fini(), which crti.o/crtn.o would assemble from .init/.fini fragments.
 * Walnut programs have no such fragments (gcc puts constructors in
 * .init_array), so these are empty.
 */
void _init(void)
{
}

void _fini(void)
{
}

#define AT_NULL		0
#define AT_SYSINFO	32	/* the kernel's system-call entry (vDSO) */

/* Take the kernel's fast system-call entry if the auxiliary vector, after
 * envp's NULL, offers one (glue.h: every call goes through the pointer). */
static void find_vsyscall(char **envp)
{
	unsigned long *auxv;

	while (*envp)
		envp++;
	for (auxv = (unsigned long *)(envp + 1); auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == AT_SYSINFO)
			__walnut_vsyscall = (void (*)(void))auxv[1];
}

/* sp points at argc, which is followed by argv[] and envp[] (crt0.S). */
void __walnut_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;

	find_vsyscall(envp);
	__walnut_string_init(envp);	/* SSE2 or not: before anything copies */
	environ = envp;
	atexit(__libc_fini_array);	/* first in, so destructors run last */
	__libc_init_array();
	exit(main(argc, argv, envp));
}
