/* mm/filemap_internal.h - what mm/filemap.c shares with mm/filemap_user.c
 * (read(2), write(2), mmap faults), and nobody else.  Each needs fs_lock. */
#ifndef WALNUT_MM_FILEMAP_INTERNAL_H
#define WALNUT_MM_FILEMAP_INTERNAL_H

#include <types.h>

struct inode;
struct page;

/* read_cache_page, also saying whether the disk was read (major fault). */
struct page *filemap_get_page(struct inode *inode, uint32_t index, bool *major);

/* A write into one page: begin (locked, ready), copy, end (dirty, size). */
struct page *filemap_begin_write(struct inode *inode, uint64_t pos,
				 uint32_t *len);
size_t filemap_end_write(struct inode *inode, struct page *page, uint64_t pos,
			 size_t copied);
void filemap_trim_blocks(struct inode *inode);

/* Fault injection for the self-tests (mm/filemap_ktest.c): the next this
 * many nofault copies in write(2) copy nothing, as if the source page had
 * gone between the prefault and the copy, so the pinned fallback runs. */
extern unsigned int filemap_fail_nofault_copies;

#endif
