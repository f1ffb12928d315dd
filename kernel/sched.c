/*
 * kernel/sched.c - tasks, the run queue, sleeping and waking, time slices,
 * kernel threads.
 *
 * Owns: the task table (one slot per pid in use), the run queue, current,
 * the idle task, and each task's kernel stack and FPU state.
 *
 * Interface: include/sched.h and include/wait.h.
 *
 * Invariants:
 *   - A task is on the run queue iff it is TASK_RUNNING, not the idle
 *     task, and not current -- except inside schedule(), which queues
 *     current at the back before it picks the next task.
 *   - A TASK_SLEEPING task is on exactly one wait queue (its waiter lives
 *     on its own stack, in sleep_on), on one per watched file (poll and
 *     select: fs/select.c), or is in sleep_ticks.
 *   - The FPU registers always hold current's user FPU state: the kernel is
 *     built without FPU/SSE instructions (-mgeneral-regs-only), so they are
 *     saved and restored only here, on a switch.
 *   - The CPU runs on current's kernel stack and address space, and the TSS
 *     gives the CPU current's kernel stack top for the next trap from user.
 *
 * Locks: all of this is guarded by interrupts being off (one CPU).  Every
 * function turns them off, or asserts they are.  Interrupt handlers may call
 * wake_task/wake_up/send_signal, never sleep.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <proc.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <timer.h>
#include <trap.h>
#include <vm.h>
#include <x86.h>

#define CR0_MP		0x00000002u	/* SDM vol. 3 §2.5: monitor coprocessor */
#define CR0_EM		0x00000004u	/* emulate FPU: must be clear */
#define CR0_NE		0x00000020u	/* native FPU error reporting */
#define CR4_OSFXSR	0x00000200u	/* fxsave/fxrstor and SSE allowed */
#define CPUID_EDX_FXSR	(1u << 24)

struct task *current;
static struct task boot_task;		/* kmain's thread, later the idle task */
static struct task *idle_task;		/* runs when nothing else can */
static LIST_HEAD(runqueue);
static LIST_HEAD(dead_kthreads);	/* exited, stacks still to free */
static struct task *task_table[NR_TASKS];	/* by slot; pid % NR_TASKS */
static pid_t last_pid;
static struct fpu_state fpu_initial;	/* after fninit: for new tasks */
static struct wait_queue timer_wq = WAIT_QUEUE_INIT(timer_wq);

extern char boot_stack_bottom[];

static inline void assert_irqs_off(void)
{
	assert(!irqs_enabled() && "caller must have interrupts off");
}

static void fpu_init(void)
{
	uint32_t eax = 1, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	if (!(edx & CPUID_EDX_FXSR))
		panic("fpu_init: this CPU has no fxsave; Walnut needs a Pentium II or later");
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR);
	__asm__ volatile("fninit; fxsave %0" : "=m"(fpu_initial));
}

void fpu_reset(void)
{
	current->fpu = fpu_initial;
	__asm__ volatile("fxrstor %0" : : "m"(current->fpu));
}

void sched_init(void)
{
	fpu_init();
	boot_task.pid = 0;
	strlcpy(boot_task.comm, "swapper", sizeof(boot_task.comm));
	boot_task.state = TASK_RUNNING;
	boot_task.kstack = boot_stack_bottom;
	boot_task.slice_left = SCHED_SLICE_TICKS;
	rlimit_defaults(&boot_task);	/* self-tests open files, map memory */
	list_init(&boot_task.children);
	wait_queue_init(&boot_task.child_wait);
	task_table[0] = &boot_task;
	current = &boot_task;
}

/* ---- the task table ---- */

/* Give t a pid and a slot.  Return 0, or -EAGAIN if the table is full. */
static int pid_alloc(struct task *t)
{
	bool was_on = irq_save();
	int err = -EAGAIN;

	for (unsigned int tries = 0; tries < NR_TASKS; tries++) {
		pid_t pid = last_pid + 1 > 32767 ? 1 : last_pid + 1;

		last_pid = pid;
		if (!task_table[pid % NR_TASKS]) {
			t->pid = pid;
			task_table[pid % NR_TASKS] = t;
			err = 0;
			break;
		}
	}
	irq_restore(was_on);
	return err;
}

struct task *task_by_pid(pid_t pid)
{
	struct task *t;

	if (pid < 0)
		return NULL;
	t = task_table[pid % NR_TASKS];
	return t && t->pid == pid ? t : NULL;
}

/* Call fn for every task, in slot order, until it returns non-zero. */
int for_each_task(int (*fn)(struct task *t, void *arg), void *arg)
{
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		int r;

		if (!task_table[i])
			continue;
		r = fn(task_table[i], arg);
		if (r)
			return r;
	}
	return 0;
}

/**
 * task_alloc - a new task with a pid and a kernel stack, not yet runnable.
 * Return: the task, ERR_PTR(-EAGAIN) if the table is full, or
 * ERR_PTR(-ENOMEM).
 */
struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t), ALLOC_KERNEL);
	struct page *stack;
	int err;

	if (!t)
		return ERR_PTR(-ENOMEM);
	stack = alloc_pages(KSTACK_ORDER, ALLOC_KERNEL);
	if (!stack) {
		kfree(t);
		return ERR_PTR(-ENOMEM);
	}
	t->kstack = page_to_kva(stack);
	err = pid_alloc(t);
	if (err) {
		free_pages(stack, KSTACK_ORDER);
		kfree(t);
		return ERR_PTR(err);
	}
	strlcpy(t->comm, name, sizeof(t->comm));
	t->state = TASK_SLEEPING;	/* not runnable until task_set_runnable */
	t->sleep_kind = SLEEP_UNINTERRUPTIBLE;
	t->fpu = fpu_initial;
	t->tf = (struct trapframe *)((char *)t->kstack + KSTACK_SIZE) - 1;
	t->syscall_nr = -1;
	t->start_jiffies = jiffies_read();
	rlimit_defaults(t);		/* fork copies the parent's over them */
	list_init(&t->children);
	wait_queue_init(&t->child_wait);
	return t;
}

/* Free a task that will never run again (and is not current). */
void task_free(struct task *t)
{
	bool was_on = irq_save();

	assert(t != current && !t->on_runqueue);
	task_table[t->pid % NR_TASKS] = NULL;
	irq_restore(was_on);
	free_pages(kva_to_page(t->kstack), KSTACK_ORDER);
	kfree(t);
}

/* ---- the run queue ---- */

/* Queue t at the back.  schedule() queues current itself when it gives up
 * the CPU still runnable (the bug this once had: refusing current here lost
 * every preempted task for good -- sched_preempted_task_runs_again). */
static void runqueue_add(struct task *t)
{
	if (t->on_runqueue || t == idle_task)
		return;
	list_add_tail(&t->run_node, &runqueue);
	t->on_runqueue = true;
}

static struct task *runqueue_pop(void)
{
	struct task *t;

	if (list_empty(&runqueue))
		return NULL;
	t = list_first_entry(&runqueue, struct task, run_node);
	list_del(&t->run_node);
	t->on_runqueue = false;
	return t;
}

void task_set_runnable(struct task *t)
{
	bool was_on = irq_save();

	t->state = TASK_RUNNING;
	if (t != current)
		runqueue_add(t);
	irq_restore(was_on);
}

/* Make a sleeping task runnable; any other state is left alone. */
void wake_task(struct task *t)
{
	bool was_on = irq_save();

	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		if (t != current)	/* still on its way to schedule() */
			runqueue_add(t);
	}
	irq_restore(was_on);
}

/* The next task to run.  With nothing runnable before the idle task exists
 * (boot-time self-tests sleeping on the disk), halt here until an interrupt
 * makes something runnable. */
static struct task *pick_next(struct task *prev)
{
	for (;;) {
		struct task *next = runqueue_pop();

		if (next)
			return next;
		if (prev->state == TASK_RUNNING)
			return prev;
		if (idle_task)
			return idle_task;
		wait_for_interrupt();
	}
}

/* Free the stacks of kernel threads that have exited: they can't free their
 * own while running on them. */
static void reap_dead_kthreads(void)
{
	struct task *t, *tmp;

	list_for_each_entry_safe(t, tmp, &dead_kthreads, run_node) {
		list_del(&t->run_node);
		task_free(t);
	}
}

/* Run in the new task after every switch, and first thing in a new task. */
void sched_finish_switch(void);
void sched_finish_switch(void)
{
	reap_dead_kthreads();
}

static void switch_to(struct task *prev, struct task *next)
{
	__asm__ volatile("fxsave %0" : "=m"(prev->fpu));
	__asm__ volatile("fxrstor %0" : : "m"(next->fpu));
	mm_activate(next->mm);
	tss_set_kernel_stack((uint32_t)next->kstack + KSTACK_SIZE);
	sysenter_set_stack((uint32_t)next->kstack + KSTACK_SIZE);
	current = next;
	switch_context(&prev->context, next->context);
	sched_finish_switch();		/* back in prev, later */
}

/**
 * schedule - give the CPU to the next runnable task.  If current is still
 * TASK_RUNNING it goes to the back of the run queue; otherwise it has put
 * itself on a wait queue (or exited) and runs again after a wake-up.
 * Context: may be called with interrupts on or off; returns in the same
 * state.  Never with a spin lock held.
 */
void schedule(void)
{
	bool was_on = irq_save();
	struct task *prev = current, *next;

	if (prev->state == TASK_RUNNING)
		runqueue_add(prev);
	next = pick_next(prev);
	prev->need_resched = false;
	if (next->slice_left == 0)
		next->slice_left = SCHED_SLICE_TICKS;
	if (next != prev) {
		if (prev->state == TASK_RUNNING)	/* getrusage's counts */
			prev->nivcsw++;
		else
			prev->nvcsw++;
		switch_to(prev, next);
	}
	irq_restore(was_on);
}

/* sched_yield(2): to the back of the run queue; the CPU comes back once
 * every other runnable task has had it.  Alone, it returns at once. */
