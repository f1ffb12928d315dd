/* include/ata.h - the IDE/ATA disk driver (drivers/ata.c).
 *
 * ata_init() finds the PCI IDE controller, probes both legacy channels and
 * registers each ATA disk with the block layer as hda..hdd (primary master,
 * primary slave, secondary master, secondary slave).  Call it once, after
 * pci_init() and with interrupts on: it reads each disk's partition table.
 * Disks are then used through include/blkdev.h only.  ata=pio on the command
 * line turns bus-master DMA off.
 */
#ifndef WALNUT_ATA_H
#define WALNUT_ATA_H

void ata_init(void);

#endif
