/*
 * kernel/proc.c - processes: fork, exit, wait, process groups, init.
 *
 * Owns: the parent/child tree (task->parent, children, sibling), exit
 * statuses, process groups and sessions, and the life of pid 1.
 *
 * Interface: include/proc.h.  The life of a process:
 *
 *	do_fork ----> child runnable, returns 0 through task_first_return
 *	do_execve --> (fs/exec.c) a new program in the same task
 *	do_exit ----> resources released, TASK_ZOMBIE, parent woken + SIGCHLD
 *	do_wait4 ---> the parent collects the status; the task is freed
 *
 * Invariants:
 *   - Every user task but init has a parent; a parent that exits hands its
 *     children to init, which reaps them.
 *   - A zombie holds only its struct task and kernel stack; its parent frees
 *     them (task_free) in do_wait4, after the zombie has switched away for
 *     the last time (one CPU: the parent cannot run before that).
 *
 * Locks: the tree and states change with interrupts off (kernel/sched.c's
 * rule); a task's own files, cwd and mm are touched only by itself.
 */
#include <buf.h>
#include <cmdline.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <proc.h>
#include <ptrace.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <timer.h>
#include <trap.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>
#include <walk.h>

struct task *init_task;
static size_t free_pages_before_init;	/* for the leak check at the end */

/* ---- fork ---- */

/* What the child shares with or copies from the parent, besides memory. */
static void copy_process_state(struct task *child, struct task *parent)
{
	for (int fd = 0; fd < NR_OPEN; fd++) {
		child->files[fd] = parent->files[fd];
		if (child->files[fd])
			file_get(child->files[fd]);
	}
	child->cloexec = parent->cloexec;
	child->cwd = parent->cwd;
	child->root = parent->root;
	if (child->cwd)
		ihold(child->cwd);
	if (child->root)
		ihold(child->root);
	child->umask = parent->umask;
	memcpy(child->sigactions, parent->sigactions, sizeof(child->sigactions));
	child->blocked = parent->blocked;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	__asm__ volatile("fxsave %0" : "=m"(child->fpu));	/* parent's live FPU */
}

/* for_each_task: count the processes -- user tasks, zombies included (a
 * kernel thread has no parent; init is the one process without). */
static int count_process(struct task *t, void *arg)
{
	if (t == init_task || t->parent)
		(*(uint32_t *)arg)++;
	return 0;
}

/* RLIMIT_NPROC: may current make one more process?  Linux counts the
 * processes of the caller's user; Walnut has one user. */
static bool may_add_process(void)
{
	uint32_t n = 0;

	for_each_task(count_process, &n);
	return n < rlimit(RLIMIT_NPROC);
}

/**
 * do_fork - a new process, a copy of current, which returns 0 to the child
 * through the same trap frame.
 * Return: the child's pid, -EAGAIN (RLIMIT_NPROC reached, or the process
 * table full) or -ENOMEM.
 */
int do_fork(struct trapframe *tf)
{
	struct task *child;
	struct context *ctx;

	if (!may_add_process())
		return -EAGAIN;
	child = task_alloc(current->comm);
	if (IS_ERR(child))
		return (int)PTR_ERR(child);
	child->mm = mm_fork(current->mm);
	if (!child->mm) {
		task_free(child);
		return -ENOMEM;
	}
	*child->tf = *tf;
	child->tf->eax = 0;			/* fork() returns 0 in the child */
	ctx = (struct context *)child->tf - 1;
	*ctx = (struct context){ .eip = (uint32_t)task_first_return };
	child->context = ctx;
	copy_process_state(child, current);
	cli();
	child->parent = current;
	list_add_tail(&child->sibling, &current->children);
	sti();
	task_set_runnable(child);
	return child->pid;
}

static long sys_fork(void)
{
	return do_fork(current->tf);
}
SYSCALL(__NR_fork, sys_fork);

/* ---- exit ---- */

static void release_files(struct task *t)
{
	for (int fd = 0; fd < NR_OPEN; fd++)
		if (t->files[fd])
			fd_close(fd);
	mutex_lock(&fs_lock);
	if (t->cwd)
		iput(t->cwd);
	if (t->root)
		iput(t->root);
	mutex_unlock(&fs_lock);
	t->cwd = t->root = NULL;
}

