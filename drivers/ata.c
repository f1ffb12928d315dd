/*
 * drivers/ata.c - IDE/ATA disks on the PIIX3/PIIX4 legacy channels: probe,
 * the per-channel request queue, PIO transfers and the interrupt handler.
 * Bus-master DMA lives in drivers/ata_dma.c; shared internals in
 * drivers/ata.h.  Registers and commands: ATA/ATAPI-6 §7 and §8.
 *
 * Owns: ports 0x1F0-0x1F7/0x3F6 (IRQ 14) and 0x170-0x177/0x376 (IRQ 15), the
 * ata_channels[] and the disks on them.
 * Interface: ata_init() (include/ata.h) at boot; then only the block layer
 * calls in, through disk->ops->submit (ata_submit).
 * Life of a request: ata_submit queues it on its channel (ch->queue); if the
 * channel is idle, ata_start_next makes it ch->cur and issues a command for
 * up to 256 sectors (LBA28) or the whole request (LBA48).  Each interrupt
 * moves one PIO sector, or ends a DMA command; when all sectors are done (or
 * on an error) the request goes to ch->done and, with the lock dropped,
 * blk_complete() runs.  One command in flight per channel.
 * Invariants: ch->cur is not on ch->queue; ch->cur_drive is the drive of
 * ch->cur; ch->done_sectors <= cur->nr_sectors; the cursor points at byte
 * done_sectors * 512 of cur (plus the PIO sectors of the running command).
 * Locks: ch->lock (spin, per channel) guards the queue and the in-flight
 * state; taken in ata_submit and in the IRQ handler.  Nothing else is taken
 * under it but printk_lock (error lines).  blk_complete runs without it.
 * Sleeps: never, except ata_init (through disk_register).  There is no
 * command timeout yet: a drive that never interrupts hangs its waiter.
 */
#include <ata.h>
#include <cmdline.h>
#include <errno.h>
#include <kernel.h>
#include <pci.h>
#include <string.h>
#include <trap.h>
#include <x86.h>
#include "ata.h"

#define ATA_PRIMARY_IRQ		14
#define ATA_SECONDARY_IRQ	15
#define PCI_IDE_PROGIF_BUSMASTER 0x80	/* prog-if bit 7: bus master capable */
#define PCI_IDE_BMIDE_BAR	4	/* BMIBA, config offset 20h (PIIX4,
					   IDE function configuration) */

/* Bounded polls (probe, and the first PIO write block, which the protocol
 * hands over without an interrupt): alternate-status reads, each about
 * 1 us on real hardware, so roughly one second. */
#define ATA_POLL_LIMIT		1000000

struct ata_channel ata_channels[2] = {
	{ .name = "primary", .cmd_base = 0x1F0, .ctl_base = 0x3F6,
	  .irq = ATA_PRIMARY_IRQ, .lock = SPINLOCK_INIT("ata primary") },
	{ .name = "secondary", .cmd_base = 0x170, .ctl_base = 0x376,
	  .irq = ATA_SECONDARY_IRQ, .lock = SPINLOCK_INIT("ata secondary") },
};
struct ata_stats ata_stats;
static struct list_head done_lists[2];	/* [ch->lock] finished requests */

static inline void insw(uint16_t port, void *dst, size_t words)
{
	__asm__ volatile("cld; rep insw" : "+D"(dst), "+c"(words) : "d"(port)
			 : "memory");
}

static inline void outsw(uint16_t port, const void *src, size_t words)
{
	__asm__ volatile("cld; rep outsw" : "+S"(src), "+c"(words) : "d"(port)
			 : "memory");
}

bool ata_dma_requested(void)
{
	const char *mode = cmdline_get("ata");

	return !(mode && strcmp(mode, "pio") == 0);
}

uint8_t ata_altstatus(struct ata_channel *ch)
{
	return inb(ch->ctl_base + ATA_REG_ALTSTATUS);
}

/* Poll until (status & mask) == want; bounded.  Returns the status, or -1. */
static int ata_poll(struct ata_channel *ch, uint8_t mask, uint8_t want)
{
	for (int i = 0; i < ATA_POLL_LIMIT; i++) {
		uint8_t s = ata_altstatus(ch);

		if ((s & mask) == want)
			return s;
	}
	return -1;
}

