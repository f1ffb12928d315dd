/* include/wait.h - waiting for an event that an interrupt will signal.
 *
 *	wait_event(&disk->wait, rq->completed);   in the waiting code
 *	wake_up(&disk->wait);                      in the interrupt handler
 *
 * There are no processes yet, so "sleeping" means halting the CPU until the
 * next interrupt and checking the condition again: the CPU does no work while
 * it waits, and "sti; hlt" is atomic (an interrupt cannot slip in between the
 * two instructions: Intel SDM vol. 2, STI), so no wake-up is lost.  When the
 * scheduler arrives, wait_event() will put the caller on the queue and switch
 * away; callers do not change.  Must not be called with a spin lock held.
 */
#ifndef WALNUT_WAIT_H
#define WALNUT_WAIT_H

#include <list.h>
#include <x86.h>

struct wait_queue {
	struct list_head waiters;	/* sleeping tasks, once there are tasks */
};

#define WAIT_QUEUE_INIT(name) { LIST_HEAD_INIT((name).waiters) }

static inline void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

/* Halt until an interrupt; return with interrupts off. */
static inline void wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

#define wait_event(wq, cond)						\
	do {								\
		bool was_on_ = irq_save();				\
									\
		(void)(wq);						\
		while (!(cond))						\
			wait_for_interrupt();				\
		irq_restore(was_on_);					\
	} while (0)

/* Wake everyone waiting on wq.  Safe from interrupt handlers. */
static inline void wake_up(struct wait_queue *wq)
{
	(void)wq;	/* the waiter re-checks its condition after each hlt */
}

#endif
