; arch/i386/trapentry.asm - one entry stub per vector, all ending in
; trap_common, which saves a struct trapframe (include/trap.h) and calls
; trap_dispatch(tf).  The CPU pushes an error code for vectors 8, 10-14, 17
; and 21 (Intel SDM vol. 3 §6.13); the other stubs push a 0 in its place so
; every frame has the same shape.
;
; Backtraces: the C code keeps frame pointers, and ours (kernel/ksyms.c) and
; gdb's both follow ebp.  On a trap from user mode ebp is the user's, a
; user address or garbage, so the stubs set it to 0 before calling C: the
; chain ends at the trap frame (gdb treats ebp = 0 as the outermost frame)
; instead of wandering into user values such as USER_DS, "0x00000023 in ??".
; From kernel mode ebp is left alone, so a trace goes on into the code the
; trap interrupted.

KERNEL_DS	equ 0x10
USER_DS		equ 0x23
TF_EBP		equ 24			; offsets in struct trapframe
TF_EIP		equ 56
TF_CS		equ 60
TF_EFLAGS	equ 64
TF_USER_ESP	equ 68

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
	test	byte [esp + TF_CS], 3	; from user mode?
	jz	.dispatch
	xor	ebp, ebp		; then backtraces end here (see the top)
.dispatch:
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

; ---- SYSENTER (arch/i386/sysenter.c explains the convention) ----------
;
; The CPU has loaded cs, ss, esp and eip from the MSRs and turned
; interrupts off.  The user's esp is in ebp; its ebp (the sixth argument)
; is on the user stack.  Build the frame int $0x80 would have built, with
; eip = the vDSO's return point, and share the rest of the path.

USER_CS		equ 0x1B
USER_TOP	equ 0xC0000000
EFLAGS_IF	equ 0x200

extern vdso_return_uva
global sysenter_entry
sysenter_entry:
	push	dword USER_DS		; user_ss
	push	ebp			; user_esp
	pushfd
	or	dword [esp], EFLAGS_IF	; user mode always runs with IF set
	push	dword USER_CS
	push	dword [vdso_return_uva]	; eip
	push	dword 0			; error
	push	dword 0x80		; vector: a system call
	pusha
	push	ds
	push	es
	push	fs
	push	gs
	ENSURE_FLAT ds
	ENSURE_FLAT es
	cld				; (syscall_dispatch turns interrupts on)
	mov	ecx, [esp + TF_USER_ESP]
	cmp	ecx, USER_TOP - 4
	ja	.no_arg6		; the syscall sees a junk sixth argument
.load_arg6:
	mov	ecx, [ecx]		; may fault: the exception table below
	mov	[esp + TF_EBP], ecx
.no_arg6:
	xor	ebp, ebp		; from user mode: backtraces end here
.dispatch:
	push	esp
	call	trap_dispatch
	add	esp, 4
	; Back by SYSEXIT only to where SYSENTER came from; a signal handler,
	; sigreturn or exec changed eip and needs every register: IRET.
	mov	eax, [vdso_return_uva]
	cmp	[esp + TF_EIP], eax
	jne	trap_return
	cmp	dword [esp + TF_CS], USER_CS
	jne	trap_return
	test	dword [esp + TF_EFLAGS], 0x100	; single-stepping: IRET
	jnz	trap_return
	RESTORE_SEG gs
	RESTORE_SEG fs
	RESTORE_SEG es
	RESTORE_SEG ds
	popa
	add	esp, 8			; vector, error
	mov	edx, [esp]		; eip for SYSEXIT (the vDSO restores edx)
	mov	ecx, [esp + 12]		; esp for SYSEXIT (and ecx)
	and	dword [esp + 8], ~EFLAGS_IF
	add	esp, 8			; eip, cs
	popfd				; the user's flags, IF still off ...
	sti				; ... on after the next instruction:
	sysexit				; no interrupt lands in between

section __ex_table
	dd	sysenter_entry.load_arg6, sysenter_entry.no_arg6

section .rodata
global trap_stubs
trap_stubs:
%assign v 0
%rep 48
	dd	trap_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits	; no executable stack
