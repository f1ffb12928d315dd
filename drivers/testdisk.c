/*
 * drivers/testdisk.c - helpers for the storage self-tests (drivers/
 * testdisk.h): pages for request segments, the test-disk pattern.
 * Test support only; nothing here runs outside ktest=.  No locks; the
 * helpers allocate and free pages and never sleep.
 */
#include <ktest.h>
#include <mm.h>
#include "testdisk.h"

bool td_alloc_segs(struct blk_seg *segs, unsigned int n,
		   const uint32_t *off, const uint32_t *len)
{
	for (unsigned int i = 0; i < n; i++) {
		segs[i].page = alloc_page(ALLOC_KERNEL);
		if (!segs[i].page) {
			td_free_segs(segs, i);
			return false;
		}
		segs[i].offset = off ? off[i] : 0;
		segs[i].len = len ? len[i] : PAGE_SIZE;
	}
	return true;
}

void td_free_segs(struct blk_seg *segs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		free_page(segs[i].page);
}

static uint32_t *seg_words(const struct blk_seg *s)
{
	return (uint32_t *)((uint8_t *)page_to_kva(s->page) + s->offset);
}

/* Call fn on every word of the request with its sector and index. */
#define FOR_EACH_WORD(segs, n, first, w, sector, idx, body)		\
	do {								\
		uint64_t byte_ = 0;					\
		for (unsigned int s_ = 0; s_ < (n); s_++) {		\
			uint32_t *p_ = seg_words(&(segs)[s_]);		\
			for (uint32_t k_ = 0; k_ < (segs)[s_].len / 4; k_++, byte_ += 4) { \
				uint32_t *w = &p_[k_];			\
				uint64_t sector = (first) + byte_ / SECTOR_SIZE; \
				unsigned int idx = (unsigned int)(byte_ % SECTOR_SIZE) / 4; \
				body;					\
			}						\
		}							\
	} while (0)

void td_fill(struct blk_seg *segs, unsigned int n, uint64_t first, bool invert)
{
	FOR_EACH_WORD(segs, n, first, w, sector, idx,
		      *w = pattern_word(sector, idx, invert));
}

void td_poison(struct blk_seg *segs, unsigned int n)
{
	FOR_EACH_WORD(segs, n, 0, w, sector, idx,
		      ((void)sector, (void)idx, *w = TD_POISON));
}

bool td_match(struct blk_seg *segs, unsigned int n, uint64_t first, bool invert)
{
	FOR_EACH_WORD(segs, n, first, w, sector, idx,
		if (*w != pattern_word(sector, idx, invert)) {
			ktest_fail_reason("sector %llu word %u: %08x, want %08x",
					  sector, idx, *w,
					  pattern_word(sector, idx, invert));
			return false;
		});
	return true;
}