static long sys_sched_yield(void)
{
	schedule();
	return 0;
}
SYSCALL(__NR_sched_yield, sys_sched_yield);

/* ---- sleeping ---- */

/* Sleep with waiters the caller has put on its queues itself: one for
 * sleep_on, one per file for poll (fs/select.c). */
void sleep_queued(enum sleep_kind kind)
{
	assert_irqs_off();
	assert(current != idle_task && "the idle task must never sleep");
	current->state = TASK_SLEEPING;
	current->sleep_kind = kind;
	schedule();
}

void sleep_on(struct wait_queue *wq, enum sleep_kind kind)
{
	struct waiter w = { .task = current };

	assert_irqs_off();
	list_add_tail(&w.node, &wq->waiters);
	sleep_queued(kind);
	list_del(&w.node);
}

void wake_up(struct wait_queue *wq)
{
	bool was_on = irq_save();
	struct waiter *w;

	list_for_each_entry(w, &wq->waiters, node)
		wake_task(w->task);
	irq_restore(was_on);
}

/* Sleep for ticks timer ticks.  Return 0, or -ERESTARTSYS if a signal came
 * first. */
int sleep_ticks(uint64_t ticks)
{
	uint64_t deadline = jiffies_read() + ticks;
	int err;

	current->wake_at = deadline;
	err = wait_event_interruptible(&timer_wq, jiffies_read() >= deadline);
	current->wake_at = 0;
	return err;
}

/* The per-tick work for one task: timers and accounting. */
static void tick_task(struct task *t, uint64_t now)
{
	if (t->wake_at && now >= t->wake_at)
		wake_task(t);
	if (t->alarm_at && now >= t->alarm_at) {
		t->alarm_at = 0;
		send_signal(t, SIGALRM);
	}
}

/* From the timer interrupt (interrupts off). */
void sched_tick(bool from_user)
{
	uint64_t now = jiffies_read();

	if (from_user)
		current->utime++;
	else if (current != idle_task)
		current->stime++;
	for (unsigned int i = 0; i < NR_TASKS; i++)
		if (task_table[i])
			tick_task(task_table[i], now);
	if (current->slice_left > 0 && --current->slice_left == 0)
		current->need_resched = true;
	if (current == idle_task && !list_empty(&runqueue))
		current->need_resched = true;
}

/* On every return to user mode: take the CPU away if the slice is used up,
 * and act on pending signals.  Interrupts off on return. */
void sched_before_user_return(struct trapframe *tf)
{
	cli();
	for (;;) {
		if (current->need_resched) {
			schedule();
			continue;
		}
		if (!signal_pending(current))
			break;
		signal_deliver(tf);	/* may switch away, or exit */
		cli();
	}
}

/* ---- kernel threads and the idle task ---- */

/**
 * kthread_create - a kernel thread running fn(arg), runnable at once.  When
 * fn returns, the thread exits.  Return: the task or an error pointer.
 */
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task *t = task_alloc(name);
	struct context *ctx;

	if (IS_ERR(t))
		return t;
	ctx = (struct context *)t->tf - 1;
	*ctx = (struct context){ .ebx = (uint32_t)fn, .esi = (uint32_t)arg,
				 .eip = (uint32_t)kthread_start };
	t->context = ctx;
	t->parent = NULL;
	task_set_runnable(t);
	return t;
}

void __noreturn kthread_exit(int status)
{
	cli();
	printk(KERN_DEBUG "kthread %s exited (%d)\n", current->comm, status);
	current->state = TASK_ZOMBIE;
	list_add_tail(&current->run_node, &dead_kthreads);
	schedule();
	panic("kthread_exit: a dead kernel thread ran again");
}

/* kmain's last act: the boot thread becomes the idle task. */
void __noreturn sched_idle(void)
{
	strlcpy(current->comm, "idle", sizeof(current->comm));
	idle_task = current;
	for (;;) {
		cli();
		if (!list_empty(&runqueue))
			schedule();
		else
			wait_for_interrupt();	/* sti; hlt; cli */
	}
}

/* ---- mutexes (include/mutex.h) ---- */

void mutex_lock(struct mutex *m)
{
	bool was_on = irq_save();

	if (m->owner == current) {
		if (!m->recursive)
			panic("mutex %s: taken twice by %s (self-deadlock)", m->name,
			      current->comm);
		m->depth++;
	} else {
		while (m->owner)
			sleep_on(&m->waiters, SLEEP_UNINTERRUPTIBLE);
		m->owner = current;
		m->depth = 1;
	}
	irq_restore(was_on);
}

void mutex_unlock(struct mutex *m)
{
	bool was_on = irq_save();

	if (m->owner != current)
		panic("mutex %s: released by %s, which does not hold it", m->name,
		      current->comm);
	if (--m->depth == 0) {
		m->owner = NULL;
		wake_up(&m->waiters);
	}
	irq_restore(was_on);
}

bool mutex_held(const struct mutex *m)
{
	return m->owner == current;
}
