"""tools/testplan.py - what `make check` boots, and what it expects to see.

Each entry is one QEMU boot (see tools/harness.py for how it is run):

  KtestRun(name, args, mem)   boots with -kernel and ktest=...; every
                              "TEST x PASS|FAIL" line the kernel prints is one
                              result, named "<name>/x".  The run itself fails
                              if the kernel does not reach "KTEST DONE".
  ExpectRun(name, args, mem, expect, ...)
                              one result: passes if every regular expression
                              in `expect` matches the console, in order, and
                              QEMU leaves with `exit_status` (None: the kernel
                              idles and the harness stops it once all matched).
  GdbRun(name)                boots paused and drives gdb against QEMU's stub.

To add a kernel self-test, write a KTEST() in C: `ktest=all` picks it up.
Add an entry here only for a new kind of boot.
"""
import os

from harness import KtestRun, ExpectRun, GdbRun
import testdisk

EXIT_PANIC = 3          # include/cmdline.h

# A symbolized frame: "[<c0101234>] name+0x1a/0x40".
def frame(name):
    return r"\[<c0[0-9a-f]{6}>\] " + name + r"\+0x[0-9a-f]+/0x[0-9a-f]+"

# The storage boots: hda partitioned (hda2 is scratch), hdb past 2^28 sectors
# (sparse), an empty CD-ROM as hdc (must be skipped), hdd on the secondary
# channel.  Layout: tools/testdisk.py and drivers/testdisk.h.
TEST_DISKS = ["partitioned", "big", "cdrom", "small"]


# fs/ext2_damage_ktest.c's tests, by the damage they need.
DAMAGE_TESTS = {
    "badmagic": ["ext2_damage_bad_magic_refuses_mount"],
    "badgroup": ["ext2_damage_bad_group_refuses_mount"],
    "badrec": ["ext2_damage_bad_rec_len_fails_lookup_and_readdir",
               "ext2_damage_bad_rec_len_refuses_changes"],
    "badblockno": ["ext2_damage_bad_block_in_inode_fails_lookup",
                   "ext2_damage_bad_block_in_indirect_fails_read"],
}


def scratch_written(paths):
    return testdisk.check_written(paths[0])


def ext2_clean(paths):
    import fsfixture
    return fsfixture.fsck(paths[0])


PLAN = [
    KtestRun("ktest-16M", "ktest=all", mem="16M"),
    KtestRun("ktest-512M", "ktest=all", mem="512M"),
    KtestRun("ktest-mem-limit", "ktest=all mem=8M", mem="512M"),
    KtestRun("ktest-disk-dma", "ktest=all testdisk", mem="32M",
             disks=TEST_DISKS, disk_check=scratch_written),
    KtestRun("ktest-disk-pio", "ktest=all testdisk ata=pio", mem="32M",
             disks=TEST_DISKS, disk_check=scratch_written),
    # ext2 on hda1, written through the real driver, then e2fsck -fn.
    KtestRun("ktest-ext2-1k-dma", "ktest=all testfs", mem="32M",
             disks=["ext2-1k"], disk_check=ext2_clean),
    KtestRun("ktest-ext2-4k-pio", "ktest=all testfs ata=pio", mem="32M",
             disks=["ext2-4k"], disk_check=ext2_clean),
    # Damaged ext2 images (tools/fsfixture.py: make_damaged): errors, one
    # line each, no panic.  Only their own tests run, to keep the boots short.
    *[KtestRun(f"ktest-ext2-{kind}", f"ktest={','.join(tests)} testdamage={kind}",
               mem="16M", disks=[f"ext2-{kind}"])
      for kind, tests in DAMAGE_TESTS.items()],

    ExpectRun("crash_page_fault_backtrace", "ktest=crash_page_fault", mem="16M",
              expect=[r"BUG: page fault at 0dead000: kernel write of a not-present page",
                      r"CR2=0dead000 error=2",
                      r"EAX=[0-9a-f]{8} EBX=",
                      r"Call trace:",
                      frame("ktest_crash_page_fault"),
                      frame("kmain"),
                      r"---\[ end trace \]---"],
              exit_status=EXIT_PANIC),
    ExpectRun("crash_panic_backtrace", "ktest=crash_panic", mem="16M",
              expect=[r"PANIC: deliberate panic from ktest crash_panic",
                      r"Call trace:",
                      frame("panic"),
                      frame("ktest_crash_panic"),
                      frame("kmain"),
                      r"---\[ end trace \]---"],
              exit_status=EXIT_PANIC),
    ExpectRun("crash_write_kernel_text_is_caught", "ktest=crash_write_kernel_text",
              mem="16M",
              expect=[r"BUG: page fault at c0100[0-9a-f]{3}: kernel write of a protected page",
                      frame("ktest_crash_write_kernel_text")],
              exit_status=EXIT_PANIC),
    ExpectRun("ktest_unknown_name_fails", "ktest=no_such_test", mem="16M",
              expect=[r"TEST no_such_test FAIL no such test",
                      r"KTEST DONE 0 passed, 1 failed"],
              exit_status=1),

    ExpectRun("boot_mounts_root", "root=/dev/hda1", mem="32M", disks=["ext2-1k"],
              expect=[r"hda1: start 2048",
                      r"VFS: mounted root hda1 \(ext2, 1024-byte blocks\)",
                      # the fixture has no /sbin/init: said so, not hung
                      r"No working init found: /sbin/init: error -2"],
              exit_status=None),
    ExpectRun("boot_missing_root_is_reported", "root=/dev/hdb7", mem="16M",
              expect=[r"VFS: root device hdb7 not found", r"idling"],
              exit_status=None),

    # make run's path: GRUB from the ISO, then the same boot output.
    ExpectRun("boot_grub_iso", None, mem="128M", boot="iso", timeout=90,
              expect=[r"Walnut \d+\.\d+ \(i386\)",
                      r"Booted by GRUB",
                      r"Memory map:",
                      r"\[mem 0x00100000-0x[0-9a-f]{8}\] usable",
                      r"Free pages: \d+ \(\d+ KiB\)",
                      # GRUB passes no image path: the options are intact
                      r"Command line: root=/dev/hda1",
                      r"idling"],
              exit_status=None),

    GdbRun("gdb_breaks_in_kmain_and_a_system_call"),
]


