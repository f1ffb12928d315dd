/*
 * kernel/panic.c - stopping the kernel when an invariant breaks.
 *
 * panic(fmt, ...) and die(tf) print why, the registers and a symbolized
 * backtrace, then halt -- or, with panic=exit on the command line (the test
 * harness sets it), leave QEMU with status EXIT_PANIC so a test run ends at
 * once instead of waiting for a timeout.
 */
#include <cmdline.h>
#include <kernel.h>
#include <ksyms.h>
#include <trap.h>
#include <x86.h>

static bool panicking;

static void __noreturn stop(void)
{
	const char *how = cmdline_get("panic");

	if (how && strcmp(how, "exit") == 0)
		power_off(EXIT_PANIC);
	printk(KERN_EMERG "Kernel halted.\n");
	for (;;) {
		cli();
		hlt();
	}
}

/* Enter panic mode once; a panic inside a panic stops at once. */
static void enter_panic(void)
{
	cli();
	if (panicking) {
		printk(KERN_EMERG "panic inside panic\n");
		stop();
	}
	panicking = true;
	printk_break_lock();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	enter_panic();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "PANIC: %s\n", msg);
	printk(KERN_EMERG "CR0=%08x CR2=%08x CR3=%08x CR4=%08x ESP=%08x\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4(),
	       (uint32_t)__builtin_frame_address(0));
	backtrace_print((uint32_t)panic, read_ebp());	/* panic, then its callers */
	stop();
}

void die(struct trapframe *tf)
{
	enter_panic();
	trap_print_frame(tf);
	backtrace_print(tf->eip, tf->ebp);
	stop();
}
