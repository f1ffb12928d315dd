; arch/i386/switch.asm - switching kernel stacks between tasks.
;
; switch_context(struct context **save, struct context *next)
;   Pushes the callee-saved registers (the C ABI lets the caller assume only
;   these survive a call) on the current kernel stack, stores that stack
;   pointer in *save, loads next as the stack pointer and pops the registers
;   it saved when it was switched out.  The "ret" then returns into whatever
;   called switch_context in that task -- or, for a task never run before,
;   into the eip its creator put in its struct context (kernel/sched.c):
;
;   task_first_return   a forked or new user task: its stack holds a trap
;                       frame right above the context; return to user mode
;                       through the normal trap exit.
;   kthread_start       a kernel thread: ebx = its function, esi = its
;                       argument; call it with interrupts on, and exit with
;                       what it returns.
;
; Called with interrupts off; struct context's layout (include/sched.h) is
; the order of the pops below.

section .text
extern trap_return
extern sched_finish_switch
extern kthread_exit

global switch_context
switch_context:
	mov	eax, [esp + 4]		; save
	mov	edx, [esp + 8]		; next
	push	ebp
	push	ebx
	push	esi
	push	edi
	mov	[eax], esp
	mov	esp, edx
	pop	edi
	pop	esi
	pop	ebx
	pop	ebp
	ret

global task_first_return
task_first_return:
	call	sched_finish_switch
	jmp	trap_return		; esp points at the task's trap frame

; enter_user(struct trapframe *tf): leave the kernel through tf, which is
; at the top of current's kernel stack; everything below it is dropped.
; For pid 1, whose first entry to user mode follows an exec in the kernel.
global enter_user
enter_user:
	mov	esp, [esp + 4]
	jmp	trap_return

global kthread_start
kthread_start:
	call	sched_finish_switch
	sti
	push	esi
	call	ebx
	push	eax
	call	kthread_exit		; does not return

section .note.GNU-stack noalloc noexec nowrite progbits
