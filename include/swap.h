/* include/swap.h - swap areas, swap entries and the swap cache.
 *
 * A page of anonymous memory that reclaim takes away goes to a slot of a
 * swap area: a block device that mkswap (util-linux) formatted, switched on
 * with swapon(2).  Its PTE then holds a swap entry -- which area, which
 * slot -- instead of a frame (include/pgtable.h: PTE_SWAP), and the next
 * touch reads it back (mm/fault.c).  docs/swap.md draws the whole life.
 *
 *   mm/swapfile.c    the areas: their on-disk header, the per-slot counts
 *                    (swap_map), slot allocation in clusters, the I/O, and
 *                    swapon(2), swapoff(2), /proc/swaps
 *   mm/swap_state.c  the swap cache: pages that have a slot, found by entry
 *   mm/vmscan.c      reclaim's scanner and LRU, and kswapd
 *
 * A slot's count is the number of references to it: each PTE that holds
 * the entry, and the swap cache while a page of it is there.  At 0 the
 * slot is free.  Slot 0 of every area holds the header and is never handed
 * out, so the entry whose value is 0 is "no entry".
 */
#ifndef WALNUT_SWAP_H
#define WALNUT_SWAP_H

#include <blkdev.h>
#include <types.h>

#define MAX_SWAPFILES	8		/* areas on at once */
#define SWP_TYPE_BITS	3		/* log2(MAX_SWAPFILES) */
#define SWP_OFFSET_MAX	((1u << 20) - 1)	/* slots per area: 4 GiB */

typedef struct {
	uint32_t val;		/* type in bits 0-2, offset from bit 3 */
} swp_entry_t;

static inline swp_entry_t swp_entry(unsigned int type, uint32_t offset)
{
	return (swp_entry_t){ offset << SWP_TYPE_BITS | type };
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return e.val & (MAX_SWAPFILES - 1);
}

static inline uint32_t swp_offset(swp_entry_t e)
{
	return e.val >> SWP_TYPE_BITS;
}

static inline bool swp_entry_none(swp_entry_t e)
{
	return e.val == 0;
}

/*
 * mm/swapfile.c: slots.
 *   swap_alloc()          a free slot with count 1, near the last one handed
 *                         out (clusters: write-out goes out sequentially);
 *                         the "none" entry if every area is full or none is on
 *   swap_duplicate(e)     one more reference (fork copies a swap PTE)
 *   swap_free(e)          one fewer; the slot is free at 0
 *   swap_count(e)         the references now
 * All take swap_lock (a spin lock: callable with interrupts off, never
 * sleeping).  A bad entry (no such area, slot out of range or free) is a
 * kernel bug: they panic, naming it.
 */
swp_entry_t swap_alloc(void);
void swap_duplicate(swp_entry_t e);
unsigned int swap_free(swp_entry_t e);
unsigned int swap_count(swp_entry_t e);

/* Free slots in every area, and all slots (pages), for /proc/meminfo. */
size_t nr_swap_pages(void);
size_t total_swap_pages(void);

/*
 * swap_submit - start moving one whole page between page and e's slot
 * (dir: BLK_READ, slot to page; BLK_WRITE, page to slot).  done(page,
 * status) runs once the transfer is over, from the disk's interrupt
 * handler (must not sleep); status is 0 or -EIO.
 * Context: may be called with interrupts off; does not sleep.
 * Return: 0 (started: done will run), -EAGAIN (no request free: try again
 * later), -EINVAL (no such area).
 */
int swap_submit(swp_entry_t e, struct page *page, enum blk_dir dir,
		void (*done)(struct page *page, int status));

/*
 * mm/swap_state.c: bring every page of area type back into memory, so
 * that swapoff can switch it off.  Context: may sleep; no locks held.
 * Return: 0, or -ENOMEM (memory ran out; the area stays on, and the pages
 * already brought back stay in memory).
 */
int try_to_unuse(unsigned int type);

/* Pages in the swap cache now (/proc/meminfo SwapCached). */
size_t swap_cache_pages(void);

#endif
