/*
 * fs/select.c - waiting for any of several files: poll(2) and select(2)
 * (_newselect, 142).
 *
 * Owns: the poll table -- one waiter of the calling task per wait queue a
 * watched file named -- for the length of one call.
 *
 * Both calls turn their arguments into an array of struct kpollfd (fd,
 * the events that count, the events seen) and hand it to poll_files:
 *
 *	interrupts off
 *	pass 1: ask every file (ops->poll) with the table: each names its
 *	        queues, and poll_queue puts one waiter of ours on each
 *	while nothing is ready, no timeout, no signal:
 *	        sleep (sleep_queued) -- any of the queues, the timer (wake_at)
 *	        or a signal wakes us -- then ask every file again, no table
 *	take every waiter off its queue; interrupts back on
 *
 *	            pipe A rd_wait      tty read_wait       pipe B wr_wait
 *	               |                     |                    |
 *	            [waiter]             [waiter]             [waiter]
 *	               \_____________________|____________________/
 *	                              task T (TASK_SLEEPING)
 *
 * No wake-up is lost: the files are asked and the task goes to sleep with
 * interrupts off throughout (one CPU), and the waiters are already on the
 * queues when a file is asked, so a change after we ask it wakes us.  The
 * files' poll ops must therefore not sleep (include/poll.h).
 *
 * Timeouts are in ticks, rounded up plus one for the tick in progress, so
 * a call waits at least as long as asked (as nanosleep).  A signal ends the
 * wait with -ERESTARTNOHAND: -EINTR after a handler, as Linux's poll and
 * select (they are not restarted even with SA_RESTART); restarted if no
 * handler ran -- select then goes on with the time left, which it has
 * written back; poll starts its timeout again (Linux restarts it with the
 * time left).
 *
 * Locks: none held; the files are the caller's own descriptors, which no
 * one else can close while it sleeps here (one thread per process).
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <poll.h>
#include <resource.h>
#include <sched.h>
#include <signals.h>
#include <syscall.h>
#include <timer.h>
#include <uaccess.h>
#include <vfs.h>
#include <wait.h>
#include <x86.h>

#define NSEC_PER_SEC	1000000000u
#define NSEC_PER_USEC	1000u
#define USEC_PER_SEC	1000000u
#define NSEC_PER_MSEC	1000000u
#define MSEC_PER_SEC	1000u

/* What select's three sets ask for, as Linux maps them onto poll bits. */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	POLLPRI

unsigned int vfs_poll(struct file *f, struct poll_table *pt)
{
	bool was_on;
	unsigned int mask;

	if (!f->ops->poll)
		return DEFAULT_POLLMASK;
	was_on = irq_save();
	mask = f->ops->poll(f, pt);
	irq_restore(was_on);
	return mask;
}

/* ---- the poll table ---- */

struct poll_entry {
	struct waiter w;		/* on one file's queue */
};

struct poll_wqueues {
	struct poll_table pt;		/* first: what the files see */
	struct poll_entry *entries;	/* kmalloc'ed, max of them */
	unsigned int n, max;
	bool overflow;			/* a file named more queues than we
					   had room for: poll it each tick */
};

/* poll_wait's work during the first pass: one waiter of ours on wq. */
static void poll_queue(struct poll_table *pt, struct wait_queue *wq)
{
	struct poll_wqueues *pw = (struct poll_wqueues *)pt;
	struct poll_entry *e;

	if (pw->n == pw->max) {
		pw->overflow = true;
		return;
	}
	e = &pw->entries[pw->n++];
	e->w.task = current;
	list_add_tail(&e->w.node, &wq->waiters);
}

/* Room for POLL_QUEUES_PER_FILE waiters per file.  0 or -ENOMEM. */
static int poll_wqueues_init(struct poll_wqueues *pw, unsigned int nfiles)
{
	*pw = (struct poll_wqueues){ .pt.queue = poll_queue,
				     .max = nfiles * POLL_QUEUES_PER_FILE };
	if (!pw->max)
		return 0;
	pw->entries = kmalloc(pw->max * sizeof(*pw->entries), ALLOC_KERNEL);
	return pw->entries ? 0 : -ENOMEM;
}

/* Every waiter off its queue.  Interrupts off. */
static void poll_wqueues_remove(struct poll_wqueues *pw)
{
	for (unsigned int i = 0; i < pw->n; i++)
		list_del(&pw->entries[i].w.node);
	pw->n = 0;
}

/* ---- the wait ---- */

/* One watched descriptor.  events: the bits that count as ready (poll
 * adds POLLERR and POLLHUP, which it always reports); revents: those
 * seen, or POLLNVAL for a descriptor that is not open. */
struct kpollfd {
	int fd;
	uint16_t events, revents;
};

/* Ask every file once (pt: registering on their queues).  Interrupts off.
 * Return: how many have something to report. */
