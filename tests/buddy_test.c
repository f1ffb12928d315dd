/*
 * tests/buddy_test.c - host unit tests of the buddy allocator, mm/page_alloc.c.
 *
 * Each test gets a fresh arena (tests/host/hosttest.h): pfn 0 reserved, the
 * rest free, 4 MiB aligned.  With N pages, N a multiple of 1024, freeing
 * pfns 1..N-1 leaves one block of each order 0..9 (1, 2-3, 4-7, ... 512-1023)
 * and N/1024 - 1 blocks of order 10; host_buddy_initial_census checks that.
 * Every allocation is ALLOC_ATOMIC: these tests count pages exactly, and
 * reclaim (what the other contexts add) is tests/reclaim_test.c's.
 */
#include <stdlib.h>

#include <hosttest.h>
#include <mm.h>
#include <string.h>
#include <x86.h>

#define ARENA_PAGES	4096	/* 16 MiB: four blocks of the largest order */

struct census {
	size_t blocks[MAX_ORDER];
};

static void take_census(struct census *c)
{
	for (unsigned int k = 0; k < MAX_ORDER; k++)
		c->blocks[k] = nr_free_blocks(k);
}

static bool census_equal(const struct census *a, const struct census *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The page_alloc.c invariant: the free count is what the free lists hold. */
static bool free_count_matches_lists(void)
{
	size_t pages = 0;

	for (unsigned int k = 0; k < MAX_ORDER; k++)
		pages += nr_free_blocks(k) << k;
	return pages == nr_free_pages();
}

static bool is_aligned_pfn(pfn_t pfn, unsigned int order)
{
	return (pfn & ((1u << order) - 1)) == 0;
}

static void host_buddy_initial_census(void)
{
	CHECK(nr_free_pages() == ARENA_PAGES - 1);
	CHECK(nr_managed_pages() == ARENA_PAGES - 1);
	for (unsigned int k = 0; k < MAX_ORDER - 1; k++)
		CHECK(nr_free_blocks(k) == 1);
	CHECK(nr_free_blocks(MAX_ORDER - 1) == ARENA_PAGES / 1024 - 1);
	CHECK(nr_free_blocks(MAX_ORDER) == 0);
	CHECK(free_count_matches_lists());
}

static void host_buddy_alloc_free_one(void)
{
	size_t before = nr_free_pages();
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL);
	CHECK(p->refcount == 1);
	CHECK(!page_has_flag(p, PG_buddy) && !page_has_flag(p, PG_reserved));
	CHECK(page_to_pfn(p) != 0);
	CHECK(nr_free_pages() == before - 1);
	free_page(p);
	CHECK(nr_free_pages() == before);
}

/* Blocks of mixed orders, freed in a different order, coalesce completely. */
static void host_buddy_coalesce_restores_census(void)
{
	static const unsigned int orders[] = { 0, 3, 0, 1, 10, 2, 0, 5, 9, 0, 4, 1 };
	struct page *blocks[ARRAY_SIZE(orders)];
	struct census before, after;

	take_census(&before);
	for (size_t i = 0; i < ARRAY_SIZE(orders); i++) {
		blocks[i] = alloc_pages(orders[i], ALLOC_ATOMIC);
		CHECK(blocks[i] != NULL);
	}
	for (size_t i = 0; i < ARRAY_SIZE(orders); i += 2)	/* evens first */
		free_pages(blocks[i], orders[i]);
	for (size_t i = ARRAY_SIZE(orders) - 1; i < ARRAY_SIZE(orders); i -= 2)
		free_pages(blocks[i], orders[i]);
	take_census(&after);
	CHECK(census_equal(&before, &after));
	CHECK(free_count_matches_lists());
}

/* The two halves of an order-1 block, freed one by one, merge back. */
static void host_buddy_halves_merge(void)
{
	struct census before, after;
	struct page *pair;

	take_census(&before);
	pair = alloc_pages(1, ALLOC_ATOMIC);
	CHECK(pair != NULL);
	CHECK(is_aligned_pfn(page_to_pfn(pair), 1));
	free_pages(pair + 1, 0);
	CHECK(nr_free_blocks(0) == before.blocks[0] + 1);  /* alone, for now */
	free_pages(pair, 0);
	take_census(&after);
	CHECK(census_equal(&before, &after));
}

