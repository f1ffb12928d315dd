/*
 * kernel/printk.c - printk: formatted messages to the log ring and consoles.
 *
 * Every message is kept in log_ring (the newest LOG_RING_SIZE bytes, without
 * level prefixes) so that a later dmesg, and panic, can show it; it reaches
 * the consoles when its level is at or above console_level, which the
 * loglevel= option sets (like Linux: a message shows when its level number is
 * below loglevel).
 *
 * Locks: printk_lock (spin, interrupts off) makes each message whole on the
 * console and in the ring.  panic() may call printk with it held by the
 * interrupted code: see printk_break_lock().
 */
#include <console.h>
#include <kernel.h>
#include <spinlock.h>
#include <string.h>

#define LOG_RING_SIZE	16384
#define PRINTK_MAX	512	/* longest single message; longer ones are cut */

static char log_ring[LOG_RING_SIZE];
static size_t log_head;			/* total bytes ever written */
static int console_loglevel = 7;	/* as Linux: all but KERN_DEBUG */
static struct spinlock printk_lock = SPINLOCK_INIT("printk");

void printk_set_console_level(int level)
{
	console_loglevel = level;
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_ring[(log_head + i) % LOG_RING_SIZE] = s[i];
	log_head += n;
}

/* Copy the ring, oldest byte first, into buf; returns the bytes copied. */
size_t printk_log_read(char *buf, size_t size)
{
	size_t have = log_head < LOG_RING_SIZE ? log_head : LOG_RING_SIZE;
	size_t start = log_head - have;
	size_t n = have < size ? have : size;

	spin_lock(&printk_lock);
	for (size_t i = 0; i < n; i++)
		buf[i] = log_ring[(start + have - n + i) % LOG_RING_SIZE];
	spin_unlock(&printk_lock);
	return n;
}

/* Split off a KERN_* prefix: returns the level, advances *fmt past it. */
static int take_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == KERN_SOH[0] && f[1] >= '0' && f[1] <= '7') {
		*fmt = f + 2;
		return f[1] - '0';
	}
	return LOGLEVEL_DEFAULT;
}

int vprintk(const char *fmt, va_list ap)
{
	char msg[PRINTK_MAX];
	int level = take_level(&fmt);
	int len = vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = (size_t)len < sizeof(msg) ? (size_t)len : sizeof(msg) - 1;

	spin_lock(&printk_lock);
	log_store(msg, n);
	if (level < console_loglevel)
		console_write(msg, n);
	spin_unlock(&printk_lock);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* For panic only: if the code that panicked held printk_lock, drop it so the
 * panic message still gets out.  Safe because panic never returns. */
void printk_break_lock(void)
{
	printk_lock.locked = false;
}