# ---- user programs as pid 1 on the root disk (tools/harness.py UserRun) ----

# Tests that write to the disk run on a copy that e2fsck checks afterwards.
USER_TESTS_THAT_WRITE = {"stdio_files", "shell_script", "vm_file", "vm_deadlock",
                         "fs_readdir_deleted_block_hang",
                         "vm_badargs", "vm_oom_despite_clean_cache",
                         "pipe_copy_with_file_mapping"}

# Memory for a test's machine, where the default (64 MiB) does not suit it:
# a test of running out of memory runs out sooner in a small one.
USER_TEST_MEM = {"vm_oom_despite_clean_cache": "24M"}


def vm_file_pattern(length):
    """user/tests/vmlib.h: fill_pattern -- records "%07d\n" from 0."""
    text = b"".join(b"%07d\n" % (k % 10000000) for k in range((length + 7) // 8))
    return text[:length]


# Console lines a test's run must show: the death notices a student reads.
USER_TEST_CONSOLE = {
    "signal_segv": [r"killed by SIGSEGV: write to kernel address c0000000 at eip"],
    "syscall_unknown_reported_once": [(r"unknown system call 222$", 1),
                                      (r"unknown system call \d+ \(and any past", 1),
                                      (r"unknown system call", 2)],
}

# Arguments a test gets in the guest (after its path on init's command line).
USER_TEST_ARGS = {"vm_file": "--keep"}

# Files a test leaves on its copy of the disk, and what they must hold once
# the guest has powered off, read from the image with debugfs: the bytes
# went through the page cache and write-back to ext2 on the disk.
USER_TEST_DISK_FILES = {
    "vm_file": [("/tmp/vm_file.shared", vm_file_pattern(2 * 4096)),    # MAP_SHARED + msync
                ("/tmp/vm_file.private", vm_file_pattern(2 * 4096))],  # MAP_PRIVATE never
}


def user_plan(build_dir):
    """One run per program in build/user/tests: /tests/NAME as init.  And
    the C library's own test, user/lib/tests/glue_test.c, which make
    user-glue-check runs on Linux: here on Walnut, on a copy of the disk,
    in /tmp (it writes ./glue.tmp)."""
    from harness import UserRun
    tests = os.path.join(build_dir, "user", "tests")
    runs = [UserRun("user/glue_test", "/tests/lib/glue_test", args="-C /tmp",
                    copy_disk=True)]
    for name in sorted(os.listdir(tests)) if os.path.isdir(tests) else []:
        path = os.path.join(tests, name)
        if os.path.isfile(path) and os.access(path, os.X_OK) and "." not in name:
            mem = {"mem": USER_TEST_MEM[name]} if name in USER_TEST_MEM else {}
            runs.append(UserRun("user/" + name, "/tests/" + name,
                                args=USER_TEST_ARGS.get(name, ""), **mem,
                                copy_disk=name in USER_TESTS_THAT_WRITE,
                                disk_files=USER_TEST_DISK_FILES.get(name, ()),
                                console=USER_TEST_CONSOLE.get(name, ())))
    return runs
