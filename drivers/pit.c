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
static uint64_t tsc_last_tick;		/* the TSC at the latest tick */
static uint64_t tsc_per_tick;		/* its advance over the tick before */

static void pit_tick(struct trapframe *tf)
{
	uint64_t tsc = rdtsc();

	if (tsc_last_tick && tsc > tsc_last_tick)
		tsc_per_tick = tsc - tsc_last_tick;
	tsc_last_tick = tsc;
	jiffies++;
	sched_tick(trap_from_user(tf));
}

/**
 * clock_monotonic_ns - nanoseconds since pit_init: whole ticks from jiffies,
 * and the time into the current tick from the TSC, scaled by how far the
 * TSC moved over the last tick (no calibration to go wrong; it follows the
 * host's clock under TCG).  Capped at the next tick, so it never runs ahead
 * of the jiffies it will meet there: monotonic.
 */
uint64_t clock_monotonic_ns(void)
{
	bool was_on = irq_save();
	uint64_t ns = jiffies * NSEC_PER_TICK, into = rdtsc() - tsc_last_tick;

	if (tsc_per_tick && tsc_last_tick)
		ns += MIN(into, tsc_per_tick - 1) * NSEC_PER_TICK / tsc_per_tick;
	irq_restore(was_on);
	return ns;
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
