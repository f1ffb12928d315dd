/*
 * kernel/kernel_ktest.c - self-tests of the core: printk's ring, the command
 * line, the timer, the kernel page tables; and the crash tests, which bring
 * the kernel down on purpose so the harness can check what a panic prints.
 */
#include <cmdline.h>
#include <console.h>
#include <ksyms.h>
#include <ktest.h>
#include <mm.h>
#include <pgtable.h>
#include <string.h>
#include <timer.h>
#include <x86.h>

extern char _text[], _etext[];

KTEST(printk_log_ring_keeps_messages)
{
	static char tail[128];
	size_t n;

	printk(KERN_DEBUG "ktest marker %d\n", 4242);
	n = printk_log_read(tail, sizeof(tail) - 1);
	tail[n] = '\0';
	KT_ASSERT(n > 0);
	KT_ASSERT(strstr(tail, "ktest marker 4242\n"));
	return 0;
}

/* printk reaches the VGA console: find the message in the text buffer. */
KTEST(printk_reaches_vga)
{
	static const char marker[] = "vga marker 31337";
	const uint16_t *cells = phys_to_kva(VGA_TEXT_PA);
	bool found = false;

	printk(KERN_INFO "%s\n", marker);
	for (unsigned int row = 0; row < VGA_ROWS && !found; row++) {
		unsigned int i = 0;

		while (marker[i] && (cells[row * VGA_COLS + i] & 0xFF) == (uint8_t)marker[i])
			i++;
		found = marker[i] == '\0';
	}
	KT_ASSERT(found);
	return 0;
}

KTEST(cmdline_has_ktest_option)
{
	KT_ASSERT(cmdline_has("ktest"));
	KT_ASSERT(cmdline_get("no-such-option") == NULL);
	return 0;
}

KTEST(timer_ticks_advance)
{
	uint64_t start = jiffies_read();

	KT_ASSERT(irqs_enabled());
	while (jiffies_read() < start + 3)
		hlt();			/* each tick wakes us */
	KT_ASSERT(jiffies_read() >= start + 3);
	return 0;
}

/* No identity map survives boot, so a NULL dereference faults. */
KTEST(page_tables_no_user_mappings)
{
	for (unsigned int i = 0; i < pgdir_index(KERNEL_BASE); i++)
		KT_ASSERT(kernel_pgdir[i] == 0);
	return 0;
}

/* Look up the PTE mapping a kernel virtual address. */
static pte_t kernel_pte(uint32_t kva)
{
	pde_t pde = kernel_pgdir[pgdir_index(kva)];
	const pte_t *table = phys_to_kva(pde & PTE_FRAME);

	return table[pgtable_index(kva)];
}

KTEST(page_tables_text_read_only)
{
	uint32_t text = (uint32_t)_text, data = (uint32_t)&kernel_pgdir;

	KT_ASSERT(kernel_pte(text) & PTE_PRESENT);
	KT_ASSERT(!(kernel_pte(text) & PTE_WRITE));
	KT_ASSERT(kernel_pte(data) & PTE_WRITE);
	KT_ASSERT((kernel_pte(text) & PTE_FRAME) == ALIGN_DOWN(text - KERNEL_BASE, PAGE_SIZE));
	KT_ASSERT(read_cr0() & CR0_WP);
	return 0;
}

KTEST(ksyms_resolve_own_function)
{
	uint32_t off, size;
	const char *name = ksym_lookup((uint32_t)ktest_ksyms_resolve_own_function + 3,
				       &off, &size);

	KT_ASSERT(name && strcmp(name, "ktest_ksyms_resolve_own_function") == 0);
	KT_ASSERT(off == 3 && size > 3);
	KT_ASSERT(ksym_lookup(KERNEL_BASE, &off, &size) == NULL);
	return 0;
}

/* ---- crash tests: run by name, each ends the kernel ---- */

#define CRASH_ADDRESS	0x0dead000u	/* user space: nothing is mapped there */

KTEST_CRASH(crash_page_fault)
{
	*(volatile uint32_t *)CRASH_ADDRESS = 1;
	return -1;	/* not reached */
}

KTEST_CRASH(crash_panic)
{
	panic("deliberate panic from ktest crash_panic");
}

KTEST_CRASH(crash_write_kernel_text)
{
	*(volatile uint8_t *)_text = 0x90;	/* CR0.WP: read-only even for us */
	return -1;
}
