/*
 * kernel/multiboot.c - reading the multiboot information structure.
 *
 * Layout: Multiboot Specification 0.6.96, §3.3 "Boot information format".
 * Only the fields Walnut uses are declared.  Everything is copied into a
 * struct boot_info, because the loader's copy sits in memory that the page
 * allocator will soon hand out.  The boot page directory maps all low memory
 * at KERNEL_BASE, so phys_to_kva() reaches anything GRUB put below 896 MiB;
 * pointers above that are ignored.
 */
#include <boot.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>

#define MBI_FLAG_MEM		(1u << 0)
#define MBI_FLAG_CMDLINE	(1u << 2)
#define MBI_FLAG_MMAP		(1u << 6)
#define MBI_FLAG_LOADER_NAME	(1u << 9)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower_kb, mem_upper_kb;
	uint32_t boot_device;
	uint32_t cmdline_pa;
	uint32_t mods_count, mods_pa;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_pa;
	uint32_t drives_length, drives_pa;
	uint32_t config_table;
	uint32_t loader_name_pa;
} __packed;

struct multiboot_mmap_entry {
	uint32_t size;		/* of the rest of the entry: skip by size + 4 */
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __packed;

/* Only low memory is mapped: a pointer above it is ignored, not followed. */
static void copy_string(char *dst, size_t size, pa_t pa)
{
	if (pa < LOWMEM_LIMIT - size)
		strlcpy(dst, phys_to_kva(pa), size);
}

static void copy_mmap(const struct multiboot_info *mbi, struct boot_info *bi)
{
	pa_t pa = mbi->mmap_pa, end = mbi->mmap_pa + mbi->mmap_length;

	if (end < pa || end > LOWMEM_LIMIT)
		return;

	while (pa < end && bi->nr_regions < BOOT_MAX_REGIONS) {
		const struct multiboot_mmap_entry *e = phys_to_kva(pa);

		bi->regions[bi->nr_regions++] = (struct boot_region){
			.base = e->base, .length = e->length, .type = e->type,
		};
		pa += e->size + sizeof(e->size);
	}
}

/* No memory map: make one from mem_lower/mem_upper (spec §3.3). */
static void fake_mmap(const struct multiboot_info *mbi, struct boot_info *bi)
{
	bi->regions[0] = (struct boot_region){ 0, (uint64_t)mbi->mem_lower_kb << 10,
					       REGION_USABLE };
	bi->regions[1] = (struct boot_region){ 1u << 20, (uint64_t)mbi->mem_upper_kb << 10,
					       REGION_USABLE };
	bi->nr_regions = 2;
}

int boot_info_from_multiboot(uint32_t magic, pa_t mbi_pa, struct boot_info *bi)
{
	const struct multiboot_info *mbi;

	memset(bi, 0, sizeof(*bi));
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC || mbi_pa >= LOWMEM_LIMIT)
		return -EINVAL;
	mbi = phys_to_kva(mbi_pa);
	if (mbi->flags & MBI_FLAG_CMDLINE)
		copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline_pa);
	if (mbi->flags & MBI_FLAG_LOADER_NAME)
		copy_string(bi->loader, sizeof(bi->loader), mbi->loader_name_pa);
	if (mbi->flags & MBI_FLAG_MMAP)
		copy_mmap(mbi, bi);
	else if (mbi->flags & MBI_FLAG_MEM)
		fake_mmap(mbi, bi);
	return bi->nr_regions ? 0 : -EINVAL;
}

const char *boot_region_type_name(uint32_t type)
{
	switch (type) {
	case REGION_USABLE: return "usable";
	case REGION_RESERVED: return "reserved";
	case REGION_ACPI_RECLAIM: return "ACPI data";
	case REGION_ACPI_NVS: return "ACPI NVS";
	case REGION_BAD: return "bad";
	default: return "unknown";
	}
}
