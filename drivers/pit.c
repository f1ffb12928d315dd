/*
 * drivers/pit.c - the 8253/8254 programmable interval timer, channel 0.
 *
 * Owns: PIT ports 0x40-0x43 and IRQ 0.  Programs channel 0 as a rate
 * generator (mode 2) dividing the 1.193182 MHz input clock down to HZ, and
 * counts ticks in jiffies, and tells the scheduler (time slices, sleeps,
 * alarms: sched_tick).  Register layout: Intel 82C54 datasheet, "Control Word Format".
 */
#include <sched.h>
#include <timer.h>
#include <trap.h>
#include <x86.h>

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_INPUT_HZ	1193182u
#define PIT_CH0_LOHI_MODE2 0x34	/* channel 0, lobyte/hibyte, mode 2, binary */
#define PIT_IRQ		0

static volatile uint64_t jiffies;

static void pit_tick(struct trapframe *tf)
{
	jiffies++;
	sched_tick(trap_from_user(tf));
}

uint64_t jiffies_read(void)
{
	bool was_on = irq_save();
	uint64_t j = jiffies;

	irq_restore(was_on);
	return j;
}

void pit_init(void)
{
	uint16_t divisor = (uint16_t)(PIT_INPUT_HZ / HZ);

	outb(PIT_CMD, PIT_CH0_LOHI_MODE2);
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, divisor >> 8);
	irq_register(PIT_IRQ, pit_tick);
}
