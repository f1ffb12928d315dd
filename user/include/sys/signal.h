/*
 * <sys/signal.h> - newlib's, completed for Walnut.
 *
 * Signal numbers and sigset_t are newlib's (user/lib/xlat.c translates them
 * to Linux's); this adds what newlib's generic version lacks, and turns its
 * sigaddset-family macros back into the library's functions, which check
 * the signal number (EINVAL) as glibc's do.
 */
#ifndef WALNUT_SYS_SIGNAL_H
#define WALNUT_SYS_SIGNAL_H

#include_next <sys/signal.h>

/* sa_flags newlib lacks, with Linux's values (newlib's one, SA_NOCLDSTOP,
 * is Linux's 1 already).  There is no SA_SIGINFO: newlib's struct sigaction
 * has no sa_sigaction member. */
#define SA_NOCLDWAIT	0x00000002
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000
#define SA_NOMASK	SA_NODEFER
#define SA_ONESHOT	SA_RESETHAND

#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

#endif /* WALNUT_SYS_SIGNAL_H */
