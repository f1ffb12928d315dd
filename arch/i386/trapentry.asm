; arch/i386/trapentry.asm - one entry stub per vector, all ending in
; trap_common, which saves a struct trapframe (include/trap.h) and calls
; trap_dispatch(tf).  The CPU pushes an error code for vectors 8, 10-14, 17
; and 21 (Intel SDM vol. 3 §6.13); the other stubs push a 0 in its place so
; every frame has the same shape.

KERNEL_DS	equ 0x10
USER_DS		equ 0x23

%macro STUB 1
trap_stub_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21)
%else
	push	dword 0			; no CPU error code: keep the shape
%endif
	push	dword %1
	jmp	trap_common
%endmacro

section .text
extern trap_dispatch

%assign v 0
%rep 48
STUB v
%assign v v + 1
%endrep

; The system-call gate, vector 0x80 (include/syscall.h): no error code.
global syscall_stub
syscall_stub:
	push	dword 0
	push	dword 0x80
	jmp	trap_common

; Segment registers: every load of one makes the CPU read and check a
; descriptor, and a system call would pay for eight.  The kernel needs only
; ds and es to be flat, which USER_DS already is (a ring-0 data access
; through a DPL-3 flat segment is allowed), so they are reloaded only if
; user space left something else there (a null selector, say); fs and gs
; the kernel never uses.  On the way out each is reloaded only if the saved
; value differs from the live one (sigreturn may have changed it).
%macro ENSURE_FLAT 1
	mov	ax, %1
	cmp	ax, USER_DS
	je	%%ok
	cmp	ax, KERNEL_DS
	je	%%ok
	mov	ax, KERNEL_DS
	mov	%1, ax
%%ok:
%endmacro

%macro RESTORE_SEG 1
	mov	ax, %1
	cmp	ax, [esp]
	je	%%same
	mov	%1, [esp]
%%same:
	add	esp, 4
%endmacro

trap_common:
	pusha
	push	ds
	push	es
	push	fs
	push	gs
	ENSURE_FLAT ds
	ENSURE_FLAT es
	cld				; the C ABI expects DF clear
	push	esp			; trap_dispatch(struct trapframe *tf)
	call	trap_dispatch
	add	esp, 4
global trap_return
trap_return:
	RESTORE_SEG gs
	RESTORE_SEG fs
	RESTORE_SEG es
	RESTORE_SEG ds
	popa
	add	esp, 8			; vector and error code
	iret

section .rodata
global trap_stubs
trap_stubs:
%assign v 0
%rep 48
	dd	trap_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits	; no executable stack
