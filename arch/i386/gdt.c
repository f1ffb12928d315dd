/*
 * arch/i386/gdt.c - the global descriptor table and the task-state segment.
 *
 * Flat segments (base 0, limit 4 GiB) for kernel and user code and data, as
 * every paging kernel uses them, and one TSS whose only job is to give the
 * CPU the kernel stack (esp0/ss0) to switch to on a trap from ring 3.
 * Descriptor format: Intel SDM vol. 3 §3.4.5; TSS: §7.2.1.
 */
#include <trap.h>
#include <string.h>

extern char boot_stack_top[];

#define SEG_PRESENT	0x80
#define SEG_DPL(n)	((n) << 5)
#define SEG_CODE_DATA	0x10	/* S bit: code/data, not system */
#define SEG_CODE_RX	0x0A	/* execute/read */
#define SEG_DATA_RW	0x02	/* read/write */
#define SEG_TSS32	0x09	/* available 32-bit TSS */
#define GRAN_4K_32BIT	0xC0	/* G=1 (limit in pages), D/B=1 (32-bit) */

struct gdt_entry {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, flags_limit_hi, base_hi;
} __packed;

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __packed;

struct descriptor_ptr {
	uint16_t limit;
	uint32_t base;
} __packed;

static struct gdt_entry gdt[6];
static struct tss tss;

static struct gdt_entry segment(uint32_t base, uint32_t limit, uint8_t access,
				uint8_t gran)
{
	return (struct gdt_entry){
		.limit_lo = limit & 0xFFFF,
		.base_lo = base & 0xFFFF,
		.base_mid = (base >> 16) & 0xFF,
		.access = access,
		.flags_limit_hi = (uint8_t)(gran | ((limit >> 16) & 0x0F)),
		.base_hi = (base >> 24) & 0xFF,
	};
}

void gdt_init(void)
{
	const uint8_t code = SEG_PRESENT | SEG_CODE_DATA | SEG_CODE_RX;
	const uint8_t data = SEG_PRESENT | SEG_CODE_DATA | SEG_DATA_RW;
	struct descriptor_ptr gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };

	gdt[KERNEL_CS >> 3] = segment(0, 0xFFFFF, code | SEG_DPL(0), GRAN_4K_32BIT);
	gdt[KERNEL_DS >> 3] = segment(0, 0xFFFFF, data | SEG_DPL(0), GRAN_4K_32BIT);
	gdt[USER_CS >> 3] = segment(0, 0xFFFFF, code | SEG_DPL(3), GRAN_4K_32BIT);
	gdt[USER_DS >> 3] = segment(0, 0xFFFFF, data | SEG_DPL(3), GRAN_4K_32BIT);

	memset(&tss, 0, sizeof(tss));
	tss.ss0 = KERNEL_DS;
	tss.esp0 = (uint32_t)boot_stack_top;
	tss.iomap_base = sizeof(tss);		/* no I/O permission bitmap */
	gdt[TSS_SEL >> 3] = segment((uint32_t)&tss, sizeof(tss) - 1,
				    SEG_PRESENT | SEG_TSS32, 0);

	__asm__ volatile(
		"lgdt %0\n\t"
		"movw %w1, %%ds\n\t"
		"movw %w1, %%es\n\t"
		"movw %w1, %%fs\n\t"
		"movw %w1, %%gs\n\t"
		"movw %w1, %%ss\n\t"
		"ljmp %2, $1f\n"
		"1:\n\t"
		"ltr %w3"
		: : "m"(gdtr), "r"(KERNEL_DS), "i"(KERNEL_CS), "r"(TSS_SEL)
		: "memory");
}

void tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}
