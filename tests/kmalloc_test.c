/*
 * tests/kmalloc_test.c - host unit tests of mm/kmalloc.c over the real buddy
 * allocator.  The runner (tests/host/hosttest.h) checks after every test
 * that all pages came back and interrupts are on again.
 *
 * The arena is filled with 0xA5 before each test, so kzalloc's zeroes are
 * its own.  Every write is inside the arena, so ASan only catches a stray
 * write past the arena's ends; overlapping objects are caught instead by
 * stamping each object's every word with its own number and reading back.
 * Every allocation is ALLOC_ATOMIC: the tests count pages exactly, and
 * reclaim (what the other contexts add) is tests/reclaim_test.c's.
 */
#include <stdlib.h>

#include <hosttest.h>
#include <mm.h>
#include <string.h>

#define ARENA_PAGES	8192	/* 32 MiB */
#define TINY_PAGES	64	/* pfns 1..63 free: orders 0..5, one block each */

/* What kmalloc_usable_size should say: the power of two that fits, >= 16. */
static size_t expected_usable(size_t size)
{
	size_t c = KMALLOC_MIN_SIZE;

	while (c < size)
		c <<= 1;
	return c;
}

static bool in_arena(const void *kva, size_t len)
{
	const unsigned char *p = kva;

	return p >= host_arena + PAGE_SIZE &&	/* pfn 0 is reserved */
	       p + len <= host_arena + host_arena_pages * PAGE_SIZE;
}

static void stamp(void *kva, size_t usable, uint32_t id)
{
	uint32_t *w = kva;

	for (size_t i = 0; i < usable / sizeof(*w); i++)
		w[i] = id;
}

static bool stamp_intact(const void *kva, size_t usable, uint32_t id)
{
	const uint32_t *w = kva;

	for (size_t i = 0; i < usable / sizeof(*w); i++)
		if (w[i] != id)
			return false;
	return true;
}

