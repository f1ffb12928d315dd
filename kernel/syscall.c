/*
 * kernel/syscall.c - the system-call table and its dispatcher.
 *
 * Owns: syscall_table[], built at boot from the SYSCALL() entries that each
 * file registers (include/syscall.h) in the .syscalls linker section.
 *
 * The dispatcher runs with interrupts on: a system call may sleep, and
 * interrupts must keep coming meanwhile.  It records the number in
 * current->syscall_nr, so an interrupted call can be restarted
 * (kernel/signal.c), and the return value goes back in eax.
 */
#include <errno.h>
#include <kernel.h>
#include <sched.h>
#include <syscall.h>
#include <trap.h>
#include <x86.h>

extern const struct syscall_entry __syscalls_start[], __syscalls_end[];

static const struct syscall_entry *syscall_table[NR_SYSCALLS];

BUILD_ASSERT(ENOSYS_WORDS * 32 > NR_SYSCALLS);	/* task->enosys_said */

void syscall_init(void)
{
	unsigned int n = 0;

	for (const struct syscall_entry *e = __syscalls_start; e < __syscalls_end; e++) {
		if (e->nr >= NR_SYSCALLS)
			panic("syscall_init: %s has number %u, past the table", e->name, e->nr);
		if (syscall_table[e->nr])
			panic("syscall_init: number %u registered by both %s and %s",
			      e->nr, syscall_table[e->nr]->name, e->name);
		syscall_table[e->nr] = e;
		n++;
	}
	printk("syscalls: %u registered\n", n);
}

const char *syscall_name(uint32_t nr)
{
	return nr < NR_SYSCALLS && syscall_table[nr] ? syscall_table[nr]->name : NULL;
}

/* An unknown number gets one console line per process: a program that
 * probes for a call (or a fuzzer) would otherwise flood the console.  All
 * numbers past the table share one bit. */
static void report_unknown(uint32_t nr)
{
	uint32_t bit = MIN(nr, (uint32_t)NR_SYSCALLS);
	uint32_t *word = &current->enosys_said[bit / 32];

	if (*word & (1u << bit % 32))
		return;
	*word |= 1u << bit % 32;
	printk(KERN_WARNING "%s[%d]: unknown system call %u%s\n", current->comm,
	       current->pid, nr, nr >= NR_SYSCALLS ? " (and any past the table: said once)" : "");
}

void syscall_dispatch(struct trapframe *tf)
{
	uint32_t nr = tf->eax;
	long ret;

	current->syscall_nr = (int)nr;
	sti();
	if (nr < NR_SYSCALLS && syscall_table[nr]) {
		ret = syscall_table[nr]->fn(tf->ebx, tf->ecx, tf->edx, tf->esi,
					    tf->edi, tf->ebp);
	} else {
		report_unknown(nr);
		ret = -ENOSYS;
	}
	cli();
	tf->eax = (uint32_t)ret;
}
