/*
 * mm/filemap_ktest.c - self-tests of the page cache on a real ext2 disk.
 *
 * They run on the "testfs" boots (tools/testplan.py: 1 KiB blocks over DMA,
 * 4 KiB over PIO): each mounts hda1, works on a file of its own, unlinks it
 * and unmounts, so e2fsck -fn afterwards checks what write-back left and
 * the runner's leak check sees every page come back.
 */
#include <buf.h>
#include <cmdline.h>
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <sched.h>
#include <string.h>
#include <timer.h>
#include <vfs.h>
#include <vm.h>
#include <x86.h>
#include "../fs/ktest_files.h"
#include "filemap_internal.h"

#define NEED_TEST_FS()					\
	do {						\
		if (!cmdline_has("testfs"))		\
			return 0;			\
	} while (0)

#define TEST_LEN	(3 * PAGE_SIZE + 123)	/* pages, and a partial one */

struct fixture {
	struct super_block *sb;
	struct inode *inode;
	const char *name;
};

/* Mount hda1 and create name in its root.  0 or -errno. */
static int fixture_open(struct fixture *fx, const char *name)
{
	struct block_device *bdev = blkdev_find("hda1");

	fx->name = name;
	fx->sb = bdev ? ext2_mount(bdev, false) : ERR_PTR(-ENODEV);
	if (IS_ERR(fx->sb))
		return (int)PTR_ERR(fx->sb);
	return vfs_create(fx->sb->root, name, 0644, &fx->inode);
}

/* Put the file (its pages are evicted), unlink it, unmount, forget the
 * device's buffers.  0 or the first -errno. */
static int fixture_close(struct fixture *fx)
{
	struct block_device *bdev = fx->sb->bdev;
	int err;

	mutex_lock(&fs_lock);
	iput(fx->inode);
	err = vfs_unlink(fx->sb->root, fx->name);
	mutex_unlock(&fs_lock);
	if (!err)
		err = vfs_umount(fx->sb);
	buf_forget(bdev);
	return err;
}

static uint8_t pattern(uint32_t seed, uint32_t i)
{
	return (uint8_t)(i * 13 + seed + i / 4099);
}

static void fill_pattern(uint8_t *buf, uint32_t seed, uint32_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(seed, off + (uint32_t)i);
}

static bool is_pattern(const uint8_t *buf, uint32_t seed, uint32_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(seed, off + (uint32_t)i))
			return false;
	return true;
}

static bool is_zero(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i])
			return false;
	return true;
}

/* Write TEST_LEN bytes of pattern seed at 0, in odd-sized pieces. */
static bool write_test_file(struct inode *inode, uint32_t seed, uint8_t *buf)
{
	fill_pattern(buf, seed, 0, TEST_LEN);
	for (uint32_t off = 0; off < TEST_LEN; off += 1000) {
		size_t n = MIN((size_t)1000, (size_t)(TEST_LEN - off));

		if (vfs_write(inode, buf + off, n, off) != (long)n)
			return false;
	}
	return true;
}

KTEST(pagecache_write_then_read_is_coherent)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	uint8_t *buf = kmalloc(TEST_LEN, ALLOC_KERNEL);
	uint8_t *back = kmalloc(TEST_LEN, ALLOC_KERNEL);
	bool ok;

	KT_ASSERT(buf && back && fixture_open(&fx, "pc-coherent") == 0);
	ok = write_test_file(fx.inode, 1, buf) && fx.inode->size == TEST_LEN;
	ok = ok && fx.inode->nr_pages == 4;
	ok = ok && vfs_read(fx.inode, back, TEST_LEN + 50, 0) == TEST_LEN;
	ok = ok && is_pattern(back, 1, 0, TEST_LEN);
	ok = ok && vfs_read(fx.inode, back, 10, TEST_LEN) == 0;	/* EOF */
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	kfree(back);
	KT_ASSERT(ok);
	return 0;
}

KTEST(pagecache_partial_page_write_keeps_the_rest)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	uint8_t *buf = kmalloc(TEST_LEN, ALLOC_KERNEL), small[10];
	bool ok;

	KT_ASSERT(buf && fixture_open(&fx, "pc-partial") == 0);
	ok = write_test_file(fx.inode, 2, buf);
	/* Evict, so the partial write below has to read the page first. */
	mutex_lock(&fs_lock);
	filemap_evict_inode(fx.inode);
	mutex_unlock(&fs_lock);
	ok = ok && fx.inode->nr_pages == 0;
	memset(small, 0xEE, sizeof(small));
	ok = ok && vfs_write(fx.inode, small, sizeof(small), PAGE_SIZE + 100) == 10;
	ok = ok && vfs_read(fx.inode, buf, TEST_LEN, 0) == TEST_LEN;
	ok = ok && is_pattern(buf, 2, 0, PAGE_SIZE + 100);
	ok = ok && buf[PAGE_SIZE + 100] == 0xEE && buf[PAGE_SIZE + 109] == 0xEE;
	ok = ok && is_pattern(buf + PAGE_SIZE + 110, 2, PAGE_SIZE + 110,
			      TEST_LEN - PAGE_SIZE - 110);
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}

