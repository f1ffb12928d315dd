/*
 * kill - send a signal to processes.
 *
 *   kill [-SIG | -s SIG | -N] [--] pid...    default SIG is TERM
 *   kill -l [status]                         list signal names, or name the
 *                                            signal of an exit status > 128
 *
 * SIG is a name with or without "SIG" in any case (INT, sigint), or a
 * number.  Numbers, typed or listed, are Linux's (KILL 9, USR1 10), whatever
 * the C library numbers its signals: Walnut's ABI is Linux's, and this is
 * what a user sees of it.  A negative pid names a process group; write it
 * after "--" or after a signal option (kill -TERM -123), since a first
 * "-123" would be read as signal 123.  No job specs (%1): those belong to
 * the shell.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int sig;		/* the C library's number */
	int linux_no;		/* what users type and see */
} sigs[] = {
	{ "HUP", SIGHUP, 1 }, { "INT", SIGINT, 2 }, { "QUIT", SIGQUIT, 3 },
	{ "ILL", SIGILL, 4 }, { "TRAP", SIGTRAP, 5 }, { "ABRT", SIGABRT, 6 },
	{ "BUS", SIGBUS, 7 }, { "FPE", SIGFPE, 8 }, { "KILL", SIGKILL, 9 },
	{ "USR1", SIGUSR1, 10 }, { "SEGV", SIGSEGV, 11 }, { "USR2", SIGUSR2, 12 },
	{ "PIPE", SIGPIPE, 13 }, { "ALRM", SIGALRM, 14 }, { "TERM", SIGTERM, 15 },
	{ "CHLD", SIGCHLD, 17 }, { "CONT", SIGCONT, 18 }, { "STOP", SIGSTOP, 19 },
	{ "TSTP", SIGTSTP, 20 }, { "TTIN", SIGTTIN, 21 }, { "TTOU", SIGTTOU, 22 },
	{ "URG", SIGURG, 23 }, { "XCPU", SIGXCPU, 24 }, { "XFSZ", SIGXFSZ, 25 },
	{ "VTALRM", SIGVTALRM, 26 }, { "PROF", SIGPROF, 27 },
	{ "WINCH", SIGWINCH, 28 }, { "IO", SIGIO, 29 }, { "SYS", SIGSYS, 31 },
};
#define NSIGS (int)(sizeof(sigs) / sizeof(sigs[0]))

/* A decimal int, maybe negative; -1 return means not a number. */
static int parse_num(const char *s, long *out)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtol(s, &end, 10);
	if (*end || errno)
		return -1;
	return 0;
}

static int strcaseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* The C library's signal for a name or a Linux number; -1 if unknown. */
static int parse_signal(const char *s)
{
	long n;
	int i;

	if (parse_num(s, &n) == 0) {
		if (n == 0)
			return 0;	/* no signal: just check the pid */
		for (i = 0; i < NSIGS; i++)
			if (sigs[i].linux_no == n)
				return sigs[i].sig;
		return -1;
	}
	if (strncmp(s, "SIG", 3) == 0 || strncmp(s, "sig", 3) == 0)
		s += 3;
	for (i = 0; i < NSIGS; i++)
		if (strcaseeq(s, sigs[i].name))
			return sigs[i].sig;
	return -1;
}

static int list(const char *arg)
{
	long n;
	int i;

	if (!arg) {
		for (i = 0; i < NSIGS; i++)
			printf("%2d %s\n", sigs[i].linux_no, sigs[i].name);
		return 0;
	}
	if (parse_num(arg, &n) == 0) {
		if (n > 128)
			n -= 128;
		for (i = 0; i < NSIGS; i++)
			if (sigs[i].linux_no == n) {
				printf("%s\n", sigs[i].name);
				return 0;
			}
	}
	fprintf(stderr, "kill: %s: unknown signal\n", arg);
	return 1;
}

/* The signal option, if any; returns the index of the first pid. */
static int parse_options(int argc, char **argv, int *sig)
{
	int i = 1;
	const char *name = NULL;

	if (i < argc && strcmp(argv[i], "-s") == 0) {
		if (i + 1 >= argc) {
			fprintf(stderr, "kill: -s: needs a signal name\n");
			exit(1);
		}
		name = argv[i + 1];
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] &&
		   strcmp(argv[i], "--") != 0) {
		name = argv[i++] + 1;
	}
	if (name && (*sig = parse_signal(name)) < 0) {
		fprintf(stderr, "kill: %s: unknown signal\n", name);
		exit(1);
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	return i;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i, status = 0;
	long pid;

	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		return list(argc > 2 ? argv[2] : NULL);
	i = parse_options(argc, argv, &sig);
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-SIG | -s SIG] pid...\n");
		return 1;
	}
	for (; i < argc; i++) {
		if (parse_num(argv[i], &pid) < 0) {
			fprintf(stderr, "kill: %s: not a pid\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
