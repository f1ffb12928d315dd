#!/usr/bin/env python3
"""tools/mkrootfs.py - Walnut's root filesystem: a small Unix tree of the
user programs, on a partitioned disk image made by tools/mkdisk.py.

  mkrootfs.py --build BUILD OUT [--extra FILE ...] [--size 64M]

Lays out, from BUILD/user (what `make user` made):
    /sbin/init            user/sbin/*
    /bin/*                user/bin/*
    /tests/*              user/tests/* (in-guest tests), /tests/data/*
    /tests/lib/*          user/lib/tests/* (the C library's own tests)
    /bench/*              user/bench/*
    /prog/NAME            each --extra FILE (make run-prog's program)
    /dev /proc            empty directories: the kernel mounts devfs, procfs
    /tmp                  mode 1777, for the tests' scratch files
    /etc/motd             a greeting
and writes the disk image OUT (MBR, ext2 on partition 1, 1 KiB blocks).
"""
import argparse
import os
import shutil
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkdisk  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOTD = """Welcome to Walnut, a teaching kernel.
Programs are in /bin; tests in /tests.  'poweroff' stops the machine.
"""


def is_program(path):
    return os.path.isfile(path) and not path.endswith((".d", ".o")) and \
        os.access(path, os.X_OK)


def copy_programs(src_dir, dst_dir):
    os.makedirs(dst_dir, exist_ok=True)
    if not os.path.isdir(src_dir):
        return
    for name in sorted(os.listdir(src_dir)):
        src = os.path.join(src_dir, name)
        if is_program(src):
            shutil.copy2(src, os.path.join(dst_dir, name))


def stage(build, root, extras):
    user = os.path.join(build, "user")
    for sub in ("sbin", "bin", "tests", "bench"):
        copy_programs(os.path.join(user, sub), os.path.join(root, sub))
    copy_programs(os.path.join(user, "lib", "tests"), os.path.join(root, "tests", "lib"))
    data = os.path.join(REPO, "user", "tests", "data")
    if os.path.isdir(data):
        shutil.copytree(data, os.path.join(root, "tests", "data"))
    for d in ("dev", "proc", "etc"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.makedirs(os.path.join(root, "tmp"))
    os.chmod(os.path.join(root, "tmp"), 0o1777 | stat.S_IFDIR)
    with open(os.path.join(root, "etc", "motd"), "w") as f:
        f.write(MOTD)
    for path in extras:
        os.makedirs(os.path.join(root, "prog"), exist_ok=True)
        shutil.copy2(path, os.path.join(root, "prog", os.path.basename(path)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--build", required=True)
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--size", default="64M")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        os.makedirs(root)
        stage(opts.build, root, opts.extra)
        mkdisk.build(opts.out, root, mkdisk.parse_size(opts.size), 1024)


if __name__ == "__main__":
    main()
