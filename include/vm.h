/* include/vm.h - user address spaces: struct mm, its regions (VMAs), page
 * faults (mm/vm.c, mm/fault.c).
 *
 * A process's address space is a page directory whose kernel half (PDEs from
 * KERNEL_BASE up) is copied from kernel_pgdir -- the kernel's page tables are
 * all made at boot, so the copies never go stale -- and a sorted list of
 * VMAs, each a range of pages with the same permissions.  Pages are given on
 * first touch (mm/fault.c: handle_mm_fault): zero-fill for anonymous memory;
 * fork shares them copy-on-write.  An ELF segment is a private mapping of
 * the program file (mm/mmap.c: vma_map_segment), faulted in like any other.
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
#include <mutex.h>
#include <pgtable.h>
#include <spinlock.h>
#include <types.h>

#define USER_STACK_TOP		0xBFFFF000u	/* the vDSO page is above it */
#define USER_STACK_LIMIT	(8u << 20)	/* the stack's reserve, below which
						   mmap and brk start; RLIMIT_STACK's
						   default */
#define USER_MIN_ADDR		0x1000u		/* page 0 stays unmapped */

/* mmap(2), mprotect(2), mlockall(2), msync(2), madvise(2): Linux i386
 * values (<asm-generic/mman-common.h>, <asm-generic/mman.h>). */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_SEM	0x8		/* accepted, means nothing here */
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_GROWSDOWN	0x0100		/* accepted; the stack is the only
					   VMA that grows */
#define MAP_LOCKED	0x2000
#define MAP_NORESERVE	0x4000		/* accepted: nothing is reserved */
#define MAP_POPULATE	0x8000
#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4
#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4
#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4

/* VMA flags, one bit each.  VM_READ/WRITE/EXEC follow PROT_*; the VM_MAY*
 * bits say what mprotect may turn on later (a MAP_SHARED mapping of a file
 * opened read-only never gets VM_MAYWRITE). */
enum vma_flag {
	VM_READ		= 1 << 0,
	VM_WRITE	= 1 << 1,
	VM_EXEC		= 1 << 2,
	VM_SHARED	= 1 << 3,	/* writes reach the object (MAP_SHARED) */
	VM_MAYREAD	= 1 << 4,
	VM_MAYWRITE	= 1 << 5,
	VM_MAYEXEC	= 1 << 6,
	VM_GROWSDOWN	= 1 << 7,	/* the stack: faults below extend it */
	VM_HEAP		= 1 << 8,	/* the brk area */
	VM_LOCKED	= 1 << 9,	/* mlock: every page present, kept */
	VM_IO		= 1 << 10,	/* device memory: the walker refuses it,
					   reclaim skips it (rule 5) */
};

struct vma;
struct inode;
struct page;
struct file;

/*
 * What a VMA maps.  Anonymous private memory has no ops (zero-fill);
 * everything else -- files, shared anonymous memory, device buffers --
 * plugs in here.
 *   open(v)    v is a new copy of a VMA (fork, or one half of a split):
 *              take whatever references the original holds.
 *   close(v)   v goes away (munmap, exit, exec): drop them.
 *   nopage(v, uva, write)  the page for uva (page-aligned, inside v), with
 *              a reference the caller now owns.  pgoff of uva is
 *              v->pgoff + ((uva - v->start) >> PAGE_SHIFT).  Return the
 *              page, ERR_PTR(-ENOMEM) (the faulter is killed) or any other
 *              ERR_PTR (SIGBUS: past the end of the object).  May sleep;
 *              called with no page lock and no spin lock held.
 */
struct vm_ops {
	void (*open)(struct vma *v);
	void (*close)(struct vma *v);
	struct page *(*nopage)(struct vma *v, uint32_t uva, bool write);
};

struct vma {
	uint32_t start, end;		/* [start, end), page-aligned uvas */
	uint32_t flags;			/* enum vma_flag */
	uint32_t pgoff;			/* object offset of start, in pages */
	struct inode *inode;		/* the file mapped (held), or NULL */
	struct file_name *name;		/* its name for /proc/<pid>/maps
					   (held), or NULL */
	const struct vm_ops *ops;	/* NULL: anonymous private memory */
	void *private;			/* the ops' own */
	struct list_head node;		/* mm->vmas, sorted by start */
};

