/* include/console.h - the kernel's output devices: COM1 and VGA text.
 *
 * console_write() sends bytes to every registered console; printk is its
 * only ordinary caller.  Both drivers are polled and never sleep, so printk
 * works anywhere, including with interrupts off and inside panic.
 */
#ifndef WALNUT_CONSOLE_H
#define WALNUT_CONSOLE_H

#include <types.h>

void serial_init(void);
void serial_putc(char c);
bool serial_can_read(void);
char serial_getc(void);		/* waits for a byte */

#define VGA_TEXT_PA	0xB8000	/* the 80x25 text buffer */
#define VGA_COLS	80
#define VGA_ROWS	25

void vga_init(void);
void vga_putc(char c);

void console_init(void);
void console_write(const char *s, size_t n);

#endif
