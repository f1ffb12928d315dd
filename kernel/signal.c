/*
 * kernel/signal.c - sending signals, acting on them on the way back to user
 * mode, and the system calls that manage them.
 *
 * Owns: each task's pending set, blocked mask and actions; the layout of the
 * signal frames on the user stack (Linux i386's, so a debugger or a libc
 * written for Linux finds everything where it expects).
 *
 *	send_signal(t, sig)        set the bit; wake t if it sleeps
 *	                           interruptibly; generation-time discard of
 *	                           ignored signals, SIGCONT/stop interplay
 *	signal_deliver(tf)         on return to user mode: the lowest pending
 *	                           unblocked signal -> ignore / default action /
 *	                           push a frame and enter the handler
 *	sys_rt_sigreturn           pop the frame: every register, the FPU state
 *	                           and the mask come back as they were
 *
 * A traced task (kernel/ptrace.c) stops for its tracer before acting on any
 * signal but SIGKILL, and acts on what the tracer gives back instead; its
 * ignored signals are not dropped at generation, so the tracer sees them.
 *
 * A system call interrupted by a signal returns -ERESTARTSYS (or
 * -ERESTARTNOHAND); signal_deliver turns that into -EINTR or a restart
 * (eip back over "int $0x80", eax = the number again) by Linux's rules.
 *
 * Locks: pending is changed with interrupts off (interrupt handlers send
 * signals); the rest only by the task itself.
 */
#include <errno.h>
#include <kernel.h>
#include <proc.h>
#include <ptrace.h>
#include <sched.h>
#include <signals.h>
#include <string.h>
#include <syscall.h>
#include <timer.h>
#include <trap.h>
#include <uaccess.h>
#include <x86.h>

#define UNBLOCKABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define STOP_SIGNALS	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
			 sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define IGNORED_BY_DEFAULT (sigmask(SIGCHLD) | sigmask(SIGCONT) | \
			    sigmask(SIGURG) | sigmask(SIGWINCH))


