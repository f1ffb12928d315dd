/* include/kernel.h - printk, panic and assertions: what every file needs.
 *
 * printk() takes a Linux-style level prefix: printk(KERN_ERR "disk %d\n", n).
 * Messages go to the log ring always, and to the consoles (serial, VGA) when
 * their level is at or above the console threshold (loglevel= option).
 */
#ifndef WALNUT_KERNEL_H
#define WALNUT_KERNEL_H

#include <types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"	/* system is unusable */
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"	/* an operation failed */
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"	/* the default */
#define KERN_DEBUG	KERN_SOH "7"

#define WALNUT_VERSION	"0.2"

#define LOGLEVEL_DEFAULT 6	/* messages without a prefix get this level */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

void printk_set_console_level(int level);
size_t printk_log_read(char *buf, size_t size);	/* oldest first */

/* Halts after printing the message, the registers and a backtrace.  For a
 * broken kernel invariant only: name the invariant in the message. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/* For trap handlers: print the frame and a backtrace from it, then stop. */
struct trapframe;
void die(struct trapframe *tf) __noreturn;

/* panic() only: let it print even if the code that broke held printk's lock. */
void printk_break_lock(void);

/* Leave QEMU with an exit status (isa-debug-exit), else power off or halt. */
void power_off(int status) __noreturn;

#define assert(cond)							\
	do {								\
		if (unlikely(!(cond)))					\
			panic("assertion failed: %s (%s:%d, %s)",	\
			      #cond, __FILE__, __LINE__, __func__);	\
	} while (0)

/* Compile-time check. */
#define BUILD_ASSERT(cond) _Static_assert(cond, #cond)

#endif
