/* drivers/ata.h - internals of the ATA driver (drivers/ata.c, ata_dma.c),
 * shared with its self-tests.  Not for other subsystems: they see disks only
 * through include/blkdev.h.
 *
 * Register and command names: ATA/ATAPI-6 (T13/1410D) §7 (registers) and §8
 * (commands); bus-master IDE: Intel 82371AB (PIIX4) datasheet §5.2 (the BMIDE
 * I/O registers) and the "Physical Region Descriptor" figure in its bus
 * master IDE function description.
 */
#ifndef WALNUT_DRIVERS_ATA_H
#define WALNUT_DRIVERS_ATA_H

#include <blkdev.h>
#include <spinlock.h>

/* Command block registers, offsets from 0x1F0 / 0x170 (ATA-6 §7, register
 * addressing table; each register has its own subsection of §7). */
#define ATA_REG_DATA		0
#define ATA_REG_ERROR		1	/* read */
#define ATA_REG_FEATURES	1	/* write */
#define ATA_REG_COUNT		2
#define ATA_REG_LBA0		3	/* LBA 7:0   (then 31:24 for LBA48) */
#define ATA_REG_LBA1		4	/* LBA 15:8  (then 39:32) */
#define ATA_REG_LBA2		5	/* LBA 23:16 (then 47:40) */
#define ATA_REG_DEVICE		6
#define ATA_REG_STATUS		7	/* read: also clears INTRQ */
#define ATA_REG_COMMAND		7	/* write */
/* Control block: 0x3F6 / 0x376 (ATA-6 §7, Alternate Status and Device
 * Control registers). */
#define ATA_REG_ALTSTATUS	0	/* read: status without clearing INTRQ */
#define ATA_REG_DEVCTL		0	/* write */

/* Status bits (ATA-6 §7, Status register). */
#define ATA_SR_ERR		0x01
#define ATA_SR_DRQ		0x08
#define ATA_SR_DF		0x20
#define ATA_SR_DRDY		0x40
#define ATA_SR_BSY		0x80

/* Device register (ATA-6 §7, Device register). */
#define ATA_DEV_OBS		0xA0	/* bits 7 and 5: obsolete, set by custom */
#define ATA_DEV_LBA		0x40
#define ATA_DEV_SLAVE		0x10	/* DEV bit: device 1 */

/* Device control (ATA-6 §7, Device Control register). */
#define ATA_CTL_NIEN		0x02	/* no interrupts */
#define ATA_CTL_HOB		0x80	/* read back the high-order LBA48 bytes */

/* Commands (ATA-6 §8, one subsection per command, in name order). */
#define ATA_CMD_READ_PIO	0x20	/* READ SECTOR(S) */
#define ATA_CMD_READ_PIO_EXT	0x24	/* READ SECTOR(S) EXT */
#define ATA_CMD_READ_DMA	0xC8	/* READ DMA */
#define ATA_CMD_READ_DMA_EXT	0x25	/* READ DMA EXT */
#define ATA_CMD_WRITE_PIO	0x30	/* WRITE SECTOR(S) */
#define ATA_CMD_WRITE_PIO_EXT	0x34	/* WRITE SECTOR(S) EXT */
#define ATA_CMD_WRITE_DMA	0xCA	/* WRITE DMA */
#define ATA_CMD_WRITE_DMA_EXT	0x35	/* WRITE DMA EXT */
#define ATA_CMD_IDENTIFY	0xEC	/* IDENTIFY DEVICE */

/* IDENTIFY DEVICE words (ATA-6 §8, IDENTIFY DEVICE, table 27). */
#define ID_CONFIG		0	/* bit 15: 1 = not an ATA device */
#define ID_MODEL		27	/* 40 ASCII chars, byte-swapped in words */
#define ID_MODEL_WORDS		20
#define ID_CAPS			49	/* bit 9: LBA supported */
#define ID_LBA28_SECTORS	60	/* words 60-61 */
#define ID_CMDSET2		83	/* bit 10: 48-bit address feature set */
#define ID_LBA48_SECTORS	100	/* words 100-103 */
#define ID_CAPS_LBA		(1u << 9)
#define ID_CMDSET2_LBA48	(1u << 10)
#define ID_CONFIG_NOT_ATA	(1u << 15)

