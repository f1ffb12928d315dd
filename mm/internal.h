/* mm/internal.h - what mm/vm.c shares with mm/mmap.c, mm/fault.c and
 * mm/walk.c, and nobody else. */
#ifndef WALNUT_MM_INTERNAL_H
#define WALNUT_MM_INTERNAL_H

#include <pgtable.h>
#include <vm.h>

/* Page tables (mm/vm.c). */
pte_t *mm_get_pte(struct mm *mm, uint32_t uva, bool create);
void mm_set_pte(struct mm *mm, pte_t *pte, uint32_t uva, struct page *page,
		uint32_t flags);
bool pte_dirty_to_page(struct vma *v, pte_t *pte);
uint32_t zap_range(struct mm *mm, struct vma *v, uint32_t start, uint32_t end);

/* The VMA list (mm/vm.c); the caller holds mm->mmap_lock. */
int vma_insert(struct mm *mm, struct vma *v);
struct vma *vma_next(struct mm *mm, struct vma *v);	/* NULL after the last */
struct vma *vma_split(struct mm *mm, struct vma *v, uint32_t uva);
struct vma *vma_try_merge(struct mm *mm, struct vma *v);
void vma_remove(struct mm *mm, struct vma *v);
void vma_unmap(struct mm *mm, struct vma *v);

/* The words of a fatal user fault's console line (mm/fault.c). */
const char *fault_description(uint32_t uva, uint32_t err, enum fault_result r);

/* The shared zero page (mm/fault.c). */
bool is_zero_page(const struct page *page);

/* Shared anonymous memory (mm/shmem.c): v's ops and object. */
int shmem_setup(struct vma *v);

#endif
