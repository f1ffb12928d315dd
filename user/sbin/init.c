/*
 * init - process 1 of Walnut.
 *
 *   init               keep a shell running on the console
 *   init cmd args...   run cmd once, then exit with its status
 *
 * The kernel starts init with fds 0, 1 and 2 open on /dev/console, which
 * must be init's controlling terminal (init has no setsid of its own).
 * init sets PATH=/bin:/sbin, HOME=/ and TERM=vt100 where they are unset,
 * says one line, then starts /bin/sh (or cmd) in a process group of its
 * own made the terminal's foreground group, so ^C reaches the shell's jobs
 * and never init.  init ignores SIGINT and SIGTERM; its children get the
 * default dispositions back.
 *
 * Every orphan is re-parented to pid 1, so init waits for any child, for
 * ever.  When the shell exits a new one is started; one that dies within a
 * second is restarted only after a pause, so a broken /bin/sh does not
 * flood the console.  In the "cmd" form init reaps until it has no child
 * left, then exits with cmd's status (128+N if a signal N killed it).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../bin/linuxsig.h"

extern char **environ;

static char *const shell_argv[] = { "/bin/sh", NULL };


/* environ plus the defaults that are missing; no setenv needed. */
static char **default_env(void)
{
	static char *defaults[] = { "PATH=/bin:/sbin", "HOME=/", "TERM=vt100" };
	size_t n = 0, i, k;
	char **env;

	while (environ && environ[n])
		n++;
	env = malloc((n + 4) * sizeof(*env));
	if (!env)
		return environ;
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	for (k = 0; k < 3; k++) {
		size_t len = strchr(defaults[k], '=') - defaults[k] + 1;

		for (i = 0; i < n && strncmp(env[i], defaults[k], len) != 0; i++)
			;
		if (i == n)
			env[n++] = defaults[k];
	}
	env[n] = NULL;
	return env;
}

/* Fork argv in its own process group, in the terminal's foreground. */
static pid_t spawn(char *const argv[])
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		tcsetpgrp(0, getpid());	/* SIGTTOU is still ignored here */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "init: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* Both sides set the group, so neither waits on the other. */
	setpgid(pid, pid);
	tcsetpgrp(0, pid);
	return pid;
}

/* Reap children until pid has exited; returns its wait status. */
static int reap_until(pid_t pid)
{
	int st;
	pid_t p;

	for (;;) {
		p = waitpid(-1, &st, 0);
		if (p == pid)
			return st;
		if (p < 0 && errno == ECHILD)
			return 0;
	}
}

static void run_shells(void)
{
	for (;;) {
		time_t started = time(NULL);
		pid_t pid = spawn(shell_argv);
		int st;

		if (pid > 0) {
			st = reap_until(pid);
			if (WIFSIGNALED(st))
				printf("init: /bin/sh killed by signal %d\n",
				       linux_signo(WTERMSIG(st)));
		}
		if (pid < 0 || time(NULL) - started < 1)
			sleep(1);
		printf("init: starting a new /bin/sh\n");
	}
}

static int run_once(char **argv)
{
	pid_t pid = spawn(argv), p;
	int st, status = 0;

	if (pid < 0)
		return 1;
	/* Reap everything, orphans included, until no child is left. */
	while ((p = waitpid(-1, &st, 0)) > 0 || (p < 0 && errno == EINTR))
		if (p == pid)
			status = st;
	if (WIFSIGNALED(status))
		return 128 + linux_signo(WTERMSIG(status));
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	environ = default_env();
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);	/* to hand the terminal to each child */
	signal(SIGCHLD, SIG_DFL);	/* SIG_IGN would reap behind our back */
	if (chdir("/") < 0)
		perror("init: /");
	if (argc > 1) {
		printf("init: running %s\n", argv[1]);
		return run_once(argv + 1);
	}
	printf("init: Walnut is up, starting /bin/sh\n");
	run_shells();
	return 0;
}