/* Select a drive.  ATA-6 §7 (Device register): the host waits 400 ns before
 * it trusts the status; four alternate-status reads take at least that. */
static void ata_select(struct ata_channel *ch, unsigned int unit, uint8_t lba_hi)
{
	outb(ch->cmd_base + ATA_REG_DEVICE,
	     ATA_DEV_OBS | ATA_DEV_LBA | (unit ? ATA_DEV_SLAVE : 0) | lba_hi);
	for (int i = 0; i < 4; i++)
		ata_altstatus(ch);
}

/* ata_issue - write the task file for ch->cmd_sector/cmd_count and send cmd.
 * LBA48 (the EXT commands) writes each register twice, high byte first.
 * Context: ch->lock held, or probe time. */
void ata_issue(struct ata_channel *ch, struct ata_drive *d, uint8_t cmd)
{
	uint64_t lba = ch->cmd_sector;
	uint32_t n = ch->cmd_count;
	uint16_t base = ch->cmd_base;
	bool ext = lba + n > LBA28_LIMIT;

	ata_select(ch, d->unit, ext ? 0 : (uint8_t)((lba >> 24) & 0x0F));
	if (ext) {
		outb(base + ATA_REG_COUNT, (uint8_t)(n >> 8));
		outb(base + ATA_REG_LBA0, (uint8_t)(lba >> 24));
		outb(base + ATA_REG_LBA1, (uint8_t)(lba >> 32));
		outb(base + ATA_REG_LBA2, (uint8_t)(lba >> 40));
		ata_stats.lba48_cmds++;
	}
	outb(base + ATA_REG_COUNT, (uint8_t)n);		/* 256 (LBA28) is 0 */
	outb(base + ATA_REG_LBA0, (uint8_t)lba);
	outb(base + ATA_REG_LBA1, (uint8_t)(lba >> 8));
	outb(base + ATA_REG_LBA2, (uint8_t)(lba >> 16));
	outb(base + ATA_REG_COMMAND, cmd);
}

/* One console line for a failed command.  Context: ch->lock held. */
void ata_cmd_error(struct ata_channel *ch, uint8_t status, uint8_t bm_status)
{
	uint8_t err = inb(ch->cmd_base + ATA_REG_ERROR);

	assert_spin_locked(&ch->lock);
	ata_stats.errors++;
	printk(KERN_ERR "%s: I/O error at sector %llu (+%u): status %02x error "
	       "%02x dma %02x\n", ch->cur_drive->disk.name, ch->cmd_sector,
	       ch->cmd_count, status, err, bm_status);
}

/* Move one 512-byte sector between the data port and the request's pages.
 * A sector may span segments (each is only 4-byte aligned).
 * Context: ch->lock held. */
static void pio_sector(struct ata_channel *ch, bool write)
{
	struct blk_request *rq = ch->cur;
	struct seg_cursor *cur = &ch->cursor;
	uint16_t port = ch->cmd_base + ATA_REG_DATA;

	assert_spin_locked(&ch->lock);
	for (uint32_t left = SECTOR_SIZE; left; ) {
		const struct blk_seg *s = &rq->segs[cur->seg];
		uint32_t n = MIN(left, s->len - cur->off);
		uint8_t *kva = (uint8_t *)page_to_kva(s->page) + s->offset + cur->off;

		if (write)
			outsw(port, kva, n / 2);
		else
			insw(port, kva, n / 2);
		left -= n;
		cur->off += n;
		if (cur->off == s->len) {
			cur->seg++;
			cur->off = 0;
		}
	}
}

static uint8_t pio_command(bool write, bool ext)
{
	if (write)
		return ext ? ATA_CMD_WRITE_PIO_EXT : ATA_CMD_WRITE_PIO;
	return ext ? ATA_CMD_READ_PIO_EXT : ATA_CMD_READ_PIO;
}

/* Start a PIO command.  Reads wait for the first interrupt.  Writes: the
 * PIO data-out protocol (ATA-6 §9, PIO data-out) gives no interrupt before the first
 * block, so we poll (bounded) for BSY=0 DRQ=1 and send sector one here. */
