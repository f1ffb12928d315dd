/* mm/internal.h - what mm/vm.c shares with mm/fault.c, and nobody else. */
#ifndef WALNUT_MM_INTERNAL_H
#define WALNUT_MM_INTERNAL_H

#include <pgtable.h>
#include <vm.h>

pte_t *mm_get_pte(struct mm *mm, uint32_t uva, bool create);
void mm_set_pte(struct mm *mm, pte_t *pte, uint32_t uva, struct page *page,
		uint32_t flags);

#endif
