/*
 * mm/page_alloc.c - the buddy page allocator.
 *
 * Owns: mem_map[] (one struct page per frame) and the free lists.
 *
 * Interface:
 *   page_alloc_init(map, nr_pfns)      once: every frame starts reserved
 *   page_alloc_free_range(start, end)  hand usable frames to the allocator
 *   alloc_pages(order, ctx) -> page    2^order frames, physically contiguous,
 *                                      aligned to their size; NULL when none
 *                                      (ctx: include/mm.h, enum alloc_ctx)
 *   free_pages(page, order)            give a block back (caller owns it)
 *   split_page(page, order)            a block into pages freed one by one
 *   get_page / put_page                references; the last put frees
 *   nr_free_pages()                    for leak checks
 *
 * Invariants:
 *   - A free block of order k starts at a pfn that is a multiple of 2^k; its
 *     head page has PG_buddy set, page->order == k, and sits on free[k].
 *     The other pages of the block have no flags of interest.
 *   - Two free buddies of the same order never coexist: freeing merges them.
 *   - zone.nr_free_pages == sum over k of 2^k * length(free[k]).
 *   - A page not handed out has refcount 0 (a block's pages past the first
 *     too, until split_page gives each its own).
 *   - A page handed out has refcount >= 1 and PG_buddy clear, and none of
 *     its last use's state (PAGE_USE_FLAGS: free_pages clears them).
 *   - No page is freed locked, on an LRU list or in the swap cache
 *     (PAGE_BUSY_FLAGS): someone would still find it there.
 *
 * The slow path: when the free lists cannot satisfy a request and its
 * context may sleep, alloc_pages asks reclaim (mm/reclaim.c:
 * try_to_free_pages, called from nowhere else) and tries again, for as
 * long as reclaim frees something and at most RECLAIM_ROUNDS times.
 *
 * The reserve: an allocation that may enter the filesystem (ALLOC_KERNEL,
 * ALLOC_USER) reclaims first once the free pages are down to
 * RESERVE_PAGES, before it takes one of them.  So while clean cache is
 * left to drop, those pages stay for the allocations that cannot drop it:
 * ALLOC_NOFS under fs_lock (ext2's buffers, a page-cache page being read)
 * and ALLOC_ATOMIC.  Without it, a process that has touched nearly all of
 * memory leaves the filesystem nothing, and its own read(2) comes back
 * short.  The page cache, which can drop its own clean pages under
 * fs_lock, does so when free_pages_low() rather than take reserve pages.
 * (Linux's watermarks, in their simplest form: one, no kswapd.)
 *
 * Locks: zone.lock (a spin lock: interrupts off) guards the free lists, the
 * counters and the PG_buddy/order fields.  It is a leaf lock: nothing else is
 * taken under it, and reclaim runs with it dropped.  Only the slow path
 * sleeps; with ALLOC_ATOMIC nothing here does, so interrupt handlers may
 * allocate.
 */
#include <mm.h>
#include <kernel.h>
#include <spinlock.h>

#define RECLAIM_ROUNDS	4	/* reclaim, then retry: a bound, since the
				   kernel never preempts a loop that frees
				   nothing */
#define RECLAIM_BATCH	32	/* pages reclaim is asked for at least
				   (Linux's SWAP_CLUSTER_MAX) */
#define RESERVE_PAGES	64	/* kept for what cannot reclaim the cache */

/* What a page's last use left in its flags, cleared when it is freed. */
#define PAGE_USE_FLAGS	(1u << PG_uptodate | 1u << PG_dirty |		\
			 1u << PG_anon_exclusive | 1u << PG_referenced |	\
			 1u << PG_active)
/* What a page must not be freed with: it is still locked, or on a list. */
#define PAGE_BUSY_FLAGS	(1u << PG_locked | 1u << PG_lru |		\
			 1u << PG_swapcache)

struct page *mem_map;
pfn_t max_pfn;

static struct {
	struct spinlock lock;
	struct list_head free[MAX_ORDER];	/* heads of free blocks, per order */
	size_t nr_blocks[MAX_ORDER];		/* length of each free list */
	size_t nr_free_pages;
	size_t nr_managed_pages;		/* frames ever handed to us */
} zone = { .lock = SPINLOCK_INIT("zone") };

void page_alloc_init(struct page *map, pfn_t nr_pfns)
{
	mem_map = map;
	max_pfn = nr_pfns;
	for (pfn_t pfn = 0; pfn < nr_pfns; pfn++) {
		struct page *p = &map[pfn];

		*p = (struct page){ .flags = 1u << PG_reserved, .refcount = 1 };
		list_init(&p->list);
	}
	for (unsigned int k = 0; k < MAX_ORDER; k++) {
		list_init(&zone.free[k]);
		zone.nr_blocks[k] = 0;
	}
	zone.nr_free_pages = 0;
	zone.nr_managed_pages = 0;
}