/* Hand current's children to init; wake init if any is a zombie already. */
static void reparent_children(void)
{
	struct task *c, *tmp;
	bool zombie = false;

	cli();
	list_for_each_entry_safe(c, tmp, &current->children, sibling) {
		list_del(&c->sibling);
		c->parent = init_task;
		list_add_tail(&c->sibling, &init_task->children);
		zombie |= c->state == TASK_ZOMBIE;
	}
	sti();
	if (zombie)
		wake_up(&init_task->child_wait);
}

static void __noreturn init_exit(int wait_status);

/**
 * do_exit - end current with wait_status (W_EXITCODE(code, signal)).
 * Releases everything but the task and its stack, which the parent frees
 * when it collects the status.  Context: process context, may sleep.
 */
void __noreturn do_exit(int wait_status)
{
	struct mm *mm = current->mm;

	if (current == init_task)
		init_exit(wait_status);
	release_files(current);
	ptrace_exit();
	reparent_children();
	rusage_leave_mm(current);
	mm_activate(NULL);		/* off the page tables we free next */
	current->mm = NULL;
	if (mm)
		mmput(mm);
	cli();
	current->exit_status = wait_status;
	current->state = TASK_ZOMBIE;
	current->alarm_at = 0;
	send_signal(current->parent, SIGCHLD);
	wake_up(&current->parent->child_wait);
	schedule();
	panic("do_exit: zombie %d ran again", current->pid);
}

static long sys_exit(int code)
{
	do_exit(W_EXITCODE(code, 0));
}
SYSCALL(__NR_exit, sys_exit);

static long sys_exit_group(int code)
{
	do_exit(W_EXITCODE(code, 0));
}
SYSCALL(__NR_exit_group, sys_exit_group);

/* ---- wait ---- */

static bool wait_matches(const struct task *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == current->pgid;
	if (pid == -1)
		return true;
	return c->pgid == -pid;
}

/* Does c have something for wait4 with these options: an exit, or an
 * unreported stop (WUNTRACED; always for c's tracer) or continue
 * (WCONTINUED)?  Stops and continues go to the tracer of a traced task,
 * not to its parent. */
static bool has_news(const struct task *c, int options)
{
	bool tracer = c->tracer == current;

	if (c->state == TASK_ZOMBIE)
		return true;
	if (!c->stop_unreported || ptrace_reports_to(c) != current)
		return false;
	if (c->stop_status == W_CONTINUED)
		return options & WCONTINUED;
	return (tracer || (options & WUNTRACED)) && c->state == TASK_STOPPED;
}

struct news_search {
	pid_t pid;
	int options;
	bool any;		/* a child or tracee matches pid */
	struct task *found;	/* ... and has news */
};

static bool consider(struct news_search *s, struct task *c)
{
	if (!wait_matches(c, s->pid))
		return false;
	s->any = true;
	if (has_news(c, s->options))
		s->found = c;
	return s->found != NULL;
}

/* for_each_task: the tracees of current that are not its children. */
static int consider_tracee(struct task *t, void *arg)
{
	return t->tracer == current && t->parent != current &&
	       consider(arg, t);
}

/* A child or tracee matching pid with news for wait4, or NULL; *any says
 * whether any matches at all. */
static struct task *find_news(pid_t pid, int options, bool *any)
{
	struct news_search s = { pid, options, false, NULL };
	struct task *c;

	list_for_each_entry(c, &current->children, sibling)
		if (consider(&s, c))
			break;
	if (!s.found)
		for_each_task(consider_tracee, &s);
	*any = s.any;
	return s.found;
}

/* Copy out c's status and its usage (kernel/resource.c). */
static int report_child(struct task *c, int status, int *ustatus,
			struct rusage32 *uru)
{
	struct rusage32 ru;

