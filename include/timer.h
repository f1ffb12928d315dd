/* include/timer.h - the system tick (drivers/pit.c).
 *
 * The PIT interrupts HZ times a second; jiffies counts the ticks since
 * pit_init().  Read it with interrupts in any state: 64-bit reads are made
 * atomic by jiffies_read().
 */
#ifndef WALNUT_TIMER_H
#define WALNUT_TIMER_H

#include <types.h>

#define HZ		100
#define NSEC_PER_TICK	(1000000000u / HZ)

void pit_init(void);
uint64_t jiffies_read(void);
uint64_t clock_monotonic_ns(void);	/* tick-accurate, TSC-interpolated */

#endif