static const char *const signal_names[32] = {
	"0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
	"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD",
	"CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
	"VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

const char *signal_name(int sig)
{
	return sig > 0 && sig < 32 ? signal_names[sig] : "RT";
}

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

static struct k_sigaction *action(struct task *t, int sig)
{
	return &t->sigactions[sig - 1];
}

bool signal_pending(const struct task *t)
{
	return t->pending & ~t->blocked;
}

bool current_signal_pending(void)
{
	return signal_pending(current);
}

static bool is_ignored(struct task *t, int sig)
{
	uint32_t h = action(t, sig)->handler;

	return h == SIG_IGN || (h == SIG_DFL && (IGNORED_BY_DEFAULT & sigmask(sig)));
}

/* Tell t's parent -- its tracer, if traced -- that t stopped or continued
 * (wait4's WUNTRACED and WCONTINUED; a tracer's wait4 sees stops always):
 * the status to report, a wake-up, and SIGCHLD unless the parent asked for
 * none with SA_NOCLDSTOP. */
void report_stop_change(struct task *t, int status)
{
	struct task *p = ptrace_reports_to(t);

	t->stop_status = status;
	t->stop_unreported = true;
	if (!p)
		return;
	if (!(action(p, SIGCHLD)->flags & SA_NOCLDSTOP))
		send_signal(p, SIGCHLD);
	wake_up(&p->child_wait);
}

/**
 * send_signal - make sig pending for t and wake t if it sleeps
 * interruptibly.  Safe from interrupt handlers.
 * Return: 0, or -EINVAL for a bad number.
 */
int send_signal(struct task *t, int sig)
{
	bool was_on;

	if (!valid_signal(sig))
		return -EINVAL;
	was_on = irq_save();
	if (t->state == TASK_ZOMBIE || !t->mm)
		goto out;		/* kernel threads take no signals */
	if (sig == SIGCONT || sig == SIGKILL) {
		t->pending &= ~STOP_SIGNALS;
		/* A stop for the tracer ends only by the tracer, or SIGKILL. */
		if (t->state == TASK_STOPPED &&
		    (sig == SIGKILL || !t->ptrace_stopped)) {
			task_set_runnable(t);
			if (sig == SIGCONT)
				report_stop_change(t, 0xffff);
		}
	} else if (STOP_SIGNALS & sigmask(sig)) {
		t->pending &= ~sigmask(SIGCONT);
	}
	/* An ignored signal is dropped now, unless blocked (POSIX: it may be
	 * unignored before it is unblocked) or traced (the tracer sees every
	 * signal, as on Linux). */
	if (is_ignored(t, sig) && !(t->blocked & sigmask(sig)) && !t->tracer)
		goto out;
	t->pending |= sigmask(sig);
	if (t->state == TASK_SLEEPING && t->sleep_kind == SLEEP_INTERRUPTIBLE &&
	    signal_pending(t))
		wake_task(t);
out:
	irq_restore(was_on);
	return 0;
}

/* A signal from user space (kill, the TTY): as on Linux, init gets only
 * the signals it has a handler for -- a stray kill(1, SIGKILL) must not
 * take the whole system down. */
static int send_user_signal(struct task *t, int sig)
{
	if (t == init_task && action(t, sig)->handler == SIG_DFL)
		return 0;
	return send_signal(t, sig);
}

static int send_to_group(struct task *t, void *arg)
{
	int *g = arg;	/* g[0] pgrp, g[1] sig, g[2] found */

	if (t->pgid == g[0] && t->mm && t->state != TASK_ZOMBIE) {
		if (g[1])
			send_user_signal(t, g[1]);
		g[2] = 1;
	}
	return 0;
}

/* Signal every process in group pgrp; sig 0 only checks it has any. */
int send_signal_pgrp(int pgrp, int sig)
{
	int g[3] = { pgrp, sig, 0 };

	if (sig && !valid_signal(sig))
		return -EINVAL;
	for_each_task(send_to_group, g);
	return g[2] ? 0 : -ESRCH;
}

/**
 * force_fault_signal - current touched what it may not (or memory ran out):
 * deliver sig even if blocked or ignored, as Linux does, so the fault cannot
 * repeat forever; record what happened for the death notice.
 */
void force_fault_signal(int sig, uint32_t uva, const char *what,
			const struct trapframe *tf)
{
	struct k_sigaction *a = action(current, sig);

	if ((current->blocked & sigmask(sig)) || a->handler == SIG_IGN) {
		current->blocked &= ~sigmask(sig);
		a->handler = SIG_DFL;
	}
	current->fault = (struct fault_info){ sig, uva, tf->eip, what };
	send_signal(current, sig);
}

void signal_reset_on_exec(struct task *t)
{
	for (int sig = 1; sig <= NSIG; sig++) {
		struct k_sigaction *a = action(t, sig);

		if (a->handler != SIG_IGN)
			*a = (struct k_sigaction){ .handler = SIG_DFL };
		else
			*a = (struct k_sigaction){ .handler = SIG_IGN };
	}
}

/* ---- delivery ---- */

static bool is_restart_code(uint32_t eax)
{
	int32_t v = (int32_t)eax;

	return v == -ERESTARTSYS || v == -ERESTARTNOINTR || v == -ERESTARTNOHAND;
}

/* An interrupted system call: restart it (back over the 2-byte "int $0x80",
 * the number in eax again), or fail it with -EINTR.  handler: whether a
 * handler is about to run, and its flags. */
static void fix_syscall_result(struct trapframe *tf, bool handler,
			       uint32_t sa_flags)
{
	int32_t v = (int32_t)tf->eax;
	bool restart;

	if (current->syscall_nr < 0 || !is_restart_code(tf->eax))
		return;
	restart = !handler || v == -ERESTARTNOINTR ||
		  (v == -ERESTARTSYS && (sa_flags & SA_RESTART));
	if (restart) {
		tf->eax = (uint32_t)current->syscall_nr;
		tf->eip -= 2;
	} else {
		tf->eax = (uint32_t)-EINTR;
	}
	current->syscall_nr = -1;
}

/* No handler ran and no signal is left: restart what was interrupted, and
 * put back a sigsuspend mask. */
void signal_finish_syscall(struct trapframe *tf)
{
	fix_syscall_result(tf, false, 0);
	if (current->restore_blocked) {
		current->blocked = current->saved_blocked;
		current->restore_blocked = false;
	}
}

static int lowest_deliverable(const struct task *t)
{
	sigset_t s = t->pending & ~t->blocked;

	return s ? __builtin_ctzll(s) + 1 : 0;
}

static void __noreturn die_of_signal(int sig)
{
	const struct fault_info *f = &current->fault;

	if (f->signo == sig)
		printk(KERN_ERR "%s[%d]: killed by SIG%s: %s %08x at eip %08x\n",
		       current->comm, current->pid, signal_name(sig), f->what,
		       f->uva, f->eip);
	do_exit(W_EXITCODE(0, sig));
}

static void stop_current(int sig)
{
	current->state = TASK_STOPPED;
	report_stop_change(current, W_STOPCODE(sig));
	schedule();
}

int setup_signal_frame(int sig, struct k_sigaction *a, struct trapframe *tf);

/**
 * signal_deliver - act on the lowest pending, unblocked signal of current,
 * which is returning to user mode with registers tf.
 * Context: interrupts off; may turn them on, switch away, or not return
 * (the process exits).
 */
void signal_deliver(struct trapframe *tf)
{
	int sig = lowest_deliverable(current);
	struct k_sigaction *a;

	if (!sig)
		return;
	current->pending &= ~sigmask(sig);
	if (current->tracer && sig != SIGKILL) {
		sig = ptrace_signal_stop(sig);	/* the tracer's choice */
		if (!sig)
			return;
		if (current->blocked & sigmask(sig)) {
			current->pending |= sigmask(sig);	/* later */
			return;
		}
	}
	a = action(current, sig);
	if (a->handler == SIG_IGN)
		return;
	if (a->handler == SIG_DFL) {
		if (IGNORED_BY_DEFAULT & sigmask(sig))
			return;
		if (STOP_SIGNALS & sigmask(sig)) {
			stop_current(sig);
			return;
		}
		die_of_signal(sig);
	}
	sti();
	fix_syscall_result(tf, true, a->flags);
	if (setup_signal_frame(sig, a, tf) < 0) {
		/* No room on the user stack for the frame: Linux kills. */
		current->fault = (struct fault_info){ SIGSEGV, tf->user_esp, tf->eip,
						      "no stack for a signal frame at" };
		die_of_signal(SIGSEGV);
	}
	cli();
}

/* ---- system calls ---- */

static long sys_rt_sigaction(int sig, const struct k_sigaction __user *uact,
			     struct k_sigaction __user *uoact, size_t setsize)
{
	struct k_sigaction new, *a;

	if (setsize != sizeof(sigset_t) || !valid_signal(sig))
		return -EINVAL;
	if (uact && copy_from_user(&new, uact, sizeof(new)))
		return -EFAULT;
	if (uact && (UNBLOCKABLE & sigmask(sig)))
		return -EINVAL;
	a = action(current, sig);
	if (uoact && copy_to_user(uoact, a, sizeof(*a)))
		return -EFAULT;
	if (uact) {
		new.mask &= ~UNBLOCKABLE;
		*a = new;
		/* Setting a pending signal to ignored discards it (POSIX). */
		if (is_ignored(current, sig))
			current->pending &= ~sigmask(sig);
	}
	return 0;
}
SYSCALL(__NR_rt_sigaction, sys_rt_sigaction);

static long sys_rt_sigprocmask(int how, const sigset_t __user *uset,
			       sigset_t __user *uoset, size_t setsize)
{
	sigset_t set, old = current->blocked;

	if (setsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uset) {
		if (how == SIG_BLOCK)
			set |= old;
		else if (how == SIG_UNBLOCK)
			set = old & ~set;
		else if (how != SIG_SETMASK)
			return -EINVAL;
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	if (uset)
		current->blocked = set & ~UNBLOCKABLE;
	return 0;
}
SYSCALL(__NR_rt_sigprocmask, sys_rt_sigprocmask);

static long sys_rt_sigpending(sigset_t __user *uset, size_t setsize)
{
	sigset_t set = current->pending & current->blocked;

	if (setsize != sizeof(sigset_t))
		return -EINVAL;
	return copy_to_user(uset, &set, sizeof(set));
}
SYSCALL(__NR_rt_sigpending, sys_rt_sigpending);

static bool nothing_pending(void)
{
	return !signal_pending(current);
}

static struct wait_queue never_woken = WAIT_QUEUE_INIT(never_woken);

/* Sleep until a signal; the caller returns -ERESTARTNOHAND. */
static void sleep_until_signal(void)
{
	(void)wait_event_interruptible(&never_woken, !nothing_pending());
}

static long sys_pause(void)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}
SYSCALL(__NR_pause, sys_pause);

static long sys_rt_sigsuspend(const sigset_t __user *umask, size_t setsize)
{
	sigset_t mask;

	if (setsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	current->saved_blocked = current->blocked;
	current->restore_blocked = true;
	current->blocked = mask & ~UNBLOCKABLE;
	sleep_until_signal();
	return -ERESTARTNOHAND;
}
SYSCALL(__NR_rt_sigsuspend, sys_rt_sigsuspend);

static int kill_one(struct task *t, void *arg)
{
	int *k = arg;	/* k[0] sig, k[1] found */

	if (t->pid > 1 && t != current && t->mm && t->state != TASK_ZOMBIE) {
		k[1] = 1;
		if (k[0])
			send_user_signal(t, k[0]);
	}
	return 0;
}

static long sys_kill(pid_t pid, int sig)
{
	struct task *t;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == -1) {	/* everyone but init and ourselves */
		int k[2] = { sig, 0 };

		for_each_task(kill_one, k);
		return k[1] ? 0 : -ESRCH;
	}
	if (pid <= 0) {
		pid_t pgrp = pid == 0 ? current->pgid : -pid;

		return send_signal_pgrp(pgrp, sig);	/* sig 0: just probe */
	}
	t = task_by_pid(pid);
	if (!t || (!t->mm && t->state != TASK_ZOMBIE))
		return -ESRCH;		/* kernel threads are not for signalling */
	return sig ? send_user_signal(t, sig) : 0;
}
SYSCALL(__NR_kill, sys_kill);

static long sys_alarm(unsigned int seconds)
{
	uint64_t now = jiffies_read(), left = 0;
	bool was_on = irq_save();

	if (current->alarm_at > now)	/* round up, as Linux does */
		left = (current->alarm_at - now + HZ - 1) / HZ;
	current->alarm_at = seconds ? now + (uint64_t)seconds * HZ : 0;
	irq_restore(was_on);
	return (long)left;
}
SYSCALL(__NR_alarm, sys_alarm);
