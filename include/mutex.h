/* include/mutex.h - sleeping locks (kernel/sched.c).
 *
 *	mutex_lock(&m);  ... may sleep in here ...  mutex_unlock(&m);
 *
 * A mutex may be held across sleeps (disk I/O); a spin lock may not.  Only
 * the holder unlocks.  A recursive mutex may be taken again by its holder
 * (the filesystem lock: VFS code re-enters itself through iput and lookup),
 * and is free when every lock has had its unlock.  Not from interrupts.
 */
#ifndef WALNUT_MUTEX_H
#define WALNUT_MUTEX_H

#include <types.h>
#include <wait.h>

struct mutex {
	const char *name;
	struct task *owner;		/* NULL when free */
	unsigned int depth;		/* times the owner holds it */
	bool recursive;
	struct wait_queue waiters;
};

#define MUTEX_INIT(m, n, rec) { .name = (n), .owner = NULL, .depth = 0,	\
	.recursive = (rec), .waiters = WAIT_QUEUE_INIT((m).waiters) }

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m);	/* by current */

#define assert_mutex_held(m) assert(mutex_held(m) && "caller must hold the mutex")

#endif