	rusage_of_child(c, &ru);
	if (ustatus && copy_to_user(ustatus, &status, sizeof(int)))
		return -EFAULT;
	if (uru && copy_to_user(uru, &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}

/* A traced zombie that is not our child: the tracer has its status; the
 * parent, told at exit, reaps it. */
static int report_tracee_exit(struct task *z, int *ustatus, void *urusage)
{
	int err = report_child(z, z->exit_status, ustatus, urusage);

	if (err)
		return err;
	z->tracer = NULL;
	return z->pid;
}

/**
 * do_wait4 - collect a child's exit status.  pid > 0: that child; 0: any in
 * our process group; -1: any; < -1: any in group -pid.
 * With WUNTRACED / WCONTINUED, a child's stop / continue is reported once,
 * and the child stays.
 * Return: the child's pid, 0 (WNOHANG and none has exited), -ECHILD (no
 * such child), -EFAULT (the child is left to collect again), -EINVAL (bad
 * options), -ERESTARTSYS (a signal came).
 */
int do_wait4(pid_t pid, int *ustatus, int options, void *urusage)
{
	struct task *z;
	bool any;
	int err;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return -EINVAL;
	for (;;) {
		z = find_news(pid, options, &any);
		if (z || !any || (options & WNOHANG))
			break;
		err = wait_event_interruptible(&current->child_wait,
				(z = find_news(pid, options, &any)) || !any);
		if (err)
			return err;
	}
	if (!z)
		return any ? 0 : -ECHILD;
	if (z->state == TASK_ZOMBIE && z->parent != current)
		return report_tracee_exit(z, ustatus, urusage);
	if (z->state != TASK_ZOMBIE) {		/* stopped or continued */
		err = report_child(z, z->stop_status, ustatus, urusage);
		if (!err)
			z->stop_unreported = false;
		return err ? err : z->pid;
	}
	err = report_child(z, z->exit_status, ustatus, urusage);
	if (err)
		return err;
	pid = z->pid;
	rusage_add_child(current, z);
	cli();
	list_del(&z->sibling);
	sti();
	task_free(z);
	return pid;
}

static long sys_wait4(pid_t pid, int __user *ustatus, int options,
		      void __user *urusage)
{
	return do_wait4(pid, ustatus, options, urusage);
}
SYSCALL(__NR_wait4, sys_wait4);

static long sys_waitpid(pid_t pid, int __user *ustatus, int options)
{
	return do_wait4(pid, ustatus, options, NULL);
}
SYSCALL(__NR_waitpid, sys_waitpid);

/* ---- identity, groups, sessions ---- */

static long sys_getpid(void)
{
	return current->pid;
}
SYSCALL(__NR_getpid, sys_getpid);

static long sys_gettid(void)
{
	return current->pid;
}
SYSCALL(__NR_gettid, sys_gettid);

static long sys_set_tid_address(int __user *tidptr)
{
	return current->pid;	/* one thread per process: nothing to clear */
}
SYSCALL(__NR_set_tid_address, sys_set_tid_address);

static long sys_getppid(void)
{
	return current->parent ? current->parent->pid : 0;
}
SYSCALL(__NR_getppid, sys_getppid);

static int group_in_session(struct task *t, void *arg)
{
	const pid_t *g = arg;	/* g[0] pgid, g[1] sid */

	return t->mm && t->pgid == g[0] && t->sid == g[1];
}

/* setpgid(pid, pgid): POSIX's rules, Linux's errnos. */
static long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct task *t = pid ? task_by_pid(pid) : current;
	pid_t g[2];

	if (pgid < 0)
		return -EINVAL;
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	if (t->sid == t->pid)
		return -EPERM;		/* a session leader stays put */
	if (t->sid != current->sid)
		return -EPERM;
	if (pgid == 0)
		pgid = t->pid;
	g[0] = pgid;
	g[1] = current->sid;
	if (pgid != t->pid && !for_each_task(group_in_session, g))
		return -EPERM;
	t->pgid = pgid;
	return 0;
}
SYSCALL(__NR_setpgid, sys_setpgid);

static long sys_getpgid(pid_t pid)
{
	struct task *t = pid ? task_by_pid(pid) : current;

	return t && t->mm ? t->pgid : -ESRCH;
}
SYSCALL(__NR_getpgid, sys_getpgid);

static long sys_getpgrp(void)
{
	return current->pgid;
}
SYSCALL(__NR_getpgrp, sys_getpgrp);

static long sys_getsid(pid_t pid)
{
	struct task *t = pid ? task_by_pid(pid) : current;

	return t && t->mm ? t->sid : -ESRCH;
}
SYSCALL(__NR_getsid, sys_getsid);

static int group_exists(struct task *t, void *arg)
{
	return t->mm && t->pgid == *(pid_t *)arg;
}

static long sys_setsid(void)
{
	pid_t me = current->pid;

	if (for_each_task(group_exists, &me))
		return -EPERM;		/* already leads a group */
	current->sid = current->pgid = me;
	return me;
}
SYSCALL(__NR_setsid, sys_setsid);

/* ---- init ---- */

struct init_start {
	const char *path;
	char *const *argv;
};

/* The body of pid 1 before it first enters user mode: exec, in the kernel,
 * then leave through the trap frame exec filled in. */
static int init_thread(void *arg)
{
	struct init_start *s = arg;
	int err = console_open_for_init(current);

	if (err)
		printk(KERN_WARNING "init: no console (%d): no fds 0, 1, 2\n", err);
	err = exec_kernel_argv(s->path, s->argv);
	if (err)
		panic("No working init found: %s: error %d", s->path, err);
	cli();
	enter_user(current->tf);
}

/* A clean count of free pages: what the buffer cache holds is released
 * first, so only real leaks differ. */
static size_t settled_free_pages(void)
{
	bsync(NULL);
	buf_shrink(SIZE_MAX);
	return nr_free_pages();
}

/* Remember the free pages now, for the leak check when init exits.  From
 * kmain, after every task but init's children exists and before any runs. */
void proc_note_free_pages(void)
{
	free_pages_before_init = settled_free_pages();
}

/**
 * proc_start_init - create pid 1 running path with argv (kernel strings),
 * its root and cwd the root filesystem.  When it first runs it opens the
 * console as fds 0-2 and execs (init_thread).
 * Return: 0, or -errno if the task could not even be made.
 */
int proc_start_init(const char *path, char *const argv[])
{
	static struct init_start start;
	struct task *t;
	struct context *ctx;

	if (!root_sb)
		return -ENOENT;
	t = task_alloc("init");
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	t->root = t->cwd = root_sb->root;
	ihold(t->root);
	ihold(t->cwd);
	t->umask = 022;
	t->pgid = t->sid = t->pid;
	start = (struct init_start){ path, argv };
	ctx = (struct context *)t->tf - 1;
	*ctx = (struct context){ .ebx = (uint32_t)init_thread,
				 .esi = (uint32_t)&start,
				 .eip = (uint32_t)kthread_start };
	t->context = ctx;
	init_task = t;
	task_set_runnable(t);
	return 0;
}

static int kill_all_but_init(struct task *t, void *arg)
{
	if (t != init_task && t->mm && t->state != TASK_ZOMBIE) {
		send_signal(t, SIGKILL);
		(*(int *)arg)++;
	}
	return 0;
}

/* init has exited: end every other process, reap them all, check nothing
 * leaked, and power off with init's status (what the harness reads). */
static void __noreturn init_exit(int wait_status)
{
	int alive;
	size_t after;

	current->blocked = ~0ull;	/* nothing may cut the sleeps below short */
	current->pending = 0;
	do {
		alive = 0;
		for_each_task(kill_all_but_init, &alive);
		while (do_wait4(-1, NULL, WNOHANG, NULL) > 0)
			;
		if (alive)
			sleep_ticks(1);
	} while (alive || !list_empty(&current->children));
	release_files(current);
	mm_activate(NULL);
	mmput(current->mm);
	current->mm = NULL;
	after = settled_free_pages();
	printk(KERN_NOTICE "init: exited with status %d (code %d, signal %d)\n", wait_status,
	       (wait_status >> 8) & 0xff, wait_status & 0x7f);
	printk(KERN_NOTICE "init: free pages %zu before, %zu after\n",
	       free_pages_before_init, after);
	if (after != free_pages_before_init)
		printk(KERN_ERR "LEAK: %ld pages not returned\n",
		       (long)free_pages_before_init - (long)after);
	if (pins_outstanding())
		printk(KERN_ERR "LEAK: %lu page pins not released\n", pins_outstanding());
	power_off(after == free_pages_before_init && !pins_outstanding() ? EXIT_OK
									 : EXIT_TESTS_FAILED);
}
