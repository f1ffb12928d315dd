/*
 * drivers/ata_dma.c - bus-master IDE DMA for the ATA driver: the PRD table
 * and the BMIDE registers (Intel 82371AB PIIX4 datasheet §5.2).
 *
 * Owns: each channel's PRD table (one page, allocated at probe, never freed)
 * and its bus-master registers (BAR4 + 8 * channel).
 * Interface (drivers/ata.h), called by drivers/ata.c:
 *   ata_dma_init(ch, bm_base)  at probe
 *   ata_dma_start(ch)          build the PRD table for the current command,
 *                              issue READ/WRITE DMA (EXT), start the engine
 *   ata_dma_finish(ch, &bm)    from the IRQ handler: stop the engine, report
 *   ata_prd_build(...)         pure: segments -> PRD entries (self-tested)
 * PRD rules (PIIX4, bus master IDE function, PRD table entry): each entry is
 * a physical address and a byte count, both even (we require 4-byte
 * alignment, blk_submit checks it); a count of 0 means 64 KiB; no entry
 * crosses a 64 KiB physical boundary; bit 15 of the last entry's flags (EOT)
 * ends the table.  The table itself is 4-byte aligned and must not cross a
 * 64 KiB boundary: a whole page satisfies both.
 * Locks: everything but ata_prd_build runs with ch->lock held (asserted).
 * Nothing here sleeps.
 */
#include <errno.h>
#include <kernel.h>
#include <x86.h>
#include "ata.h"

#define BOUNDARY_64K	0x10000u

int ata_dma_init(struct ata_channel *ch, uint16_t bm_base)
{
	ch->prdt_page = alloc_page(ALLOC_KERNEL);
	if (!ch->prdt_page)
		return -ENOMEM;
	ch->prdt = page_to_kva(ch->prdt_page);
	ch->bm_base = bm_base;
	outb(bm_base + BM_REG_COMMAND, 0);
	outb(bm_base + BM_REG_STATUS, BM_SR_IRQ | BM_SR_ERROR);
	return 0;
}

static uint32_t prd_len(const struct prd *p)
{
	return p->count ? p->count : PRD_MAX_BYTES;
}

/* Append [pa, pa+len) to the table, growing the last entry when the region
 * continues it inside the same 64 KiB window, and splitting at every 64 KiB
 * boundary.  Returns the new entry count or -E2BIG. */
static int prd_add(struct prd *prdt, unsigned int n, unsigned int max,
		   pa_t pa, uint32_t len)
{
	while (len) {
		uint32_t room = BOUNDARY_64K - (pa & (BOUNDARY_64K - 1));
		uint32_t chunk = MIN(len, room);
		struct prd *last = n ? &prdt[n - 1] : NULL;

		if (last && last->pa + prd_len(last) == pa &&
		    (last->pa & ~(BOUNDARY_64K - 1)) == (pa & ~(BOUNDARY_64K - 1))) {
			last->count = (uint16_t)(prd_len(last) + chunk);
		} else {
			if (n == max)
				return -E2BIG;
			prdt[n++] = (struct prd){ pa, (uint16_t)chunk, 0 };
		}
		pa += chunk;
		len -= chunk;
	}
	return (int)n;
}

/*
 * ata_prd_build - describe `bytes` of rq, from *cur on, as PRD entries.
 * Advances *cur past them.  Physically contiguous segments merge into one
 * entry; entries split at 64 KiB boundaries.
 * Return: the number of entries (the last carries PRD_EOT), or -E2BIG if
 * more than max would be needed, or -EINVAL if the segments run out first.
 */
int ata_prd_build(struct prd *prdt, unsigned int max, struct blk_request *rq,
		  struct seg_cursor *cur, uint32_t bytes)
{
	int n = 0;

	while (bytes) {
		const struct blk_seg *s;
		uint32_t len;

		if (cur->seg >= rq->nr_segs)
			return -EINVAL;
		s = &rq->segs[cur->seg];
		len = MIN(bytes, s->len - cur->off);
		n = prd_add(prdt, (unsigned int)n, max,
			    ((pa_t)page_to_pfn(s->page) << PAGE_SHIFT) + s->offset +
			    cur->off, len);
		if (n < 0)
			return n;
		bytes -= len;
		cur->off += len;
		if (cur->off == s->len) {
			cur->seg++;
			cur->off = 0;
		}
	}
	if (n == 0)
		return -EINVAL;
	prdt[n - 1].flags = PRD_EOT;
	return n;
}

static uint8_t dma_command(bool write, bool ext)
{
	if (write)
		return ext ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_WRITE_DMA;
	return ext ? ATA_CMD_READ_DMA_EXT : ATA_CMD_READ_DMA;
}

/*
 * ata_dma_start - run the current command (ch->cmd_sector, cmd_count) by DMA.
 * The order is the datasheet's: PRD table address and direction, clear the
 * status bits, command to the drive, then the start bit.
 * Context: ch->lock held.  Return: 0, or -EIO if the PRD table overflowed.
 */
int ata_dma_start(struct ata_channel *ch)
{
	struct blk_request *rq = ch->cur;
	bool write = rq->dir == BLK_WRITE;
	bool ext = ch->cmd_sector + ch->cmd_count > LBA28_LIMIT;
	uint8_t dir = write ? 0 : BM_CMD_TO_MEMORY;
	int n;

	assert_spin_locked(&ch->lock);
	n = ata_prd_build(ch->prdt, PRD_MAX_ENTRIES, rq, &ch->cursor,
			  ch->cmd_count * SECTOR_SIZE);
	if (n < 0)
		return -EIO;
	outl(ch->bm_base + BM_REG_PRDT, kva_to_phys(ch->prdt));
	outb(ch->bm_base + BM_REG_COMMAND, dir);
	outb(ch->bm_base + BM_REG_STATUS, BM_SR_IRQ | BM_SR_ERROR);
	ata_issue(ch, ch->cur_drive, dma_command(write, ext));
	outb(ch->bm_base + BM_REG_COMMAND, dir | BM_CMD_START);
	ata_stats.dma_cmds++;
	return 0;
}

/*
 * ata_dma_finish - the channel interrupted during a DMA command.
 * Return: 1 if the engine has not finished (not our interrupt: ignore it),
 * 0 when the transfer is complete, -EIO on a PCI abort or a drive error (the
 * caller prints it).  *bm_status gets the bus-master status for that line.
 * Context: ch->lock held, in the interrupt handler.
 */
int ata_dma_finish(struct ata_channel *ch, uint8_t *bm_status)
{
	uint8_t bm = inb(ch->bm_base + BM_REG_STATUS);
	uint8_t status;

	assert_spin_locked(&ch->lock);
	*bm_status = bm;
	if (!(bm & (BM_SR_IRQ | BM_SR_ERROR)))
		return 1;
	outb(ch->bm_base + BM_REG_COMMAND, 0);		/* stop (§5.2.1) */
	status = inb(ch->cmd_base + ATA_REG_STATUS);	/* clears INTRQ */
	outb(ch->bm_base + BM_REG_STATUS, BM_SR_IRQ | BM_SR_ERROR);
	if (bm & BM_SR_ERROR || status & (ATA_SR_ERR | ATA_SR_DF)) {
		ata_cmd_error(ch, status, bm);
		return -EIO;
	}
	return 0;
}