static void host_buddy_alignment_every_order(void)
{
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		struct page *p = alloc_pages(order, ALLOC_ATOMIC);
		pfn_t pfn;

		CHECK(p != NULL);
		pfn = page_to_pfn(p);
		CHECK(is_aligned_pfn(pfn, order));
		CHECK(pfn + (1u << order) <= ARENA_PAGES);
		/* and aligned in the arena's addresses, as the buddy promises */
		CHECK(kva_to_phys(page_to_kva(p)) % (PAGE_SIZE << order) == 0);
		free_pages(p, order);
	}
}

static void host_buddy_max_order_is_null(void)
{
	size_t before = nr_free_pages();

	CHECK(alloc_pages(MAX_ORDER, ALLOC_ATOMIC) == NULL);
	CHECK(alloc_pages(MAX_ORDER + 5, ALLOC_ATOMIC) == NULL);
	CHECK(alloc_pages(~0u, ALLOC_ATOMIC) == NULL);
	CHECK(nr_free_pages() == before);
}

/*
 * Take every free page one at a time, stamping each with its pfn; check the
 * stamps (no page handed out twice), that the allocator now says no to
 * every order, then give everything back: count and census come back exactly.
 */
static void host_buddy_exhaust_and_restore(void)
{
	pfn_t *taken = calloc(ARENA_PAGES, sizeof(*taken));
	size_t start = nr_free_pages(), got = 0;
	struct census before, after;
	struct page *p;

	CHECK(taken != NULL);
	take_census(&before);
	while ((p = alloc_page(ALLOC_ATOMIC))) {
		CHECK(got < start);
		taken[got++] = page_to_pfn(p);
		*(pfn_t *)page_to_kva(p) = page_to_pfn(p);
	}
	CHECK(got == start);
	CHECK(nr_free_pages() == 0);
	for (unsigned int order = 0; order <= MAX_ORDER; order++)
		CHECK(alloc_pages(order, ALLOC_ATOMIC) == NULL);
	for (size_t i = 0; i < got; i++) {
		CHECK(*(pfn_t *)phys_to_kva(taken[i] << PAGE_SHIFT) == taken[i]);
		free_page(pfn_to_page(taken[i]));
	}
	free(taken);
	take_census(&after);
	CHECK(nr_free_pages() == start);
	CHECK(census_equal(&before, &after));
}

/* Running out of a larger order while smaller blocks remain: NULL, no split. */
static void host_buddy_exhausted_order_is_null(void)
{
	struct page *big[ARENA_PAGES / 1024];
	size_t n = 0, free_before;

	while (n < ARRAY_SIZE(big) &&
	       (big[n] = alloc_pages(MAX_ORDER - 1, ALLOC_ATOMIC)))
		n++;
	CHECK(n == ARENA_PAGES / 1024 - 1);	/* block 0 holds reserved pfn 0 */
	free_before = nr_free_pages();
	CHECK(free_before == 1023);
	CHECK(alloc_pages(MAX_ORDER - 1, ALLOC_ATOMIC) == NULL);
	CHECK(nr_free_pages() == free_before);
	for (size_t i = 0; i < n; i++)
		free_pages(big[i], MAX_ORDER - 1);
}

/* A tiny deterministic generator: the same run on every machine. */
static uint32_t rng_state = 0x5eed1234u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

struct live_block {
	pfn_t pfn;
	unsigned int order;
};

struct stress {
	struct live_block live[ARENA_PAGES];
	size_t nr_live;
	size_t pages_out;
	bool in_use[ARENA_PAGES];	/* the shadow: frames handed out */
};

/* Record a block just allocated; false if it is misplaced or any frame
 * of it was already out. */
