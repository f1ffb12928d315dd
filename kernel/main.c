/*
 * kernel/main.c - kmain, the first C code: brings the machine up in order.
 *
 * boot/entry.asm calls kmain(magic, mbi_pa) on the boot stack, with paging on
 * through the boot page directory and interrupts off.  Order matters:
 *   1. copy the boot loader's information (before its memory is reused);
 *   2. consoles, then the command line (printk works from here on);
 *   3. GDT, IDT, PIC: exceptions now print a backtrace instead of resetting;
 *   4. physical memory: kernel page tables, mem_map, the buddy allocator;
 *   5. the timer, then interrupts on;
 *   6. PCI, then the disks (they wait for interrupts to read partitions);
 *   7. ktest= runs self-tests, bench= a benchmark, and power off; else idle.
 */
#include <ata.h>
#include <bench.h>
#include <boot.h>
#include <cmdline.h>
#include <console.h>
#include <kernel.h>
#include <ktest.h>
#include <mm.h>
#include <pci.h>
#include <timer.h>
#include <trap.h>
#include <x86.h>

#define WALNUT_VERSION	"0.1"

static struct boot_info boot_info;

static void print_banner(void)
{
	printk("Walnut " WALNUT_VERSION " (i386) - a teaching kernel\n");
	if (boot_info.loader[0])
		printk("Booted by %s\n", boot_info.loader);
}

static void set_loglevel(void)
{
	uint32_t level;

	if (cmdline_get_uint("loglevel", &level) == 0)
		printk_set_console_level((int)level);
}

static void __noreturn idle(void)
{
	printk("Nothing to run yet: idling.  (QEMU: Ctrl-A X quits.)\n");
	for (;;)
		hlt();		/* interrupts are on: the timer wakes us */
}

void kmain(uint32_t magic, pa_t mbi_pa);	/* called from boot/entry.asm */

void kmain(uint32_t magic, pa_t mbi_pa)
{
	int rc = boot_info_from_multiboot(magic, mbi_pa, &boot_info);

	console_init();
	cmdline_parse(boot_info.cmdline);
	set_loglevel();
	print_banner();
	if (rc < 0)
		panic("kmain: not started by a multiboot loader (magic %x)", magic);
	gdt_init();
	idt_init();
	pic_init();
	mem_init(&boot_info);
	mem_print_map();
	printk("Free pages: %zu (%zu KiB)\n", nr_free_pages(), nr_free_pages() * 4);
	printk("Command line: %s\n", cmdline_raw());
	pit_init();
	sti();
	pci_init();
	ata_init();
	if (cmdline_has("ktest"))
		power_off(ktest_run(cmdline_get("ktest")) ? EXIT_TESTS_FAILED : EXIT_OK);
	if (cmdline_has("bench"))
		power_off(bench_run(cmdline_get("bench")) ? EXIT_TESTS_FAILED : EXIT_OK);
	idle();
}
