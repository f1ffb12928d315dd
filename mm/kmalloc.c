/*
 * mm/kmalloc.c - small kernel objects carved out of pages.
 *
 * Owns: the size classes and their partially used pages.
 *
 * Interface:
 *   kmalloc(size, ctx) -> kva or NULL  size 1..KMALLOC_MAX_SLAB_SIZE comes
 *                                      from a page of same-size objects;
 *                                      larger sizes take 2^order whole pages
 *   kzalloc(size, ctx)                 the same, zero-filled
 *   kfree(kva)                         NULL is ignored; anything not from
 *                                      kmalloc is a kernel bug and panics
 * ctx is the allocation context (include/mm.h): a request that needs a new
 * page may sleep in reclaim if ctx allows.  It is checked on every call,
 * page needed or not, so a wrong context shows on the first run.
 *
 * Layout: a slab page holds PAGE_SIZE / class_size objects of one class.  Its
 * struct page has PG_slab, slab_class, slab_inuse, and slab_free, the head of
 * a list threaded through the free objects' first word.  A page with free
 * objects sits on its class's partial list; a full page is on no list; a page
 * whose last object is freed goes straight back to the page allocator, so
 * nr_free_pages() returns exactly to where it was (the leak checks rely on it).
 *
 * Invariants: objects are aligned to their class size (a power of two), so an
 * object never straddles a page.  A free object's second word holds
 * FREE_POISON, which lets kfree catch most double frees cheaply.
 *
 * Locks: kmalloc_lock (spin, interrupts off) guards the partial lists and
 * the slab fields; zone.lock nests inside it in free_page.  A new slab page
 * is allocated with the lock dropped: reclaim may sleep, and frees buffers
 * through kfree, which takes kmalloc_lock.
 */
#include <mm.h>
#include <kernel.h>
#include <spinlock.h>
#include <string.h>

#define NR_CLASSES	8		/* 16, 32, ... 2048 bytes */
#define FREE_POISON	0x6b6b6b6bu	/* second word of every free object */

BUILD_ASSERT((KMALLOC_MIN_SIZE << (NR_CLASSES - 1)) == KMALLOC_MAX_SLAB_SIZE);

struct free_object {
	struct free_object *next;
	uint32_t poison;
};

static struct spinlock kmalloc_lock = SPINLOCK_INIT("kmalloc");
static struct list_head partial[NR_CLASSES];	/* [k] pages with free objects */
static bool kmalloc_ready;

static size_t class_size(unsigned int cls)
{
	return (size_t)KMALLOC_MIN_SIZE << cls;
}

static unsigned int size_to_class(size_t size)
{
	unsigned int cls = 0;

	while (class_size(cls) < size)
		cls++;
	return cls;
}

