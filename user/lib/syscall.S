/*
 * syscall.S - long syscall(long number, ...): any Linux system call by
 * number, with up to six arguments (<sys/syscall.h>).
 *
 * Assembly, because the sixth argument goes in ebp, which C code cannot give
 * to an asm statement while it may be the frame pointer, and because the
 * arguments are read off the stack whether or not the caller passed all six
 * (reading unpassed variadic arguments in C is undefined; here it is just a
 * load from the caller's frame).  Errors come back as -1 with errno set to
 * newlib's number (glue.h: __walnut_set_errno).
 */
	.text
	.globl	syscall
	.type	syscall, @function
syscall:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	20(%esp), %eax		/* number; 16 bytes pushed + return */
	movl	24(%esp), %ebx
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	movl	44(%esp), %ebp
	call	*__walnut_vsyscall	/* glue.h: the vDSO, or int $0x80 */
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	cmpl	$-4095, %eax		/* -4095 ... -1: an error */
	jae	1f
	ret
1:	negl	%eax
	subl	$8, %esp		/* keep the 16-byte alignment */
	pushl	%eax
	call	__walnut_set_errno	/* returns -1 */
	addl	$12, %esp
	ret
	.size	syscall, . - syscall

/* The fallback trap when the kernel offers no vDSO entry (start.c). */
	.globl	__walnut_int80
	.type	__walnut_int80, @function
__walnut_int80:
	int	$0x80
	ret
	.size	__walnut_int80, . - __walnut_int80

	.data
	.globl	__walnut_vsyscall
	.align	4
__walnut_vsyscall:
	.long	__walnut_int80

	.section .note.GNU-stack, "", @progbits
