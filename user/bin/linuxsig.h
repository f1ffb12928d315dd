/*
 * user/bin/linuxsig.h - a C library's signal number as Linux numbers it,
 * for sh and init (what users see in $? and "Signal N").
 */
#ifndef WALNUT_LINUXSIG_H
#define WALNUT_LINUXSIG_H

#include <signal.h>
#include <stddef.h>

/*
 * The numbers users see ($? = 128 + signal, "Signal N") are Linux's, as
 * Walnut's ABI is: the C library's own numbers may differ (newlib's SIGUSR1
 * is 30, Linux's 10), so signals are mapped by name.
 */
static const struct {
	int sig, linux_no;
} linux_signals[] = {
	{ SIGHUP, 1 }, { SIGINT, 2 }, { SIGQUIT, 3 }, { SIGILL, 4 },
	{ SIGTRAP, 5 }, { SIGABRT, 6 }, { SIGBUS, 7 }, { SIGFPE, 8 },
	{ SIGKILL, 9 }, { SIGUSR1, 10 }, { SIGSEGV, 11 }, { SIGUSR2, 12 },
	{ SIGPIPE, 13 }, { SIGALRM, 14 }, { SIGTERM, 15 }, { SIGCHLD, 17 },
	{ SIGCONT, 18 }, { SIGSTOP, 19 }, { SIGTSTP, 20 }, { SIGTTIN, 21 },
	{ SIGTTOU, 22 }, { SIGURG, 23 }, { SIGXCPU, 24 }, { SIGXFSZ, 25 },
	{ SIGVTALRM, 26 }, { SIGPROF, 27 }, { SIGWINCH, 28 }, { SIGIO, 29 },
	{ SIGSYS, 31 },
};

static inline int linux_signo(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(linux_signals) / sizeof(linux_signals[0]); i++)
		if (linux_signals[i].sig == sig)
			return linux_signals[i].linux_no;
	return sig;
}

#endif