KTEST(pagecache_hole_and_tail_read_as_zeros)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	uint8_t *buf = kmalloc(4 * PAGE_SIZE, ALLOC_KERNEL);
	const uint8_t byte = 0x5A;
	bool ok;

	KT_ASSERT(buf && fixture_open(&fx, "pc-hole") == 0);
	ok = vfs_write(fx.inode, &byte, 1, 3 * PAGE_SIZE + 5) == 1;
	ok = ok && fx.inode->size == 3 * PAGE_SIZE + 6;
	ok = ok && vfs_read(fx.inode, buf, 4 * PAGE_SIZE, 0) == 3 * PAGE_SIZE + 6;
	ok = ok && is_zero(buf, 3 * PAGE_SIZE + 5) && buf[3 * PAGE_SIZE + 5] == byte;
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}

KTEST(pagecache_truncate_drops_pages_and_zeroes_the_tail)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	uint8_t *buf = kmalloc(TEST_LEN, ALLOC_KERNEL);
	struct pagecache_stats before, after;
	bool ok;

	KT_ASSERT(buf && fixture_open(&fx, "pc-trunc") == 0);
	ok = write_test_file(fx.inode, 3, buf) && fx.inode->nr_pages == 4;
	pagecache_stats(&before);
	ok = ok && vfs_truncate(fx.inode, PAGE_SIZE + 10) == 0;
	pagecache_stats(&after);
	ok = ok && fx.inode->nr_pages == 2 && after.nr_pages == before.nr_pages - 2;
	/* Grown again: what was cut reads as zeros, from the cache and disk. */
	ok = ok && vfs_truncate(fx.inode, TEST_LEN) == 0;
	for (int pass = 0; ok && pass < 2; pass++) {
		ok = vfs_read(fx.inode, buf, TEST_LEN, 0) == TEST_LEN;
		ok = ok && is_pattern(buf, 3, 0, PAGE_SIZE + 10);
		ok = ok && is_zero(buf + PAGE_SIZE + 10, TEST_LEN - PAGE_SIZE - 10);
		mutex_lock(&fs_lock);
		filemap_evict_inode(fx.inode);	/* second pass: from the disk */
		mutex_unlock(&fs_lock);
	}
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}

KTEST(pagecache_write_range_reaches_the_disk)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	uint8_t *buf = kmalloc(TEST_LEN, ALLOC_KERNEL);
	uint32_t bs, blockno = 0;
	struct buf_stats st;
	struct buf *b = NULL;
	bool ok;

	KT_ASSERT(buf && fixture_open(&fx, "pc-wb") == 0);
	bs = fx.sb->block_size;
	ok = write_test_file(fx.inode, 4, buf);
	mutex_lock(&fs_lock);
	ok = ok && filemap_write_range(fx.inode, 0, 0) == 0;
	ok = ok && fx.inode->ops->get_block(fx.inode, PAGE_SIZE / bs, false, &blockno) == 0;
	mutex_unlock(&fs_lock);
	buf_get_stats(&st);
	ok = ok && blockno != 0 && st.nr_dirty == 0;	/* written, not just cached */
	if (ok)
		b = bread(fx.sb->bdev, blockno, bs);
	ok = ok && !IS_ERR(b) && is_pattern(b->data, 4, PAGE_SIZE, bs);
	if (b && !IS_ERR(b))
		brelse(b);
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}

KTEST(pagecache_last_iput_frees_the_pages)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	uint8_t *buf = kmalloc(TEST_LEN, ALLOC_KERNEL);
	struct pagecache_stats before, during, after;
	struct inode *again;
	bool ok;

	KT_ASSERT(buf && fixture_open(&fx, "pc-evict") == 0);
	pagecache_stats(&before);
	ok = write_test_file(fx.inode, 5, buf);
	pagecache_stats(&during);
	ok = ok && during.nr_pages == before.nr_pages + 4 && during.nr_dirty >= 4;
	/* The last iput writes the dirty pages back and frees them ... */
	mutex_lock(&fs_lock);
	iput(fx.inode);
	mutex_unlock(&fs_lock);
	pagecache_stats(&after);
	ok = ok && after.nr_pages == before.nr_pages && after.nr_dirty == before.nr_dirty;
	/* ... and the data is still there, from the buffer cache or disk. */
	if (vfs_lookup(fx.sb->root, fx.sb->root, fx.name, 0, &again))
		return ktest_fail_reason("%s gone after iput", fx.name), -1;
	fx.inode = again;
	ok = ok && vfs_read(again, buf, TEST_LEN, 0) == TEST_LEN && is_pattern(buf, 5, 0, TEST_LEN);
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}

