/* include/mm.h - physical memory: pages, the page allocator, kmalloc.
 *
 * Every physical page frame below the low-memory limit has one struct page in
 * mem_map[], indexed by pfn.  Low memory (up to LOWMEM_LIMIT) is mapped at
 * KERNEL_BASE, so a physical address pa has the kernel virtual address
 * pa + KERNEL_BASE and back: phys_to_kva() / kva_to_phys().
 *
 * Interface, in the order a caller meets it:
 *   alloc_pages(order, ctx) / free_pages(page, order)  2^order contiguous pages
 *   alloc_page(ctx) / free_page(page)                  one page
 *   split_page(page, order)                            a block into pages
 *                                                      that live on their own
 *   get_page(page) / put_page(page)                    take / drop a reference;
 *                                                      the last put frees it
 *   kmalloc(size, ctx) / kfree(kva)                    small objects
 *   nr_free_pages()                                    for leak checks
 *
 * ctx is an allocation context (enum alloc_ctx below): what the allocator
 * may do to find memory when the free lists run dry.
 */
#ifndef WALNUT_MM_H
#define WALNUT_MM_H

#include <types.h>
#include <list.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#ifdef WALNUT_HOST
/* Host unit tests back "physical memory" with an arena of their own. */
extern uintptr_t host_kernel_base;
#define KERNEL_BASE	host_kernel_base
#else
#define KERNEL_BASE	0xC0000000u	/* where physical 0 is mapped */
#endif
#define LOWMEM_LIMIT	(896u << 20)	/* physical memory mapped at KERNEL_BASE */

#define MAX_ORDER	11		/* orders 0..10: blocks of 4 KiB .. 4 MiB */

/*
 * Page flags: one bit each, kept in page->flags.
 */
enum page_flag {
	PG_reserved,	/* never given out: kernel image, holes, firmware */
	PG_buddy,	/* free, heading a block of 2^page->order in a free list */
	PG_slab,	/* owned by kmalloc; page->slab_class says which size */
	PG_large,	/* a multi-page kmalloc block; page->order says how big */
	PG_locked,	/* page cache: I/O in flight or being filled
			   (lock_page, include/pagecache.h); never a pin */
	PG_uptodate,	/* page cache: holds the file's bytes */
	PG_dirty,	/* newer than the file (page cache) or than swap
			   (anonymous, swap cache): set_page_dirty */
	PG_anon_exclusive, /* anonymous, and mapped by one address space only:
			   a write to it needs no copy, and ptrace may write
			   it (mm/fault.c: page_is_exclusive_anon) */
	PG_swapcache,	/* in the swap cache (swap: not yet) */
	/* For reclaim's LRU lists (mm/reclaim.c; for swap).  Nothing
	 * sets them yet. */
	PG_lru,		/* on an LRU list, linked by page->lru */
	PG_referenced,	/* the clock bit: used since reclaim last looked
			   (a read, or a PTE's accessed bit folded in).
			   Reclaim clears it and passes the page by; a page
			   still clear the next time round is taken */
	PG_active,	/* on the active list (in use lately), not the
			   inactive one that reclaim takes pages from */
	NR_PAGE_FLAGS
};

/*
 * One per physical page frame.  Fields say what guards them:
 *   [z] zone lock (mm/page_alloc.c)   [k] kmalloc lock   [r] atomic w.r.t. irqs
 *   [f] fs_lock, and the page lock for the data (mm/filemap.c)
 *   [l] the LRU lists' lock (mm/reclaim.c, for swap), interrupts off
 *
 * 44 bytes on i386 (1.1% of memory), and kept so: a page on an LRU list is
 * a page of a file or a process, never free, never kmalloc's, so lru
 * shares its room with the fields only such pages use (the free block's
 * order, the slab's bookkeeping), as Linux's struct page does.  PG_lru
 * excludes PG_buddy, PG_slab and PG_large.
 */
struct page {
	uint32_t flags;			/* enum page_flag bits, each guarded
					   as it says; changed one at a time
					   (page_set_flag) */
	int32_t refcount;		/* [r] 0 when free; alloc_pages sets 1 */
	union {
		struct {
			void *slab_free;	/* [k] first free object in
						   this page, while PG_slab */
			uint16_t slab_inuse;	/* [k] objects handed out */
			uint8_t slab_class;	/* [k] kmalloc size class */
			uint8_t order;		/* [z] block order while
						   PG_buddy or PG_large */
		};
		struct list_head lru;	/* [l] while PG_lru: reclaim's list */
	};
	struct list_head list;		/* [z] free list / [k] partial-slab list
					   / [f] the file's page list */
	struct inode *mapping;		/* [f] page cache: the file, or NULL */
	uint32_t index;			/* [f] offset in the file, in pages */
	struct page *hash_next;		/* [f] page-cache hash chain */
	int32_t pincount;		/* [r] walker pins (include/walk.h); each
					   pin also holds one refcount */
	uint32_t dirty_since;		/* [r] jiffies (low bits) when PG_dirty
					   was set on a page-cache page: the
					   flusher's age test */
};

