/*
 * drivers/pci.c - PCI enumeration and configuration space access.
 *
 * Owns: ports 0xCF8 (CONFIG_ADDRESS) and 0xCFC (CONFIG_DATA), configuration
 * mechanism #1 (PCI Local Bus Specification 2.1, §3.7.4.1), and the table of
 * functions found at boot.
 * Interface: include/pci.h.  pci_init() scans bus 0..255, device 0..31 and,
 * for multi-function devices (header type bit 7), function 0..7, and prints
 * one line per function found.
 * Invariants: pci_devs[0..nr_pci_devs) is filled once by pci_init and never
 * changes afterwards.
 * Locks: none.  An address/data pair must not be interleaved with another, so
 * each access runs with interrupts off (one CPU: that is enough).
 * Nothing here sleeps.
 */
#include <kernel.h>
#include <pci.h>
#include <x86.h>

#define PCI_CONFIG_ADDRESS	0xCF8
#define PCI_CONFIG_DATA		0xCFC
#define PCI_CONFIG_ENABLE	0x80000000u	/* bit 31 of CONFIG_ADDRESS */

#define PCI_MAX_BUS		256
#define PCI_MAX_DEV		32
#define PCI_MAX_FN		8
#define PCI_MAX_DEVS		64	/* functions we remember */

static struct pci_dev pci_devs[PCI_MAX_DEVS];	/* [I] after pci_init */
static unsigned int nr_pci_devs;

static uint32_t config_address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	return PCI_CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)dev << 11 |
	       (uint32_t)fn << 8 | (off & 0xFC);
}

static uint32_t raw_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	bool was_on = irq_save();
	uint32_t v;

	outl(PCI_CONFIG_ADDRESS, config_address(bus, dev, fn, off));
	v = inl(PCI_CONFIG_DATA);
	irq_restore(was_on);
	return v;
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	return raw_read32(d->bus, d->dev, d->fn, off);
}

uint16_t pci_read16(const struct pci_dev *d, uint8_t off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, uint8_t off)
{
	return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	bool was_on = irq_save();

	outl(PCI_CONFIG_ADDRESS, config_address(d->bus, d->dev, d->fn, off));
	outl(PCI_CONFIG_DATA, v);
	irq_restore(was_on);
}

/* A 16-bit write through the dword port: read, merge, write back. */
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	unsigned int shift = (off & 2) * 8;
	uint32_t old = pci_read32(d, off);

	old &= ~(0xFFFFu << shift);
	pci_write32(d, off, old | (uint32_t)v << shift);
}

/* The I/O port base of BAR n, or 0 if it is not an assigned I/O BAR. */
uint16_t pci_bar_io(const struct pci_dev *d, unsigned int bar)
{
	uint32_t v;

	if (bar > 5)
		return 0;
	v = pci_read32(d, (uint8_t)(PCI_BAR0 + 4 * bar));
	if (!(v & PCI_BAR_IO))
		return 0;
	return (uint16_t)(v & PCI_BAR_IO_MASK);
}

void pci_enable_bus_master(const struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	pci_write16(d, PCI_COMMAND, cmd | PCI_CMD_IO | PCI_CMD_MASTER);
}

struct pci_dev *pci_find_class(uint8_t class, uint8_t subclass,
			       struct pci_dev *from)
{
	unsigned int i = from ? (unsigned int)(from - pci_devs) + 1 : 0;

	for (; i < nr_pci_devs; i++)
		if (pci_devs[i].class == class && pci_devs[i].subclass == subclass)
			return &pci_devs[i];
	return NULL;
}

/* Record one function, if something answers there; true if it does. */
static bool probe_function(uint8_t bus, uint8_t dev, uint8_t fn)
{
	uint32_t id = raw_read32(bus, dev, fn, PCI_VENDOR_ID);
	uint32_t cls = raw_read32(bus, dev, fn, PCI_CLASS_REV);
	struct pci_dev *d;

	if ((id & 0xFFFF) == 0xFFFF)
		return false;
	printk("pci %02x:%02x.%u %04x:%04x class %02x%02x%02x\n", bus, dev, fn,
	       id & 0xFFFF, id >> 16, cls >> 24, (cls >> 16) & 0xFF,
	       (cls >> 8) & 0xFF);
	if (nr_pci_devs == PCI_MAX_DEVS) {
		printk(KERN_WARNING "pci: table full, %02x:%02x.%u ignored\n",
		       bus, dev, fn);
		return true;
	}
	d = &pci_devs[nr_pci_devs++];
	*d = (struct pci_dev){ .bus = bus, .dev = dev, .fn = fn,
			       .vendor = (uint16_t)id, .device = (uint16_t)(id >> 16),
			       .class = (uint8_t)(cls >> 24),
			       .subclass = (uint8_t)(cls >> 16),
			       .prog_if = (uint8_t)(cls >> 8) };
	return true;
}

static void probe_device(uint8_t bus, uint8_t dev)
{
	uint8_t header;

	if (!probe_function(bus, dev, 0))
		return;
	header = (uint8_t)(raw_read32(bus, dev, 0, PCI_HEADER_TYPE) >> 16);
	if (!(header & PCI_HEADER_MULTIFUNC))
		return;
	for (uint8_t fn = 1; fn < PCI_MAX_FN; fn++)
		probe_function(bus, dev, fn);
}

void pci_init(void)
{
	for (unsigned int bus = 0; bus < PCI_MAX_BUS; bus++)
		for (uint8_t dev = 0; dev < PCI_MAX_DEV; dev++)
			probe_device((uint8_t)bus, dev);
	printk("pci: %u functions\n", nr_pci_devs);
}
