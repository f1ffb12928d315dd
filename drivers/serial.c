/*
 * drivers/serial.c - the 16550 UART on COM1, polled.
 *
 * Owns: COM1 (I/O ports 0x3F8-0x3FF).
 * Interface: serial_init() once; serial_putc() anywhere (waits for the
 * transmit holding register, never sleeps); serial_getc() polls.
 * Register names and bits: National Semiconductor PC16550D datasheet, §8.
 * Under QEMU this is the -serial device: the test harness reads it.
 */
#include <console.h>
#include <x86.h>

#define COM1		0x3F8
#define UART_RBR	0	/* receive buffer (read, DLAB=0) */
#define UART_THR	0	/* transmit holding (write, DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define LCR_8N1		0x03	/* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB	0x80	/* divisor latch access */
#define FCR_ENABLE	0x07	/* enable and clear both FIFOs */
#define MCR_DTR_RTS_OUT2 0x0B	/* OUT2 gates the IRQ line on PCs */
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

#define UART_CLOCK	115200	/* divisor 1 = 115200 baud */
#define BAUD		115200

void serial_init(void)
{
	uint16_t divisor = UART_CLOCK / BAUD;

	outb(COM1 + UART_IER, 0);			/* polled for now */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, divisor & 0xFF);
	outb(COM1 + UART_DLM, divisor >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void serial_put_raw(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_put_raw('\r');	/* terminals want CR LF */
	serial_put_raw(c);
}

bool serial_can_read(void)
{
	return inb(COM1 + UART_LSR) & LSR_DATA_READY;
}

char serial_getc(void)
{
	while (!serial_can_read())
		;
	return (char)inb(COM1 + UART_RBR);
}
