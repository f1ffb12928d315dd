/*
 * drivers/console.c - fans kernel output out to every console.
 *
 * Owns: the list of output devices (COM1, then VGA text).
 * Interface: console_init() once, before the first printk that matters;
 * console_write() from printk only.  Output before console_init is lost.
 */
#include <console.h>

static bool console_ready;

void console_init(void)
{
	serial_init();
	vga_init();
	console_ready = true;
}

void console_write(const char *s, size_t n)
{
	if (!console_ready)
		return;
	for (size_t i = 0; i < n; i++) {
		serial_putc(s[i]);
		vga_putc(s[i]);
	}
}
