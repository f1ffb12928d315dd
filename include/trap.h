/* include/trap.h - traps and interrupts: the trap frame, IRQ handlers, the
 * descriptor tables (arch/i386/).
 *
 * Vectors: 0-31 CPU exceptions, 32-47 the 16 legacy IRQs (PIC remapped).
 * Every entry stub pushes a full struct trapframe and calls trap_dispatch().
 */
#ifndef WALNUT_TRAP_H
#define WALNUT_TRAP_H

#include <types.h>

#define NR_EXCEPTIONS	32
#define IRQ_BASE	32		/* vector of IRQ 0 */
#define NR_IRQS		16
#define NR_TRAP_VECTORS	(IRQ_BASE + NR_IRQS)

/* Segment selectors: GDT index << 3 | requested privilege level. */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_CS		(0x18 | 3)
#define USER_DS		(0x20 | 3)
#define TSS_SEL		0x28

/* Exception vectors (Intel SDM vol. 3 table 6-1) the kernel names. */
#define T_DIVIDE	0
#define T_BREAKPOINT	3
#define T_INVALID_OP	6
#define T_DOUBLE_FAULT	8
#define T_GPF		13
#define T_PAGE_FAULT	14

/* Page-fault error code bits (SDM vol. 3 §4.7). */
#define PF_PRESENT	0x1	/* 0: page not present; 1: protection */
#define PF_WRITE	0x2
#define PF_USER		0x4

/* The registers an entry stub saves, lowest address first. */
struct trapframe {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;	/* pusha */
	uint32_t vector;
	uint32_t error;		/* CPU's error code, or 0 */
	uint32_t eip, cs, eflags;	/* pushed by the CPU */
	uint32_t user_esp, user_ss;	/* only when coming from ring 3 */
};

static inline bool trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

typedef void (*irq_handler_t)(struct trapframe *tf);

void gdt_init(void);
void tss_set_kernel_stack(uint32_t esp0);
void idt_init(void);
void pic_init(void);
void pic_unmask(unsigned int irq);
void pic_mask(unsigned int irq);
bool pic_is_spurious(unsigned int irq);
void pic_eoi(unsigned int irq);
void irq_register(unsigned int irq, irq_handler_t fn);
void trap_dispatch(struct trapframe *tf);
void trap_print_frame(const struct trapframe *tf);

extern uint64_t irq_counts[NR_IRQS];	/* interrupts taken, per IRQ */

/* arch/i386/sysenter.c: the fast system-call entry and the vDSO page, which
 * every process has at VDSO_UVA (the page between the stack's top and the
 * kernel), its entry point given by AT_SYSINFO. */
#define VDSO_UVA	0xBFFFF000u
struct page;
extern struct page *vdso_page;
extern uint32_t vdso_return_uva;
extern bool sysenter_enabled;
void sysenter_init(void);
void sysenter_set_stack(uint32_t esp0);

#endif
