/*
 * crt0.S - _start, where every Walnut program begins.
 *
 * execve leaves the System V i386 process stack (docs/userspace.md draws it):
 *
 *	esp ->	argc
 *		argv[0] ... argv[argc-1], NULL
 *		envp[0] ... NULL
 *		auxv: (type, value) pairs ..., AT_NULL
 *
 * and every other register undefined.  _start only does what C cannot: it
 * zeroes ebp, so a backtrace knows this is the outermost frame, aligns the
 * stack to 16 bytes (what gcc's code expects at a call), and hands the
 * address of argc to __walnut_start (start.c), which never returns.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp
	movl	%esp, %eax
	andl	$-16, %esp
	subl	$12, %esp		/* with the push: 16-aligned at the call */
	pushl	%eax
	call	__walnut_start
	ud2				/* not reached */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
