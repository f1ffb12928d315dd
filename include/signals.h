/* include/signals.h - signals, Linux i386 numbering and structures
 * (kernel/signal.c).
 *
 * A signal is sent by setting its bit in the target's pending set
 * (send_signal); it is acted on when the target next returns to user mode
 * (signal_deliver, from the trap-return path): ignored, default action
 * (terminate, stop, continue), or a handler run on the user stack with a
 * frame laid out as Linux lays it out, which sigreturn/rt_sigreturn undo.
 * Blocked signals stay pending.  SIGKILL and SIGSTOP cannot be caught,
 * blocked or ignored.
 */
#ifndef WALNUT_SIGNAL_H
#define WALNUT_SIGNAL_H

#include <types.h>

#define NSIG		64	/* signals 1..64 */

/* Linux i386 numbers (signal(7)). */
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31

typedef uint64_t sigset_t;	/* bit (sig - 1) */

static inline sigset_t sigmask(int sig)
{
	return 1ull << (sig - 1);
}

#define SIG_DFL		0u
#define SIG_IGN		1u

/* sa_flags, Linux values. */
#define SA_NOCLDSTOP	0x00000001u
#define SA_NOCLDWAIT	0x00000002u
#define SA_SIGINFO	0x00000004u
#define SA_RESTORER	0x04000000u
#define SA_ONSTACK	0x08000000u
#define SA_RESTART	0x10000000u
#define SA_NODEFER	0x40000000u
#define SA_RESETHAND	0x80000000u

/* rt_sigprocmask how. */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* The kernel's struct sigaction as rt_sigaction(2) passes it on i386. */
struct k_sigaction {
	uint32_t handler;	/* uva, or SIG_DFL / SIG_IGN */
	uint32_t flags;
	uint32_t restorer;	/* uva of the sigreturn trampoline */
	sigset_t mask;		/* blocked while the handler runs */
};

/* Why a synchronous fault signal was sent: printed if it kills. */
struct fault_info {
	int signo;		/* 0: none recorded */
	uint32_t uva;		/* the address touched */
	uint32_t eip;		/* the instruction */
	const char *what;	/* "read of unmapped address" ... */
};

/* Internal "restart me" results of an interrupted system call: never seen
 * by user space (kernel/signal.c turns them into a restart or -EINTR). */
#define ERESTARTNOINTR	513	/* always restart */
#define ERESTARTNOHAND	514	/* restart unless a handler ran: pause */

struct task;
struct trapframe;

int send_signal(struct task *t, int sig);
void report_stop_change(struct task *t, int status);	/* to wait4 */
int send_signal_pgrp(int pgrp, int sig);	/* -ESRCH if the group is empty */
void force_fault_signal(int sig, uint32_t uva, const char *what,
			const struct trapframe *tf);
bool signal_pending(const struct task *t);
void signal_deliver(struct trapframe *tf);	/* on the way back to user mode */
void signal_reset_on_exec(struct task *t);
void signal_finish_syscall(struct trapframe *tf);	/* no handler ran */
const char *signal_name(int sig);

#endif