static unsigned int poll_pass(struct kpollfd *fds, unsigned int n,
			      struct poll_table *pt)
{
	unsigned int ready = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct file *f;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;		/* poll: ignored, as Linux */
		f = fd_file(fds[i].fd);
		fds[i].revents = f ? vfs_poll(f, pt) & fds[i].events : POLLNVAL;
		ready += fds[i].revents != 0;
	}
	return ready;
}

/* When to wake for the timer: the deadline (0: none), or the next tick
 * if a file could not be given a waiter. */
static uint64_t next_wake(const struct poll_wqueues *pw, uint64_t deadline)
{
	uint64_t soon = jiffies_read() + 1;

	if (!pw->overflow)
		return deadline;
	return deadline && deadline < soon ? deadline : soon;
}

/**
 * poll_files - wait until one of fds is ready, ticks pass (< 0: for ever;
 * 0: don't wait) or a signal comes.  fds[].revents says what is ready.
 * Return: the number of ready entries (0 at the timeout), -ERESTARTNOHAND
 * (a signal, nothing ready), -ENOMEM.
 */
static long poll_files(struct kpollfd *fds, unsigned int n, int64_t ticks)
{
	uint64_t deadline = ticks > 0 ? jiffies_read() + (uint64_t)ticks : 0;
	struct poll_wqueues pw;
	long ready;
	bool was_on;

	if (poll_wqueues_init(&pw, n))
		return -ENOMEM;
	was_on = irq_save();
	for (;;) {
		ready = poll_pass(fds, n, pw.pt.queue ? &pw.pt : NULL);
		pw.pt.queue = NULL;	/* the waiters stay until the end */
		if (ready || ticks == 0 || (deadline && jiffies_read() >= deadline))
			break;
		if (current_signal_pending()) {
			ready = -ERESTARTNOHAND;
			break;
		}
		current->wake_at = next_wake(&pw, deadline);
		sleep_queued(SLEEP_INTERRUPTIBLE);
	}
	current->wake_at = 0;
	poll_wqueues_remove(&pw);
	irq_restore(was_on);
	kfree(pw.entries);
	return ready;
}

/* A time in nanoseconds as ticks to wait: at least that long. */
static int64_t ns_to_ticks(uint64_t ns)
{
	return (int64_t)((ns + NSEC_PER_TICK - 1) / NSEC_PER_TICK + (ns ? 1 : 0));
}

/* ---- poll ---- */

struct pollfd32 {			/* Linux's struct pollfd */
	int32_t fd;
	int16_t events, revents;
};

/**
 * poll(ufds, nfds, timeout_ms) - Linux's checks: nfds above RLIMIT_NOFILE
 * -EINVAL, a bad array -EFAULT; a negative timeout waits for ever.  The
 * revents go back for every entry, even after a signal.
 */
static long sys_poll(struct pollfd32 __user *ufds, uint32_t nfds,
		     int32_t timeout_ms)
{
	struct pollfd32 pfd[NR_OPEN];
	struct kpollfd kfd[NR_OPEN];
	int64_t ticks = -1;
	long ret;

	/* RLIMIT_NOFILE never exceeds NR_OPEN (kernel/resource.c), so the
	 * arrays above always have room; the second test only says so. */
	if (nfds > rlimit(RLIMIT_NOFILE) || nfds > NR_OPEN)
		return -EINVAL;
	if (copy_from_user(pfd, ufds, nfds * sizeof(pfd[0])))
		return -EFAULT;
	for (uint32_t i = 0; i < nfds; i++)
		kfd[i] = (struct kpollfd){ pfd[i].fd,
					   (uint16_t)pfd[i].events | POLLERR | POLLHUP, 0 };
	if (timeout_ms >= 0)
		ticks = ns_to_ticks((uint64_t)timeout_ms * NSEC_PER_MSEC);
	ret = poll_files(kfd, nfds, ticks);
	for (uint32_t i = 0; i < nfds; i++)
		pfd[i].revents = (int16_t)kfd[i].revents;
	if (copy_to_user(ufds, pfd, nfds * sizeof(pfd[0])))
		return -EFAULT;
	return ret;
}
SYSCALL(__NR_poll, sys_poll);

/* ---- select ---- */

struct timeval32 {
	int32_t tv_sec, tv_usec;
};

#define FDSET_WORDS	((NR_OPEN + 31) / 32)

/* The three sets, as many 32-bit words as n needs (Linux's FDS_BYTES). */
struct fdsets {
	uint32_t set[3][FDSET_WORDS];	/* in, out, ex */
};

static const uint16_t set_events[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };

static size_t fdset_bytes(int n)
{
	return (size_t)(n + 31) / 32 * 4;
}

static bool fd_in(const uint32_t *set, int fd)
{
	return set[fd / 32] & (1u << (fd % 32));
}

/* Copy in the sets (a NULL one is empty).  0 or -EFAULT. */
static int get_fdsets(int n, uint32_t __user *const u[3], struct fdsets *s)
{
	*s = (struct fdsets){ 0 };
	for (int k = 0; k < 3; k++)
		if (u[k] && copy_from_user(s->set[k], u[k], fdset_bytes(n)))
			return -EFAULT;
	return 0;
}

