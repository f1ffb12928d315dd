; boot/entry.asm - the multiboot header and the first instructions Walnut runs.
;
; GRUB (or QEMU's -kernel) loads the ELF at 1 MiB physical and jumps to
; _start with paging off, EAX = multiboot magic, EBX = physical address of
; the multiboot information (Multiboot Specification 0.6.96, section 3.2).
;
; _start sits in .boot, linked at its physical address; everything else is
; linked at KERNEL_BASE + physical, so until paging is on this code converts
; those addresses with (symbol - KERNEL_BASE).  We load
; boot_pgdir, which maps low memory twice with 4 MiB pages:
;   virtual 0x00000000-0x003FFFFF -> physical 0-4 MiB   (the "identity" map,
;                                    needed only for the jump below)
;   virtual 0xC0000000-0xF7FFFFFF -> physical 0-896 MiB (the kernel's map)
; then jump to the higher half, boot/higher_half.asm, which calls
; kmain(magic, mbi_pa).  mem_init() later replaces boot_pgdir with 4 KiB page
; tables and drops the identity map.
;
; Why two files: nasm writes one DWARF compilation unit per file, whose
; address range (DW_AT_low_pc, high_pc) covers only its first code section.
; gdb, finding higher_half's address in the unit's line table but outside
; that range, printed "Internal error: pc ... in read in CU, but not in
; symtab" at every stop.  One code section per file keeps the two apart.

KERNEL_BASE	equ 0xC0000000
LOWMEM_PDES	equ 224			; 896 MiB / 4 MiB

MB_MAGIC	equ 0x1BADB002		; spec 3.1.1
MB_PAGE_ALIGN	equ 1 << 0		; load modules on page boundaries
MB_MEMINFO	equ 1 << 1		; give us mem_* and the memory map
MB_FLAGS	equ MB_PAGE_ALIGN | MB_MEMINFO

PDE_PRESENT	equ 1 << 0		; Intel SDM vol. 3 table 4-5
PDE_WRITE	equ 1 << 1
PDE_4MB		equ 1 << 7		; PS: maps a 4 MiB page
CR0_WP		equ 1 << 16
CR0_PG		equ 1 << 31
CR4_PSE		equ 1 << 4

BOOT_STACK_SIZE	equ 16384

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .boot.text progbits alloc exec nowrite align=16
global _start
extern higher_half
_start:
	cli
	mov	esi, eax			; keep the magic for kmain
	mov	eax, cr4
	or	eax, CR4_PSE
	mov	cr4, eax
	mov	eax, boot_pgdir - KERNEL_BASE
	mov	cr3, eax
	mov	eax, cr0
	or	eax, CR0_PG | CR0_WP
	mov	cr0, eax
	mov	eax, higher_half		; an absolute, higher-half address
	jmp	eax				; esi = magic, ebx = mbi_pa

section .data
align 4096
global boot_pgdir
boot_pgdir:
	dd	0 | PDE_PRESENT | PDE_WRITE | PDE_4MB	; identity: first 4 MiB
	times	(KERNEL_BASE >> 22) - 1 dd 0
%assign i 0
%rep LOWMEM_PDES
	dd	(i << 22) | PDE_PRESENT | PDE_WRITE | PDE_4MB
%assign i i + 1
%endrep
	times	1024 - (KERNEL_BASE >> 22) - LOWMEM_PDES dd 0

section .bss
align 16
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	resb	BOOT_STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits	; no executable stack