static unsigned int size_to_order(size_t size)
{
	unsigned int order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

static void kmalloc_init_once(void)
{
	for (unsigned int c = 0; c < NR_CLASSES; c++)
		list_init(&partial[c]);
	kmalloc_ready = true;
}

/* Make page a slab of class cls and put it on the partial list.  Caller
 * holds kmalloc_lock. */
static void add_slab(struct page *page, unsigned int cls)
{
	size_t size = class_size(cls);
	char *base = page_to_kva(page);

	assert_spin_locked(&kmalloc_lock);
	page_set_flag(page, PG_slab);
	page->slab_class = (uint8_t)cls;
	page->slab_inuse = 0;
	page->slab_free = NULL;
	for (size_t off = PAGE_SIZE; off >= size; off -= size) {
		struct free_object *o = (struct free_object *)(base + off - size);

		o->next = page->slab_free;
		o->poison = FREE_POISON;
		page->slab_free = o;
	}
	list_add(&page->list, &partial[cls]);
}

/* An object from a partial slab of class cls, or NULL if there is none.
 * Caller holds kmalloc_lock. */
static void *slab_alloc(unsigned int cls)
{
	struct page *page;
	struct free_object *o;

	assert_spin_locked(&kmalloc_lock);
	if (list_empty(&partial[cls]))
		return NULL;
	page = list_first_entry(&partial[cls], struct page, list);
	o = page->slab_free;
	page->slab_free = o->next;
	page->slab_inuse++;
	if (!page->slab_free)
		list_del(&page->list);		/* now full */
	o->poison = 0;
	return o;
}

static void *large_alloc(size_t size, enum alloc_ctx ctx)
{
	unsigned int order;
	struct page *page;

	/* Beyond the largest block; size_to_order() would also overflow. */
	if (size > ((size_t)PAGE_SIZE << (MAX_ORDER - 1)))
		return NULL;
	order = size_to_order(size);
	page = alloc_pages(order, ctx);
	if (!page)
		return NULL;
	page_set_flag(page, PG_large);
	page->order = (uint8_t)order;
	return page_to_kva(page);
}

/* An object of class cls: from a partial slab, or else from a new slab
 * page, allocated with kmalloc_lock dropped (it may sleep in reclaim).  A
 * slab that another task added meanwhile is fine: both stay partial. */
static void *small_alloc(unsigned int cls, enum alloc_ctx ctx)
{
	struct page *page;
	void *kva;

	spin_lock(&kmalloc_lock);
	if (!kmalloc_ready)
		kmalloc_init_once();
	kva = slab_alloc(cls);
	spin_unlock(&kmalloc_lock);
	if (kva)
		return kva;
	page = alloc_page(ctx);
	if (!page)
		return NULL;
	spin_lock(&kmalloc_lock);
	add_slab(page, cls);
	kva = slab_alloc(cls);
	spin_unlock(&kmalloc_lock);
	return kva;
}

/* Fault injection for the self-tests (mm/internal.h): see there. */
unsigned int kmalloc_fail_nth;

void *kmalloc(size_t size, enum alloc_ctx ctx)
{
	ctx = alloc_ctx_here(ctx);
	if (size == 0)
		return NULL;
	if (kmalloc_fail_nth && --kmalloc_fail_nth == 0)
		return NULL;
	if (size > KMALLOC_MAX_SLAB_SIZE)
		return large_alloc(size, ctx);
	return small_alloc(size_to_class(size), ctx);
}

void *kzalloc(size_t size, enum alloc_ctx ctx)
{
	void *kva = kmalloc(size, ctx);

	if (kva)
		memset(kva, 0, size);
	return kva;
}

/* Is o already on its page's free list?  Only asked when the poison says so. */
static bool on_free_list(const struct page *page, const struct free_object *o)
{
	for (const struct free_object *f = page->slab_free; f; f = f->next)
		if (f == o)
			return true;
	return false;
}

static void slab_free(struct page *page, void *kva)
{
	unsigned int cls = page->slab_class;
	struct free_object *o = kva;

	assert_spin_locked(&kmalloc_lock);
	if ((uintptr_t)kva & (class_size(cls) - 1))
		panic("kfree: %p is inside a %zu-byte object, not at its start",
		      kva, class_size(cls));
	if (o->poison == FREE_POISON && on_free_list(page, o))
		panic("kfree: %p freed twice", kva);
	if (!page->slab_free)
		list_add(&page->list, &partial[cls]);	/* was full */
	o->next = page->slab_free;
	o->poison = FREE_POISON;
	page->slab_free = o;
	if (--page->slab_inuse == 0) {
		list_del(&page->list);
		page_clear_flag(page, PG_slab);
		free_page(page);
	}
}

void kfree(void *kva)
{
	struct page *page;

	if (!kva)
		return;
	page = kva_to_page(kva);
	if (page_has_flag(page, PG_large)) {
		if ((uintptr_t)kva & (PAGE_SIZE - 1))
			panic("kfree: %p is inside a large block", kva);
		page_clear_flag(page, PG_large);
		free_pages(page, page->order);
		return;
	}
	if (!page_has_flag(page, PG_slab))
		panic("kfree: %p was not allocated by kmalloc", kva);
	spin_lock(&kmalloc_lock);
	slab_free(page, kva);
	spin_unlock(&kmalloc_lock);
}

size_t kmalloc_usable_size(const void *kva)
{
	const struct page *page = kva_to_page(kva);

	if (page_has_flag(page, PG_large))
		return (size_t)PAGE_SIZE << page->order;
	assert(page_has_flag(page, PG_slab));
	return class_size(page->slab_class);
}