static bool stress_take(struct stress *s, struct page *p, unsigned int order)
{
	pfn_t pfn = page_to_pfn(p);

	if (pfn == 0 || !is_aligned_pfn(pfn, order) ||
	    pfn + (1u << order) > ARENA_PAGES)
		return false;
	for (pfn_t i = pfn; i < pfn + (1u << order); i++) {
		if (s->in_use[i])
			return false;
		s->in_use[i] = true;
		*(pfn_t *)phys_to_kva(i << PAGE_SHIFT) = i;	/* stamp */
	}
	s->live[s->nr_live++] = (struct live_block){ pfn, order };
	s->pages_out += 1u << order;
	return true;
}

/* Free live block i; false if a stamp shows another owner wrote there. */
static bool stress_give(struct stress *s, size_t i)
{
	struct live_block b = s->live[i];

	for (pfn_t f = b.pfn; f < b.pfn + (1u << b.order); f++) {
		if (*(pfn_t *)phys_to_kva(f << PAGE_SHIFT) != f)
			return false;
		s->in_use[f] = false;
	}
	free_pages(pfn_to_page(b.pfn), b.order);
	s->live[i] = s->live[--s->nr_live];
	s->pages_out -= 1u << b.order;
	return true;
}

/* Is there no free block of this order or larger?  (Then NULL is right.) */
static bool no_block_at_least(unsigned int order)
{
	for (unsigned int k = order; k < MAX_ORDER; k++)
		if (nr_free_blocks(k))
			return false;
	return true;
}

/*
 * Random allocations (orders 0..6, mostly small) and frees with a fixed
 * seed, checking against a shadow map that no frame is ever handed out
 * twice, that every block lies inside the arena, that a NULL only comes when
 * no big enough block is free, and that the counters stay consistent.
 */
static void host_buddy_random_stress(void)
{
	struct stress *s = calloc(1, sizeof(*s));
	struct census before, after;
	size_t start = nr_free_pages(), nulls = 0;

	CHECK(s != NULL);
	take_census(&before);
	for (int step = 0; step < 200000; step++) {
		if (s->nr_live && rng() % 100 < 45) {
			CHECK(stress_give(s, rng() % s->nr_live));
		} else {
			unsigned int order = (rng() % 8) * (rng() % 8) / 8;
			struct page *p = alloc_pages(order, ALLOC_ATOMIC);

			if (p)
				CHECK(stress_take(s, p, order));
			else {
				CHECK(no_block_at_least(order));
				nulls++;
			}
		}
		CHECK(nr_free_pages() + s->pages_out == start);
		if (step % 64 == 0)
			CHECK(free_count_matches_lists());
	}
	CHECK(nulls > 0);	/* the run did reach memory pressure */
	while (s->nr_live)
		CHECK(stress_give(s, s->nr_live - 1));
	free(s);
	take_census(&after);
	CHECK(census_equal(&before, &after));
}

static void host_buddy_double_free_panics(void)
{
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL);
	free_page(p);
	EXPECT_PANIC_MSG(free_page(p), "double free");
}

/*
 * Regression: the upper half of a pair, freed, merges into the lower half's
 * block and loses its PG_buddy mark; freeing it again was not noticed and put
 * the same frame on the free lists twice.
 */
static void host_buddy_double_free_after_merge_panics(void)
{
	struct page *pair = alloc_pages(1, ALLOC_ATOMIC);

	CHECK(pair != NULL);
	free_pages(pair + 1, 0);
	free_pages(pair, 0);		/* merges with pair + 1 and upwards */
	EXPECT_PANIC_MSG(free_pages(pair + 1, 0), "double free");
}

/* The same, for a page inside a large free block that was never split off. */
static void host_buddy_free_inside_free_block_panics(void)
{
	struct page *big = alloc_pages(4, ALLOC_ATOMIC);

	CHECK(big != NULL);
	free_pages(big, 4);
	EXPECT_PANIC_MSG(free_pages(big + 5, 0), "double free");
}

static void host_buddy_misaligned_free_panics(void)
{
	struct page *pair = alloc_pages(1, ALLOC_ATOMIC);

	CHECK(pair != NULL);
	EXPECT_PANIC_MSG(free_pages(pair + 1, 1), "not aligned");
}

