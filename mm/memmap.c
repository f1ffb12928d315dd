/*
 * mm/memmap.c - bringing up physical memory at boot.
 *
 * Owns: the boot-time bump allocator, the kernel page directory and the
 * placement of mem_map[].
 *
 * mem_init(bi), once, with the boot page directory (4 MiB pages) loaded:
 *   1. choose max_pfn: the top of usable RAM, capped at LOWMEM_LIMIT and mem=;
 *   2. bump-allocate, just above the kernel image, the page tables for the
 *      kernel's map of low memory, the kernel page directory and mem_map[];
 *   3. fill the page tables (text, rodata, symbols read-only; the rest read-write,
 *      nothing at virtual 0 so a NULL dereference faults) and load CR3;
 *   4. give every usable frame that is not page 0, the kernel image or the
 *      boot allocations to the buddy allocator.
 *
 * Invariant: after mem_init, virtual KERNEL_BASE + pa maps pa for every
 * pa < max_pfn << PAGE_SHIFT, and nothing else is mapped below KERNEL_BASE.
 * Runs before interrupts are on; takes no locks.
 */
#include <boot.h>
#include <cmdline.h>
#include <kernel.h>
#include <mm.h>
#include <pgtable.h>
#include <string.h>
#include <x86.h>

extern char _text[], _etext[], _erodata[], _end[];

pde_t *kernel_pgdir;
static struct boot_info bi;		/* the loader's map, sorted by base */
static pa_t bootmem_next;		/* first free byte above the image */
static pa_t kernel_image_pa;		/* where the image starts */

#define KERNEL_LOAD_PA	0x100000u	/* linker.ld: .boot, at 1 MiB */

/* The end of usable RAM, in pfns, within low memory and mem=. */
static pfn_t find_max_pfn(const struct boot_info *bi)
{
	uint64_t limit = LOWMEM_LIMIT, top = 0, mem;

	if (cmdline_get("mem") && parse_size(cmdline_get("mem"), &mem) == 0)
		limit = MIN(limit, mem);
	for (unsigned int i = 0; i < bi->nr_regions; i++) {
		const struct boot_region *r = &bi->regions[i];

		if (r->type == REGION_USABLE)
			top = MAX(top, MIN(r->base + r->length, limit));
	}
	return (pfn_t)(top >> PAGE_SHIFT);
}

/* Is [pa, end) inside one usable region? */
static bool range_is_usable(const struct boot_info *bi, uint64_t pa, uint64_t end)
{
	for (unsigned int i = 0; i < bi->nr_regions; i++) {
		const struct boot_region *r = &bi->regions[i];

		if (r->type == REGION_USABLE && r->base <= pa &&
		    end <= r->base + r->length)
			return true;
	}
	return false;
}

/* Zeroed, page-aligned boot memory; it is never freed. */
static void *bootmem_alloc(size_t size)
{
	pa_t pa = ALIGN_UP(bootmem_next, PAGE_SIZE);

	bootmem_next = pa + (pa_t)ALIGN_UP(size, PAGE_SIZE);
	if (bootmem_next > max_pfn << PAGE_SHIFT)
		panic("bootmem_alloc: boot tables end at %x, beyond RAM (%x)",
		      bootmem_next, max_pfn << PAGE_SHIFT);
	memset(phys_to_kva(pa), 0, size);
	return phys_to_kva(pa);
}

static uint32_t kernel_pte_flags(uint32_t kva)
{
	/* .data starts on a fresh page (linker.ld), so rounding up is safe. */
	bool text = kva >= ALIGN_DOWN((uint32_t)_text, PAGE_SIZE) &&
		    kva < ALIGN_UP((uint32_t)_erodata, PAGE_SIZE);

	return PTE_PRESENT | PTE_GLOBAL | (text ? 0 : PTE_WRITE);
}