static int pio_start(struct ata_channel *ch)
{
	bool write = ch->cur->dir == BLK_WRITE;
	bool ext = ch->cmd_sector + ch->cmd_count > LBA28_LIMIT;
	int s;

	ch->pio_left = ch->cmd_count;
	ata_issue(ch, ch->cur_drive, pio_command(write, ext));
	ata_stats.pio_cmds++;
	if (!write)
		return 0;
	s = ata_poll(ch, ATA_SR_BSY | ATA_SR_DRQ | ATA_SR_ERR, ATA_SR_DRQ);
	if (s < 0) {
		ata_cmd_error(ch, ata_altstatus(ch), 0);
		return -EIO;
	}
	pio_sector(ch, true);
	return 0;
}

/* Issue the next command of ch->cur.  Context: ch->lock held. */
static int ata_start_cmd(struct ata_channel *ch)
{
	struct blk_request *rq = ch->cur;
	uint32_t left = rq->nr_sectors - ch->done_sectors;

	assert_spin_locked(&ch->lock);
	ch->cmd_sector = rq->disk_sector + ch->done_sectors;
	if (ch->cmd_sector + left > LBA28_LIMIT)
		ch->cmd_count = MIN(left, LBA48_MAX_COUNT);
	else
		ch->cmd_count = MIN(left, LBA28_MAX_COUNT);
	if (ch->cmd_sector + ch->cmd_count > LBA28_LIMIT && !ch->cur_drive->lba48)
		return -EIO;	/* blk_check keeps this from happening */
	return ch->cur_drive->dma ? ata_dma_start(ch) : pio_start(ch);
}

/* ch->cur is finished: park it for completion.  Context: ch->lock held. */
static void ata_end_request(struct ata_channel *ch, int status)
{
	struct blk_request *rq = ch->cur;

	assert_spin_locked(&ch->lock);
	rq->status = status;
	list_add_tail(&rq->queue, &done_lists[ch - ata_channels]);
	ch->cur = NULL;
	ch->cur_drive = NULL;
}

/* Start queued requests until one is in flight or the queue is empty. */
static void ata_start_next(struct ata_channel *ch)
{
	assert_spin_locked(&ch->lock);
	while (!ch->cur && !list_empty(&ch->queue)) {
		struct blk_request *rq = list_first_entry(&ch->queue,
						struct blk_request, queue);
		int rc;

		list_del(&rq->queue);
		ch->cur = rq;
		ch->cur_drive = rq->bdev->disk->driver_data;
		ch->done_sectors = 0;
		ch->cursor = (struct seg_cursor){ 0, 0 };
		rc = ata_start_cmd(ch);
		if (rc)
			ata_end_request(ch, rc);
	}
}

/* Complete what finished, without the lock (done() may submit again). */
static void ata_run_completions(struct ata_channel *ch)
{
	struct list_head *done = &done_lists[ch - ata_channels];

	for (;;) {
		struct blk_request *rq = NULL;

		spin_lock(&ch->lock);
		if (!list_empty(done)) {
			rq = list_first_entry(done, struct blk_request, queue);
			list_del(&rq->queue);
		}
		spin_unlock(&ch->lock);
		if (!rq)
			return;
		blk_complete(rq, rq->status);
	}
}

static void ata_submit(struct disk *disk, struct blk_request *rq)
{
	struct ata_drive *d = disk->driver_data;
	struct ata_channel *ch = d->ch;

	spin_lock(&ch->lock);
	list_add_tail(&rq->queue, &ch->queue);
	ata_start_next(ch);
	spin_unlock(&ch->lock);
	ata_run_completions(ch);
}

static const struct disk_ops ata_disk_ops = { .submit = ata_submit };

