/* include/crc32.h - CRC-32 (IEEE 802.3, the polynomial of zlib, gzip and
 * Python's zlib.crc32), for checking data against checksums the host made. */
#ifndef WALNUT_CRC32_H
#define WALNUT_CRC32_H

#include <types.h>

/* Continue a CRC: crc32(0, buf, n) starts one; feed the result back in to
 * checksum data that arrives in pieces. */
uint32_t crc32(uint32_t crc, const void *buf, size_t n);

#endif
