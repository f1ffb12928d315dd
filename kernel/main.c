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
 *   8. ktest= runs self-tests, bench= a benchmark, and power off;
 *   9. otherwise pid 1 (init=, default /sbin/init) and the buffer flusher
 *      start, and this thread becomes the idle task.
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
#include <devfs.h>
#include <mutex.h>
#include <pagecache.h>
#include <pci.h>
#include <procfs.h>
#include <tty.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <vm.h>
#include <timer.h>
#include <trap.h>
#include <x86.h>

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

struct super_block *root_sb;

/* Mount a synthetic filesystem on a directory of the root, if the root
 * has that directory (a root without /dev simply has no device files). */
static void mount_synthetic(const char *path, struct super_block *sb)
{
	struct inode *dir;
	int err;

	if (IS_ERR(sb)) {
		printk(KERN_ERR "VFS: cannot make %s: error %ld\n", path, PTR_ERR(sb));
		return;
	}
	err = vfs_lookup(root_sb->root, root_sb->root, path, LOOKUP_FOLLOW, &dir);
	if (!err) {
		err = vfs_mount(sb, dir);
		iput(dir);
	}
	if (err)
		printk(KERN_WARNING "VFS: %s not mounted: error %d\n", path, err);
}

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
	mount_synthetic("/dev", devfs_create());
	mount_synthetic("/proc", procfs_create());
}

/* The periodic flusher: a kernel thread, once a second.  Aged dirty pages
 * go to the buffer cache first, aged buffers to the disk. */
static int flusher(void *unused)
{
	for (;;) {
		sleep_ticks(HZ);
		filemap_flush_expired();
		buf_flush_expired();
	}
	return 0;
}

#define MAX_INIT_ARGV	(CMDLINE_MAX_INIT_ARGS + 2)

/* pid 1: init=PATH (default /sbin/init), arguments after "--". */
static void start_init(void)
{
	static char *argv[MAX_INIT_ARGV];
	const char *const *args;
	unsigned int n = cmdline_init_args(&args);
	const char *path = cmdline_get("init");
	int err;

	if (!path || !*path)
		path = "/sbin/init";
	argv[0] = (char *)path;
	for (unsigned int i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	argv[n + 1] = NULL;
	err = proc_start_init(path, argv);
	if (err)
		printk(KERN_ERR "init: cannot start %s: error %d; idling\n", path, err);
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
	sched_init();
	syscall_init();
	mem_init(&boot_info);
	vm_init();
	sysenter_init();
	mem_print_map();
	printk("Free pages: %zu (%zu KiB)\n", nr_free_pages(), nr_free_pages() * 4);
	printk("Command line: %s\n", cmdline_raw());
	pit_init();
	tty_init();
	sti();
	pci_init();
	ata_init();
	mount_root();
	if (cmdline_has("ktest"))
		power_off(ktest_run(cmdline_get("ktest")) ? EXIT_TESTS_FAILED : EXIT_OK);
	if (cmdline_has("bench"))
		power_off(bench_run(cmdline_get("bench")) ? EXIT_TESTS_FAILED : EXIT_OK);
	start_init();
	kthread_create(flusher, NULL, "flusher");
	proc_note_free_pages();
	sched_idle();
}
