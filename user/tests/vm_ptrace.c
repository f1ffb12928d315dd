/*
 * vm_ptrace - a parent reads and writes its child's memory with ptrace:
 * PTRACE_TRACEME + SIGSTOP, PEEKDATA, POKEDATA (also into read-only text,
 * which must get the child a private copy), CONT; ATTACH and DETACH to a
 * running child; PTRACE_KILL; and the errors Linux gives as root.
 *
 * After fork, parent and child have the same addresses, so the parent names
 * the child's variables by its own pointers to them.
 */
#include <sys/ptrace.h>
#include "vmlib.h"

#define OLD_WORD	0x11223344L
#define NEW_WORD	0x55667788L

static volatile long traced_word = OLD_WORD;
/* In .rodata: read-only and executable-file backed in the child. */
static const long readonly_word = OLD_WORD;
static const volatile long *volatile readonly_ptr = &readonly_word;

/* Stops itself for the parent, then reports what the parent wrote: exit 0
 * if both words became NEW_WORD, 10 + which one did not. */
static int traceme_child(void *arg UNUSED)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
		return 1;
	raise(SIGSTOP);
	if (traced_word != NEW_WORD)
		return 10;
	if (*readonly_ptr != NEW_WORD)
		return 11;
	return 0;
}

/* Waits for pid to stop; 1 if it stopped with sig. */
static int stopped_with(pid_t pid, int sig)
{
	int status = 0;

	return wait_for(pid, &status) == pid && WIFSTOPPED(status) && WSTOPSIG(status) == sig;
}

static void peek_poke(void)
{
	pid_t pid = spawn(traceme_child, NULL);
	long w;

	if (!check("vm_ptrace_traceme_child_stops", stopped_with(pid, SIGSTOP), "no stop")) {
		kill(pid, SIGKILL);
		wait_for(pid, NULL);
		return;
	}
	errno = 0;
	w = ptrace(PTRACE_PEEKDATA, pid, (void *)&traced_word, NULL);
	check("vm_ptrace_peekdata", w == OLD_WORD && errno == 0, "got %#lx, errno %d", w, errno);
	check_errno("vm_ptrace_pokedata",
		    ptrace(PTRACE_POKEDATA, pid, (void *)&traced_word, (void *)NEW_WORD) == 0,
		    "POKEDATA");
	errno = 0;
	w = ptrace(PTRACE_PEEKDATA, pid, (void *)&traced_word, NULL);
	check("vm_ptrace_peek_sees_poke", w == NEW_WORD, "got %#lx", w);
	check_errno("vm_ptrace_poke_readonly_data",
		    ptrace(PTRACE_POKEDATA, pid, (void *)&readonly_word, (void *)NEW_WORD) == 0,
		    "POKEDATA");
	check("vm_ptrace_poke_readonly_leaves_parent_copy", readonly_word == OLD_WORD &&
	      traced_word == OLD_WORD, "parent sees %#lx", readonly_word);
	errno = 0;
	w = ptrace(PTRACE_PEEKDATA, pid, (void *)16, NULL);
	check("vm_ptrace_peek_unmapped_fails", w == -1 && (errno == EIO || errno == EFAULT),
	      "got %#lx, errno %d", w, errno);
	check_errno("vm_ptrace_cont", ptrace(PTRACE_CONT, pid, NULL, NULL) == 0, "CONT");
	expect_exit("vm_ptrace_child_sees_poked_values", pid, 0);
}

/* A child that sleeps until killed, while its word changes under it. */
static void attach_detach(void)
{
	pid_t pid = spawn(child_pause_forever, NULL);
	long w;

	if (!check_errno("vm_ptrace_attach", ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0,
			 "ATTACH"))
		goto out_kill;
	check("vm_ptrace_attach_stops_child", stopped_with(pid, SIGSTOP), "no stop");
	expect_errno("vm_ptrace_attach_twice_eperm", ptrace(PTRACE_ATTACH, pid, NULL, NULL),
		     EPERM);
	errno = 0;
	w = ptrace(PTRACE_PEEKDATA, pid, (void *)&traced_word, NULL);
	check("vm_ptrace_attach_peekdata", w == OLD_WORD && errno == 0, "got %#lx", w);
	check_errno("vm_ptrace_detach", ptrace(PTRACE_DETACH, pid, NULL, NULL) == 0, "DETACH");
	expect_errno("vm_ptrace_peek_after_detach_esrch",
		     ptrace(PTRACE_PEEKDATA, pid, (void *)&traced_word, NULL), ESRCH);
out_kill:
	kill(pid, SIGKILL);
	expect_killed("vm_ptrace_detached_child_runs_until_killed", pid, SIGKILL);
}

static void kill_request(void)
{
	pid_t pid = spawn(traceme_child, NULL);

	if (!stopped_with(pid, SIGSTOP)) {
		kill(pid, SIGKILL);
		wait_for(pid, NULL);
		return;
	}
	check_errno("vm_ptrace_kill_request", ptrace(PTRACE_KILL, pid, NULL, NULL) == 0, "KILL");
	expect_killed("vm_ptrace_kill_kills_with_sigkill", pid, SIGKILL);
}

/* The errors whose errno Linux gives the same whoever runs it. */
static void errors(void)
{
	pid_t pid = spawn(child_pause_forever, NULL);

	expect_errno("vm_ptrace_peek_untraced_child_esrch",
		     ptrace(PTRACE_PEEKDATA, pid, (void *)&traced_word, NULL), ESRCH);
	expect_errno("vm_ptrace_cont_untraced_child_esrch",
		     ptrace(PTRACE_CONT, pid, NULL, NULL), ESRCH);
	expect_errno("vm_ptrace_attach_self_eperm", ptrace(PTRACE_ATTACH, getpid(), NULL, NULL),
		     EPERM);
	kill(pid, SIGKILL);
	wait_for(pid, NULL);
	expect_errno("vm_ptrace_attach_reaped_pid_esrch", ptrace(PTRACE_ATTACH, pid, NULL, NULL),
		     ESRCH);
}

int main(void)
{
	if (skip_under_emulator("vm_ptrace", "it does not implement ptrace"))
		return test_exit_code();
	peek_poke();
	attach_detach();
	kill_request();
	errors();
	return test_exit_code();
}