/* A PIO interrupt.  Return: 1 command still running, 0 done, -EIO. */
static int pio_intr(struct ata_channel *ch)
{
	bool write = ch->cur->dir == BLK_WRITE;
	uint8_t status = inb(ch->cmd_base + ATA_REG_STATUS);	/* acks INTRQ */

	if (status & ATA_SR_BSY)
		return 1;
	if (status & (ATA_SR_ERR | ATA_SR_DF)) {
		ata_cmd_error(ch, status, 0);
		return -EIO;
	}
	if (write && --ch->pio_left == 0)
		return 0;	/* this interrupt acknowledged the last sector */
	if (!(status & ATA_SR_DRQ)) {
		ata_cmd_error(ch, status, 0);
		return -EIO;
	}
	pio_sector(ch, write);
	if (!write && --ch->pio_left == 0)
		return 0;
	return 1;
}

static void ata_intr_channel(struct ata_channel *ch)
{
	uint8_t bm;
	int rc;

	spin_lock(&ch->lock);
	if (!ch->cur) {
		inb(ch->cmd_base + ATA_REG_STATUS);	/* stray: acknowledge */
		spin_unlock(&ch->lock);
		return;
	}
	rc = ch->cur_drive->dma ? ata_dma_finish(ch, &bm) : pio_intr(ch);
	if (rc == 0) {
		ch->done_sectors += ch->cmd_count;
		if (ch->done_sectors == ch->cur->nr_sectors)
			ata_end_request(ch, 0);
		else if ((rc = ata_start_cmd(ch)) < 0)
			ata_end_request(ch, rc);
	} else if (rc < 0) {
		ata_end_request(ch, rc);
	}
	ata_start_next(ch);
	spin_unlock(&ch->lock);
	ata_run_completions(ch);
}

static void ata_intr(struct trapframe *tf)
{
	unsigned int irq = tf->vector - IRQ_BASE;

	ata_intr_channel(&ata_channels[irq == ATA_PRIMARY_IRQ ? 0 : 1]);
}

/* IDENTIFY DEVICE by polling (boot only, interrupts masked with nIEN).
 * Returns 0 with id[] filled, -ENODEV if nothing answers, -ENOTBLK for an
 * ATAPI (or other non-ATA) device. */
