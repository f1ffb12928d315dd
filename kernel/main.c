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
 *   7. root= mounts the root filesystem;
 *   8. ktest= runs self-tests, bench= a benchmark, and power off; else idle.
 */
#include <ata.h>
#include <bench.h>
#include <buf.h>
#include <err.h>
#include <string.h>
#include <vfs.h>
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

static struct super_block *root_sb;	/* until processes have a root */

/* Mount root=/dev/hdaN (or root=hdaN) as ext2.  A failure is reported and
 * the kernel carries on without a root. */
static void mount_root(void)
{
	const char *name = cmdline_get("root");
	struct block_device *bdev;
	struct super_block *sb;

	if (!name)
		return;
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	bdev = blkdev_find(name);
	if (!bdev) {
		printk(KERN_ERR "VFS: root device %s not found\n", name);
		return;
	}
	sb = ext2_mount(bdev, false);
	if (IS_ERR(sb)) {
		printk(KERN_ERR "VFS: cannot mount %s: error %ld\n", name, PTR_ERR(sb));
		return;
	}
	root_sb = sb;
	printk("VFS: mounted root %s (ext2, %u-byte blocks)\n", bdev->name,
	       sb->block_size);
}

/* Until there are kernel threads, the idle loop runs the buffer cache's
 * periodic flusher, once a second. */
static void __noreturn idle(void)
{
	uint64_t next_flush = 0;

	printk("Nothing to run yet: idling.  (QEMU: Ctrl-A X quits.)\n");
	for (;;) {
		hlt();		/* interrupts are on: the timer wakes us */
		if (jiffies_read() >= next_flush) {
			buf_flush_expired();
			next_flush = jiffies_read() + HZ;
		}
	}
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
	mount_root();
	if (cmdline_has("ktest"))
		power_off(ktest_run(cmdline_get("ktest")) ? EXIT_TESTS_FAILED : EXIT_OK);
	if (cmdline_has("bench"))
		power_off(bench_run(cmdline_get("bench")) ? EXIT_TESTS_FAILED : EXIT_OK);
	idle();
}
