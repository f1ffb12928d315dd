#!/usr/bin/env python3
"""tools/testdisk.py - raw disk images for the storage tests.

Every 512-byte sector s of a test disk holds 128 little-endian 32-bit words;
word i is

    read_word(s, i)  = (i * 0x01000193) ^ (s * 0x9E3779B9 mod 2**32)

so the kernel can check any sector it reads without a host checksum
(drivers/ata_ktest.c: pattern_word).  Sectors the kernel writes in the
scratch area get the complement, write_word(s, i) = ~read_word(s, i), and
the harness checks them after the run (check_written).

Disks used by tools/testplan.py:
  partitioned(path)  16 MiB: an MBR in sector 0 (below), pattern elsewhere
  big(path)          2**28 + 2048 sectors (128 GiB + 1 MiB), sparse: pattern
                     only on the 2048 sectors either side of 2**28 (LBA48)
  small(path)        1 MiB of pattern, no MBR
  "ext2-1k", "ext2-4k"          tools/fsfixture.py: make
  "ext2-badmagic", "ext2-badgroup", "ext2-badrec", "ext2-badblockno"
                     tools/fsfixture.py: make_damaged, the 1 KiB fixture
                     with one thing broken on purpose

The partitioned disk's MBR (keep in step with drivers/ata_ktest.c):
  1: start 2048,  8192 sectors, type 0x83
  2: start 12288, 4096 sectors, type 0x83   scratch: the kernel writes here
  3: start 30720, 4096 sectors, type 0x83   runs off the 32768-sector disk:
                                            the kernel must refuse it
  4: unused (type 0)
"""
import os
import struct

SECTOR = 512
TEMPLATE = struct.pack("<128I", *[(i * 0x01000193) & 0xFFFFFFFF
                                  for i in range(128)])
TEMPLATE_INT = int.from_bytes(TEMPLATE, "little")

PARTS = [(2048, 8192, 0x83), (12288, 4096, 0x83), (30720, 4096, 0x83), None]
PARTITIONED_SECTORS = 32768
SCRATCH_START = 12288           # partition 2
WRITTEN = (SCRATCH_START, 128)  # written by ata_write_read_back: first 128
BIG_EDGE = 1 << 28
BIG_SECTORS = BIG_EDGE + 2048


def _key(s, invert=False):
    k = (s * 0x9E3779B9) & 0xFFFFFFFF
    return k ^ 0xFFFFFFFF if invert else k


def sector_bytes(s, invert=False):
    """Sector s as the pattern defines it (complemented if invert)."""
    mask = int.from_bytes(struct.pack("<I", _key(s, invert)) * 128, "little")
    return (TEMPLATE_INT ^ mask).to_bytes(SECTOR, "little")


def write_pattern(f, first, count):
    f.seek(first * SECTOR)
    chunk = []
    for s in range(first, first + count):
        chunk.append(sector_bytes(s))
        if len(chunk) == 2048:
            f.write(b"".join(chunk))
            chunk = []
    f.write(b"".join(chunk))


def mbr(parts):
    """parts: (start, count, type) or None, in table order."""
    import mkdisk
    return mkdisk.mbr([None if p is None else (p[2], p[0], p[1]) for p in parts])


def partitioned(path):
    with open(path, "wb") as f:
        f.truncate(PARTITIONED_SECTORS * SECTOR)
        write_pattern(f, 1, PARTITIONED_SECTORS - 1)
        f.seek(0)
        f.write(mbr(PARTS))


def big(path):
    with open(path, "wb") as f:
        f.truncate(BIG_SECTORS * SECTOR)       # sparse
        write_pattern(f, BIG_EDGE - 2048, 4096)


def small(path):
    with open(path, "wb") as f:
        write_pattern(f, 0, 2048)


def scratch(path, mib=64):
    """For the benchmark: zeros, no partition table."""
    with open(path, "wb") as f:
        f.truncate(mib << 20)


def check_written(path):
    """None if the scratch sectors hold what the kernel wrote, else why."""
    first, count = WRITTEN
    with open(path, "rb") as f:
        f.seek(first * SECTOR)
        for s in range(first, first + count):
            if f.read(SECTOR) != sector_bytes(s, invert=True):
                return f"sector {s} of {os.path.basename(path)} does not " \
                       f"hold the written pattern"
    return None


def ext2_disk(block_size):
    import fsfixture
    return lambda path: fsfixture.make(path, block_size)


def damaged_ext2_disk(damage):
    """The 1 KiB ext2 fixture with one thing broken (fsfixture.DAMAGE)."""
    import fsfixture
    return lambda path: fsfixture.make_damaged(path, damage)


KINDS = {"partitioned": partitioned, "big": big, "small": small,
         "scratch": scratch, "ext2-1k": ext2_disk(1024), "ext2-4k": ext2_disk(4096),
         "ext2-badmagic": damaged_ext2_disk("badmagic"),
         "ext2-badgroup": damaged_ext2_disk("badgroup"),
         "ext2-badrec": damaged_ext2_disk("badrec"),
         "ext2-badblockno": damaged_ext2_disk("badblockno")}


def make(kind, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    KINDS[kind](path)
    return path


if __name__ == "__main__":
    import sys
    make(sys.argv[1], sys.argv[2])
