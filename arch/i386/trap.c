/*
 * arch/i386/trap.c - the IDT and trap_dispatch(), where every entry stub
 * lands.
 *
 * Interface: idt_init() once; irq_register(irq, fn) for drivers.
 * IRQ handlers run with interrupts off and must not sleep; the PIC gets its
 * end-of-interrupt after the handler returns.  Vector 0x80 is the system
 * call.  An exception in user mode becomes a signal for the process (a page
 * fault first goes to mm/fault.c, which may resolve it); one in the kernel
 * is a bug: die() prints the frame and a backtrace and halts.
 *
 * Every trap that came from user mode leaves through
 * sched_before_user_return: a used-up time slice gives the CPU away there,
 * and pending signals are acted on there.
 */
#include <kernel.h>
#include <sched.h>
#include <signals.h>
#include <syscall.h>
#include <trap.h>
#include <vm.h>
#include <x86.h>

#define IDT_INTERRUPT_GATE	0x8E	/* present, DPL 0, 32-bit interrupt gate
					   (SDM vol. 3 §6.11): clears IF */
#define IDT_USER_INTERRUPT_GATE	0xEE	/* the same, callable from ring 3 */

struct idt_entry {
	uint16_t offset_lo, selector;
	uint8_t zero, type_attr;
	uint16_t offset_hi;
} __packed;

struct descriptor_ptr {
	uint16_t limit;
	uint32_t base;
} __packed;

extern const uint32_t trap_stubs[NR_TRAP_VECTORS];	/* trapentry.asm */
extern char syscall_stub[];

static struct idt_entry idt[256];
static irq_handler_t irq_handlers[NR_IRQS];
uint64_t irq_counts[NR_IRQS];

static const char *const exception_names[NR_EXCEPTIONS] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"BOUND range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error",
	"alignment check", "machine check", "SIMD floating-point error",
	"virtualization exception", "control protection exception",
	"reserved (22)", "reserved (23)", "reserved (24)", "reserved (25)",
	"reserved (26)", "reserved (27)", "reserved (28)", "reserved (29)",
	"reserved (30)", "reserved (31)",
};

static void set_gate(unsigned int vector, uint32_t handler, uint8_t type_attr)
{
	idt[vector] = (struct idt_entry){
		.offset_lo = handler & 0xFFFF,
		.selector = KERNEL_CS,
		.type_attr = type_attr,
		.offset_hi = handler >> 16,
	};
}

void idt_init(void)
{
	struct descriptor_ptr idtr = { sizeof(idt) - 1, (uint32_t)idt };

	for (unsigned int v = 0; v < NR_TRAP_VECTORS; v++)
		set_gate(v, trap_stubs[v], IDT_INTERRUPT_GATE);
	set_gate(SYSCALL_VECTOR, (uint32_t)syscall_stub, IDT_USER_INTERRUPT_GATE);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void irq_register(unsigned int irq, irq_handler_t fn)
{
	assert(irq < NR_IRQS && !irq_handlers[irq]);
	irq_handlers[irq] = fn;
	pic_unmask(irq);
}

static void handle_irq(struct trapframe *tf)
{
	unsigned int irq = tf->vector - IRQ_BASE;

	if (pic_is_spurious(irq))
		return;
	irq_counts[irq]++;
	if (irq_handlers[irq])
		irq_handlers[irq](tf);
	pic_eoi(irq);
}

/* Describe a page-fault error code the way a student reads it. */
static void print_page_fault(const struct trapframe *tf)
{
	uint32_t err = tf->error;

	printk(KERN_EMERG "BUG: page fault at %08x: %s %s of a %s page, EIP %08x\n",
	       read_cr2(), err & PF_USER ? "user" : "kernel",
	       err & PF_WRITE ? "write" : "read",
	       err & PF_PRESENT ? "protected" : "not-present", tf->eip);
	printk(KERN_EMERG "CR2=%08x error=%x\n", read_cr2(), err);
}

static void __noreturn unhandled_exception(struct trapframe *tf)
{
	if (tf->vector == T_PAGE_FAULT)
		print_page_fault(tf);
	else
		printk(KERN_EMERG "BUG: %s (vector %u, error %x) at EIP %08x\n",
		       exception_names[tf->vector], tf->vector, tf->error, tf->eip);
	die(tf);
}

/* The signal a user-mode exception sends (as Linux maps them). */
static int exception_signal(unsigned int vector)
{
	switch (vector) {
	case T_DIVIDE: case 16: case 19:	return SIGFPE;
	case 1: case T_BREAKPOINT:		return SIGTRAP;
	case T_INVALID_OP:			return SIGILL;
	case 17:				return SIGBUS;
	default:				return SIGSEGV;
	}
}

static void handle_exception(struct trapframe *tf)
{
	if (tf->vector == T_PAGE_FAULT && page_fault_handled(tf))
		return;
	if (!trap_from_user(tf) || !current->mm)
		unhandled_exception(tf);
	force_fault_signal(exception_signal(tf->vector), tf->eip,
			   exception_names[tf->vector], tf);
}

/* Anything to do before user mode runs again?  Interrupts are off, so
 * nothing can set need_resched or a signal between this test and the
 * IRET.  The common case -- nothing -- costs a few loads (getpid's time is
 * a benchmark). */
static inline bool user_return_work(const struct trapframe *tf)
{
	int32_t ret = (int32_t)tf->eax;

	return current->need_resched || signal_pending(current) ||
	       current->restore_blocked ||
	       (current->syscall_nr >= 0 && ret <= -ERESTARTSYS &&
		ret >= -ERESTARTNOHAND);
}

static void return_to_user(struct trapframe *tf)
{
	if (user_return_work(tf)) {
		sched_before_user_return(tf);
		signal_finish_syscall(tf);
	}
	current->syscall_nr = -1;
}

void trap_dispatch(struct trapframe *tf)
{
	if (tf->vector == SYSCALL_VECTOR)
		syscall_dispatch(tf);
	else if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + NR_IRQS)
		handle_irq(tf);
	else if (tf->vector < NR_EXCEPTIONS)
		handle_exception(tf);
	else
		panic("trap_dispatch: vector %u has no stub", tf->vector);
	if (trap_from_user(tf))
		return_to_user(tf);
}

void trap_print_frame(const struct trapframe *tf)
{
	uint32_t esp = trap_from_user(tf) ? tf->user_esp
					  : (uint32_t)&tf->user_esp;

	printk(KERN_EMERG "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n",
	       tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk(KERN_EMERG "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n",
	       tf->esi, tf->edi, tf->ebp, esp);
	printk(KERN_EMERG "EIP=%08x EFLAGS=%08x CS=%04x DS=%04x ES=%04x\n",
	       tf->eip, tf->eflags, tf->cs, tf->ds, tf->es);
	printk(KERN_EMERG "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}
