/*
 * sigreturn.S - __walnut_sigreturn, the restorer every handler returns to.
 *
 * sigaction() installs handlers with SA_RESTORER and this address, so the
 * kernel need not write code onto the user stack.  When the handler (our
 * dispatcher in signal.c) returns, it pops this address; esp then points
 * into the signal frame the kernel built, and rt_sigreturn (173) restores
 * the registers and signal mask saved there.  Nothing may be pushed first:
 * the kernel finds the frame from esp.
 */
	.text
	.globl	__walnut_sigreturn
	.type	__walnut_sigreturn, @function
__walnut_sigreturn:
	movl	$173, %eax		/* SYS_rt_sigreturn */
	int	$0x80
	ud2				/* not reached */
	.size	__walnut_sigreturn, . - __walnut_sigreturn

	.section .note.GNU-stack, "", @progbits