/*
 * Locks (docs/locking.md), in the order they are taken:
 *   inode->write_lock  sleeping (include/vfs.h); write(2) holds it so one
 *                   write stays whole while the page cache drops fs_lock
 *                   between pages.
 *   pipe->lock      sleeping (fs/pipe.c); a pipe's copy may fault.
 *   mm->mmap_lock   sleeping; held by whoever changes the VMA list
 *                   (mmap, munmap, mprotect, mlock, brk, stack growth),
 *                   by every page fault (mm/fault.c: resolve_fault) and by
 *                   the walker on any mm.
 *   fs_lock         (fs/fd.c) the filesystems and the page cache.
 *   page lock       PG_locked, page-cache I/O state (include/pagecache.h).
 *   mm->page_table_lock  spin; held across a PTE look-up and the reference
 *                   grab that follows it (mm/walk.c), and by every PTE change.
 * Never copy to or from user space holding fs_lock or a page lock (rule 6,
 * docs/history.md): might_fault() in each copy checks it.
 */
struct mm {
	pde_t *pgdir;			/* [I] kva of the page directory */
	struct list_head vmas;		/* [m] sorted, non-overlapping */
	uint32_t brk_start, brk;	/* [m] the heap: [brk_start, brk) */
	uint32_t nr_pages;		/* [t] user pages mapped (RSS) */
	uint32_t hiwater_rss;		/* [t] the most nr_pages has been */
	uint32_t locked_vm;		/* [m] pages in VM_LOCKED VMAs */
	uint32_t map_count;		/* [m] VMAs on the list */
	uint32_t def_flags;		/* [m] VM_LOCKED after mlockall(MCL_FUTURE) */
	int users;			/* [r] mmget/mmput; the last frees it */
	struct inode *exe;		/* [I] the program's file, held, its
					   writes denied (-ETXTBSY); or NULL */
	struct file_name *exe_name;	/* [I] its name as run (held), or NULL */
	struct mutex mmap_lock;
	struct spinlock page_table_lock;
};

/* Result of a fault. */
enum fault_result {
	FAULT_OK,		/* mapped: retry the access */
	FAULT_SIGSEGV,		/* no VMA, or the VMA forbids the access */
	FAULT_SIGBUS,		/* past the end of the object (nopage) */
	FAULT_OOM,		/* no memory for a page or a page table */
};

/* What a fault (or the walker on its behalf) wants. */
enum fault_access {
	FAULT_READ	= 0,
	FAULT_WRITE	= 1 << 0,
	FAULT_FORCE	= 1 << 1,	/* ptrace: write a private read-only
					   mapping through a COW copy */
};

/* Global counters for /proc/vmstat ([r]: changed with irqs off or by the
 * one running task; read anywhere). */
struct vm_counters {
	unsigned long pgfault;		/* every resolved fault */
	unsigned long pgmajfault;	/* faults that waited for the disk */
	unsigned long cow_break;	/* private copies made by a write */
	unsigned long pins_taken;	/* walker pins (include/walk.h) */
	unsigned long pins_released;
};
extern struct vm_counters vm_counters;

struct mm *mm_create(void);
void mmget(struct mm *mm);		/* hold an mm that is not current's */
void mmput(struct mm *mm);		/* the last put destroys it */
struct mm *mm_fork(struct mm *parent);	/* copy-on-write copy, or NULL */
int mm_set_exe(struct mm *mm, struct inode *inode,
	       struct file_name *name);		/* 0 or -ETXTBSY */
void mm_activate(struct mm *mm);	/* load its CR3 (NULL: kernel only) */
struct vma *find_vma(struct mm *mm, uint32_t uva);	/* first with end > uva */
struct vma *find_extend_vma(struct mm *mm, uint32_t uva);	/* containing
					   uva, growing the stack down to it */
int vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t flags);
extern uint32_t vm_max_map_count;	/* VMAs per mm (Linux's sysctl) */
int vma_map_segment(struct mm *mm, uint32_t start, uint32_t file_end,
		    uint32_t end, uint32_t flags, struct inode *inode,
		    uint32_t pgoff);	/* exec: an ELF segment */
uint32_t mm_set_brk(struct mm *mm, uint32_t new_brk);	/* brk(2) */
int vma_map_page(struct mm *mm, uint32_t uva, struct page *page,
		 uint32_t vm_flags);	/* the vDSO */
struct trapframe;
enum fault_result handle_mm_fault(struct mm *mm, uint32_t uva,
				  unsigned int access);	/* enum fault_access */
bool page_fault_handled(struct trapframe *tf);	/* from trap_dispatch */
void vm_init(void);

/* mm/mmap.c: the mapping calls, for the system calls and the kernel. */
long do_mmap(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot,
	     uint32_t flags, struct file *file, uint32_t pgoff);
int do_munmap(struct mm *mm, uint32_t start, uint32_t len);
void unmap_mapping_range(struct inode *inode, uint64_t from);	/* truncate */

#endif
