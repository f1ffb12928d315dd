/*
 * <setjmp.h> - newlib's, plus POSIX's sigsetjmp and siglongjmp, which its
 * i686-elf build leaves out (it offers them only for Cygwin and RTEMS).
 *
 * sigsetjmp(env, savemask) saves the signal mask too when savemask is
 * non-zero, and siglongjmp puts it back before jumping: the way out of a
 * signal handler that leaves the handled signal unblocked again.  sigsetjmp
 * must be a macro, since setjmp has to be called in the frame that will be
 * returned to; siglongjmp is a function (user/lib/signal.c).
 */
#ifndef WALNUT_SETJMP_H
#define WALNUT_SETJMP_H

#include_next <setjmp.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	jmp_buf env;
	int savemask;
	sigset_t mask;
} sigjmp_buf[1];

#define sigsetjmp(sjb, save)						\
	((sjb)[0].savemask = (save),					\
	 (sjb)[0].savemask ?						\
		(void)sigprocmask(SIG_SETMASK, NULL, &(sjb)[0].mask) : (void)0, \
	 setjmp((sjb)[0].env))

void siglongjmp(sigjmp_buf sjb, int val) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SETJMP_H */
