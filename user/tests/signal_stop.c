/*
 * signal_stop - stop and continue: a stopped child is reported by
 * waitpid(WUNTRACED) once, SIGCONT resumes it and waitpid(WCONTINUED) says
 * so, and a stopped child can still be killed.  (The shell's ^Z and fg
 * depend on all three.)
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

/* A child that stops itself, then exits 7 once continued. */
static pid_t fork_stopper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		raise(SIGSTOP);
		_exit(7);
	}
	return pid;
}

int main(void)
{
	int status = 0;
	pid_t pid = fork_stopper(), r;

	if (!check("signal_stop_fork", pid > 0, "fork failed"))
		return test_exit_code();
	r = waitpid(pid, &status, WUNTRACED);
	check("signal_stop_wuntraced_reports_stop",
	      r == pid && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP,
	      "waitpid gave %d, status %#x", (int)r, status);
	r = waitpid(pid, &status, WUNTRACED | WNOHANG);
	check("signal_stop_stop_reported_once", r == 0,
	      "second waitpid gave %d, status %#x", (int)r, status);
	kill(pid, SIGCONT);
	r = waitpid(pid, &status, WCONTINUED);
	check("signal_stop_wcontinued_reports_continue",
	      r == pid && WIFCONTINUED(status),
	      "waitpid gave %d, status %#x", (int)r, status);
	r = waitpid(pid, &status, 0);
	check("signal_stop_continued_child_finishes",
	      r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "waitpid gave %d, status %#x", (int)r, status);

	pid = fork_stopper();
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGKILL);
	r = waitpid(pid, &status, 0);
	check("signal_stop_stopped_child_can_be_killed",
	      r == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "waitpid gave %d, status %#x", (int)r, status);
	return test_exit_code();
}
