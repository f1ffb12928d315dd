/*
 * kernel/ptrace.c - process tracing: ptrace(2) with Linux's requests,
 * numbers and errnos (include/ptrace.h), enough for a debugger to stop a
 * child, read and write its memory, and let it go.
 *
 * Owns: task->tracer, ptrace_stopped, ptrace_resume_sig (include/sched.h).
 *
 * The life of a trace:
 *
 *	PTRACE_TRACEME (child)  or  PTRACE_ATTACH (tracer; sends SIGSTOP)
 *	   -> any signal but SIGKILL reaching the tracee stops it first
 *	      (ptrace_signal_stop, from signal_deliver); the tracer's wait4
 *	      sees WIFSTOPPED with that signal, WUNTRACED or not
 *	   -> PEEK/POKE its memory (access_process_vm with WALK_FORCE: a
 *	      private read-only mapping is written through a COW copy)
 *	   -> PTRACE_CONT(sig): resume, delivering sig instead (0: none)
 *	PTRACE_DETACH(sig), PTRACE_KILL, or the tracer exits (its tracees are
 *	detached and stopped ones continued: ptrace_exit).
 *	A traced task that execs gets SIGTRAP once the new program is in.
 *
 * Errors as Linux: -ESRCH no such process, not traced by the caller, or
 * not stopped for it; -EPERM attaching to init, to oneself, or to a task
 * already traced (TRACEME when already traced); -EIO an unknown request,
 * a bad signal number, or a PEEK/POKE address that cannot be accessed.
 *
 * Locks: the tracer/tracee links and stop states are [p]: changed with
 * interrupts off, as the process tree (kernel/proc.c).  Peek and poke take
 * the tracee's mm->mmap_lock inside access_process_vm and copy through a
 * kernel word, never to user memory under that lock.
 */
#include <errno.h>
#include <kernel.h>
#include <proc.h>
#include <ptrace.h>
#include <sched.h>
#include <signals.h>
#include <syscall.h>
#include <uaccess.h>
#include <walk.h>
#include <x86.h>

struct task *ptrace_reports_to(const struct task *t)
{
	return t->tracer ? t->tracer : t->parent;
}

/* Stopped for its tracer (not just by a group stop nobody traces)? */
static bool is_ptrace_stopped(const struct task *t)
{
	return t->state == TASK_STOPPED && t->ptrace_stopped;
}

/**
 * ptrace_signal_stop - current is traced and about to act on sig (not
 * SIGKILL): stop, let the tracer see it, and wait to be resumed.
 * Context: interrupts off (signal_deliver); switches away.
 * Return: the signal to act on now -- what the tracer passed to
 * PTRACE_CONT / DETACH -- or 0 (none, or SIGKILL came: it is pending and
 * acted on next).
 */
int ptrace_signal_stop(int sig)
{
	current->ptrace_resume_sig = 0;
	current->ptrace_stopped = true;
	current->state = TASK_STOPPED;
	report_stop_change(current, W_STOPCODE(sig));
	schedule();
	current->ptrace_stopped = false;
	if (current->pending & sigmask(SIGKILL))
		return 0;
	return current->ptrace_resume_sig;
}

/* Resume a stopped tracee, delivering sig (0: nothing).  Irqs off. */
static void ptrace_resume(struct task *t, int sig)
{
	t->ptrace_resume_sig = sig;
	t->ptrace_stopped = false;
	t->stop_unreported = false;	/* the stop is over: nothing to report */
	if (t->state == TASK_STOPPED)
		task_set_runnable(t);
}

void ptrace_exec_notify(void)
{
	if (current->tracer)
		send_signal(current, SIGTRAP);
}

static int detach_tracee(struct task *t, void *tracer)
{
	if (t->tracer == tracer) {
		t->tracer = NULL;
		if (t->ptrace_stopped)
			ptrace_resume(t, 0);
	}
	return 0;
}

void ptrace_exit(void)
{
	struct task *tracer = current->tracer;

	cli();
	for_each_task(detach_tracee, current);
	sti();
	/* Our own tracer keeps its link: its wait4 collects our exit status
	 * (do_wait4).  One that is not our parent is told here; the parent
	 * hears from do_exit. */
	if (tracer && tracer != current->parent) {
		send_signal(tracer, SIGCHLD);
		wake_up(&tracer->child_wait);
	}
}

/* ---- the requests ---- */

static long ptrace_traceme(void)
{
	if (current->tracer || !current->parent)
		return -EPERM;
	current->tracer = current->parent;
	return 0;
}

static long ptrace_attach(struct task *t)
{
	if (t == current || t == init_task || t->tracer)
		return -EPERM;
	cli();
	t->tracer = current;
	if (t->state == TASK_STOPPED) {
		/* Already stopped by a signal: it is stopped for us now, and
		 * our wait4 reports it (Linux: the stop turns into a trace
		 * stop). */
		t->ptrace_stopped = true;
		t->stop_status = W_STOPCODE(SIGSTOP);
		t->stop_unreported = true;
		sti();
		return 0;
	}
	sti();
	send_signal(t, SIGSTOP);
	return 0;
}

/* PEEKTEXT/PEEKDATA: the word at addr in t, stored at data in ours. */
static long ptrace_peek(struct task *t, uint32_t addr, uint32_t __user *data)
{
	uint32_t word;

	if (access_process_vm(t, addr, &word, sizeof(word), WALK_FORCE) !=
	    sizeof(word))
		return -EIO;
	return copy_to_user(data, &word, sizeof(word));
}

static long ptrace_poke(struct task *t, uint32_t addr, uint32_t word)
{
	return access_process_vm(t, addr, &word, sizeof(word),
				 WALK_WRITE | WALK_FORCE) == sizeof(word) ? 0 : -EIO;
}

static bool valid_resume_signal(uint32_t sig)
{
	return sig <= NSIG;	/* 0: none */
}

/* The requests on a tracee stopped for us (PEEK, POKE, CONT, DETACH). */
static long ptrace_stopped_request(long request, struct task *t, uint32_t addr,
				   uint32_t data)
{
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		return ptrace_peek(t, addr, (uint32_t __user *)data);
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return ptrace_poke(t, addr, data);
	case PTRACE_CONT:
	case PTRACE_DETACH:
		if (!valid_resume_signal(data))
			return -EIO;
		cli();
		if (request == PTRACE_DETACH)
			t->tracer = NULL;
		ptrace_resume(t, (int)data);
		sti();
		return 0;
	}
	return -EIO;
}

/**
 * sys_ptrace - ptrace(2), the kernel's ABI: PEEK stores the word at *data
 * and returns 0 (the C library's wrapper returns the word instead).
 * Return: 0, or -ESRCH / -EPERM / -EIO / -EFAULT as the top of the file.
 */
static long sys_ptrace(long request, pid_t pid, uint32_t addr, uint32_t data)
{
	struct task *t;

	if (request == PTRACE_TRACEME)
		return ptrace_traceme();
	t = task_by_pid(pid);
	if (!t || !t->mm || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (request == PTRACE_ATTACH)
		return ptrace_attach(t);
	if (t->tracer != current)
		return -ESRCH;
	if (request == PTRACE_KILL) {
		send_signal(t, SIGKILL);
		return 0;
	}
	if (!is_ptrace_stopped(t))
		return -ESRCH;
	return ptrace_stopped_request(request, t, addr, data);
}
SYSCALL(__NR_ptrace, sys_ptrace);
