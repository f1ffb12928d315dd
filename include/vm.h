/* include/vm.h - user address spaces: struct mm, its regions (VMAs), page
 * faults (mm/vm.c, mm/fault.c).
 *
 * A process's address space is a page directory whose kernel half (PDEs from
 * KERNEL_BASE up) is copied from kernel_pgdir -- the kernel's page tables are
 * all made at boot, so the copies never go stale -- and a sorted list of
 * VMAs, each a range of pages with the same permissions.  Pages are given on
 * first touch (mm/fault.c: handle_mm_fault): zero-fill for anonymous memory;
 * fork shares them copy-on-write.  ELF segments are loaded whole at exec.
 *
 * User layout:
 *	0x00000000 - 0x00000fff  never mapped (NULL)
 *	0x08048000 ...           program text, data, bss (from the ELF file)
 *	brk_start .. brk         the heap (a VMA that brk() resizes)
 *	USER_STACK_TOP - STACK_LIMIT .. USER_STACK_TOP  the stack, grown down
 *	0xBFFFF000               the vDSO: the system-call entry (trap.h)
 *	0xC0000000 ...           the kernel (not user-accessible)
 */
#ifndef WALNUT_VM_H
#define WALNUT_VM_H

#include <list.h>
#include <pgtable.h>
#include <types.h>

#define USER_STACK_TOP		0xBFFFF000u	/* the vDSO page is above it */
#define USER_STACK_LIMIT	(8u << 20)	/* RLIMIT_STACK: 8 MiB */
#define USER_MIN_ADDR		0x1000u		/* page 0 stays unmapped */

/* VMA flags, one bit each. */
enum vma_flag {
	VM_READ		= 1 << 0,
	VM_WRITE	= 1 << 1,
	VM_EXEC		= 1 << 2,
	VM_GROWSDOWN	= 1 << 3,	/* the stack: faults below extend it */
	VM_HEAP		= 1 << 4,	/* the brk area */
};

struct vma {
	uint32_t start, end;		/* [start, end), page-aligned uvas */
	uint32_t flags;			/* enum vma_flag */
	struct list_head node;		/* mm->vmas, sorted by start */
};

struct mm {
	pde_t *pgdir;			/* kva of the page directory */
	struct list_head vmas;		/* sorted, non-overlapping */
	uint32_t brk_start, brk;	/* the heap: [brk_start, brk) */
	uint32_t nr_pages;		/* user pages mapped (RSS) */
};

/* Result of a fault (STYLE.md habit 12). */
enum fault_result {
	FAULT_OK,		/* mapped: retry the access */
	FAULT_SIGSEGV,		/* no VMA, or the VMA forbids the access */
	FAULT_OOM,		/* no memory for a page or a page table */
};

enum fault_access {
	FAULT_READ,
	FAULT_WRITE,
};

struct mm *mm_create(void);
void mm_destroy(struct mm *mm);
struct mm *mm_fork(struct mm *parent);	/* copy-on-write copy, or NULL */
void mm_activate(struct mm *mm);	/* load its CR3 (NULL: kernel only) */
struct vma *find_vma(struct mm *mm, uint32_t uva);	/* first with end > uva */
int vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t flags);
uint32_t mm_set_brk(struct mm *mm, uint32_t new_brk);	/* brk(2) */
struct page;
int vma_map_page(struct mm *mm, uint32_t uva, struct page *page,
		 uint32_t vm_flags);	/* the vDSO */
void *mm_page_kva(struct mm *mm, uint32_t uva);	/* populate, for exec */
struct trapframe;
enum fault_result handle_mm_fault(struct mm *mm, uint32_t uva,
				  enum fault_access access);
bool page_fault_handled(struct trapframe *tf);	/* from trap_dispatch */
void vm_init(void);

#endif
