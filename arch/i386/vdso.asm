; arch/i386/vdso.asm - the page of code every process finds at VDSO_UVA
; (include/trap.h), its system-call entry: Linux's __kernel_vsyscall.
;
; A program calls it (the C library finds it in the auxiliary vector,
; AT_SYSINFO) with the system call in the int $0x80 registers.  It saves
; ecx, edx and ebp on the user stack and hands the stack pointer to the
; kernel in ebp, because SYSENTER saves neither the user's eip nor esp
; (Intel SDM vol. 2, SYSENTER); the kernel reads the sixth argument from
; that stack and returns to vdso_return with SYSEXIT, which clobbers ecx and
; edx -- the pops here put them back.
;
; The int $0x80 after sysenter is never reached on the way in: the kernel
; returns past it.  It is there for a restarted system call, which backs up
; two bytes over it (kernel/signal.c) and so re-enters through the ordinary
; gate, with the registers as int $0x80 wants them.
;
; Only the bytes between vdso_image and vdso_image_end are copied into the
; page (arch/i386/sysenter.c); offsets are from vdso_image.

section .rodata
global vdso_image, vdso_image_end, vdso_return_offset

vdso_image:
__kernel_vsyscall:
	push	ecx
	push	edx
	push	ebp
	mov	ebp, esp
	sysenter
	int	0x80
vdso_return:
	pop	ebp
	pop	edx
	pop	ecx
	ret
vdso_image_end:

vdso_return_offset:
	dd	vdso_return - vdso_image

section .note.GNU-stack noalloc noexec nowrite progbits
