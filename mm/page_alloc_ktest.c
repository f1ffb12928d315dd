/*
 * mm/page_alloc_ktest.c - kernel self-tests of the buddy allocator and
 * kmalloc on the machine's real memory (ktest=all).  The host unit tests in
 * tests/ cover the same code on a synthetic arena; these check it against the
 * memory map the boot loader gave us.
 */
#include <ktest.h>
#include <mm.h>
#include <string.h>

/* Free-block counts per order, to check that freeing coalesces all the way. */
struct block_census {
	size_t blocks[MAX_ORDER];
};

static void take_census(struct block_census *c)
{
	for (unsigned int k = 0; k < MAX_ORDER; k++)
		c->blocks[k] = nr_free_blocks(k);
}

static bool census_equal(const struct block_census *a, const struct block_census *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

KTEST(buddy_alloc_free_one)
{
	size_t before = nr_free_pages();
	struct page *p = alloc_page(ALLOC_KERNEL);

	KT_ASSERT(p != NULL);
	KT_ASSERT(p->refcount == 1);
	KT_ASSERT(!page_has_flag(p, PG_buddy) && !page_has_flag(p, PG_reserved));
	KT_ASSERT(nr_free_pages() == before - 1);
	free_page(p);
	KT_ASSERT(nr_free_pages() == before);
	return 0;
}

/* The two halves of an order-1 block, freed one by one, merge back. */
KTEST(buddy_coalesce)
{
	struct block_census before, after;
	struct page *pair;

	take_census(&before);
	pair = alloc_pages(1, ALLOC_KERNEL);
	KT_ASSERT(pair != NULL);
	KT_ASSERT((page_to_pfn(pair) & 1) == 0);
	free_pages(pair + 1, 0);
	free_pages(pair, 0);
	take_census(&after);
	KT_ASSERT(census_equal(&before, &after));
	return 0;
}

KTEST(buddy_alignment)
{
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		struct page *p = alloc_pages(order, ALLOC_KERNEL);

		if (!p)
			continue;	/* small machines lack the biggest blocks */
		KT_ASSERT((page_to_pfn(p) & ((1u << order) - 1)) == 0);
		free_pages(p, order);
	}
	KT_ASSERT(alloc_pages(MAX_ORDER, ALLOC_KERNEL) == NULL);
	return 0;
}

/*
 * Allocate every free page, one at a time, threading them into a list through
 * their own first word and stamping each with its pfn; check the stamps, free
 * everything, and check the free count and the block census come back
 * exactly.
 */
struct stamped_page {
	struct stamped_page *next;
	pfn_t pfn;
};

KTEST(buddy_exhaust_and_restore)
{
	struct block_census before, after;
	struct stamped_page *list = NULL;
	size_t start = nr_free_pages(), got = 0;
	struct page *p;

	take_census(&before);
	/* ALLOC_ATOMIC: the free lists only; reclaim would add the caches'. */
	while ((p = alloc_page(ALLOC_ATOMIC))) {
		struct stamped_page *s = page_to_kva(p);

		s->next = list;
		s->pfn = page_to_pfn(p);
		list = s;
		got++;
	}
	KT_ASSERT(nr_free_pages() == 0);
	while (list) {
		struct stamped_page *s = list;

		list = s->next;
		KT_ASSERT(kva_to_page(s) == pfn_to_page(s->pfn));
		free_page(pfn_to_page(s->pfn));
	}
	take_census(&after);
	KT_ASSERT(got == start);
	KT_ASSERT(nr_free_pages() == start);
	KT_ASSERT(census_equal(&before, &after));
	return 0;
}

KTEST(page_refcount_last_put_frees)
{
	size_t before = nr_free_pages();
	struct page *p = alloc_page(ALLOC_KERNEL);

	KT_ASSERT(p != NULL);
	get_page(p);
	KT_ASSERT(p->refcount == 2);
	put_page(p);
	KT_ASSERT(nr_free_pages() == before - 1);
	put_page(p);
	KT_ASSERT(nr_free_pages() == before);
	return 0;
}

/* split_page: each page of a block, referenced and freed on its own, as a
 * buffer mapped into a process page by page is; all back, the block merges
 * again. */
KTEST(split_page_pieces_are_freed_one_by_one)
{
	struct block_census before, after;
	size_t free_before = nr_free_pages();
	struct page *block;

	take_census(&before);
	block = alloc_pages(2, ALLOC_KERNEL);
	KT_ASSERT(block != NULL);
	split_page(block, 2);
	get_page(block + 3);		/* a second mapping of the last page */
	for (int i = 3; i >= 0; i--) {
		KT_ASSERT(block[i].refcount >= 1);
		put_page(block + i);
	}
	KT_ASSERT(nr_free_pages() == free_before - 1);
	put_page(block + 3);
	take_census(&after);
	KT_ASSERT(nr_free_pages() == free_before);
	KT_ASSERT(census_equal(&before, &after));
	return 0;
}

/* Every size class and some multi-page sizes: usable, aligned, writable. */
KTEST(kmalloc_sizes)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 512, 2047, 2048,
					2049, 4096, 5000, 65536, 300000 };
	void *objs[ARRAY_SIZE(sizes)];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t usable;

		objs[i] = kmalloc(sizes[i], ALLOC_KERNEL);
		KT_ASSERT(objs[i] != NULL);
		usable = kmalloc_usable_size(objs[i]);
		KT_ASSERT(usable >= sizes[i]);
		KT_ASSERT(((uintptr_t)objs[i] & (MIN(usable, PAGE_SIZE) - 1)) == 0);
		memset(objs[i], (int)i, usable);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		const unsigned char *b = objs[i];

		KT_ASSERT(b[0] == (unsigned char)i && b[sizes[i] - 1] == (unsigned char)i);
		kfree(objs[i]);
	}
	return 0;
}

/* Many small objects: distinct, and all pages come back when freed. */
KTEST(kmalloc_many_small)
{
	enum { N = 1000 };
	void **objs = kmalloc(N * sizeof(void *), ALLOC_KERNEL);

	KT_ASSERT(objs != NULL);
	for (int i = 0; i < N; i++) {
		objs[i] = kmalloc(32, ALLOC_KERNEL);
		KT_ASSERT(objs[i] != NULL);
		*(int *)objs[i] = i;
	}
	for (int i = 0; i < N; i++)
		KT_ASSERT(*(int *)objs[i] == i);
	for (int i = N - 1; i >= 0; i--)
		kfree(objs[i]);
	kfree(objs);
	return 0;
}

KTEST(kmalloc_zero_and_null)
{
	KT_ASSERT(kmalloc(0, ALLOC_KERNEL) == NULL);
	kfree(NULL);
	return 0;
}
