; boot/higher_half.asm - the first instructions at the kernel's own
; addresses.  boot/entry.asm's _start jumps here once paging maps the higher
; half, with ESI = the multiboot magic and EBX = the physical address of the
; multiboot information; this sets up the boot stack and calls
; kmain(magic, mbi_pa), which never returns.  (A file of its own: see the
; end of entry.asm's opening comment.)

section .text
global higher_half
extern kmain, boot_stack_top
higher_half:
	mov	esp, boot_stack_top
	xor	ebp, ebp			; ends the backtrace chain
	push	ebx				; mbi_pa
	push	esi				; magic
	call	kmain
.hang:	cli
	hlt
	jmp	.hang

section .note.GNU-stack noalloc noexec nowrite progbits	; no executable stack