static int ata_identify(struct ata_channel *ch, unsigned int unit, uint16_t *id)
{
	uint16_t base = ch->cmd_base;
	int s;

	ata_select(ch, unit, 0);
	s = ata_altstatus(ch);
	if (s == 0 || s == 0xFF)		/* no drive, or a floating bus */
		return -ENODEV;
	outb(base + ATA_REG_COUNT, 0);
	outb(base + ATA_REG_LBA0, 0);
	outb(base + ATA_REG_LBA1, 0);
	outb(base + ATA_REG_LBA2, 0);
	outb(base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
	if (ata_altstatus(ch) == 0)
		return -ENODEV;
	if (ata_poll(ch, ATA_SR_BSY, 0) < 0)
		return -ENODEV;
	/* ATAPI devices abort IDENTIFY DEVICE and leave their signature,
	 * 0x14 0xEB, in LBA mid/high (ATA-6, device signatures). */
	if (inb(base + ATA_REG_LBA1) || inb(base + ATA_REG_LBA2))
		return -ENOTBLK;
	s = ata_poll(ch, ATA_SR_DRQ | ATA_SR_ERR, ATA_SR_DRQ);
	if (s < 0 || (s & ATA_SR_ERR))
		return -ENOTBLK;
	insw(base + ATA_REG_DATA, id, 256);
	inb(base + ATA_REG_STATUS);
	return 0;
}

/* The model string: byte-swapped in each word, padded with spaces. */
static void ata_model(const uint16_t *id, char *out)
{
	int i;

	for (i = 0; i < ID_MODEL_WORDS; i++) {
		out[2 * i] = (char)(id[ID_MODEL + i] >> 8);
		out[2 * i + 1] = (char)id[ID_MODEL + i];
	}
	for (i = 2 * ID_MODEL_WORDS; i > 0 && out[i - 1] == ' '; i--)
		;
	out[i] = '\0';
}

/* Fill d from IDENTIFY data; false if we cannot drive it (no LBA). */
static bool ata_setup_drive(struct ata_drive *d, const uint16_t *id, bool dma)
{
	uint64_t n28 = id[ID_LBA28_SECTORS] | (uint32_t)id[ID_LBA28_SECTORS + 1] << 16;
	uint64_t n48 = 0;

	if (id[ID_CONFIG] & ID_CONFIG_NOT_ATA || !(id[ID_CAPS] & ID_CAPS_LBA))
		return false;
	d->lba48 = id[ID_CMDSET2] & ID_CMDSET2_LBA48;
	for (int i = 3; d->lba48 && i >= 0; i--)
		n48 = n48 << 16 | id[ID_LBA48_SECTORS + i];
	d->disk.nr_sectors = d->lba48 && n48 ? n48 : n28;
	d->dma = dma;
	ata_model(id, d->model);
	return d->disk.nr_sectors != 0;
}

/* Probe both units of a channel; returns how many ATA disks answered. */
static unsigned int ata_probe_channel(struct ata_channel *ch, bool dma)
{
	static uint16_t id[256];
	unsigned int found = 0;

	outb(ch->ctl_base + ATA_REG_DEVCTL, ATA_CTL_NIEN);
	for (unsigned int unit = 0; unit < 2; unit++) {
		struct ata_drive *d = &ch->drives[unit];
		int rc = ata_identify(ch, unit, id);

		d->ch = ch;
		d->unit = unit;
		snprintf(d->disk.name, sizeof(d->disk.name), "hd%c",
			 (char)('a' + 2 * (ch - ata_channels) + unit));
		if (rc == -ENOTBLK)
			printk("%s: not an ATA disk (ATAPI?), skipped\n", d->disk.name);
		if (rc || !ata_setup_drive(d, id, dma))
			continue;
		d->present = true;
		d->disk.ops = &ata_disk_ops;
		d->disk.driver_data = d;
		found++;
	}
	return found;
}

/* The bus-master base, or 0 if DMA is off, unwanted or impossible. */
static uint16_t ata_find_bmide(void)
{
	struct pci_dev *pdev = pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE, NULL);
	uint16_t bm;

	if (!pdev) {
		printk("ata: no PCI IDE controller; legacy ports, PIO only\n");
		return 0;
	}
	if (!ata_dma_requested())
		return 0;
	bm = pci_bar_io(pdev, PCI_IDE_BMIDE_BAR);
	if (!(pdev->prog_if & PCI_IDE_PROGIF_BUSMASTER) || !bm) {
		printk("ata: controller cannot bus-master; PIO only\n");
		return 0;
	}
	pci_enable_bus_master(pdev);
	return bm;
}

static void ata_register_drives(struct ata_channel *ch)
{
	for (unsigned int unit = 0; unit < 2; unit++) {
		struct ata_drive *d = &ch->drives[unit];

		if (!d->present)
			continue;
		printk("%s: %llu MiB, \"%s\", %s, %s\n", d->disk.name,
		       d->disk.nr_sectors >> 11, d->model, d->dma ? "DMA" : "PIO",
		       d->lba48 ? "LBA48" : "LBA28 only");
		if (disk_register(&d->disk) < 0)
			printk(KERN_ERR "%s: could not read the partition table\n",
			       d->disk.name);
	}
}

static void ata_init_channel(struct ata_channel *ch, uint16_t bm_base)
{
	bool dma = bm_base != 0;

	list_init(&ch->queue);
	list_init(&done_lists[ch - ata_channels]);
	if (!ata_probe_channel(ch, dma))
		return;
	if (dma && ata_dma_init(ch, bm_base) < 0) {
		printk(KERN_ERR "ata: %s: no memory for the PRD table; PIO\n", ch->name);
		ch->drives[0].dma = ch->drives[1].dma = false;
	}
	irq_register(ch->irq, ata_intr);
	outb(ch->ctl_base + ATA_REG_DEVCTL, 0);		/* interrupts on */
	ata_register_drives(ch);
}

void ata_init(void)
{
	uint16_t bm = ata_find_bmide();

	assert(irqs_enabled() && "ata_init waits for interrupts");
	for (unsigned int i = 0; i < ARRAY_SIZE(ata_channels); i++)
		ata_init_channel(&ata_channels[i], bm ? bm + i * BM_CHANNEL_STRIDE : 0);
}