/* Map [0, max_pfn) at KERNEL_BASE with 4 KiB pages, then switch to it. */
static void build_kernel_page_tables(void)
{
	pfn_t nr_tables = (max_pfn + PTRS_PER_TABLE - 1) / PTRS_PER_TABLE;
	pte_t *tables = bootmem_alloc((size_t)nr_tables * PAGE_SIZE);

	kernel_pgdir = bootmem_alloc(PAGE_SIZE);
	for (pfn_t pfn = 0; pfn < max_pfn; pfn++) {
		uint32_t kva = KERNEL_BASE + (pfn << PAGE_SHIFT);

		tables[pfn] = (pfn << PAGE_SHIFT) | kernel_pte_flags(kva);
	}
	for (pfn_t t = 0; t < nr_tables; t++)
		kernel_pgdir[pgdir_index(KERNEL_BASE) + t] =
			kva_to_phys(&tables[t * PTRS_PER_TABLE]) | PTE_PRESENT | PTE_WRITE;
	write_cr3(kva_to_phys(kernel_pgdir));
	write_cr4(read_cr4() | CR4_PGE);	/* kernel TLB entries survive CR3 loads */
}

/* Give the usable frames of one region, minus what boot used, to the buddy
 * allocator.  Page 0 is kept back so that physical 0 is never handed out. */
static void free_region(const struct boot_region *r)
{
	uint64_t start = ALIGN_UP(r->base, (uint64_t)PAGE_SIZE);
	uint64_t end = ALIGN_DOWN(r->base + r->length, (uint64_t)PAGE_SIZE);
	pfn_t s, e, hole_s, hole_e;

	end = MIN(end, (uint64_t)max_pfn << PAGE_SHIFT);
	if (r->type != REGION_USABLE || start >= end)
		return;
	s = MAX((pfn_t)(start >> PAGE_SHIFT), 1u);
	e = (pfn_t)(end >> PAGE_SHIFT);
	hole_s = kernel_image_pa >> PAGE_SHIFT;
	hole_e = ALIGN_UP(bootmem_next, PAGE_SIZE) >> PAGE_SHIFT;
	if (s < MIN(e, hole_s))
		page_alloc_free_range(s, MIN(e, hole_s));
	if (MAX(s, hole_e) < e)
		page_alloc_free_range(MAX(s, hole_e), e);
}

/* Sort regions by base (insertion sort: there are a handful).  mem_init then
 * skips any region that starts inside the one before it, whole, so no frame
 * is ever given to the allocator twice. */
static void sort_regions(struct boot_info *bi)
{
	for (unsigned int i = 1; i < bi->nr_regions; i++) {
		struct boot_region r = bi->regions[i];
		unsigned int j = i;

		for (; j > 0 && bi->regions[j - 1].base > r.base; j--)
			bi->regions[j] = bi->regions[j - 1];
		bi->regions[j] = r;
	}
}

void mem_init(const struct boot_info *bi_in)
{
	uint64_t usable_end = 0;

	bi = *bi_in;
	sort_regions(&bi);
	max_pfn = find_max_pfn(&bi);
	kernel_image_pa = KERNEL_LOAD_PA;
	bootmem_next = kva_to_phys(_end);
	if (max_pfn < 1024)
		panic("mem_init: only %u KiB of usable memory; Walnut needs 4 MiB",
		      max_pfn * 4);
	build_kernel_page_tables();
	mem_map = bootmem_alloc((size_t)max_pfn * sizeof(struct page));
	if (!range_is_usable(&bi, kernel_image_pa, bootmem_next))
		panic("mem_init: kernel image and boot tables (%x-%x) are not in usable RAM",
		      kernel_image_pa, bootmem_next);
	page_alloc_init(mem_map, max_pfn);
	for (unsigned int i = 0; i < bi.nr_regions; i++) {
		const struct boot_region *r = &bi.regions[i];

		if (r->base < usable_end)	/* overlaps the previous one */
			continue;
		free_region(r);
		usable_end = r->base + r->length;
	}
}

void mem_print_map(void)
{
	printk("Memory map:\n");
	for (unsigned int i = 0; i < bi.nr_regions; i++) {
		const struct boot_region *r = &bi.regions[i];

		printk("  [mem 0x%08llx-0x%08llx] %s\n", r->base,
		       r->base + r->length - 1, boot_region_type_name(r->type));
	}
	printk("Memory: %zu KiB managed, %zu KiB free, %u KiB low memory mapped\n",
	       nr_managed_pages() * 4, nr_free_pages() * 4, max_pfn * 4);
	printk("Kernel image %08x-%08x, boot tables to %08x\n",
	       kernel_image_pa, kva_to_phys(_end), bootmem_next);
}
