/* include/proc.h - processes: the process table, fork, exec, exit, wait
 * (kernel/proc.c, kernel/exit.c, fs/exec.c).
 *
 * Interface:
 *   proc_start_init(path, argv)   pid 1, from kmain
 *   do_fork(tf)                    a copy of current; the child returns 0
 *   do_execve(path, argv, envp)    replace current's program
 *   do_exit(status)                never returns; status is a wait status
 *   do_wait4(pid, ustatus, options) reap a child
 *   task_by_pid(pid)               NULL if none
 *   for_each_task(fn, arg)         every task in the table, in pid order
 *
 * Parent/child links, pgid and sid are guarded by interrupts being off
 * (uniprocessor).  Orphans are re-parented to init (pid 1).  When init
 * exits, the kernel kills every other process, checks that the free-page
 * count is back where it was before init started, and powers off with
 * init's exit status (the test harness relies on this).
 */
#ifndef WALNUT_PROC_H
#define WALNUT_PROC_H

#include <sched.h>
#include <types.h>

/* wait4 options and statuses, Linux values. */
#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WCONTINUED	0x00000008
#define W_EXITCODE(code, sig)	(((code) & 0xff) << 8 | ((sig) & 0x7f))
#define W_STOPCODE(sig)		(((sig) & 0xff) << 8 | 0x7f)
#define W_CONTINUED		0xffff

#define ARG_MAX		(128u * 1024)	/* bytes of argv + envp strings */

extern struct task *init_task;		/* pid 1 */

struct trapframe;

int proc_start_init(const char *path, char *const argv[]);
void proc_note_free_pages(void);	/* the leak check's baseline */
int do_fork(struct trapframe *tf);
int exec_kernel_argv(const char *path, char *const argv[]);	/* fs/exec.c */
void __noreturn enter_user(struct trapframe *tf);	/* switch.asm */
int console_open_for_init(struct task *t);	/* fs/fd.c: fds 0, 1, 2 */
void __noreturn do_exit(int wait_status);
int do_wait4(pid_t pid, int *ustatus, int options, void *urusage);
struct task *task_by_pid(pid_t pid);
int for_each_task(int (*fn)(struct task *t, void *arg), void *arg);
int pid_alloc_slot(struct task *t);
void proc_release(struct task *t);

/* fs/exec.c: load an ELF file into a fresh mm (used by do_execve). */
struct elf_image {
	uint32_t entry;
	uint32_t phdr_uva, phnum, phent;	/* for the auxiliary vector */
	uint32_t brk_start;
};
struct inode;
struct mm;
int elf_load(struct inode *inode, struct mm *mm, struct elf_image *img);

#endif
