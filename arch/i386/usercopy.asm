; arch/i386/usercopy.asm - the only instructions that touch user memory.
;
; Each instruction that may fault on a user address has an entry in the
; exception table (section __ex_table: pairs of "instruction, fix-up"),
; which linker.ld gathers between __extable_start and __extable_end.  When a
; page fault in kernel mode hits a user address the fault handler cannot
; resolve, mm/fault.c: page_fault looks the faulting eip up
; (kernel/uaccess.c: extable_fixup) and resumes at the fix-up, which returns
; how much was left undone.  The callers (kernel/uaccess.c) have checked the
; range with access_ok first, so only user addresses get here.
;
;   size_t __copy_user(void *dst, const void *src, size_t n)
;       returns the number of bytes NOT copied (0: all done), exactly: it
;       stops at the first byte it cannot reach, so read(2) and write(2)
;       can report a short transfer to the byte, as Linux does
;   size_t __clear_user(void *dst, size_t n)
;       returns the number of bytes NOT zeroed
;   long __strncpy_user(char *dst, const char *src, size_t n)
;       copies up to and including a NUL, at most n bytes; returns the
;       string's length if a NUL was copied, n if none was found, -1 on a
;       fault

%macro EXTABLE 2
section __ex_table
	dd	%1, %2
section .text
%endmacro

section .text

global __copy_user
__copy_user:
	push	esi
	push	edi
	mov	edi, [esp + 12]
	mov	esi, [esp + 16]
	mov	ecx, [esp + 20]
	mov	edx, ecx
	shr	ecx, 2			; whole dwords first
.dwords:
	rep movsd
	mov	ecx, edx
	and	ecx, 3
.bytes:
	rep movsb
	xor	eax, eax
	jmp	.out
.fix_dwords:				; ecx dwords and (edx & 3) bytes left:
	and	edx, 3			; finish byte by byte, so the copy stops
	lea	ecx, [edx + ecx * 4]	; at the first bad byte, not at the
	jmp	.bytes			; start of the dword that held it
.fix_bytes:
	mov	eax, ecx
.out:
	pop	edi
	pop	esi
	ret
	EXTABLE	.dwords, .fix_dwords
	EXTABLE	.bytes, .fix_bytes

global __clear_user
__clear_user:
	push	edi
	mov	edi, [esp + 8]
	mov	ecx, [esp + 12]
	xor	eax, eax
.stos:
	rep stosb
	xor	eax, eax
	pop	edi
	ret
.fix_stos:
	mov	eax, ecx
	pop	edi
	ret
	EXTABLE	.stos, .fix_stos

global __strncpy_user
__strncpy_user:
	push	esi
	push	edi
	mov	edi, [esp + 12]
	mov	esi, [esp + 16]
	mov	ecx, [esp + 20]
	xor	edx, edx
.next:
	cmp	edx, ecx
	je	.full
.load:
	mov	al, [esi + edx]
	mov	[edi + edx], al
	test	al, al
	jz	.done
	inc	edx
	jmp	.next
.done:
	mov	eax, edx
	jmp	.ret
.full:
	mov	eax, ecx
	jmp	.ret
.fault:
	mov	eax, -1
.ret:
	pop	edi
	pop	esi
	ret
	EXTABLE	.load, .fault

section .note.GNU-stack noalloc noexec nowrite progbits
