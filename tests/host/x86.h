/* tests/host/x86.h - stands in for include/x86.h in host unit tests.
 *
 * -Itests/host comes before -Iinclude, so <x86.h> finds this file, and the
 * shared include guard keeps the real one out.  The interrupt flag is a
 * variable (host_eflags, in tests/host/shim.c) so that irq_save/irq_restore
 * nest as they do on the CPU and a test can check that a spin lock left the
 * flag as it found it.  Port I/O, control registers and the TLB have no host
 * meaning and are left out on purpose: code that needs them is not host code.
 */
#ifndef WALNUT_X86_H
#define WALNUT_X86_H

#include <types.h>

#define EFLAGS_IF	0x00000200u	/* SDM vol. 3 §2.3: interrupt enable */

extern uint32_t host_eflags;		/* starts with EFLAGS_IF set */

static inline uint32_t read_eflags(void)
{
	return host_eflags;
}

static inline void cli(void) { host_eflags &= ~EFLAGS_IF; }
static inline void sti(void) { host_eflags |= EFLAGS_IF; }
static inline void hlt(void) { }

/* Disable interrupts, returning whether they were on; irq_restore() undoes. */
static inline bool irq_save(void)
{
	bool was_on = read_eflags() & EFLAGS_IF;

	cli();
	return was_on;
}

static inline void irq_restore(bool was_on)
{
	if (was_on)
		sti();
}

static inline bool irqs_enabled(void)
{
	return read_eflags() & EFLAGS_IF;
}

#endif
