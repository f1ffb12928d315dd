/* include/poll.h - poll(2) and select(2) as a file sees them (fs/select.c).
 *
 * A file answers "what could you do now?" through its ops->poll
 * (include/vfs.h) with a mask of the bits below, and, when the caller
 * passes a poll table, names each wait queue on which it announces a change
 * of that answer, with poll_wait():
 *
 *	static unsigned int pipe_poll_reader(struct file *f, struct poll_table *pt)
 *	{
 *		poll_wait(&p->rd_wait, pt);        data, or the last writer gone
 *		return (p->len ? POLLIN | POLLRDNORM : 0) |
 *		       (p->writers ? 0 : POLLHUP);
 *	}
 *
 * The contract for ops->poll: it is called with interrupts off and must not
 * sleep (so poll can look at every file and go to sleep with no wake-up
 * slipping in between); it names at most POLL_QUEUES_PER_FILE queues; pt
 * may be NULL (just asking).  A file without ->poll is always ready for
 * both directions (DEFAULT_POLLMASK), as on Linux: regular files,
 * directories, /dev/null, /dev/zero, disks, /proc files.
 */
#ifndef WALNUT_POLL_H
#define WALNUT_POLL_H

#include <types.h>

/* Linux's bits (asm-generic/poll.h). */
#define POLLIN		0x0001	/* a read would not wait */
#define POLLPRI		0x0002	/* urgent data (nothing has any here) */
#define POLLOUT		0x0004	/* a write would not wait */
#define POLLERR		0x0008	/* an error: a pipe's write end, no reader */
#define POLLHUP		0x0010	/* hung up: a pipe's read end, no writer */
#define POLLNVAL	0x0020	/* poll(2) only: the fd is not open */
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200

#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
#define POLL_QUEUES_PER_FILE	2

struct wait_queue;
struct poll_table;
struct file;

/* What poll_wait does with a queue: fs/select.c puts a waiter of the
 * polling task on it.  NULL once the waiters are in place. */
typedef void (*poll_queue_fn)(struct poll_table *pt, struct wait_queue *wq);

struct poll_table {
	poll_queue_fn queue;
};

static inline void poll_wait(struct wait_queue *wq, struct poll_table *pt)
{
	if (pt && pt->queue)
		pt->queue(pt, wq);
}

/* f's mask now (ops->poll, or DEFAULT_POLLMASK); any context, may not
 * sleep.  pt may be NULL. */
unsigned int vfs_poll(struct file *f, struct poll_table *pt);

#endif