/* Put one block on its free list.  Caller holds zone.lock. */
static void add_free_block(struct page *head, unsigned int order)
{
	page_set_flag(head, PG_buddy);
	head->order = (uint8_t)order;
	head->refcount = 0;
	list_add(&head->list, &zone.free[order]);
	zone.nr_blocks[order]++;
}

/* Take one block off its free list.  Caller holds zone.lock. */
static void remove_free_block(struct page *head, unsigned int order)
{
	list_del(&head->list);
	page_clear_flag(head, PG_buddy);
	zone.nr_blocks[order]--;
}

/* The block's buddy, if it is free and whole; else NULL. */
static struct page *free_buddy_of(pfn_t pfn, unsigned int order)
{
	pfn_t buddy_pfn = pfn ^ (1u << order);
	struct page *buddy;

	if (buddy_pfn >= max_pfn)
		return NULL;
	buddy = pfn_to_page(buddy_pfn);
	if (!page_has_flag(buddy, PG_buddy) || buddy->order != order)
		return NULL;
	return buddy;
}

/*
 * Free a block, merging it with its buddy for as long as the buddy is free.
 * Caller holds zone.lock.
 */
static void free_block_locked(pfn_t pfn, unsigned int order)
{
	struct page *buddy;

	assert_spin_locked(&zone.lock);
	zone.nr_free_pages += 1u << order;
	while (order < MAX_ORDER - 1 && (buddy = free_buddy_of(pfn, order))) {
		remove_free_block(buddy, order);
		pfn &= ~(1u << order);		/* the merged block starts lower */
		order++;
	}
	add_free_block(pfn_to_page(pfn), order);
}

/* The largest order a block starting at pfn and ending by end can have. */
static unsigned int largest_fitting_order(pfn_t pfn, pfn_t end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER - 1 &&
	       (pfn & ((2u << order) - 1)) == 0 &&
	       pfn + (2u << order) <= end)
		order++;
	return order;
}

void page_alloc_free_range(pfn_t start, pfn_t end)
{
	assert(start <= end && end <= max_pfn);
	for (pfn_t pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(pfn);

		if (!page_has_flag(p, PG_reserved))
			panic("page_alloc_free_range: pfn %u given twice", pfn);
		page_clear_flag(p, PG_reserved);
		p->refcount = 0;
	}
	spin_lock(&zone.lock);
	zone.nr_managed_pages += end - start;
	while (start < end) {
		unsigned int order = largest_fitting_order(start, end);

		free_block_locked(start, order);
		start += 1u << order;
	}
	spin_unlock(&zone.lock);
}

/* Split a free block of order 'have' down to 'want', freeing the upper halves. */
static void split_block(struct page *head, unsigned int have, unsigned int want)
{
	pfn_t pfn = page_to_pfn(head);

	while (have > want) {
		have--;
		add_free_block(pfn_to_page(pfn + (1u << have)), have);
	}
}

/* A block of 2^order from the free lists, with refcount 1, or NULL. */
static struct page *take_free_block(unsigned int order)
{
	struct page *head = NULL;
	unsigned int k;

	spin_lock(&zone.lock);
	for (k = order; k < MAX_ORDER; k++) {
		if (!list_empty(&zone.free[k]))
			break;
	}
	if (k < MAX_ORDER) {
		head = list_first_entry(&zone.free[k], struct page, list);
		remove_free_block(head, k);
		split_block(head, k, order);
		zone.nr_free_pages -= 1u << order;
		head->refcount = 1;
	}
	spin_unlock(&zone.lock);
	return head;
}

/* The free lists said no: reclaim and try again, while reclaim frees
 * something, at most RECLAIM_ROUNDS times.  ctx may sleep. */
static struct page *alloc_pages_slow(unsigned int order, enum alloc_ctx ctx)
{
	size_t want = MAX(1u << order, (size_t)RECLAIM_BATCH);
	struct page *head = NULL;

	for (int round = 0; !head && round < RECLAIM_ROUNDS; round++) {
		if (try_to_free_pages(ctx, want) == 0)
			break;
		head = take_free_block(order);
	}
	return head;
}

bool free_pages_low(void)
{
	return nr_free_pages() < RESERVE_PAGES;
}

/**
 * alloc_pages - allocate 2^order physically contiguous frames.
 * @ctx: what the caller can afford (include/mm.h); checked here.  If the
 * free lists cannot give the block and ctx may sleep, reclaim runs first.
 * Context: as ctx says; ALLOC_ATOMIC from anywhere, interrupt handlers
 * included.  Takes zone.lock.
 * Return: the head page, with refcount 1, or NULL if no block could be had.
 */
struct page *alloc_pages(unsigned int order, enum alloc_ctx ctx)
{
	bool nothing_to_reclaim = false;
	struct page *head;

