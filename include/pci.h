/* include/pci.h - the PCI bus, through configuration mechanism #1
 * (drivers/pci.c).
 *
 * Interface, in the order a driver meets it:
 *   pci_init()                        once at boot: enumerate and list devices
 *   pci_find_class(class, sub, from)  next device of that class after `from`
 *                                     (NULL: the first), or NULL
 *   pci_read32/16/8, pci_write32/16   configuration space of one function
 *   pci_bar_io(dev, n)                I/O port base of BAR n, or 0
 *   pci_enable_bus_master(dev)        command register: I/O, memory, master
 *
 * A struct pci_dev is found once and never freed: pointers stay valid.
 * Configuration header layout: PCI Local Bus Specification 2.1, §6.1.
 */
#ifndef WALNUT_PCI_H
#define WALNUT_PCI_H

#include <types.h>

/* Configuration header offsets (PCI 2.1 §6.1, type 0 header). */
#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xFFFF: no function here */
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04	/* 16 bits, §6.2.2 */
#define PCI_CLASS_REV		0x08	/* class, subclass, prog-if, revision */
#define PCI_HEADER_TYPE		0x0E	/* bit 7: multi-function device */
#define PCI_BAR0		0x10	/* BAR n at 0x10 + 4n, §6.2.5 */

#define PCI_CMD_IO		0x0001	/* respond to I/O space accesses */
#define PCI_CMD_MEMORY		0x0002	/* respond to memory space accesses */
#define PCI_CMD_MASTER		0x0004	/* may act as a bus master (DMA) */

#define PCI_HEADER_MULTIFUNC	0x80
#define PCI_BAR_IO		0x1	/* bit 0 of a BAR: I/O space */
#define PCI_BAR_IO_MASK		0xFFFFFFFCu

#define PCI_CLASS_STORAGE	0x01
#define PCI_SUBCLASS_IDE	0x01

struct pci_dev {
	uint8_t bus, dev, fn;		/* [I] */
	uint16_t vendor, device;	/* [I] */
	uint8_t class, subclass, prog_if;	/* [I] */
};

void pci_init(void);
struct pci_dev *pci_find_class(uint8_t class, uint8_t subclass,
			       struct pci_dev *from);
uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
uint8_t pci_read8(const struct pci_dev *d, uint8_t off);
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);
uint16_t pci_bar_io(const struct pci_dev *d, unsigned int bar);
void pci_enable_bus_master(const struct pci_dev *d);

#endif
