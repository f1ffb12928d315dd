/* include/sched.h - tasks and the scheduler (kernel/sched.c, kernel/proc.c).
 *
 * A task is a thread of control with its own kernel stack.  A user process is
 * a task with an address space (task->mm); a kernel thread has none.  There is
 * one task per process (no user threads).
 *
 * Scheduling: round-robin over the runnable tasks, a time slice of
 * SCHED_SLICE_TICKS timer ticks.  The kernel is not preemptible: a task in
 * the kernel runs until it sleeps, exits or returns to user mode, and the
 * timer only sets need_resched, which the trap-return path honours.  When
 * nothing is runnable the idle task halts the CPU.
 *
 * Interface:
 *   sched_init()                 the boot thread becomes task 0
 *   kthread_create(fn, arg, name) a kernel thread, runnable
 *   schedule()                   give up the CPU (interrupts off on entry)
 *   wake_task(t)                 make a sleeping task runnable
 *   sleep_on(wq, kind) / wake_up(wq)   include/wait.h
 *   sleep_ticks(n)               interruptible sleep for n ticks
 *   sched_tick()                 from the timer interrupt
 *   sched_idle()                 the boot thread's last act
 *
 * Locks: the run queue and task states are guarded by interrupts being off
 * (uniprocessor): every function here runs with them off or turns them off.
 */
#ifndef WALNUT_SCHED_H
#define WALNUT_SCHED_H

#include <list.h>
#include <resource.h>
#include <signals.h>
#include <types.h>
#include <wait.h>

#define NR_TASKS		128	/* the process table; fork past it: -EAGAIN */
#define NR_OPEN			64	/* file descriptors per process */
#define ENOSYS_WORDS		17	/* bits for system-call numbers 0-511,
					   and one for any number past them */
#define KSTACK_ORDER		1	/* kernel stacks are 2^1 pages */
#define KSTACK_SIZE		(4096u << KSTACK_ORDER)
#define SCHED_SLICE_TICKS	5	/* 50 ms at HZ = 100 */
#define TASK_COMM_LEN		16

typedef int pid_t;

enum task_state {
	TASK_RUNNING,		/* running, or on the run queue */
	TASK_SLEEPING,		/* on a wait queue; see sleep_kind */
	TASK_STOPPED,		/* SIGSTOP and friends, until SIGCONT */
	TASK_ZOMBIE,		/* exited; parent has not waited yet */
};

/* Callee-saved registers of a task that is switched out (arch/i386/switch.asm). */
struct context {
	uint32_t edi, esi, ebx, ebp, eip;
};

/* The FPU/SSE registers, as fxsave stores them (SDM vol. 1 §10.5.1). */
struct fpu_state {
	uint8_t fxsave[512];
} __attribute__((aligned(16)));

struct mm;
struct file;
struct inode;
struct trapframe;

/*
 * Fields say who may change them:
 *   [I] set at creation  [c] only the task itself  [s] scheduler, irqs off
 *   [p] the process table (kernel/proc.c), irqs off or the task itself
 */
struct task {
	pid_t pid;				/* [I] */
	char comm[TASK_COMM_LEN];		/* [c] program name */
	enum task_state state;			/* [s] */
	enum sleep_kind sleep_kind;		/* [s] while TASK_SLEEPING */
	bool on_runqueue;			/* [s] */
	bool need_resched;			/* [s] honoured on return to user */
	unsigned int slice_left;		/* [s] ticks */
	struct list_head run_node;		/* [s] run queue */
	struct context *context;		/* [s] while switched out */
	void *kstack;				/* [I] kva, KSTACK_SIZE bytes */
	struct trapframe *tf;			/* [c] user registers, at kstack top */
	struct fpu_state fpu;			/* [s] saved while switched out */

	struct mm *mm;				/* [c] NULL for kernel threads */