/* ---- the page lock ---- */

struct locker {
	struct page *page;
	volatile bool got;
};

static int lock_then_flag(void *arg)
{
	struct locker *l = arg;

	lock_page(l->page);
	l->got = true;
	unlock_page(l->page);
	return 0;
}

/* An anonymous page marked dirty as a DMA completion would, from an
 * interrupt handler: the bit is set, the page cache counts nothing, and
 * the page is freed clean. */
KTEST(set_page_dirty_marks_an_anonymous_page_with_interrupts_off)
{
	struct pagecache_stats before, after;
	struct page *page = alloc_page(ALLOC_KERNEL);
	bool was_on, still_off;

	KT_ASSERT(page != NULL);
	pagecache_stats(&before);
	was_on = irq_save();
	set_page_dirty(page);
	still_off = !irqs_enabled();
	irq_restore(was_on);
	pagecache_stats(&after);
	KT_ASSERT(still_off);
	KT_ASSERT(page_has_flag(page, PG_dirty));
	KT_ASSERT(after.nr_dirty == before.nr_dirty);
	put_page(page);
	KT_ASSERT(!page_has_flag(page, PG_dirty));
	return 0;
}

KTEST(lock_page_waits_for_unlock_page)
{
	struct locker l = { .page = alloc_page(ALLOC_KERNEL), .got = false };

	KT_ASSERT(l.page);
	l.page->flags &= ~(1u << PG_locked);
	lock_page(l.page);
	KT_ASSERT(page_has_flag(l.page, PG_locked));
	KT_ASSERT(!IS_ERR(kthread_create(lock_then_flag, &l, "locker")));
	sleep_ticks(2);
	KT_ASSERT(!l.got);		/* still waiting for us */
	unlock_page(l.page);
	sleep_ticks(2);
	KT_ASSERT(l.got && !page_has_flag(l.page, PG_locked));
	free_page(l.page);
	return 0;
}

/* ---- user copies (rule 6: docs/history.md) ---- */

KTEST(copy_from_user_nofault_does_not_fault_pages_in)
{
	struct user_window w;
	char c = 1;

	KT_ASSERT(user_window_open(&w, PAGE_SIZE) == 0);
	/* Not faulted in yet: the nofault copy gives up, and leaves it so. */
	KT_ASSERT(copy_from_user_nofault(&c, kt_ubuf(&w), 1) == 1);
	KT_ASSERT(copy_from_user_nofault(&c, kt_ubuf(&w), 1) == 1);
	KT_ASSERT(fault_in_readable(kt_ubuf(&w), 1) == 1);
	KT_ASSERT(copy_from_user_nofault(&c, kt_ubuf(&w), 1) == 0 && c == 0);
	KT_ASSERT(current->pagefault_disabled == 0);
	user_window_close(&w);
	return 0;
}

/* write(2) whose nofault copies all fail: every page goes through the
 * pinned fallback, and the bytes still arrive, with pins balanced. */
KTEST(pagecache_write_falls_back_to_a_pinned_source)
{
	NEED_TEST_FS();	/* before any allocation: a skip must not leak */
	struct fixture fx;
	struct user_window w;
	uint8_t *buf = kmalloc(TEST_LEN, ALLOC_KERNEL);
	struct file *f;
	bool ok;

	KT_ASSERT(buf && fixture_open(&fx, "pc-pinned") == 0);
	KT_ASSERT(user_window_open(&w, TEST_LEN) == 0);
	f = file_open_inode(fx.inode, O_RDWR);
	ok = !IS_ERR(f);
	fill_pattern(buf, 6, 0, TEST_LEN);
	filemap_fail_nofault_copies = 100;
	ok = ok && kt_write(f, &w, buf, TEST_LEN) == TEST_LEN;
	ok = ok && filemap_fail_nofault_copies == 100 - 4;	/* 4 pages */
	filemap_fail_nofault_copies = 0;
	ok = ok && vm_counters.pins_taken == vm_counters.pins_released;
	memset(buf, 0, TEST_LEN);
	ok = ok && vfs_read(fx.inode, buf, TEST_LEN, 0) == TEST_LEN;
	ok = ok && is_pattern(buf, 6, 0, TEST_LEN);
	if (!IS_ERR(f))
		file_put(f);
	user_window_close(&w);
	KT_ASSERT(fixture_close(&fx) == 0);
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}
