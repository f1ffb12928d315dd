/* include/x86.h - the i386 instructions C cannot express: port I/O, control
 * registers, interrupt flag, TLB.  Intel SDM vol. 2 for each instruction. */
#ifndef WALNUT_X86_H
#define WALNUT_X86_H

#include <types.h>

#define EFLAGS_IF	0x00000200u	/* SDM vol. 3 §2.3: interrupt enable */

#define CR0_PE		0x00000001u	/* protection enable */
#define CR0_WP		0x00010000u	/* supervisor writes honour read-only PTEs */
#define CR0_PG		0x80000000u	/* paging */
#define CR4_PSE		0x00000010u	/* 4 MiB pages */
#define CR4_PGE		0x00000080u	/* honour PTE_GLOBAL */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to an unused port: about 1 us, for devices that need a pause. */
static inline void io_delay(void)
{
	outb(0x80, 0);
}

static inline uint32_t read_eflags(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

/* Disable interrupts, returning whether they were on; irq_restore() undoes. */
static inline bool irq_save(void)
{
	bool was_on = read_eflags() & EFLAGS_IF;

	cli();
	return was_on;
}

static inline void irq_restore(bool was_on)
{
	if (was_on)
		sti();
}

static inline bool irqs_enabled(void)
{
	return read_eflags() & EFLAGS_IF;
}

#define DEFINE_CR(n)							\
static inline uint32_t read_cr##n(void)					\
{									\
	uint32_t v;							\
	__asm__ volatile("movl %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(uint32_t v)				\
{									\
	__asm__ volatile("movl %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint32_t read_ebp(void)
{
	uint32_t v;
	__asm__ volatile("movl %%ebp, %0" : "=r"(v));
	return v;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint64_t v;
	__asm__ volatile("rdtsc" : "=A"(v));
	return v;
}

#endif