static uint32_t rng_state = 0xc0ffee11u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void shuffle(void **v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng() % i;
		void *t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* Larger than a page, up to 1 MiB, on and around powers of two. */
static const size_t large_sizes[] = {
	4097, 6000, 8191, 8192, 8193, 12288, 65535, 65536, 65537,
	100000, 262144, 300000, 524289, (1u << 20) - 1, 1u << 20,
};

#define NR_SIZES	(4096 + ARRAY_SIZE(large_sizes))

static size_t size_at(size_t i)
{
	return i < 4096 ? i + 1 : large_sizes[i - 4096];
}

/* Check one fresh object of the given size; stamp it with id. */
static bool object_ok(void *p, size_t size, uint32_t id)
{
	size_t usable;

	if (!p)
		return false;
	usable = kmalloc_usable_size(p);
	if (usable < size || usable != expected_usable(size))
		return false;
	if ((uintptr_t)p % MIN(usable, (size_t)PAGE_SIZE) != 0)
		return false;
	if (!in_arena(p, usable))
		return false;
	stamp(p, usable, id);
	return true;
}

/*
 * Every size 1..4096 and some up to 1 MiB, all alive at once: usable size
 * is the size class, alignment as promised, each writable over its usable
 * size without disturbing any other; freed in random order, every page
 * comes back.
 */
static void host_kmalloc_every_size(void)
{
	void **objs = calloc(NR_SIZES, sizeof(*objs));
	size_t start = nr_free_pages();

	CHECK(objs != NULL);
	for (size_t i = 0; i < NR_SIZES; i++) {
		objs[i] = kmalloc(size_at(i), ALLOC_ATOMIC);
		CHECK(object_ok(objs[i], size_at(i), (uint32_t)i));
	}
	CHECK(nr_free_pages() < start);
	for (size_t i = 0; i < NR_SIZES; i++)
		CHECK(stamp_intact(objs[i], kmalloc_usable_size(objs[i]), (uint32_t)i));
	shuffle(objs, NR_SIZES);
	for (size_t i = 0; i < NR_SIZES; i++)
		kfree(objs[i]);
	free(objs);
	CHECK(nr_free_pages() == start);
}

/* The largest block the buddy allocator has, and nothing beyond it. */
static void host_kmalloc_largest_block(void)
{
	size_t max = (size_t)PAGE_SIZE << (MAX_ORDER - 1);
	void *p = kmalloc(max, ALLOC_ATOMIC);

	CHECK(p != NULL);
	CHECK(kmalloc_usable_size(p) == max);
	CHECK((uintptr_t)p % PAGE_SIZE == 0);
	kfree(p);
}

/*
 * Regression: a size beyond the largest block made size_to_order() shift
 * PAGE_SIZE past the width of size_t (undefined; on i386 an endless loop)
 * before alloc_pages could say no.
 */
static void host_kmalloc_too_large_is_null(void)
{
	size_t max = (size_t)PAGE_SIZE << (MAX_ORDER - 1);

	CHECK(kmalloc(max + 1, ALLOC_ATOMIC) == NULL);
	CHECK(kmalloc(max * 2, ALLOC_ATOMIC) == NULL);
	CHECK(kmalloc(SIZE_MAX / 2 + 1, ALLOC_ATOMIC) == NULL);
	CHECK(kmalloc(SIZE_MAX, ALLOC_ATOMIC) == NULL);
	CHECK(kzalloc(SIZE_MAX, ALLOC_ATOMIC) == NULL);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* Many objects of one class: distinct, apart, packed PAGE_SIZE/32 a page. */
static void host_kmalloc_one_class_distinct(void)
{
	enum { N = 1000, SIZE = 32 };
	void *objs[N];
	size_t start = nr_free_pages();

	for (int i = 0; i < N; i++) {
		objs[i] = kmalloc(SIZE, ALLOC_ATOMIC);
		CHECK(object_ok(objs[i], SIZE, (uint32_t)i));
	}
	CHECK(start - nr_free_pages() == (N + PAGE_SIZE / SIZE - 1) / (PAGE_SIZE / SIZE));
	for (int i = 0; i < N; i++)
		CHECK(stamp_intact(objs[i], SIZE, (uint32_t)i));
	qsort(objs, N, sizeof(objs[0]), cmp_ptr);
	for (int i = 1; i < N; i++)
		CHECK((uintptr_t)objs[i] - (uintptr_t)objs[i - 1] >= SIZE);
	for (int i = 0; i < N; i++)
		kfree(objs[i]);
}

static void host_kmalloc_zero_is_null(void)
{
	size_t start = nr_free_pages();

	CHECK(kmalloc(0, ALLOC_ATOMIC) == NULL);
	CHECK(kzalloc(0, ALLOC_ATOMIC) == NULL);
	CHECK(nr_free_pages() == start);
}

static void host_kmalloc_kfree_null_is_noop(void)
{
	size_t start = nr_free_pages();

	kfree(NULL);
	CHECK(nr_free_pages() == start);
}

/* kzalloc zeroes memory that was dirty: a reused slot and fresh pages. */
static void host_kmalloc_kzalloc_zeroes(void)
{
	unsigned char *a = kmalloc(100, ALLOC_ATOMIC), *z, *big;
	unsigned char *keep = kmalloc(100, ALLOC_ATOMIC);

	CHECK(a != NULL && keep != NULL);
	memset(a, 0xff, kmalloc_usable_size(a));
	kfree(a);			/* its slot is dirty; keep holds the page */
	z = kzalloc(100, ALLOC_ATOMIC);
	CHECK(z != NULL);
	for (int i = 0; i < 100; i++)
		CHECK(z[i] == 0);
	big = kzalloc(3 * PAGE_SIZE + 5, ALLOC_ATOMIC);
	CHECK(big != NULL);
	for (size_t i = 0; i < 3 * PAGE_SIZE + 5; i++)
		CHECK(big[i] == 0);
	kfree(big);
	kfree(z);
	kfree(keep);
}

/* A slab page goes back to the page allocator with its last object. */
static void host_kmalloc_empty_slab_returns_page(void)
{
	size_t start = nr_free_pages();
	void *a = kmalloc(16, ALLOC_ATOMIC), *b = kmalloc(16, ALLOC_ATOMIC);

	CHECK(a != NULL && b != NULL);
	CHECK(nr_free_pages() == start - 1);
	kfree(a);
	CHECK(nr_free_pages() == start - 1);
	kfree(b);
	CHECK(nr_free_pages() == start);
}

/* A full slab page that gets a free object back is used again. */
static void host_kmalloc_full_slab_reused(void)
{
	size_t start = nr_free_pages();
	void *a = kmalloc(2048, ALLOC_ATOMIC), *b = kmalloc(2048, ALLOC_ATOMIC);
	void *c, *d;

	CHECK(a != NULL && b != NULL);
	CHECK(kva_to_page(a) == kva_to_page(b));	/* two to a page: full */
	c = kmalloc(2048, ALLOC_ATOMIC);
	CHECK(c != NULL && kva_to_page(c) != kva_to_page(a));
	CHECK(nr_free_pages() == start - 2);
	kfree(a);
	kfree(c);			/* c's page is empty and goes back */
	CHECK(nr_free_pages() == start - 1);
	d = kmalloc(2048, ALLOC_ATOMIC);
	CHECK(d == a);			/* the only free slot left */
	CHECK(nr_free_pages() == start - 1);
	kfree(b);
	kfree(d);
}

static void host_kmalloc_double_free_panics(void)
{
	void *a = kmalloc(64, ALLOC_ATOMIC), *keep = kmalloc(64, ALLOC_ATOMIC);

	CHECK(a != NULL && keep != NULL);
	kfree(a);
	EXPECT_PANIC_MSG(kfree(a), "freed twice");
}

/* The second kfree of a page's only object finds the page already gone. */
static void host_kmalloc_double_free_last_object_panics(void)
{
	void *a = kmalloc(64, ALLOC_ATOMIC);

	CHECK(a != NULL);
	kfree(a);
	EXPECT_PANIC_MSG(kfree(a), "not allocated by kmalloc");
}

static void host_kmalloc_double_free_large_panics(void)
{
	void *a = kmalloc(10000, ALLOC_ATOMIC);

	CHECK(a != NULL);
	kfree(a);
	EXPECT_PANIC_MSG(kfree(a), "not allocated by kmalloc");
}

static void host_kmalloc_free_slab_middle_panics(void)
{
	char *a = kmalloc(32, ALLOC_ATOMIC);

	CHECK(a != NULL);
	EXPECT_PANIC_MSG(kfree(a + 8), "not at its start");
}

static void host_kmalloc_free_large_middle_panics(void)
{
	char *a = kmalloc(3 * PAGE_SIZE, ALLOC_ATOMIC);

	CHECK(a != NULL);
	EXPECT_PANIC_MSG(kfree(a + 100), "inside a large block");
	EXPECT_PANIC_MSG(kfree(a + PAGE_SIZE), "not allocated by kmalloc");
}

static void host_kmalloc_free_foreign_page_panics(void)
{
	struct page *p = alloc_page(ALLOC_ATOMIC);

	CHECK(p != NULL);
	EXPECT_PANIC_MSG(kfree(page_to_kva(p)), "not allocated by kmalloc");
}

/* Small objects in a tiny arena: NULL when the pages run out; all come back. */
static void host_kmalloc_oom_small(void)
{
	enum { SIZE = 64, MAX = (TINY_PAGES - 1) * (PAGE_SIZE / SIZE) };
	void **objs = calloc(MAX + 1, sizeof(*objs));
	size_t n = 0;

	CHECK(objs != NULL);
	while ((objs[n] = kmalloc(SIZE, ALLOC_ATOMIC))) {
		CHECK(n < MAX);
		n++;
	}
	CHECK(n == MAX);		/* every page, every slot */
	CHECK(nr_free_pages() == 0);
	CHECK(kmalloc(16, ALLOC_ATOMIC) == NULL);	/* another class */
	CHECK(kmalloc(5000, ALLOC_ATOMIC) == NULL);
	while (n)
		kfree(objs[--n]);
	free(objs);
	CHECK(nr_free_pages() == host_initial_free);
}

/* Multi-page objects in a tiny arena: NULL when no 2-page block is left. */
static void host_kmalloc_oom_large(void)
{
	void *objs[TINY_PAGES];
	size_t n = 0;

	while (n < ARRAY_SIZE(objs) &&
	       (objs[n] = kmalloc(2 * PAGE_SIZE, ALLOC_ATOMIC)))
		n++;
	CHECK(n == (TINY_PAGES - 2) / 2);	/* all but pfn 1, in pairs */
	CHECK(nr_free_pages() == 1);
	while (n)
		kfree(objs[--n]);
}

static const struct host_test tests[] = {
	HOST_TEST(host_kmalloc_every_size, ARENA_PAGES),
	HOST_TEST(host_kmalloc_largest_block, ARENA_PAGES),
	HOST_TEST(host_kmalloc_too_large_is_null, ARENA_PAGES),
	HOST_TEST(host_kmalloc_one_class_distinct, ARENA_PAGES),
	HOST_TEST(host_kmalloc_zero_is_null, ARENA_PAGES),
	HOST_TEST(host_kmalloc_kfree_null_is_noop, ARENA_PAGES),
	HOST_TEST(host_kmalloc_kzalloc_zeroes, ARENA_PAGES),
	HOST_TEST(host_kmalloc_empty_slab_returns_page, ARENA_PAGES),
	HOST_TEST(host_kmalloc_full_slab_reused, ARENA_PAGES),
	HOST_TEST(host_kmalloc_double_free_panics, ARENA_PAGES),
	HOST_TEST(host_kmalloc_double_free_last_object_panics, ARENA_PAGES),
	HOST_TEST(host_kmalloc_double_free_large_panics, ARENA_PAGES),
	HOST_TEST(host_kmalloc_free_slab_middle_panics, ARENA_PAGES),
	HOST_TEST(host_kmalloc_free_large_middle_panics, ARENA_PAGES),
	HOST_TEST(host_kmalloc_free_foreign_page_panics, ARENA_PAGES),
	HOST_TEST(host_kmalloc_oom_small, TINY_PAGES),
	HOST_TEST(host_kmalloc_oom_large, TINY_PAGES),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
