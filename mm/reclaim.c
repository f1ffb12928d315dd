/*
 * mm/reclaim.c - what an allocation may do to get memory, and where.
 *
 * Owns: the rules of the allocation contexts (include/mm.h: enum
 * alloc_ctx).  alloc_pages and kmalloc ask alloc_ctx_here, on every call,
 * which context the caller really has; a context that the place it is
 * used in cannot afford is a kernel bug and panics, naming the rule.
 *
 * Interface (include/mm.h):
 *   alloc_ctx_here(ctx) -> ctx      checked, and for ALLOC_USER narrowed
 *
 * Invariants: a context that may sleep is used with interrupts on (so no
 * spin lock is held: include/spinlock.h turns them off); one that may take
 * fs_lock is used by a task that does not hold it.
 *
 * Locks: none taken; reads whether current holds fs_lock.
 */
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <vfs.h>
#include <x86.h>

/* The name a student knows a context by, for the panic messages. */
static const char *ctx_name(enum alloc_ctx ctx)
{
	switch (ctx) {
	case ALLOC_ATOMIC:	return "ALLOC_ATOMIC";
	case ALLOC_NOFS:	return "ALLOC_NOFS";
	case ALLOC_KERNEL:	return "ALLOC_KERNEL";
	case ALLOC_USER:	return "ALLOC_USER";
	}
	return "an allocation context";
}

/**
 * alloc_ctx_here - the context an allocation asking for ctx really has.
 * A context that may sleep, asked for with interrupts off (an interrupt
 * handler, a spin lock held), would sleep where nothing may.  One that may
 * enter the filesystem, asked for by a holder of fs_lock, would let reclaim
 * take the lock again and change the caches in the middle of the holder's
 * update.  Both are kernel bugs: panic.  Except ALLOC_USER: a fault runs
 * in the context of the code that faulted, and a small copy_to_user under
 * fs_lock may fault, so there it becomes ALLOC_NOFS.
 * Context: any; called by alloc_pages and kmalloc on every allocation.
 */
enum alloc_ctx alloc_ctx_here(enum alloc_ctx ctx)
{
	if ((ctx & ALLOC_MAY_SLEEP) && !irqs_enabled())
		panic("%s may sleep, but interrupts are off (an interrupt "
		      "handler or a spin lock: ALLOC_ATOMIC)", ctx_name(ctx));
	if ((ctx & ALLOC_MAY_FS) && mutex_held(&fs_lock)) {
		if (!(ctx & ALLOC_FAULT))
			panic("%s may enter the filesystem, but fs_lock is held "
			      "(ALLOC_NOFS)", ctx_name(ctx));
		return ALLOC_NOFS;
	}
	return ctx;
}
