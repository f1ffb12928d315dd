/*
 * arch/i386/sysenter.c - the fast system-call entry: SYSENTER/SYSEXIT and
 * the vDSO page that user space enters through.
 *
 * int $0x80 costs an IDT look-up, a privilege change through the TSS and an
 * IRET with its descriptor checks; SYSENTER jumps to a fixed kernel entry
 * with a fixed stack (three MSRs, Intel SDM vol. 3 §5.8.7) and SYSEXIT back.
 * Linux's convention, so a program built for Linux works the same:
 *
 *	user: call *AT_SYSINFO  ->  vdso.asm: push ecx, edx, ebp; ebp = esp;
 *	                            sysenter
 *	kernel: trapentry.asm: sysenter_entry builds the same trap frame
 *	        int $0x80 would (eip = the vDSO's return point, esp = ebp),
 *	        dispatches, and leaves by SYSEXIT if the frame still returns
 *	        there, by IRET otherwise (a signal handler, sigreturn, exec)
 *
 * Owns: the vDSO page (one, shared read-only by every process, held by the
 * kernel forever) and the SYSENTER MSRs.  The stack MSR follows current,
 * like the TSS's esp0 (sysenter_set_stack from the scheduler).
 */
#include <kernel.h>
#include <mm.h>
#include <string.h>
#include <trap.h>
#include <x86.h>

#define MSR_SYSENTER_CS		0x174	/* SDM vol. 4, table 2-2 */
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define CPUID_EDX_SEP		(1u << 11)

extern const char vdso_image[], vdso_image_end[];
extern const uint32_t vdso_return_offset;
extern char sysenter_entry[];

struct page *vdso_page;		/* [I] after sysenter_init */
uint32_t vdso_return_uva;	/* [I] where SYSEXIT returns to */
bool sysenter_enabled;		/* [I] the CPU has SYSENTER */

void sysenter_init(void)
{
	uint32_t eax = 1, ebx, ecx, edx;

	vdso_page = alloc_page(ALLOC_ATOMIC);
	if (!vdso_page)
		panic("sysenter_init: no memory for the vDSO page");
	memset(page_to_kva(vdso_page), 0xCC, PAGE_SIZE);	/* int3 around it */
	memcpy(page_to_kva(vdso_page), vdso_image, vdso_image_end - vdso_image);
	vdso_return_uva = VDSO_UVA + vdso_return_offset;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	sysenter_enabled = edx & CPUID_EDX_SEP;
	if (!sysenter_enabled)
		return;		/* the vDSO's sysenter is never called then */
	wrmsr(MSR_SYSENTER_CS, KERNEL_CS);
	wrmsr(MSR_SYSENTER_EIP, (uint32_t)sysenter_entry);
}

void sysenter_set_stack(uint32_t esp0)
{
	if (sysenter_enabled)
		wrmsr(MSR_SYSENTER_ESP, esp0);
}
