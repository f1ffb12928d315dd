/* include/ptrace.h - process tracing (kernel/ptrace.c): ptrace(2) with
 * Linux's requests, numbers and errnos, and the hooks the rest of the
 * kernel calls.
 *
 * A traced task (task->tracer set) stops for its tracer on every signal
 * delivered to it but SIGKILL; the tracer's wait4 reports the stop (even
 * without WUNTRACED) and PTRACE_CONT resumes it with the signal to deliver
 * instead (0: none).  Its memory is read and written through the walker
 * (access_process_vm with WALK_FORCE).  Fields: include/sched.h, [p].
 */
#ifndef WALNUT_PTRACE_H
#define WALNUT_PTRACE_H

#include <types.h>

/* Requests, Linux values (<sys/ptrace.h>). */
#define PTRACE_TRACEME		0
#define PTRACE_PEEKTEXT		1
#define PTRACE_PEEKDATA		2
#define PTRACE_POKETEXT		4
#define PTRACE_POKEDATA		5
#define PTRACE_CONT		7
#define PTRACE_KILL		8
#define PTRACE_ATTACH		16
#define PTRACE_DETACH		17

struct task;

/* signal_deliver, for a traced current about to act on sig: stop for the
 * tracer.  Return: the signal to act on now (the tracer's choice), or 0. */
int ptrace_signal_stop(int sig);
/* exec's point of no return: a traced task gets SIGTRAP (Linux). */
void ptrace_exec_notify(void);
/* do_exit of current: detach its tracees (continuing stopped ones), and
 * tell its own tracer it is going (its wait4 collects the status). */
void ptrace_exit(void);
/* Who hears of t's stops and continues: its tracer, else its parent. */
struct task *ptrace_reports_to(const struct task *t);

#endif