/* The descriptors in any set, as kpollfds; -EBADF if one is not open
 * (Linux's max_select_fd).  Return: how many, or -EBADF. */
static int fdsets_to_poll(int n, const struct fdsets *s, struct kpollfd *kfd)
{
	int count = 0;

	for (int fd = 0; fd < n; fd++) {
		uint16_t events = 0;

		for (int k = 0; k < 3; k++)
			if (fd_in(s->set[k], fd))
				events |= set_events[k];
		if (!events)
			continue;
		if (!fd_file(fd))
			return -EBADF;
		kfd[count++] = (struct kpollfd){ fd, events, 0 };
	}
	return count;
}

/* The result sets: a bit for each set an fd was in and is ready for.
 * Return: the bits set in all three (select's count). */
static long poll_to_fdsets(const struct kpollfd *kfd, int count,
			   const struct fdsets *asked, struct fdsets *res)
{
	long bits = 0;

	*res = (struct fdsets){ 0 };
	for (int i = 0; i < count; i++) {
		int fd = kfd[i].fd;

		for (int k = 0; k < 3; k++) {
			if (!fd_in(asked->set[k], fd) ||
			    !(kfd[i].revents & set_events[k]))
				continue;
			res->set[k][fd / 32] |= 1u << (fd % 32);
			bits++;
		}
	}
	return bits;
}

static int put_fdsets(int n, uint32_t __user *const u[3], const struct fdsets *s)
{
	for (int k = 0; k < 3; k++)
		if (u[k] && copy_to_user(u[k], s->set[k], fdset_bytes(n)))
			return -EFAULT;
	return 0;
}

/* select's timeout as Linux reads it: microseconds of a million or more
 * carry into the seconds; a negative part is -EINVAL.  *ns is the time. */
static int timeval_to_ns(const struct timeval32 *tv, uint64_t *ns)
{
	int64_t sec = (int64_t)tv->tv_sec + tv->tv_usec / (int32_t)USEC_PER_SEC;
	int32_t usec = tv->tv_usec % (int32_t)USEC_PER_SEC;

	if (sec < 0 || usec < 0)
		return -EINVAL;
	*ns = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)usec * NSEC_PER_USEC;
	return 0;
}

/* Linux writes the time left back into a non-zero timeout (the restart
 * after a signal then waits only for the rest).  If it cannot, a call a
 * signal cut short is not restarted: -EINTR. */
static long put_time_left(struct timeval32 __user *utv, uint64_t ns,
			  uint64_t start, long ret)
{
	uint64_t slept = (jiffies_read() - start) * NSEC_PER_TICK;
	uint64_t left = slept < ns ? ns - slept : 0;
	struct timeval32 tv = { (int32_t)(left / NSEC_PER_SEC),
				(int32_t)(left % NSEC_PER_SEC / NSEC_PER_USEC) };

	if (copy_to_user(utv, &tv, sizeof(tv)) && ret == -ERESTARTNOHAND)
		return -EINTR;
	return ret;
}

/* The sets, checked and waited on: the count of ready bits, 0 at the
 * timeout, or -errno; the result sets are written back unless an error. */
static long do_select(int n, uint32_t __user *const u[3], int64_t ticks)
{
	struct fdsets asked, res;
	struct kpollfd kfd[NR_OPEN];
	long ret;
	int count;

	if (n < 0)
		return -EINVAL;
	n = MIN(n, NR_OPEN);
	if (get_fdsets(n, u, &asked))
		return -EFAULT;
	count = fdsets_to_poll(n, &asked, kfd);
	if (count < 0)
		return count;
	ret = poll_files(kfd, (unsigned int)count, ticks);
	if (ret < 0)
		return ret;
	ret = poll_to_fdsets(kfd, count, &asked, &res);
	return put_fdsets(n, u, &res) ? -EFAULT : ret;
}

/**
 * _newselect(n, in, out, ex, timeout) - select(2): a bad timeout is
 * -EFAULT or -EINVAL, n < 0 -EINVAL, a bad set -EFAULT, a set naming a
 * descriptor that is not open -EBADF; n above NR_OPEN is cut to it, as
 * Linux cuts it to its table.  NULL timeout: for ever.
 */
static long sys_select(int n, uint32_t __user *uin, uint32_t __user *uout,
		       uint32_t __user *uex, struct timeval32 __user *utv)
{
	uint32_t __user *const u[3] = { uin, uout, uex };
	uint64_t start = jiffies_read(), ns = 0;
	struct timeval32 tv;
	int64_t ticks = -1;
	long ret;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (timeval_to_ns(&tv, &ns))
			return -EINVAL;
		ticks = ns_to_ticks(ns);
	}
	ret = do_select(n, u, ticks);
	return utv && ns ? put_time_left(utv, ns, start, ret) : ret;
}
SYSCALL(__NR__newselect, sys_select);
