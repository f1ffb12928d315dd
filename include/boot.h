/* include/boot.h - what the boot loader told us, copied out of its memory.
 *
 * boot_info_from_multiboot() runs first thing in kmain, before anything can
 * reuse the memory the loader's structures live in.
 */
#ifndef WALNUT_BOOT_H
#define WALNUT_BOOT_H

#include <types.h>
#include <cmdline.h>

#define BOOT_MAX_REGIONS 32

enum boot_region_type {
	REGION_USABLE = 1,	/* multiboot/E820 type 1: RAM we may use */
	REGION_RESERVED = 2,
	REGION_ACPI_RECLAIM = 3,
	REGION_ACPI_NVS = 4,
	REGION_BAD = 5,
};

struct boot_region {
	uint64_t base;
	uint64_t length;
	uint32_t type;		/* enum boot_region_type */
};

struct boot_info {
	char cmdline[CMDLINE_MAX];
	char loader[64];		/* boot loader's name, if it gave one */
	struct boot_region regions[BOOT_MAX_REGIONS];
	unsigned int nr_regions;
};

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002	/* in EAX at entry */

int boot_info_from_multiboot(uint32_t magic, pa_t mbi_pa, struct boot_info *bi);
const char *boot_region_type_name(uint32_t type);

#endif
