/*
 * tests/pagecache_test.c - host tests of mm/filemap.c's page state:
 * set_page_dirty on every kind of page, from any context, and what a page
 * keeps of it when it leaves the cache or is freed.  The file is
 * tests/host/flatfs.h's.
 */
#include <hosttest.h>
#include <flatfs.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <vfs.h>
#include <x86.h>

#define ARENA	1024	/* pages: 4 MiB */

static size_t nr_dirty(void)
{
	struct pagecache_stats st;

	pagecache_stats(&st);
	return st.nr_dirty;
}

/* The file in the cache, clean, and a reference on its page 0. */
static struct page *clean_file_page(void)
{
	struct page *page = NULL;

	mutex_lock(&fs_lock);
	if (flatfs_write(0) && nr_dirty() == 0)
		page = find_get_page(flatfs_inode, 0);
	mutex_unlock(&fs_lock);
	return page;
}

/* A page-cache page: the bit, and the count the flusher looks at, once. */
static void host_pagecache_set_page_dirty_file_page_counts_once(void)
{
	struct page *page;

	CHECK(flatfs_open() && (page = clean_file_page()) != NULL);
	set_page_dirty(page);
	CHECK(page_has_flag(page, PG_dirty) && nr_dirty() == 1);
	set_page_dirty(page);
	CHECK(nr_dirty() == 1);
	mutex_lock(&fs_lock);
	CHECK(filemap_sync_all() == 0);		/* write-back clears both */
	mutex_unlock(&fs_lock);
	CHECK(!page_has_flag(page, PG_dirty) && nr_dirty() == 0);
	put_page(page);
	flatfs_close();
}

/* An anonymous page (swap will need to know): the bit only; freeing the
 * page clears it, so its next user starts clean. */
static void host_pagecache_set_page_dirty_anon_page_sets_the_bit(void)
{
	struct page *page = alloc_page(ALLOC_ATOMIC);

	CHECK(page != NULL);
	set_page_dirty(page);
	CHECK(page_has_flag(page, PG_dirty) && nr_dirty() == 0);
	put_page(page);
	CHECK(!page_has_flag(page, PG_dirty));
}

/* As from an interrupt handler (a DMA completion): interrupts off, no lock
 * taken, and they are still off afterwards. */
static void host_pagecache_set_page_dirty_with_interrupts_off(void)
{
	struct page *anon = alloc_page(ALLOC_ATOMIC), *file;

	CHECK(anon != NULL);
	CHECK(flatfs_open() && (file = clean_file_page()) != NULL);
	cli();
	set_page_dirty(anon);
	set_page_dirty(file);
	CHECK(!irqs_enabled());
	sti();
	CHECK(page_has_flag(anon, PG_dirty) && page_has_flag(file, PG_dirty));
	CHECK(nr_dirty() == 1);
	put_page(anon);
	mutex_lock(&fs_lock);
	CHECK(filemap_sync_all() == 0);
	mutex_unlock(&fs_lock);
	put_page(file);
	flatfs_close();
}

/* A page truncated while someone still holds it is no longer file data:
 * dirtying it later sets the bit but counts nothing, and it is freed with
 * its last reference, clean. */
static void host_pagecache_set_page_dirty_after_truncate_is_not_counted(void)
{
	struct page *page;

	CHECK(flatfs_open() && (page = clean_file_page()) != NULL);
	mutex_lock(&fs_lock);
	truncate_inode_pages(flatfs_inode, 0);
	mutex_unlock(&fs_lock);
	CHECK(page_is_anon(page) && page->refcount == 1);
	set_page_dirty(page);
	CHECK(page_has_flag(page, PG_dirty) && nr_dirty() == 0);
	put_page(page);
	CHECK(!page_has_flag(page, PG_dirty));
	flatfs_close();
}

static const struct host_test tests[] = {
	HOST_TEST(host_pagecache_set_page_dirty_file_page_counts_once, ARENA),
	HOST_TEST(host_pagecache_set_page_dirty_anon_page_sets_the_bit, ARENA),
	HOST_TEST(host_pagecache_set_page_dirty_with_interrupts_off, ARENA),
	HOST_TEST(host_pagecache_set_page_dirty_after_truncate_is_not_counted,
		  ARENA),
};

int main(void)
{
	return host_run_tests(tests, ARRAY_SIZE(tests));
}
