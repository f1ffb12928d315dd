/* kernel/crc32.c - CRC-32, bit-reflected polynomial 0xEDB88320, one byte at
 * a time from a 256-entry table built on first use. */
#include <crc32.h>

#define CRC32_POLY_REFLECTED 0xEDB88320u

static uint32_t table[256];
static bool table_ready;

static void build_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32_POLY_REFLECTED : c >> 1;
		table[i] = c;
	}
	table_ready = true;
}

uint32_t crc32(uint32_t crc, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	if (!table_ready)
		build_table();
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
