/*
 * mm/fault_ktest.c - self-tests of what the fault path tells a student:
 * the console line a fatal user fault prints (fault_description).
 */
#include <ktest.h>
#include <string.h>
#include <trap.h>
#include <uaccess.h>
#include <vm.h>
#include "internal.h"

/* Regression: a user write to 0xC0000000 was reported as "write to
 * read-only address" (the kernel's page is present, just not the user's). */
KTEST(fault_message_user_access_to_kernel_address)
{
	const uint32_t present_write = PF_USER | PF_PRESENT | PF_WRITE;

	KT_ASSERT(!strcmp(fault_description(USER_TOP, present_write, FAULT_SIGSEGV),
			  "write to kernel address"));
	KT_ASSERT(!strcmp(fault_description(0xfffffffcu, PF_USER | PF_PRESENT,
					    FAULT_SIGSEGV), "read of kernel address"));
	return 0;
}

KTEST(fault_message_user_addresses)
{
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER | PF_PRESENT | PF_WRITE,
					    FAULT_SIGSEGV), "write to read-only address"));
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER, FAULT_SIGSEGV),
			  "read of unmapped address"));
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER | PF_WRITE, FAULT_OOM),
			  "out of memory"));
	KT_ASSERT(!strcmp(fault_description(0x1000, PF_USER, FAULT_SIGBUS),
			  "access past the end of a mapped object"));
	return 0;
}