extern struct page *mem_map;	/* [I] one per pfn, from pfn 0 */
extern pfn_t max_pfn;		/* [I] pfns below this have a struct page */

/* One bit in one instruction, so that a bit an interrupt handler sets
 * meanwhile (set_page_dirty from a DMA completion) is never lost. */
static inline void page_set_flag(struct page *p, enum page_flag f)
{
	__atomic_fetch_or(&p->flags, 1u << f, __ATOMIC_RELAXED);
}

static inline void page_clear_flag(struct page *p, enum page_flag f)
{
	__atomic_fetch_and(&p->flags, ~(1u << f), __ATOMIC_RELAXED);
}

static inline bool page_has_flag(const struct page *p, enum page_flag f)
{
	return p->flags & (1u << f);
}

/*
 * What a page holds, for the mm code.  A file's page is in the page cache
 * (page->mapping is its inode); every other page a process maps is
 * anonymous memory -- its own, or shared with others after fork, or the
 * shared zero page (mm/internal.h: is_zero_page).
 */
static inline bool page_is_file(const struct page *p)
{
	return p->mapping != NULL;
}

static inline bool page_is_anon(const struct page *p)
{
	return p->mapping == NULL;
}

static inline bool page_in_swapcache(const struct page *p)
{
	return page_has_flag(p, PG_swapcache);
}

static inline void *phys_to_kva(pa_t pa)
{
	return (void *)((uintptr_t)pa + KERNEL_BASE);
}

static inline pa_t kva_to_phys(const void *kva)
{
	return (pa_t)((uintptr_t)kva - KERNEL_BASE);
}

static inline pfn_t page_to_pfn(const struct page *p)
{
	return (pfn_t)(p - mem_map);
}

static inline struct page *pfn_to_page(pfn_t pfn)
{
	return &mem_map[pfn];
}

static inline void *page_to_kva(const struct page *p)
{
	return phys_to_kva((pa_t)page_to_pfn(p) << PAGE_SHIFT);
}

static inline struct page *kva_to_page(const void *kva)
{
	return pfn_to_page(kva_to_phys(kva) >> PAGE_SHIFT);
}

/*
 * Whole pages, with plain 32-bit moves eight at a time.  Under QEMU's TCG a
 * "rep" string instruction (what memset and memcpy use) costs a trip
 * through the translator's loop per iteration, several times an unrolled
 * loop, which TCG compiles into one block; a real CPU runs both at memory
 * speed.  The fault path clears or copies a page per fault, so this is
 * most of a fault's cost.
 */
static inline void clear_page(void *kva)
{
	uint32_t *d = kva;

	for (size_t i = 0; i < PAGE_SIZE / 4; i += 8) {
		d[i] = 0; d[i + 1] = 0; d[i + 2] = 0; d[i + 3] = 0;
		d[i + 4] = 0; d[i + 5] = 0; d[i + 6] = 0; d[i + 7] = 0;
	}
}

static inline void copy_page(void *dst_kva, const void *src_kva)
{
	uint32_t *d = dst_kva;
	const uint32_t *s = src_kva;

	for (size_t i = 0; i < PAGE_SIZE / 4; i += 8) {
		d[i] = s[i]; d[i + 1] = s[i + 1]; d[i + 2] = s[i + 2];
		d[i + 3] = s[i + 3]; d[i + 4] = s[i + 4]; d[i + 5] = s[i + 5];
		d[i + 6] = s[i + 6]; d[i + 7] = s[i + 7];
	}
}

/*
 * Allocation contexts.  When the free lists cannot satisfy a request, the
 * allocator may get memory back from the caches (mm/reclaim.c:
 * try_to_free_pages) -- but only if the caller can afford what that costs:
 * reclaim sleeps, may start disk I/O, and takes fs_lock to drop page-cache
 * pages.  So every allocation names its context, and a reader of the call
 * sees at once whether it may sleep.  A context is a set of abilities, as
 * Linux's GFP flags are (__GFP_DIRECT_RECLAIM, __GFP_IO, __GFP_FS):
 */
