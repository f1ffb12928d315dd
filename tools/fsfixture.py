"""tools/fsfixture.py - the ext2 disks the filesystem self-tests read.

make(path, block_size) builds, with tools/mkdisk.py, a partitioned disk whose
hda1 is an ext2 filesystem holding deterministic files and /manifest, one
line per regular file: "<path> <size> <crc32 in hex>".  The kernel reads the
manifest from the image itself and checks each file, so nothing about the
files is written into the kernel.  After the boot, fsck(path) runs e2fsck -fn.

make_damaged(path, kind) builds the same disk with 1 KiB blocks, then breaks
one thing in it, at the byte, for fs/ext2_damage_ktest.c (keep in step):
  badmagic     the superblock's s_magic is 0
  badgroup     group 0's bg_inode_table is BAD_BLOCK, beyond the filesystem
  badrec       /dir/sub's ".." entry (offset 12 of its block) has rec_len
               BAD_REC_LEN: a multiple of 4 that runs 4 bytes off the block
  badblockno   /odd-size's i_block[2] is BAD_BLOCK; so is the first pointer
               in /direct-edge's indirect block (its file block 12)
"""
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkdisk  # noqa: E402

DISK_SIZE = 32 << 20
BAD_BLOCK = 99999999            # far beyond the 31 MiB filesystem
BAD_REC_LEN = 1024 - 12 + 4     # ".." at offset 12 of a 1 KiB block


def _files(rng):
    """(path, bytes): sizes chosen to hit the block map's edges."""
    return [
        ("hello.txt", b"Hello from the ext2 image.\n"),
        ("empty", b""),
        ("dir/sub/nested.txt", b"nested\n" * 100),
        ("one-block-1k", rng.randbytes(1024)),
        ("direct-edge", rng.randbytes(12 * 1024 + 1)),         # 1st indirect
        ("double-indirect.bin", rng.randbytes((1 << 20) + 123)),  # 1 KiB blocks
        ("odd-size", rng.randbytes(77777)),
    ]


def stage(root):
    rng = random.Random(2026)
    lines = []
    for name, data in _files(rng):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        lines.append(f"/{name} {len(data)} {zlib.crc32(data):08x}\n")
    os.symlink("hello.txt", os.path.join(root, "fast-link"))
    slow = "./" * 30 + "dir/sub/nested.txt"  # over 60 bytes: a slow symlink
    os.symlink(slow, os.path.join(root, "slow-link"))
    with open(os.path.join(root, "manifest"), "w") as f:
        f.writelines(lines)


def make(path, block_size=1024):
    with tempfile.TemporaryDirectory() as root:
        stage(root)
        mkdisk.build(path, root, DISK_SIZE, block_size)


def fsck(path):
    """None if e2fsck -fn finds nothing, else its complaint."""
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part.img")
        mkdisk.extract(path, part)
        p = subprocess.run(["e2fsck", "-fn", part], capture_output=True, text=True)
    if p.returncode == 0:
        return None
    return "e2fsck -fn: " + " / ".join((p.stdout + p.stderr).splitlines()[-6:])


def _debugfs(part, request, write=False):
    p = subprocess.run(["debugfs"] + (["-w"] if write else []) +
                       ["-R", request, part], capture_output=True, text=True,
                       check=True)
    return p.stdout


def _poke(part, offset, fmt, value):
    with open(part, "r+b") as f:
        f.seek(offset)
        f.write(struct.pack(fmt, value))


def _bad_magic(part, bs):
    _poke(part, 1024 + 56, "<H", 0)                     # s_magic


def _bad_group(part, bs):
    first_data_block = 1 if bs == 1024 else 0
    gd0 = (first_data_block + 1) * bs                   # the descriptors' block
    _poke(part, gd0 + 8, "<I", BAD_BLOCK)               # bg_inode_table


def _bad_rec_len(part, bs):
    block = int(_debugfs(part, "bmap /dir/sub 0").split()[0])
    _poke(part, block * bs + 12 + 4, "<H", BAD_REC_LEN)  # "..": rec_len


def _bad_block_numbers(part, bs):
    _debugfs(part, f"sif /odd-size block[2] {BAD_BLOCK}", write=True)
    ind = re.search(r"\(IND\):(\d+)", _debugfs(part, "stat /direct-edge"))
    _poke(part, int(ind.group(1)) * bs, "<I", BAD_BLOCK)


DAMAGE = {"badmagic": _bad_magic, "badgroup": _bad_group,
          "badrec": _bad_rec_len, "badblockno": _bad_block_numbers}


def make_damaged(path, kind, block_size=1024):
    """The fixture disk, with partition 1 damaged as DAMAGE[kind] says."""
    make(path, block_size)
    start, length = mkdisk.partition1(path)
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part.img")
        mkdisk.extract(path, part)
        DAMAGE[kind](part, block_size)
        with open(path, "r+b") as f, open(part, "rb") as p:
            f.seek(start)
            while chunk := p.read(1 << 20):
                f.write(chunk)