static void host_buddy_free_reserved_panics(void)
{
	EXPECT_PANIC_MSG(free_page(pfn_to_page(0)), "reserved");
}

static void host_buddy_free_range_twice_panics(void)
{
	EXPECT_PANIC_MSG(page_alloc_free_range(10, 20), "given twice");
}

static void host_buddy_last_put_frees(void)
{
	size_t before = nr_free_pages();
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL);
	get_page(p);
	CHECK(p->refcount == 2);
	put_page(p);
	CHECK(p->refcount == 1);
	CHECK(nr_free_pages() == before - 1);
	put_page(p);
	CHECK(nr_free_pages() == before);
	EXPECT_PANIC_MSG(put_page(p), "free page");
}

/*
 * split_page: a block's pages live on their own.  Each can be referenced
 * and freed alone, in any order; once all are back, they merge into the
 * block again.  (A test that leaves one out fails the runner's leak check.)
 */
static void host_buddy_split_page_pieces_go_back_one_by_one(void)
{
	static const unsigned int order_of_frees[8] = { 5, 0, 7, 2, 6, 1, 3, 4 };
	size_t before = nr_free_pages();
	struct census start, end;
	struct page *block;

	take_census(&start);
	block = alloc_pages(3, ALLOC_ATOMIC);
	CHECK(block != NULL);
	split_page(block, 3);
	for (unsigned int i = 0; i < 8; i++)
		CHECK(block[i].refcount == 1);
	get_page(block + 5);			/* mapped a second time */
	CHECK(block[5].refcount == 2);
	for (unsigned int i = 0; i < 8; i++) {	/* page 5 first: not freed */
		put_page(block + order_of_frees[i]);
		CHECK(nr_free_pages() == before - 8 + i);
	}
	put_page(block + 5);			/* the second mapping goes */
	CHECK(nr_free_pages() == before);
	take_census(&end);
	CHECK(census_equal(&start, &end));
}

/* Regression: a page given back by free_pages (not put_page) kept
 * refcount 1 on the free lists, so a later get_page on it went unnoticed,
 * and split_page of a block holding it found a page "split already". */
static void host_buddy_free_pages_drops_the_reference(void)
{
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL);
	free_page(p);
	CHECK(p->refcount == 0);
	EXPECT_PANIC_MSG(get_page(p), "free page");
}

/* Without split_page only the block's first page is counted: a reference
 * on another one is a bug, caught. */
static void host_buddy_get_page_inside_a_block_panics(void)
{
	struct page *block = alloc_pages(2, ALLOC_ATOMIC);

	CHECK(block != NULL);
	EXPECT_PANIC_MSG(get_page(block + 1), "split_page");
}

static void host_buddy_split_page_twice_panics(void)
{
	struct page *block = alloc_pages(1, ALLOC_ATOMIC);

	CHECK(block != NULL);
	split_page(block, 1);
	EXPECT_PANIC_MSG(split_page(block, 1), "split already");
}

/* A freed page takes nothing of its last use to the next: the state bits
 * go (a dirty anonymous page must not come back dirty). */
static void host_buddy_free_clears_use_flags(void)
{
	static const enum page_flag use[] = { PG_uptodate, PG_dirty,
		PG_anon_exclusive, PG_referenced, PG_active };
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(use); i++)
		page_set_flag(p, use[i]);
	put_page(p);
	for (size_t i = 0; i < ARRAY_SIZE(use); i++)
		CHECK(!page_has_flag(p, use[i]));
}

/* A page still locked or on a list would be found there after its reuse:
 * freeing it is a kernel bug. */
static void host_buddy_free_busy_page_panics(void)
{
	struct page *a = alloc_page(ALLOC_ATOMIC), *b = alloc_page(ALLOC_ATOMIC);

	CHECK(a != NULL && b != NULL);
	page_set_flag(a, PG_lru);
	EXPECT_PANIC_MSG(put_page(a), "still on an LRU list");
	page_set_flag(b, PG_locked);
	EXPECT_PANIC_MSG(free_page(b), "still locked");
}