/* Bus-master IDE registers, offsets from BAR4 + 8 * channel (PIIX4 §5.2). */
#define BM_REG_COMMAND		0	/* §5.2.1 BMICX */
#define BM_REG_STATUS		2	/* §5.2.2 BMISX */
#define BM_REG_PRDT		4	/* §5.2.3 BMIDTPX, 32 bits, 4-byte aligned */
#define BM_CHANNEL_STRIDE	8
#define BM_CMD_START		0x01	/* SSBM: start/stop bus master */
#define BM_CMD_TO_MEMORY	0x08	/* RWCON: 1 = bus master writes memory
					   (a disk read) */
#define BM_SR_ACTIVE		0x01	/* BMIDEA */
#define BM_SR_ERROR		0x02	/* PCI target/master abort; write 1 clears */
#define BM_SR_IRQ		0x04	/* IDEINTS; write 1 clears */

/* A Physical Region Descriptor (PIIX4, bus master IDE, "PRD Table Entry"). */
struct prd {
	uint32_t pa;		/* bit 0 must be 0; we keep 4-byte alignment */
	uint16_t count;		/* bytes, bit 0 zero; 0 means 64 KiB */
	uint16_t flags;		/* PRD_EOT on the last entry */
} __packed;
#define PRD_EOT			0x8000
#define PRD_MAX_BYTES		0x10000u	/* and no crossing of 64 KiB */
#define PRD_MAX_ENTRIES		(PAGE_SIZE / sizeof(struct prd))

#define LBA28_LIMIT		(1ull << 28)	/* first sector LBA28 cannot reach */
#define LBA28_MAX_COUNT		256		/* sectors per command */
#define LBA48_MAX_COUNT		65536

struct ata_channel;

struct ata_drive {
	struct ata_channel *ch;		/* [I] */
	unsigned int unit;		/* [I] 0 master, 1 slave */
	bool present;			/* [I] after probe */
	bool lba48;			/* [I] supports 48-bit commands */
	bool dma;			/* [I] requests go by bus-master DMA */
	char model[ID_MODEL_WORDS * 2 + 1];	/* [I] */
	struct disk disk;		/* [I] registered with the block layer */
};

/* Where a transfer is in the request's segment list. */
struct seg_cursor {
	unsigned int seg;		/* index into rq->segs */
	uint32_t off;			/* bytes into that segment */
};

struct ata_channel {
	const char *name;		/* [I] "primary" */
	uint16_t cmd_base, ctl_base;	/* [I] command and control blocks */
	uint16_t bm_base;		/* [I] bus-master registers, 0: none */
	unsigned int irq;		/* [I] */
	struct spinlock lock;
	struct list_head queue;		/* [lock] waiting blk_requests */
	struct blk_request *cur;	/* [lock] in flight, or NULL */
	struct ata_drive *cur_drive;	/* [lock] its drive */
	uint64_t cmd_sector;		/* [lock] first sector of the command */
	uint32_t cmd_count;		/* [lock] sectors in the command */
	uint32_t done_sectors;		/* [lock] of cur, finished commands */
	uint32_t pio_left;		/* [lock] sectors left in a PIO command */
	struct seg_cursor cursor;	/* [lock] where the next byte goes */
	struct prd *prdt;		/* [I] one page, see ata_dma.c */
	struct page *prdt_page;		/* [I] */
	struct ata_drive drives[2];
};

/* Counters the self-tests read: which path really ran. */
struct ata_stats {
	uint32_t pio_cmds, dma_cmds, lba48_cmds, errors;
};
extern struct ata_stats ata_stats;
extern struct ata_channel ata_channels[2];

/* ata.c */
uint8_t ata_altstatus(struct ata_channel *ch);
void ata_issue(struct ata_channel *ch, struct ata_drive *d, uint8_t cmd);
void ata_cmd_error(struct ata_channel *ch, uint8_t status, uint8_t bm_status);
bool ata_dma_requested(void);

/* ata_dma.c */
int ata_dma_init(struct ata_channel *ch, uint16_t bm_base);
int ata_prd_build(struct prd *prdt, unsigned int max, struct blk_request *rq,
		  struct seg_cursor *cur, uint32_t bytes);
int ata_dma_start(struct ata_channel *ch);
int ata_dma_finish(struct ata_channel *ch, uint8_t *bm_status);

#endif
