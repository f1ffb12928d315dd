/* include/pgtable.h - i386 two-level page tables: entry bits and indexing.
 *
 * A 32-bit virtual address splits 10 | 10 | 12: page-directory index, page-
 * table index, offset.  Entry formats: Intel SDM vol. 3 §4.3, tables 4-5/4-6.
 */
#ifndef WALNUT_PGTABLE_H
#define WALNUT_PGTABLE_H

#include <types.h>

typedef uint32_t pde_t;
typedef uint32_t pte_t;

#define PTE_PRESENT	0x001u	/* P: the entry maps something */
#define PTE_WRITE	0x002u	/* R/W: writes allowed */
#define PTE_USER	0x004u	/* U/S: ring 3 may access */
#define PTE_PWT		0x008u	/* write-through */
#define PTE_PCD		0x010u	/* cache disable */
#define PTE_ACCESSED	0x020u	/* A: set by the CPU on any access */
#define PTE_DIRTY	0x040u	/* D: set by the CPU on a write (PTEs only) */
#define PDE_4MB		0x080u	/* PS: a 4 MiB page (PDEs only, needs CR4.PSE) */
#define PTE_GLOBAL	0x100u	/* G: kept in the TLB across CR3 loads */
#define PTE_PROTNONE	0x200u	/* software (AVL): with P clear, the entry
				   still maps its page, but the process made
				   it inaccessible (PROT_NONE).  Not present,
				   so the CPU refuses every access, the
				   kernel's own copies included */

#define PTE_FRAME	0xFFFFF000u	/* physical address bits */

#define PGDIR_SHIFT	22
#define PTRS_PER_TABLE	1024

static inline unsigned int pgdir_index(uint32_t va)
{
	return va >> PGDIR_SHIFT;
}

static inline unsigned int pgtable_index(uint32_t va)
{
	return (va >> 12) & (PTRS_PER_TABLE - 1);
}

/* Does a user PTE map a page (holding a reference on it)?  A present one
 * does, and so does a PROT_NONE one; anything else is empty. */
static inline bool pte_maps_page(pte_t pte)
{
	return pte & (PTE_PRESENT | PTE_PROTNONE);
}

static inline pfn_t pte_pfn(pte_t pte)
{
	return pte >> 12;
}

extern pde_t *kernel_pgdir;	/* [I] after mem_init */

#endif
