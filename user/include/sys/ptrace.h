/*
 * <sys/ptrace.h> - process tracing, with Linux's request numbers
 * (linux/ptrace.h) and glibc's calling convention:
 *
 *	long ptrace(request, pid, addr, data)
 *
 * PTRACE_PEEKTEXT/PEEKDATA/PEEKUSER return the word read; since any word is
 * possible, errno is set to 0 on success and the caller tells an error by
 * errno, as with glibc.  Every other request returns 0, or -1 with errno.
 */
#ifndef WALNUT_SYS_PTRACE_H
#define WALNUT_SYS_PTRACE_H

#include <sys/types.h>

#define PTRACE_TRACEME		0	/* the parent traces the caller */
#define PTRACE_PEEKTEXT		1	/* read a word at addr */
#define PTRACE_PEEKDATA		2
#define PTRACE_PEEKUSER		3	/* a word of the user area (registers) */
#define PTRACE_POKETEXT		4	/* write data at addr */
#define PTRACE_POKEDATA		5
#define PTRACE_POKEUSER		6
#define PTRACE_CONT		7	/* resume, delivering signal data */
#define PTRACE_KILL		8
#define PTRACE_SINGLESTEP	9
#define PTRACE_GETREGS		12
#define PTRACE_SETREGS		13
#define PTRACE_ATTACH		16	/* trace pid; it is sent SIGSTOP */
#define PTRACE_DETACH		17	/* stop tracing; resume with signal data */
#define PTRACE_SYSCALL		24

#ifdef __cplusplus
extern "C" {
#endif

long ptrace(int request, ...);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_PTRACE_H */