enum alloc_ability {
	ALLOC_MAY_SLEEP	= 1u << 0,	/* wait, and so call reclaim */
	ALLOC_MAY_IO	= 1u << 1,	/* start disk I/O and wait for it */
	ALLOC_MAY_FS	= 1u << 2,	/* take fs_lock: drop page-cache pages,
					   write back idle buffers */
	ALLOC_USER_PAGE	= 1u << 3,	/* a page a process maps (ALLOC_USER):
					   gives no right, says what it is for */
};

/*
 * The contexts callers pass, weakest first (mm/reclaim.c: alloc_ctx_here
 * checks each against where it is used):
 */
enum alloc_ctx {
	/* No sleep, no reclaim: a free block now, or NULL.  Interrupt
	 * handlers, holders of a spin lock, anything with interrupts off (boot
	 * before sti).  Asking for more with interrupts off panics. */
	ALLOC_ATOMIC	= 0,
	/* May sleep and reclaim, but not enter the filesystem: reclaim frees
	 * clean buffers only.  Holders of fs_lock -- ext2, the VFS, the page
	 * cache, /proc and /dev code under it -- and the buffer cache, which
	 * ext2 calls with fs_lock held.  Reclaim would take fs_lock again (it
	 * is recursive) and drop pages or write buffers back in the middle of
	 * the holder's update. */
	ALLOC_NOFS	= ALLOC_MAY_SLEEP | ALLOC_MAY_IO,
	/* Anything: system calls and kernel threads outside the filesystem,
	 * fork, exec's buffers, pipes.  Asking for it while holding fs_lock
	 * panics; so every lock held across it comes before fs_lock in the
	 * lock order (docs/locking.md). */
	ALLOC_KERNEL	= ALLOC_MAY_SLEEP | ALLOC_MAY_IO | ALLOC_MAY_FS,
	/* A page of a process's memory or page tables: the fault path, shared
	 * memory, fork's copies.  ALLOC_KERNEL's rights: a fault never runs
	 * under fs_lock (might_fault, include/uaccess.h, checks every user
	 * copy), so it may always reclaim.  (Swap will put these pages on the
	 * LRU lists.) */
	ALLOC_USER	= ALLOC_KERNEL | ALLOC_USER_PAGE,
};

/* mm/page_alloc.c: the buddy allocator. */
void page_alloc_init(struct page *map, pfn_t nr_pfns);
void page_alloc_free_range(pfn_t start, pfn_t end);
struct page *alloc_pages(unsigned int order, enum alloc_ctx ctx);
void free_pages(struct page *page, unsigned int order);
void split_page(struct page *page, unsigned int order);
size_t nr_free_pages(void);
size_t nr_managed_pages(void);
/* Are the free pages down to the reserve that allocations which cannot
 * reclaim the page cache live on (mm/page_alloc.c)?  A cache that can free
 * pages of its own does so first, rather than eat into it. */
bool free_pages_low(void);
size_t nr_free_blocks(unsigned int order);

static inline struct page *alloc_page(enum alloc_ctx ctx)
{
	return alloc_pages(0, ctx);
}

static inline void free_page(struct page *page)
{
	free_pages(page, 0);
}

void get_page(struct page *page);
void put_page(struct page *page);

/* mm/kmalloc.c */
#define KMALLOC_MIN_SIZE	16
#define KMALLOC_MAX_SLAB_SIZE	2048	/* larger requests take whole pages */
void *kmalloc(size_t size, enum alloc_ctx ctx);
void *kzalloc(size_t size, enum alloc_ctx ctx);
void kfree(void *kva);
size_t kmalloc_usable_size(const void *kva);

/* mm/reclaim.c: the context an allocation asks for, checked against where
 * it is asked (returned as is, or a panic), and the one way into reclaim. */
enum alloc_ctx alloc_ctx_here(enum alloc_ctx ctx);
size_t try_to_free_pages(enum alloc_ctx ctx, size_t nr_pages);

/* What reclaim did, for /proc/vmstat, under Linux's names.  Only
 * try_to_free_pages changes them, in a task: no lock on one CPU. */
struct reclaim_counters {
	unsigned long allocstall;	/* times the allocator entered reclaim */
	unsigned long pgsteal_direct;	/* pages it put back on the free lists */
	unsigned long pgsteal_file;	/* page-cache pages it dropped */
};
extern struct reclaim_counters reclaim_counters;

/* mm/memmap.c (kernel only): builds mem_map from the multiboot map. */
struct boot_info;
void mem_init(const struct boot_info *bi);
void mem_print_map(void);

#endif