	struct task *parent;			/* [p] */
	struct list_head children;		/* [p] of struct task.sibling */
	struct list_head sibling;		/* [p] */
	struct wait_queue child_wait;		/* [p] woken when a child changes */
	pid_t pgid, sid;			/* [p] */
	int exit_status;			/* [p] wait status, once a zombie */
	int stop_status;			/* [p] wait status of the last stop
						   (sig << 8 | 0x7f) or continue
						   (0xffff) ... */
	bool stop_unreported;			/* [p] ... not yet seen by wait4 */
	struct task *tracer;			/* [p] ptrace: who traces us, or
						   NULL (kernel/ptrace.c) */
	bool ptrace_stopped;			/* [p] stopped for the tracer: only
						   it (or SIGKILL) resumes us */
	int ptrace_resume_sig;			/* [p] the signal the tracer gave
						   back on resuming us, or 0 */

	struct file *files[NR_OPEN];		/* [c] */
	uint64_t cloexec;			/* [c] bit fd: close on exec */
	struct inode *cwd, *root;		/* [c] held */
	uint32_t umask;				/* [c] */

	struct k_sigaction sigactions[NSIG];	/* [c] index sig - 1 */
	sigset_t blocked;			/* [c] */
	sigset_t pending;			/* [s] */
	sigset_t saved_blocked;			/* [c] sigsuspend's mask to put back */
	bool restore_blocked;			/* [c] ... once a handler has run */
	struct fault_info fault;		/* [c] why a fault signal came */
	int syscall_nr;				/* [c] for restarting, or -1 */
	uint32_t enosys_said[ENOSYS_WORDS];	/* [c] unknown system calls already
						   reported on the console, by
						   number (kernel/syscall.c) */

	uint64_t wake_at;			/* [s] sleep_ticks deadline, or 0 */
	uint64_t alarm_at;			/* [s] SIGALRM deadline, or 0 */

	uint64_t start_jiffies;			/* [I] */
	uint64_t utime, stime;			/* [s] ticks spent in user/kernel */
	uint64_t cutime, cstime;		/* [p] of waited-for children */
	unsigned long min_flt, maj_flt;		/* [c] page faults */
	unsigned long nvcsw, nivcsw;		/* [s] switches: slept, preempted */
	uint32_t maxrss;			/* [c] pages: largest RSS of the
						   address spaces it has left */
	unsigned long cmin_flt, cmaj_flt;	/* [p] of waited-for children, */
	unsigned long cnvcsw, cnivcsw;		/* [p] summed (kernel/resource.c) */
	uint32_t cmaxrss;			/* [p] pages: the largest of theirs */
	struct rlimit rlim[RLIM_NLIMITS];	/* [c] limits (include/resource.h);
						   also prlimit64 by another */
	unsigned int page_locks;		/* [c] page-cache pages this task has
						   locked (lock_page): the walker
						   and a resolving fault assert 0 */
	unsigned int pagefault_disabled;	/* [c] > 0: a kernel fault on a user
						   address is not resolved, only
						   fixed up (rule 6) */
};

extern struct task *current;	/* [s] the running task */

/* Page faults off for current's user copies (copy_from_user_nofault): a
 * fault goes straight to the copy's fix-up, so the copy comes back short
 * instead of sleeping on a page lock the copier may hold.  Nests. */
static inline void pagefault_disable(void)
{
	current->pagefault_disabled++;
}

static inline void pagefault_enable(void)
{
	current->pagefault_disabled--;
}

void sched_init(void);
struct task *task_alloc(const char *name);	/* not yet runnable */
void task_free(struct task *t);
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name);
void __noreturn kthread_exit(int status);
void task_set_runnable(struct task *t);
void schedule(void);
void wake_task(struct task *t);
int sleep_ticks(uint64_t ticks);	/* 0, or -ERESTARTSYS on a signal */
void sched_tick(bool from_user);
void __noreturn sched_idle(void);
void sched_before_user_return(struct trapframe *tf);
void fpu_reset(void);		/* current's FPU to the power-on state */

/* arch/i386/switch.asm */
void switch_context(struct context **save, struct context *next);
void task_first_return(void);	/* a new user task's first "return" */
void kthread_start(void);	/* a new kernel thread's first "return" */

#endif
