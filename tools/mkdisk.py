#!/usr/bin/env python3
"""tools/mkdisk.py - build a partitioned disk image with an ext2 root.

  mkdisk.py build OUT --root DIR [--size 64M] [--block-size 1024|4096]
        An MBR with one Linux partition (type 0x83) from sector 2048 to the
        end of the disk, holding an ext2 filesystem (revision 1) made by
        `mke2fs -t ext2 -d DIR`: DIR's files become the filesystem's.
  mkdisk.py extract DISK OUT
        Copy partition 1 of DISK out to OUT, for e2fsck or debugfs.
  mkdisk.py fsck DISK
        e2fsck -fn on partition 1: exit 0 only if it finds nothing to fix.

The MBR layout: 446 bytes of boot code (zero here), four 16-byte partition
entries at 0x1BE (status, CHS start, type, CHS end, LBA start, sector count),
signature 0x55 0xAA at 510.  CHS fields hold the "use LBA" value 0xFEFFFF.
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile

SECTOR = 512
PART_START = 2048               # 1 MiB, as fdisk aligns
MBR_TABLE = 0x1BE
TYPE_LINUX = 0x83
CHS_LBA = b"\xfe\xff\xff"


def parse_size(s):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s[-1].upper() in units:
        return int(s[:-1]) * units[s[-1].upper()]
    return int(s)


def mbr(partitions):
    """Sector 0: partitions is a list of up to 4 (type, lba_start, nr_sectors),
    or None for an empty slot."""
    table = b""
    for p in partitions:
        if p is None:
            table += bytes(16)
            continue
        ptype, start, count = p
        table += struct.pack("<B3sB3sII", 0, CHS_LBA, ptype, CHS_LBA, start, count)
    table += b"\0" * (64 - len(table))
    return b"\0" * MBR_TABLE + table + b"\x55\xaa"


def partition1(disk):
    with open(disk, "rb") as f:
        sector0 = f.read(SECTOR)
    if sector0[510:512] != b"\x55\xaa":
        raise SystemExit(f"{disk}: no MBR signature")
    _, _, ptype, _, start, count = struct.unpack_from("<B3sB3sII", sector0, MBR_TABLE)
    return start * SECTOR, count * SECTOR


def build(out, root, size, block_size):
    nr_sectors = size // SECTOR
    part_sectors = nr_sectors - PART_START
    if part_sectors <= 0:
        raise SystemExit("disk too small")
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part.img")
        open(part, "wb").close()        # else mke2fs says it creates one
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-r", "1",
                        "-b", str(block_size), "-L", "walnut-root",
                        "-d", root, part, str(part_sectors * SECTOR // 1024) + "k"],
                       check=True)
        with open(out, "wb") as f, open(part, "rb") as p:
            f.write(mbr([(TYPE_LINUX, PART_START, part_sectors)]))
            f.seek(PART_START * SECTOR)
            while chunk := p.read(1 << 20):
                f.write(chunk)
            f.truncate(size)


def extract(disk, out):
    start, length = partition1(disk)
    with open(disk, "rb") as f, open(out, "wb") as o:
        f.seek(start)
        left = length
        while left:
            chunk = f.read(min(left, 1 << 20))
            if not chunk:
                break
            o.write(chunk)
            left -= len(chunk)


def fsck(disk):
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part.img")
        extract(disk, part)
        p = subprocess.run(["e2fsck", "-fn", part], capture_output=True, text=True)
        sys.stdout.write(p.stdout + p.stderr)
        return p.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("out")
    b.add_argument("--root", required=True)
    b.add_argument("--size", default="64M")
    b.add_argument("--block-size", type=int, default=1024, choices=(1024, 2048, 4096))
    e = sub.add_parser("extract")
    e.add_argument("disk")
    e.add_argument("out")
    c = sub.add_parser("fsck")
    c.add_argument("disk")
    o = ap.parse_args()
    if o.cmd == "build":
        build(o.out, o.root, parse_size(o.size), o.block_size)
    elif o.cmd == "extract":
        extract(o.disk, o.out)
    else:
        sys.exit(fsck(o.disk))


if __name__ == "__main__":
    main()
