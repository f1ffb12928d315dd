/* mm/internal.h - what the files of mm/ share (page tables, the VMA list,
 * the fault path's predicates), and nobody else. */
#ifndef WALNUT_MM_INTERNAL_H
#define WALNUT_MM_INTERNAL_H

#include <mutex.h>
#include <pgtable.h>
#include <vm.h>

/* User page tables (mm/pgtable.c). */
pte_t *mm_get_pte(struct mm *mm, uint32_t uva, bool create);
bool vma_accessible(const struct vma *v);
bool pte_install(struct mm *mm, struct vma *v, pte_t *pte, pte_t seen,
		 uint32_t uva, struct page *page, uint32_t flags);
void mm_set_pte(struct mm *mm, struct vma *v, pte_t *pte, uint32_t uva,
		struct page *page, uint32_t flags);
bool mm_is_live(const struct mm *mm);
void free_page_tables(struct mm *mm);

/* What a PTE that for_each_pte offers holds. */
enum pte_kind {
	PTE_KIND_PAGE,		/* a page the process may use (present) */
	PTE_KIND_PROTNONE,	/* a page of a PROT_NONE VMA: mapped, not present */
};
typedef int (*pte_fn)(struct mm *mm, pte_t *pte, uint32_t uva,
		      enum pte_kind kind, void *data);
int for_each_pte(struct mm *mm, uint32_t start, uint32_t end, pte_fn fn,
		 void *data);
bool pte_dirty_to_page(struct vma *v, pte_t *pte);
uint32_t zap_range(struct mm *mm, struct vma *v, uint32_t start, uint32_t end);
void protect_range(struct mm *mm, struct vma *v);
void clean_range(struct mm *mm, struct vma *v, uint32_t start, uint32_t end);

/* The VMA list (mm/vm.c); the caller holds mm->mmap_lock (asserted). */
int vma_insert(struct mm *mm, struct vma *v);
int vma_add_locked(struct mm *mm, uint32_t start, uint32_t end, uint32_t flags);
struct vma *vma_next(struct mm *mm, struct vma *v);	/* NULL after the last */
struct vma *vma_split(struct mm *mm, struct vma *v, uint32_t uva);
struct vma *vma_try_merge(struct mm *mm, struct vma *v);
void vma_remove(struct mm *mm, struct vma *v);
void vma_free(struct vma *v);	/* v is on no list: drop what it holds */
void vma_unmap(struct mm *mm, struct vma *v);

/* Fault injection for the self-tests, after Linux's fail-nth: when set to
 * n, the n-th kmalloc from now returns NULL, once (mm/kmalloc.c).  A test
 * that tries n = 1, 2, ... until its call succeeds sees every allocation
 * failure the call can meet. */
extern unsigned int kmalloc_fail_nth;

/* The fault path's policy (mm/fault.c), which the walker shares. */
bool vma_permits(const struct vma *v, unsigned int access);	/* FAULT_* */
bool page_is_exclusive_anon(const struct page *page);
extern void (*fault_race_hook)(struct mm *mm, pte_t *pte, uint32_t uva);

/* The words of a fatal user fault's console line (mm/fault.c). */
const char *fault_description(uint32_t uva, uint32_t err, enum fault_result r);

/* The shared zero page (mm/fault.c). */
bool is_zero_page(const struct page *page);

/* Shared anonymous memory (mm/shmem.c): v's ops and object. */
int shmem_setup(struct vma *v);

#endif
