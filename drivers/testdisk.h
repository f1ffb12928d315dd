/* drivers/testdisk.h - what the storage self-tests know about the disks
 * tools/testdisk.py makes, and helpers to fill and check request pages.
 * Keep the numbers in step with tools/testdisk.py.
 *
 * Every sector s of a test disk holds 128 words, word i = pattern_word(s, i);
 * the kernel writes the complement in the scratch partition (hda2).  The
 * disk tests run only when the command line has "testdisk" (the harness adds
 * it to the boots that attach disks); there, a missing disk is a failure.
 */
#ifndef WALNUT_DRIVERS_TESTDISK_H
#define WALNUT_DRIVERS_TESTDISK_H

#include <blkdev.h>
#include <cmdline.h>
#include <ktest.h>

#define TD_DISK_SECTORS		32768		/* hda */
#define TD_P1_START		2048
#define TD_P1_SECTORS		8192
#define TD_P2_START		12288		/* hda2: scratch */
#define TD_P2_SECTORS		4096
#define TD_BIG_EDGE		(1ull << 28)	/* hdb: pattern around here */
#define TD_BIG_SECTORS		(TD_BIG_EDGE + 2048)
#define TD_SMALL_SECTORS	2048		/* hdd */
#define TD_POISON		0xDEADBEEFu

static inline uint32_t pattern_word(uint64_t s, unsigned int i, bool invert)
{
	uint32_t w = (i * 0x01000193u) ^ (uint32_t)s * 0x9E3779B9u;

	return invert ? ~w : w;
}

/* Skip (pass) a disk test on a boot without test disks. */
#define NEED_TEST_DISKS()						\
	do {								\
		if (!cmdline_has("testdisk"))				\
			return 0;					\
	} while (0)

/* Give each of n segments its own fresh page: (page, off, len) from the
 * caller's offsets and lengths.  Returns false (nothing held) if out of
 * memory. */
bool td_alloc_segs(struct blk_seg *segs, unsigned int n,
		   const uint32_t *off, const uint32_t *len);
void td_free_segs(struct blk_seg *segs, unsigned int n);
/* Fill with the pattern of sectors first.., or with TD_POISON. */
void td_fill(struct blk_seg *segs, unsigned int n, uint64_t first, bool invert);
void td_poison(struct blk_seg *segs, unsigned int n);
/* Does the data match sectors first..?  On a mismatch, records the reason
 * for the failing test and returns false. */
bool td_match(struct blk_seg *segs, unsigned int n, uint64_t first, bool invert);

#endif