/* A range that starts and ends off any large alignment, as firmware maps do. */
static void host_buddy_unaligned_range_split(void)
{
	/*
	 * [3, 1000) worked out by hand: 3 | 4-7 | 8-15 | 16-31 | 32-63 |
	 * 64-127 | 128-255 | 256-511 | 512-767 | 768-895 | 896-959 | 960-991
	 * | 992-999.
	 */
	static const size_t expect[MAX_ORDER] = { 1, 0, 1, 2, 1, 2, 2, 2, 2, 0, 0 };
	static bool seen[1024];
	struct live_block got[32];
	size_t n = 0, pages = 0;
	struct census before;

	host_mem_init_range(1024, 3, 1000);
	take_census(&before);
	for (unsigned int k = 0; k < MAX_ORDER; k++)
		CHECK(before.blocks[k] == expect[k]);
	CHECK(nr_free_pages() == 997);
	/* Drain from the top: each block comes out whole, where it should be. */
	for (unsigned int k = MAX_ORDER; k-- > 0;) {
		struct page *p;

		while ((p = alloc_pages(k, ALLOC_ATOMIC))) {
			pfn_t pfn = page_to_pfn(p);

			CHECK(n < ARRAY_SIZE(got));
			CHECK(is_aligned_pfn(pfn, k));
			CHECK(pfn >= 3 && pfn + (1u << k) <= 1000);
			for (pfn_t f = pfn; f < pfn + (1u << k); f++) {
				CHECK(!seen[f]);
				seen[f] = true;
			}
			got[n++] = (struct live_block){ pfn, k };
			pages += 1u << k;
		}
	}
	CHECK(pages == 997);
	for (size_t i = n; i-- > 0;)
		free_pages(pfn_to_page(got[i].pfn), got[i].order);
	CHECK(nr_free_pages() == 997);
}

/* Spin locks inside the allocator leave the interrupt flag as they found it. */
static void host_buddy_keeps_irq_state(void)
{
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL && irqs_enabled());
	free_page(p);
	CHECK(irqs_enabled());
	cli();
	p = alloc_pages(2, ALLOC_ATOMIC);
	CHECK(p != NULL && !irqs_enabled());
	free_pages(p, 2);
	CHECK(!irqs_enabled());
	sti();
}

static const struct host_test tests[] = {
	HOST_TEST(host_buddy_initial_census, ARENA_PAGES),
	HOST_TEST(host_buddy_alloc_free_one, ARENA_PAGES),
	HOST_TEST(host_buddy_coalesce_restores_census, ARENA_PAGES),
	HOST_TEST(host_buddy_halves_merge, ARENA_PAGES),
	HOST_TEST(host_buddy_alignment_every_order, ARENA_PAGES),
	HOST_TEST(host_buddy_max_order_is_null, ARENA_PAGES),
	HOST_TEST(host_buddy_exhaust_and_restore, ARENA_PAGES),
	HOST_TEST(host_buddy_exhausted_order_is_null, ARENA_PAGES),
	HOST_TEST(host_buddy_random_stress, ARENA_PAGES),
	HOST_TEST(host_buddy_double_free_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_double_free_after_merge_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_free_inside_free_block_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_misaligned_free_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_free_reserved_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_free_range_twice_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_last_put_frees, ARENA_PAGES),
	HOST_TEST(host_buddy_split_page_pieces_go_back_one_by_one, ARENA_PAGES),
	HOST_TEST(host_buddy_free_pages_drops_the_reference, ARENA_PAGES),
	HOST_TEST(host_buddy_get_page_inside_a_block_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_split_page_twice_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_free_clears_use_flags, ARENA_PAGES),
	HOST_TEST(host_buddy_free_busy_page_panics, ARENA_PAGES),
	HOST_TEST(host_buddy_unaligned_range_split, 0),
	HOST_TEST(host_buddy_keeps_irq_state, ARENA_PAGES),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
