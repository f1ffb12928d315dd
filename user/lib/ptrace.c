/*
 * ptrace.c - process tracing (26) with glibc's calling convention
 * (<sys/ptrace.h>).
 *
 * The kernel's PTRACE_PEEK* store the word they read at *data and return 0;
 * glibc's wrapper instead returns the word, and sets errno to 0 so that a
 * word of -1 can be told from an error.  Programs written for glibc expect
 * that, so the glue does the same.  Signal numbers given to CONT and DETACH
 * (in data) are newlib's and are renumbered; the request numbers and every
 * other argument are Linux's already.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/ptrace.h>
#include "glue.h"

static int is_peek(int request)
{
	return request == PTRACE_PEEKTEXT || request == PTRACE_PEEKDATA ||
	       request == PTRACE_PEEKUSER;
}

static int takes_signal(int request)
{
	return request == PTRACE_CONT || request == PTRACE_DETACH ||
	       request == PTRACE_SYSCALL || request == PTRACE_SINGLESTEP;
}

long ptrace(int request, ...)
{
	long pid, addr, data, word, r;
	va_list ap;

	va_start(ap, request);		/* unpassed ones are garbage, unused */
	pid = va_arg(ap, long);
	addr = va_arg(ap, long);
	data = va_arg(ap, long);
	va_end(ap);
	if (takes_signal(request) && data != 0) {
		data = xlat_sig_to_linux((int)data);
		if (data < 0)
			return __walnut_fail(EIO);	/* Linux: bad signal */
	}
	if (!is_peek(request))
		return lx_ret(LX4(SYS_ptrace, request, pid, addr, data));
	r = LX4(SYS_ptrace, request, pid, addr, &word);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	errno = 0;
	return word;
}
