"""tools/fsfixture.py - the ext2 disks the filesystem self-tests read.

make(path, block_size) builds, with tools/mkdisk.py, a partitioned disk whose
hda1 is an ext2 filesystem holding deterministic files and /manifest, one
line per regular file: "<path> <size> <crc32 in hex>".  The kernel reads the
manifest from the image itself and checks each file, so nothing about the
files is written into the kernel.  After the boot, fsck(path) runs e2fsck -fn.
"""
import os
import random
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkdisk  # noqa: E402

DISK_SIZE = 32 << 20


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
