/*
 * arch/i386/pic.c - the two cascaded 8259A interrupt controllers.
 *
 * The BIOS leaves IRQs 0-7 on vectors 8-15, on top of CPU exceptions, so
 * pic_init() moves IRQ 0-15 to vectors 32-47 and masks every line but the
 * cascade (IRQ 2); irq_register() unmasks a line when it gets a handler.
 * Command words: Intel 8259A datasheet, "Initialization Command Words" and
 * "Operation Command Words".
 */
#include <trap.h>
#include <x86.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1

#define ICW1_INIT_ICW4	0x11	/* edge-triggered, cascaded, ICW4 follows */
#define ICW4_8086	0x01
#define OCW2_EOI	0x20	/* non-specific end of interrupt */
#define OCW3_READ_ISR	0x0B
#define CASCADE_IRQ	2

static uint16_t irq_mask = 0xFFFF & ~(1u << CASCADE_IRQ);

static void write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xFF);
	outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4); io_delay();
	outb(PIC2_CMD, ICW1_INIT_ICW4); io_delay();
	outb(PIC1_DATA, IRQ_BASE); io_delay();		/* ICW2: vector base */
	outb(PIC2_DATA, IRQ_BASE + 8); io_delay();
	outb(PIC1_DATA, 1u << CASCADE_IRQ); io_delay();	/* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, CASCADE_IRQ); io_delay();	/* ICW3: slave's identity */
	outb(PIC1_DATA, ICW4_8086); io_delay();
	outb(PIC2_DATA, ICW4_8086); io_delay();
	write_mask();
}

void pic_unmask(unsigned int irq)
{
	irq_mask &= (uint16_t)~(1u << irq);
	write_mask();
}

void pic_mask(unsigned int irq)
{
	irq_mask |= (uint16_t)(1u << irq);
	write_mask();
}

/* IRQ 7 and 15 can fire with nothing in service (a glitch on the line); such a
 * spurious interrupt must not be acknowledged, except at the master for 15. */
bool pic_is_spurious(unsigned int irq)
{
	uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;

	if (irq != 7 && irq != 15)
		return false;
	outb(cmd, OCW3_READ_ISR);
	if (inb(cmd) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC1_CMD, OCW2_EOI);
	return true;
}

void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}