	ctx = alloc_ctx_here(ctx);
	if (order >= MAX_ORDER)
		return NULL;
	/* Down to the reserve: refill it first, if ctx may drop the cache. */
	if ((ctx & ALLOC_MAY_FS) && nr_free_pages() < RESERVE_PAGES + (1u << order))
		nothing_to_reclaim = try_to_free_pages(ctx, RECLAIM_BATCH) == 0;
	head = take_free_block(order);
	if (!head && (ctx & ALLOC_MAY_SLEEP) && !nothing_to_reclaim)
		head = alloc_pages_slow(order, ctx);
	return head;
}

/*
 * Is pfn inside a free block?  Only a free block's head is marked, and a page
 * freed on its own may since have merged into a block headed lower down, so
 * look for a head of each order at pfn rounded down to that order.
 * Caller holds zone.lock.
 */
static bool pfn_in_free_block(pfn_t pfn)
{
	assert_spin_locked(&zone.lock);
	for (unsigned int k = 0; k < MAX_ORDER; k++) {
		const struct page *head = pfn_to_page(pfn & ~((1u << k) - 1));

		if (page_has_flag(head, PG_buddy) && head->order == k)
			return true;
	}
	return false;
}

/* Why a page with PAGE_BUSY_FLAGS cannot be freed, for the panic. */
static const char *busy_reason(const struct page *page)
{
	if (page_has_flag(page, PG_locked))
		return "locked (PG_locked)";
	if (page_has_flag(page, PG_lru))
		return "on an LRU list (PG_lru)";
	return "in the swap cache (PG_swapcache)";
}

/**
 * free_pages - give back a block from alloc_pages(order).
 * Context: any; takes zone.lock.  The caller holds the only reference.
 * Freeing a free, reserved or misaligned block, or one still locked or on
 * a list (PAGE_BUSY_FLAGS), is a kernel bug: panic.
 */
void free_pages(struct page *page, unsigned int order)
{
	pfn_t pfn = page_to_pfn(page);

	assert(order < MAX_ORDER && pfn < max_pfn);
	if (page_has_flag(page, PG_reserved))
		panic("free_pages: pfn %u is reserved, never allocated", pfn);
	if (pfn & ((1u << order) - 1))
		panic("free_pages: pfn %u is not aligned to order %u", pfn, order);
	if (page->flags & PAGE_BUSY_FLAGS)
		panic("free_pages: pfn %u is still %s", pfn, busy_reason(page));
	page->flags &= ~PAGE_USE_FLAGS;
	page->refcount = 0;	/* the caller's reference, dropped */
	spin_lock(&zone.lock);
	if (pfn_in_free_block(pfn))
		panic("free_pages: pfn %u is already free (double free)", pfn);
	free_block_locked(pfn, order);
	spin_unlock(&zone.lock);
}

/**
 * split_page - make a block from alloc_pages(order) into 2^order pages of
 * their own: each gets refcount 1 and goes back by put_page or free_page
 * when its user is done, in any order (the buddy lists merge them again).
 * For a buffer mapped into processes page by page (the audio driver's, a
 * kiobuf's), whose pages each get their own references: in a block that
 * is not split only the first page is counted, and get_page on another
 * one is refused.
 * Context: any; no lock (the block is the caller's).  The caller holds the
 * block's only reference.  kmalloc's blocks are not to be split.
 */
void split_page(struct page *page, unsigned int order)
{
	pfn_t pfn = page_to_pfn(page);

	assert(order < MAX_ORDER && !(pfn & ((1u << order) - 1)));
	assert(page->refcount == 1 && "split_page: a block shared or free");
	assert(!(page->flags & (1u << PG_slab | 1u << PG_large)) &&
	       "split_page of a kmalloc block");
	for (unsigned int i = 1; i < 1u << order; i++) {
		assert(page[i].refcount == 0 && "split_page: split already");
		page[i].refcount = 1;
	}
}

void get_page(struct page *page)
{
	bool was_on = irq_save();

	assert(page->refcount > 0 &&
	       "get_page on a free page, or on one inside a block (split_page)");
	page->refcount++;
	irq_restore(was_on);
}

/* Drop a reference to a single page; the last one frees it. */
void put_page(struct page *page)
{
	bool was_on = irq_save();
	int32_t left;

	assert(page->refcount > 0 && "put_page on a free page");
	left = --page->refcount;
	irq_restore(was_on);
	if (left == 0)
		free_pages(page, 0);
}

size_t nr_free_pages(void)
{
	return zone.nr_free_pages;
}

size_t nr_managed_pages(void)
{
	return zone.nr_managed_pages;
}

size_t nr_free_blocks(unsigned int order)
{
	return order < MAX_ORDER ? zone.nr_blocks[order] : 0;
}
