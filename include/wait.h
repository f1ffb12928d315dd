/* include/wait.h - sleeping until an event: wait queues (kernel/sched.c).
 *
 *	wait_event(&disk->wait, rq->completed);          the waiting code
 *	err = wait_event_interruptible(&p->wq, p->len);   ... -ERESTARTSYS if
 *	                                                 a signal came first
 *	wake_up(&disk->wait);                            whoever made it true,
 *	                                                 interrupt handlers too
 *
 * The condition is tested with interrupts off, and the task goes onto the
 * queue and to sleep without turning them on in between, so a wake_up() from
 * an interrupt handler cannot slip between the test and the sleep (the lost
 * wake-up xv6's sleep() explains).  wake_up() makes every waiter runnable;
 * each re-tests its condition, so a spurious wake-up is harmless.
 *
 * Must not be called with a spin lock held (it would sleep holding it).
 * Before the scheduler has anything else to run (boot-time self-tests),
 * sleeping halts the CPU until an interrupt makes the sleeper runnable again.
 */
#ifndef WALNUT_WAIT_H
#define WALNUT_WAIT_H

#include <list.h>
#include <x86.h>

struct task;

struct wait_queue {
	struct list_head waiters;	/* struct waiter, oldest first */
};

/* One sleeping task on one queue; lives on the sleeper's stack. */
struct waiter {
	struct task *task;
	struct list_head node;
};

#define WAIT_QUEUE_INIT(name) { LIST_HEAD_INIT((name).waiters) }

static inline void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

/* How a sleep may end (kernel/sched.c: sleep_on). */
enum sleep_kind {
	SLEEP_UNINTERRUPTIBLE,	/* only wake_up ends it: disk I/O */
	SLEEP_INTERRUPTIBLE,	/* a signal ends it too: pipes, wait4, ... */
};

/* Halt until an interrupt; return with interrupts off.  "sti; hlt" is
 * atomic (Intel SDM vol. 2, STI): no interrupt slips in between. */
static inline void wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* Interrupts off; returns with them off, after a wake-up or a signal. */
void sleep_on(struct wait_queue *wq, enum sleep_kind kind);
/* The same, for a caller that has put its own waiters on one or more
 * queues (poll: one per file) and takes them off again afterwards. */
void sleep_queued(enum sleep_kind kind);
void wake_up(struct wait_queue *wq);
bool current_signal_pending(void);	/* kernel/signal.c */

#define ERESTARTSYS	512	/* internal: restart if SA_RESTART, else EINTR */

#define wait_event(wq, cond)						\
	do {								\
		bool was_on_ = irq_save();				\
									\
		while (!(cond))						\
			sleep_on((wq), SLEEP_UNINTERRUPTIBLE);		\
		irq_restore(was_on_);					\
	} while (0)

/* 0 once cond holds, or -ERESTARTSYS if a signal is pending first. */
#define wait_event_interruptible(wq, cond)				\
	({								\
		bool was_on_ = irq_save();				\
		int err_ = 0;						\
									\
		while (!(cond)) {					\
			if (current_signal_pending()) {			\
				err_ = -ERESTARTSYS;			\
				break;					\
			}						\
			sleep_on((wq), SLEEP_INTERRUPTIBLE);		\
		}							\
		irq_restore(was_on_);					\
		err_;							\
	})

#endif
