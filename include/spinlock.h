/* include/spinlock.h - spin locks for a uniprocessor kernel.
 *
 * Walnut runs on one CPU, so a spin lock is "interrupts off while held" plus
 * an owner flag that lets code assert the lock is held.
 * Taking a lock already held is a self-deadlock on a real SMP kernel; here it
 * is caught and named by a panic.
 */
#ifndef WALNUT_SPINLOCK_H
#define WALNUT_SPINLOCK_H

#include <types.h>
#include <x86.h>
#include <kernel.h>

struct spinlock {
	const char *name;
	bool locked;
	bool irq_was_on;	/* restored by spin_unlock */
};

#define SPINLOCK_INIT(n) { .name = (n), .locked = false, .irq_was_on = false }

static inline void spin_lock(struct spinlock *l)
{
	bool was_on = irq_save();

	if (l->locked)
		panic("spinlock %s: taken twice (self-deadlock)", l->name);
	l->locked = true;
	l->irq_was_on = was_on;
}

static inline void spin_unlock(struct spinlock *l)
{
	bool was_on = l->irq_was_on;

	if (!l->locked)
		panic("spinlock %s: released while not held", l->name);
	l->locked = false;
	irq_restore(was_on);
}

static inline bool spin_is_locked(const struct spinlock *l)
{
	return l->locked;
}

#define assert_spin_locked(l) \
	assert(spin_is_locked(l) && "caller must hold the lock")

#endif
