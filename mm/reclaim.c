/*
 * mm/reclaim.c - getting memory back when the free lists run dry.
 *
 * Owns: try_to_free_pages, the one place reclaim is entered (the page
 * allocator's slow path, mm/page_alloc.c, is its only caller); the rules of
 * the allocation contexts (include/mm.h: enum alloc_ctx), which every
 * allocation asks alloc_ctx_here about; the reclaim counters /proc/vmstat
 * shows.
 *
 * Today reclaim takes memory that the caches hold but nobody uses, in the
 * order it costs least, stopping as soon as enough is free:
 *
 *   1. clean, idle buffers (fs/buffer.c: buf_shrink)   any context that
 *                                                       may sleep
 *   2. clean pages only the page cache holds            ALLOC_MAY_FS: takes
 *      (mm/filemap.c: filemap_shrink)                   fs_lock
 *   3. idle dirty buffers, written back and then freed  ALLOC_MAY_FS and
 *      (buf_writeback_idle, buf_shrink)                 ALLOC_MAY_IO
 *
 * Steps 2 and 3 hold fs_lock, so they run between two filesystem
 * operations, never in the middle of one: no ext2 update is half done
 * while its pages go or its buffers are written.  A holder of fs_lock
 * allocates with ALLOC_NOFS and gets step 1 only (asserted here).
 * It will grow into the LRU scanner for swap: anonymous and
 * file pages on LRU lists (struct page: lru, PG_lru, PG_referenced,
 * PG_active), dirty anonymous pages put in the swap cache and written once
 * nobody else holds them (rule 4, docs/history.md).
 *
 * Interface (include/mm.h):
 *   alloc_ctx_here(ctx) -> ctx       checked against where it is asked
 *   try_to_free_pages(ctx, nr) -> n  pages put back on the free lists
 *
 * Invariants: a context that may sleep is used with interrupts on (so no
 * spin lock is held: include/spinlock.h turns them off); one that may take
 * fs_lock is used by a task that does not hold it.  Reclaim allocates
 * nothing itself.
 *
 * Locks: fs_lock (steps 2 and 3), so every lock held across an allocation
 * that may enter the filesystem comes before fs_lock (docs/locking.md);
 * inside it the buffer cache's and kmalloc's spin locks.  May sleep.
 */
#include <buf.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <vfs.h>
#include <x86.h>

#define BUF_SHRINK_BATCH	32	/* buffers freed between two looks */

struct reclaim_counters reclaim_counters;

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
 * update.  Both are kernel bugs: panic.  (A page fault's ALLOC_USER is no
 * exception: no fault runs under fs_lock, which might_fault checks.)
 * Context: any; called by alloc_pages and kmalloc on every allocation.
 */
enum alloc_ctx alloc_ctx_here(enum alloc_ctx ctx)
{
	if ((ctx & ALLOC_MAY_SLEEP) && !irqs_enabled())
		panic("%s may sleep, but interrupts are off (an interrupt "
		      "handler or a spin lock: ALLOC_ATOMIC)", ctx_name(ctx));
	if ((ctx & ALLOC_MAY_FS) && mutex_held(&fs_lock))
		panic("%s may enter the filesystem, but fs_lock is held "
		      "(ALLOC_NOFS)", ctx_name(ctx));
	return ctx;
}

/* Pages come free since the free count was start.  Others may have
 * allocated meanwhile (reclaim sleeps): then it may be less, even 0. */
static size_t gained_since(size_t start)
{
	size_t now = nr_free_pages();

	return now > start ? now - start : 0;
}

/* Free clean idle buffers, a batch at a time, until nr pages have come
 * free since start or no such buffer is left.  Counted in pages, not
 * buffers: a page of kmalloc'd buffer data goes back with its last one. */
static void shrink_buffers(size_t start, size_t nr)
{
	while (gained_since(start) < nr && buf_shrink(BUF_SHRINK_BATCH) > 0)
		;
}

/* Steps 2 and 3, under fs_lock (see the top). */
static void shrink_fs_caches(enum alloc_ctx ctx, size_t start, size_t nr)
{
	size_t dropped;

	mutex_lock(&fs_lock);
	dropped = filemap_shrink(nr - gained_since(start));
	reclaim_counters.pgsteal_file += dropped;
	if (gained_since(start) < nr && (ctx & ALLOC_MAY_IO)) {
		buf_writeback_idle();	/* a failed write keeps its buffer */
		shrink_buffers(start, nr);
	}
	mutex_unlock(&fs_lock);
}

/**
 * try_to_free_pages - put at least nr pages back on the free lists if the
 * caches can give them, doing only what ctx allows (see the top).
 * Context: as ctx says, which must allow sleeping; the allocator's slow
 * path (mm/page_alloc.c) is the only caller.  May sleep.
 * Return: pages come free meanwhile (0: no progress; the caller gives up).
 */
size_t try_to_free_pages(enum alloc_ctx ctx, size_t nr)
{
	size_t start = nr_free_pages(), got;

	assert((ctx & ALLOC_MAY_SLEEP) && "reclaim in an ALLOC_ATOMIC context");
	reclaim_counters.allocstall++;
	shrink_buffers(start, nr);
	if (gained_since(start) < nr && (ctx & ALLOC_MAY_FS))
		shrink_fs_caches(ctx, start, nr);
	got = gained_since(start);
	reclaim_counters.pgsteal_direct += got;
	return got;
}
