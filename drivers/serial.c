/*
 * drivers/serial.c - the 16550 UART on COM1: polled output, interrupt-driven
 * input.
 *
 * Owns: COM1 (I/O ports 0x3F8-0x3FF) and IRQ 4.
 * Interface: serial_init() once; serial_putc() anywhere (waits for the
 * transmit holding register, never sleeps); serial_getc() polls.
 * serial_rx_start() (from tty_init) turns on the receive interrupt, after
 * which every received byte goes to the console terminal
 * (tty_console_input) and serial_getc() must no longer be used.
 * Register names and bits: National Semiconductor PC16550D datasheet, §8.
 * Under QEMU this is the -serial device: the test harness reads it.
 */
#include <console.h>
#include <trap.h>
#include <tty.h>
#include <x86.h>

#define COM1		0x3F8
#define UART_RBR	0	/* receive buffer (read, DLAB=0) */
#define UART_THR	0	/* transmit holding (write, DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_IIR	2	/* interrupt identification (read) */
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
#define IER_RX_DATA	0x01	/* received data available (and the FIFO's
				   character timeout): datasheet §8.6.3 */
#define COM1_IRQ	4
#define RX_MAX_PER_IRQ	64	/* a 16-byte FIFO empties well within this */

#define UART_CLOCK	115200	/* divisor 1 = 115200 baud */
#define BAUD		115200

void serial_init(void)
{
	uint16_t divisor = UART_CLOCK / BAUD;

	outb(COM1 + UART_IER, 0);		/* serial_rx_start turns on input */
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

/* IRQ 4, interrupts off.  Reading RBR until LSR says the FIFO is empty
 * clears both "received data available" and the FIFO's timeout interrupt
 * (datasheet table IV), so the line drops and the next byte gives a fresh
 * edge to the edge-triggered PIC.  If bytes keep coming past the bound, the
 * line would stay up and never give that edge: turning the interrupt off
 * and on again makes one, which the PIC holds until our end-of-interrupt. */
static void serial_rx_irq(struct trapframe *tf __unused)
{
	for (unsigned int n = 0; n < RX_MAX_PER_IRQ && serial_can_read(); n++)
		tty_console_input(inb(COM1 + UART_RBR));
	if (serial_can_read()) {
		outb(COM1 + UART_IER, 0);
		outb(COM1 + UART_IER, IER_RX_DATA);
	}
}

void serial_rx_start(void)
{
	irq_register(COM1_IRQ, serial_rx_irq);
	(void)inb(COM1 + UART_IIR);		/* clear anything stale */
	while (serial_can_read())
		(void)inb(COM1 + UART_RBR);
	outb(COM1 + UART_IER, IER_RX_DATA);
}
