/*
 * kernel/power.c - leaving the machine.
 *
 * Under the test harness QEMU has an isa-debug-exit device at port 0xF4: a
 * write of v makes QEMU exit with status (v << 1) | 1.  Without it (make run),
 * the write goes nowhere and we ask the PIIX4 ACPI power-management block
 * that QEMU's SeaBIOS sets up at 0x600 to enter S5 (soft off), and halt if
 * even that does nothing.
 */
#include <kernel.h>
#include <x86.h>

#define DEBUG_EXIT_PORT	0xF4
#define ACPI_PM1A_CNT	0x604		/* SeaBIOS's PM base 0x600 + 4 */
#define ACPI_SLP_EN	(1u << 13)	/* ACPI spec: PM1 control SLP_EN */

void power_off(int status)
{
	cli();
	printk(KERN_INFO "Power off (status %d).\n", status);
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	outw(ACPI_PM1A_CNT, ACPI_SLP_EN);
	for (;;)
		hlt();
}
