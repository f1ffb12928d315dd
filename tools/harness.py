#!/usr/bin/env python3
"""tools/harness.py - boot Walnut under QEMU, read its serial console, judge.

  harness.py check --kernel K --iso I [--host-test BIN ...] [--root-img IMG]
                   [--host-i386-test BIN ...] [--mem SIZE] [--only REGEX] [-j N]
        run the host unit tests (an i386 one through tools/run-i386, in a
        scratch directory), then every boot in tools/testplan.py (with
        IMG, the user programs too, each with SIZE of memory if given); print
        one "TEST name PASS|FAIL" line per result and, last, "N passed,
        N failed"; exit 1 if anything failed, hung or panicked.
  harness.py bench --kernel K
        boot-time benchmark: QEMU start to the banner, in milliseconds; then
        block I/O throughput (bench=blk), DMA and PIO.
  harness.py run-prog --kernel K --prog BIN [--args "a b"] [--mem SIZE]
        BIN as pid 1 on a fresh root disk of its own; its console on stdout;
        exit with its status (124: timed out, 125: the kernel failed or
        leaked).

QEMU runs under TCG unless QEMU_ACCEL=kvm: the /dev/kvm on our machines is a
nested hypervisor that cannot run i386 guests ("KVM internal error").  Every
boot has a timeout; a boot that hangs or panics is a failure and its last
console lines are shown.  The kernel leaves QEMU through isa-debug-exit, so a
status s written by power_off() comes back as QEMU exit code (s << 1) | 1.

QEMU runs in a session of its own, so a Ctrl-C on the terminal reaches only
this script; on SIGINT, SIGTERM or SIGHUP it kills every QEMU it started and
removes its scratch images before it exits, and a timeout kills QEMU too.
"""
import argparse
import concurrent.futures
import os
import re
import select
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

QEMU = os.environ.get("QEMU", "qemu-system-i386")
ACCEL = os.environ.get("QEMU_ACCEL", "tcg")
DEFAULT_TIMEOUT = 120           # seconds; TCG on a busy 2-core machine
TAIL_LINES = 20                 # console lines shown for a failed boot


def make_disks(run_name, disks, build_dir):
    """QEMU -drive options for a run's disks, made fresh by tools/testdisk.py
    into build/test-disks/<run>-<n>.img.  disks[n] is IDE index n (0 hda,
    1 hdb, 2 hdc, 3 hdd): a testdisk kind ("partitioned", "big", "small",
    "scratch"), "cdrom" for an empty CD-ROM drive, or None for nothing.
    Returns (options, paths); paths[n] is None where there is no image."""
    import testdisk
    opts, paths = [], []
    for n, kind in enumerate(disks):
        path = None
        if kind == "cdrom":
            opts += ["-drive", f"if=ide,index={n},media=cdrom"]
        elif kind is not None:
            path = os.path.join(build_dir, "test-disks", f"{run_name}-{n}.img")
            testdisk.make(kind, path)
            opts += ["-drive", f"file={path},format=raw,if=ide,index={n}"]
        paths.append(path)
    return opts, paths


def qemu_command(kernel, iso, args, mem, boot="kernel", extra=()):
    cmd = [QEMU, "-machine", f"pc,accel={ACCEL}", "-m", mem,
           "-display", "none", "-serial", "stdio", "-monitor", "none",
           "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if boot == "kernel":
        cmd += ["-kernel", kernel, "-append", args or ""]
    else:
        cmd += ["-cdrom", iso, "-boot", "d"]
    return cmd + list(extra)


# Every QEMU still running, so that a signal can end them all (stop_all).
LIVE = set()
LIVE_LOCK = threading.Lock()
STOPPING = threading.Event()


class Console:
    """A running QEMU whose serial output we read as text."""

    def __init__(self, cmd):
        self.started = time.monotonic()
        with LIVE_LOCK:
            if STOPPING.is_set():
                raise KeyboardInterrupt("stopping: no new QEMU")
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT,
                                         start_new_session=True)
            LIVE.add(self.proc)
        self.raw = b""
        self.eof = False

    @property
    def text(self):
        return self.raw.decode("latin-1").replace("\r", "")

    def read_until(self, done, timeout):
        """Read until done(text) is true, QEMU exits, or timeout passes.
        Returns the time (since start) at which done() first held, or None."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            if done(self.text):
                return time.monotonic() - self.started
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(fd, 65536)
                if chunk:
                    self.raw += chunk
                else:
                    self.eof = True

    def wait_exit(self, timeout):
        """QEMU's exit status decoded as the kernel's power_off() status,
        or None if it did not exit in time or exited some other way."""
        self.read_until(lambda _: False, timeout)    # drain until EOF
        try:
            rc = self.proc.wait(timeout=max(1, timeout))
        except subprocess.TimeoutExpired:
            return None
        return rc >> 1 if rc > 0 and rc & 1 else None

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        with LIVE_LOCK:
            LIVE.discard(self.proc)

    def tail(self):
        lines = self.text.rstrip("\n").split("\n")[-TAIL_LINES:]
        return "\n".join("    | " + l for l in lines)


INIT_EXIT = re.compile(r"init: exited with status (-?\d+) \(code (\d+), signal (\d+)\)")
INIT_PAGES = re.compile(r"init: free pages (\d+) before, (\d+) after")


def root_drive(img, snapshot=True):
    """The root disk as hda; snapshot=on keeps the image unchanged."""
    opt = f"file={img},format=raw,if=ide,index=0"
    return ["-drive", opt + (",snapshot=on" if snapshot else "")]


def init_verdict(text):
    """What the kernel said when pid 1 exited: (wait status, why not clean).
    why is None when init exited, nothing leaked and the kernel said so."""
    m, pages = INIT_EXIT.search(text), INIT_PAGES.search(text)
    if "PANIC" in text or "BUG:" in text:
        return None, "kernel panicked"
    if not m or not pages:
        return None, "init never exited"
    leaks = re.findall(r"LEAK: (.*)", text)
    if leaks:
        return int(m.group(1)), f"leaked: {'; '.join(leaks)} (free pages " \
                                f"{pages.group(1)} before, {pages.group(2)} after)"
    return int(m.group(1)), None


class Result:
    def __init__(self, name, ok, detail="", log=""):
        self.name, self.ok, self.detail, self.log = name, ok, detail, log

    def line(self):
        """ok None: a check the program skipped, with its reason; it counts
        neither way."""
        s = f"TEST {self.name} {'SKIP' if self.ok is None else 'PASS' if self.ok else 'FAIL'}"
        return s + (f" {self.detail}" if self.detail else "")


TEST_LINE = re.compile(r"^TEST (\S+) (PASS|FAIL)(?: (.*))?$", re.M)
SKIP_LINE = re.compile(r"^TEST (\S+) SKIP(?: (.*))?$", re.M)


def parse_test_lines(text, prefix=""):
    return [Result(prefix + m.group(1), m.group(2) == "PASS", m.group(3) or "")
            for m in TEST_LINE.finditer(text)]


class KtestRun:
    """Boot with ktest=...: each TEST line is a result; the boot must finish.
    disks: see make_disks.  disk_check(paths) runs after QEMU has exited and
    returns None or why the images are wrong: one more result, <name>/disks."""

    def __init__(self, name, args, mem="16M", timeout=DEFAULT_TIMEOUT,
                 disks=(), disk_check=None):
        self.name, self.args, self.mem, self.timeout = name, args, mem, timeout
        self.disks, self.disk_check = disks, disk_check

    def run(self, ctx):
        drives, paths = make_disks(self.name, self.disks, ctx.build_dir)
        con = Console(qemu_command(ctx.kernel, ctx.iso,
                                   self.args + " panic=exit", self.mem,
                                   extra=drives))
        try:
            finished = con.read_until(lambda t: "KTEST DONE" in t, self.timeout)
            status = con.wait_exit(10) if finished else None
        finally:
            con.stop()
        results = parse_test_lines(con.text, self.name + "/")
        if not finished or status not in (0, 1):
            why = "timed out" if not con.eof else "kernel died"
            if "PANIC" in con.text or "BUG:" in con.text:
                why = "kernel panicked"
            results.append(Result(self.name, False,
                                  f"{why} before KTEST DONE", con.tail()))
        elif not results:
            results.append(Result(self.name, False, "no tests ran", con.tail()))
        elif self.disk_check:
            why = self.disk_check(paths)
            results.append(Result(self.name + "/disks", why is None, why or ""))
        return results


class ExpectRun:
    """One boot, one result: the patterns must appear in order."""

    def __init__(self, name, args, mem="16M", expect=(), exit_status=0,
                 boot="kernel", timeout=DEFAULT_TIMEOUT, disks=(),
                 disk_check=None):
        self.name, self.args, self.mem, self.boot = name, args, mem, boot
        self.expect, self.exit_status, self.timeout = expect, exit_status, timeout
        self.disks, self.disk_check = disks, disk_check

    def _matched(self, text):
        pos = 0
        for i, pat in enumerate(self.expect):
            m = re.compile(pat).search(text, pos)
            if not m:
                return i
            pos = m.end()
        return len(self.expect)

    def run(self, ctx):
        args = None if self.args is None else self.args + " panic=exit"
        drives, paths = make_disks(self.name, self.disks, ctx.build_dir)
        con = Console(qemu_command(ctx.kernel, ctx.iso, args, self.mem, self.boot,
                                   extra=drives))
        try:
            con.read_until(lambda t: self._matched(t) == len(self.expect),
                           self.timeout)
            status = (con.wait_exit(10) if self.exit_status is not None
                      else None)
        finally:
            con.stop()
        got = self._matched(con.text)
        if got < len(self.expect):
            return [Result(self.name, False,
                           f"never saw /{self.expect[got]}/", con.tail())]
        if status != self.exit_status:
            return [Result(self.name, False,
                           f"exit status {status}, wanted {self.exit_status}",
                           con.tail())]
        why = self.disk_check(paths) if self.disk_check else None
        return [Result(self.name, why is None, why or "")]


def disk_file_mismatches(img, files):
    """files: [(path in the ext2 image, expected bytes)].  Reads each out of
    the root partition of disk image img with debugfs -R 'cat PATH' and
    returns a list of what differs (empty if all match)."""
    import hashlib
    import mkdisk
    import tempfile
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part.img")
        mkdisk.extract(img, part)
        for path, want in files:
            p = subprocess.run(["debugfs", "-R", f"cat {path}", part],
                               capture_output=True)
            got = p.stdout
            if got != want:
                sha = lambda b: hashlib.sha256(b).hexdigest()[:16]
                bad.append(f"{path}: {len(got)} bytes sha256 {sha(got)}, want "
                           f"{len(want)} bytes sha256 {sha(want)}; starts "
                           f"{got[:24]!r}")
    return bad


def console_mismatches(text, expectations):
    """expectations: regexes that must match some line, or (regex, n)
    pairs that must match exactly n lines.  Returns what did not hold."""
    wrong = []
    for e in expectations:
        pat, want = e if isinstance(e, tuple) else (e, None)
        got = len(re.findall(pat, text, re.M))
        if (want is None and got == 0) or (want is not None and got != want):
            wrong.append(f"/{pat}/ matched {got} lines, want "
                         f"{'some' if want is None else want}")
    return wrong


class UserRun:
    """A user program (user/tests) run by /sbin/init on the root disk: its TEST lines
    are the results, and it must exit 0 with every page returned (the
    kernel's leak check when init exits).  copy_disk runs it on a copy of the
    disk and then e2fsck's that copy, for tests that write.  disk_files
    (implies copy_disk): [(path, expected bytes)] that must be in that copy,
    read with debugfs after the guest has powered off: one more result,
    <name>/disk_files.  console: regular expressions that must each match
    a line the kernel printed (what a student reads there, e.g. why a
    process died), or (expression, n) pairs that must match exactly n
    lines: one more result, <name>/console."""

    def __init__(self, name, path, args="", mem="64M", timeout=DEFAULT_TIMEOUT,
                 copy_disk=False, disk_files=(), console=()):
        self.name, self.path, self.args, self.mem = name, path, args, mem
        self.timeout, self.copy_disk = timeout, copy_disk or bool(disk_files)
        self.disk_files, self.console = list(disk_files), list(console)

    def disk(self, ctx):
        if not self.copy_disk:
            return ctx.root_img, root_drive(ctx.root_img)
        import shutil
        img = os.path.join(ctx.build_dir, "test-disks", self.name.replace("/", "-") + ".img")
        os.makedirs(os.path.dirname(img), exist_ok=True)
        shutil.copyfile(ctx.root_img, img)
        return img, root_drive(img, snapshot=False)

    def run(self, ctx):
        img, drive = self.disk(ctx)
        # /sbin/init runs the test as its child and reaps orphans, as on
        # Linux; it exits with the test's status, and then the kernel checks
        # for leaks and powers off.
        args = f"root=/dev/hda1 init=/sbin/init panic=exit -- {self.path} {self.args}"
        con = Console(qemu_command(ctx.kernel, ctx.iso, args.rstrip(),
                                   ctx.user_mem or self.mem, extra=drive))
        try:
            status = con.wait_exit(self.timeout)
        finally:
            con.stop()
        results = parse_test_lines(con.text, self.name + "/")
        wstatus, why = init_verdict(con.text)
        if why is None and wstatus != 0:
            why = f"exited with wait status {wstatus}"
        if why is None and status is None:
            why = "QEMU did not power off"
        if why is None and not results:
            why = "printed no TEST lines"
        if why is None and self.copy_disk:
            import mkdisk
            fsck = subprocess.run([sys.executable, mkdisk.__file__, "fsck", img],
                                  capture_output=True, text=True)
            if fsck.returncode != 0:
                why = "e2fsck found problems:\n" + fsck.stdout + fsck.stderr
        if self.console:
            wrong = console_mismatches(con.text, self.console)
            results.append(Result(self.name + "/console", not wrong,
                                  "; ".join(wrong)))
        if self.disk_files and status is not None:
            bad = disk_file_mismatches(img, self.disk_files)
            results.append(Result(self.name + "/disk_files", not bad,
                                  "; ".join(bad)))
        results.append(Result(self.name, why is None, why or "",
                              con.tail() if why else ""))
        return results


def stop_all():
    """Kill every QEMU still running (each leads a process group of its own)
    and start no more."""
    with LIVE_LOCK:
        STOPPING.set()
        for proc in list(LIVE):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def on_signal(signum, frame):
    """SIGTERM and SIGHUP end the script as Ctrl-C does: the finally blocks
    run (they stop QEMU and remove scratch images), and nothing new starts."""
    stop_all()
    raise KeyboardInterrupt(signal.Signals(signum).name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GdbRun:
    """Drive gdb in batch mode against QEMU's stub, on the boot make run and
    make qemu-gdb make (the GRUB ISO, the root disk as hda, init and the
    shell): break in kmain, break later, read a kernel variable and check it
    against what the kernel prints; then break in a system call that init
    makes from user space and take a backtrace, which must end cleanly at
    the entry stub (arch/i386/trapentry.asm).  gdb must never say "Internal
    error" (nasm's line information once made it, at every stop).  "Step
    through it with gdb", tested."""

    SYSCALL = "sys_write"       # init's first words: "init: Walnut is up..."

    def __init__(self, name, timeout=DEFAULT_TIMEOUT):
        self.name, self.timeout = name, timeout

    def gdb_commands(self, kernel, port):
        return ["set confirm off", "set pagination off", f"file {kernel}",
                f"target remote 127.0.0.1:{port}",
                # Hardware breakpoints: at reset paging is off, so gdb cannot
                # plant a software breakpoint at a higher-half address.
                "hbreak kmain", "continue", "print/x magic",
                "hbreak mem_print_map", "continue",
                "print max_pfn", "bt", "delete",
                f"hbreak {self.SYSCALL}", "continue", "print current->comm",
                "echo BT-SYSCALL\\n", "bt", "echo BT-END\\n",
                "delete", "detach"]

    def check(self, out, console):
        want = [(r"Breakpoint 1, (0x[0-9a-f]+ in )?kmain \(", "stop in kmain"),
                (r"\$1 = 0x2badb002", "read kmain's magic argument"),
                (r"Breakpoint 2, (0x[0-9a-f]+ in )?mem_print_map \(", "second stop"),
                (r"\$2 = (\d+)", "read max_pfn"),
                (r"#0 .*mem_print_map", "backtrace frame 0"),
                (r"#1 .*kmain", "backtrace frame 1"),
                (rf"Breakpoint 3, (0x[0-9a-f]+ in )?{self.SYSCALL} \(",
                 f"stop in {self.SYSCALL}, called from user space"),
                (r'\$3 = "init"', "see init as current")]
        for pat, what in want:
            if not re.search(pat, out):
                return f"gdb did not {what}"
        if "Internal error" in out or "not in symtab" in out:
            return "gdb printed an internal error"
        bt = out.split("BT-SYSCALL", 1)[-1].split("BT-END", 1)[0]
        frames = re.findall(r"^#\d+\s+(.*)$", bt, re.M)
        if not frames or "??" in bt:
            return "the system call's backtrace has ?? frames"
        order = [self.SYSCALL, "syscall_dispatch", "trap_dispatch"]
        if [f for f in order if not any(f in fr for fr in frames)] or \
                not re.search(r"\b(sysenter_entry|trap_common)\b", frames[-1]):
            return "the system call's backtrace does not end at the entry stub"
        max_pfn = int(re.search(r"\$2 = (\d+)", out).group(1))
        m = re.search(r"(\d+) KiB low memory mapped", console)
        if not m or int(m.group(1)) != max_pfn * 4:
            return f"gdb read max_pfn={max_pfn}, the kernel printed {m and m.group(0)}"
        return None

    def run(self, ctx):
        if not ctx.root_img:
            return [Result(self.name, False, "needs the root disk (--root-img)")]
        port = free_port()
        con = Console(qemu_command(ctx.kernel, ctx.iso, None, "128M", boot="iso",
                                   extra=root_drive(ctx.root_img) +
                                   ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]))
        try:
            cmd = ["gdb", "-q", "-nx", "-batch"]
            for c in self.gdb_commands(ctx.kernel, port):
                cmd += ["-ex", c]
            time.sleep(0.2)             # let QEMU open its gdb port
            try:
                gdb = subprocess.run(cmd, capture_output=True, text=True,
                                     timeout=self.timeout)
                out = gdb.stdout + gdb.stderr
            except subprocess.TimeoutExpired as e:
                out = f"gdb timed out\n{e.stdout or ''}"
            con.read_until(lambda t: "KiB low memory mapped" in t, 30)
        finally:
            con.stop()
        why = self.check(out, con.text)
        if why:
            log = "\n".join("    gdb| " + l for l in out.splitlines()[-2 * TAIL_LINES:])
            return [Result(self.name, False, why, log + "\n" + con.tail())]
        return [Result(self.name, True)]


class Context:
    """user_mem: memory for every user-program boot (UserRun), instead of
    each one's own default."""

    def __init__(self, kernel, iso, root_img=None, user_mem=None):
        self.kernel, self.iso, self.root_img = kernel, iso, root_img
        self.user_mem = user_mem
        self.build_dir = os.path.dirname(os.path.abspath(kernel))


def run_host_test(path, name=None, cwd=None, prefix="", timeout=300):
    """path: a host test program, or a command line (a checker with its
    arguments, e.g. tools/syscall_table.py --check docs/syscalls.md).
    Its TEST lines are the results, named prefix + their own name."""
    argv = shlex.split(path)
    name = name or os.path.basename(argv[0])
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                           cwd=cwd)
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired:
        return [Result(name, False, "timed out")]
    results = parse_test_lines(out, prefix)
    if rc != 0 and all(r.ok for r in results):
        tail = "\n".join("    | " + l for l in out.splitlines()[-TAIL_LINES:])
        results.append(Result(name, False, f"exited with status {rc}", tail))
    if not results:
        results.append(Result(name, False, "printed no TEST lines"))
    return results + [Result(prefix + m.group(1), None, m.group(2) or "")
                      for m in SKIP_LINE.finditer(out)]


def run_i386_test(path, build_dir):
    """A static i386 program of ours (the C library's glue_test) on this
    machine, through tools/run-i386 (natively, or under qemu-i386), in a
    scratch directory of its own; results are named <program>/<test>."""
    import shutil
    name = os.path.basename(path)
    scratch = tempfile.mkdtemp(prefix=name + ".", dir=build_dir)
    run_i386 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run-i386")
    mode = subprocess.run([run_i386, "--mode"], capture_output=True, text=True)
    print(f"# {name}: i386 programs run "
          f"{'natively' if mode.stdout.strip() == 'native' else 'under qemu-i386'}"
          f" on this machine (tools/run-i386)", flush=True)
    try:
        return run_host_test(f"{shlex.quote(run_i386)} {shlex.quote(os.path.abspath(path))}",
                             name=name, cwd=scratch, prefix=name + "/", timeout=120)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(results, out=sys.stdout):
    for r in results:
        print(r.line(), file=out)
        if not r.ok and r.log:
            print(r.log, file=out)
    out.flush()


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def check(opts):
    from testplan import PLAN, user_plan
    ctx = Context(opts.kernel, opts.iso, opts.root_img, opts.mem)
    plan = PLAN + (user_plan(ctx.build_dir) if opts.root_img else [])
    results = []
    for path in opts.host_i386_test:
        r = run_i386_test(path, ctx.build_dir)
        report(r)
        results += r
    for path in opts.host_test:
        r = run_host_test(path)
        report(r)
        results += r
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs)
    try:
        futures = [pool.submit(run.run, ctx) for run in plan
                   if not opts.only or re.search(opts.only, run.name)]
        for f in concurrent.futures.as_completed(futures):
            r = f.result()
            report(r)
            results += r
    except BaseException:
        stop_all()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    passed = sum(r.ok is True for r in results)
    failed = sum(r.ok is False for r in results)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not results else 0


def bench(opts):
    """Boot time, QEMU start to banner, -kernel under TCG: a figure, not a test."""
    print(f"Boot time: QEMU start to banner, -kernel, accel={ACCEL}, "
          f"{opts.runs} boots each")
    print(f"{'memory':>8} {'banner min':>11} {'median':>8} {'max':>8} "
          f"{'boot done median':>17}")
    for mem in ("16M", "512M"):
        banner, done = [], []
        for _ in range(opts.runs):
            con = Console(qemu_command(opts.kernel, None, "", mem))
            try:
                t1 = con.read_until(lambda t: "Walnut " in t, 30)
                t2 = con.read_until(lambda t: "idling" in t, 30)
            finally:
                con.stop()
            if t1 is None or t2 is None:
                print(f"{mem}: boot did not reach the banner:\n{con.tail()}")
                return 1
            banner.append(t1 * 1000)
            done.append(t2 * 1000)
        print(f"{mem:>8} {min(banner):>9.0f}ms {statistics.median(banner):>6.0f}ms "
              f"{max(banner):>6.0f}ms {statistics.median(done):>15.0f}ms")
    return bench_blk(opts) or bench_user(opts)


def bench_blk(opts):
    """bench=blk (drivers/blkdev_bench.c): sequential throughput on a fresh
    64 MiB scratch hda, once by DMA and once with ata=pio.  Figures only."""
    build_dir = os.path.dirname(os.path.abspath(opts.kernel))
    print(f"\nBlock I/O through the block layer, one request at a time, "
          f"accel={ACCEL}")
    for mode in ("", "ata=pio"):
        drives, _ = make_disks("bench-blk", ["scratch"], build_dir)
        con = Console(qemu_command(opts.kernel, None, f"bench=blk {mode}",
                                   "32M", extra=drives))
        try:
            con.read_until(lambda t: "BENCH DONE" in t, DEFAULT_TIMEOUT)
        finally:
            con.stop()
        lines = [l for l in con.text.split("\n") if l.startswith("BENCH blk")]
        if not lines or "BENCH DONE" not in con.text:
            print(f"bench=blk {mode}: did not finish:\n{con.tail()}")
            return 1
        print("\n".join(lines))
    return 0


def bench_user(opts):
    """user/bench: each program of bench.list as pid 1 on the root disk; its
    BENCH lines, as a table.  The same programs also build for Linux, and
    the maintainers run them on Linux 6.1 in the same QEMU for comparison
    (docs/userspace.md, "Benchmarks")."""
    if not opts.root_img:
        return 0
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(repo, "user", "bench", "bench.list")) as f:
        progs = [l.split() for l in f if l.strip() and not l.startswith("#")]
    print(f"\nUser benchmarks (user/bench), pid 1 on the root disk, accel={ACCEL}")
    print(f"{'benchmark':<20} {'value':>12} unit")
    for prog, *args in progs:
        cmdline = f"root=/dev/hda1 init=/bench/{prog} panic=exit loglevel=6"
        if args:
            cmdline += " -- " + " ".join(args)
        con = Console(qemu_command(opts.kernel, None, cmdline, "128M",
                                   extra=root_drive(opts.root_img)))
        try:
            con.wait_exit(DEFAULT_TIMEOUT * 2)
        finally:
            con.stop()
        lines = re.findall(r"^BENCH (\S+) (\S+) (\S+)$", con.text, re.M)
        wstatus, why = init_verdict(con.text)
        if not lines or why or wstatus != 0:
            print(f"{prog}: failed ({why or 'no BENCH line'}):\n{con.tail()}")
            return 1
        for name, value, unit in lines:
            print(f"{name:<20} {value:>12} {unit}")
    return 0


RUN_PROG_TIMEOUT = int(os.environ.get("RUN_PROG_TIMEOUT", "600"))


def run_prog(opts):
    """make run-prog: PROG as pid 1 on a fresh root disk of its own (two runs
    at once must not share an image: QEMU locks it), console streamed; the
    image is removed afterwards."""
    build_dir = os.path.dirname(os.path.abspath(opts.kernel))
    fd, img = tempfile.mkstemp(prefix="run-prog.", suffix=".img", dir=build_dir)
    os.close(fd)
    try:
        return run_prog_on(opts, img)
    finally:
        os.unlink(img)


def run_prog_on(opts, img):
    build_dir = os.path.dirname(img)
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__),
                    "mkrootfs.py"), "--build", build_dir, "--extra", opts.prog,
                    img], check=True)
    name = os.path.basename(opts.prog)
    args = f"root=/dev/hda1 init=/prog/{name} panic=exit loglevel=6"
    if opts.args.strip():
        args += " -- " + opts.args.strip()
    con = Console(qemu_command(opts.kernel, None, args, opts.mem,
                               extra=root_drive(img, snapshot=False)))
    shown = 0

    def show(text):
        nonlocal shown
        sys.stdout.write(text[shown:])
        sys.stdout.flush()
        shown = len(text)
        return False

    try:
        con.read_until(show, RUN_PROG_TIMEOUT)
        timed_out = not con.eof
    finally:
        con.stop()
    show(con.text)
    wstatus, why = init_verdict(con.text)
    if timed_out:
        print(f"run-prog: no exit after {RUN_PROG_TIMEOUT} s (RUN_PROG_TIMEOUT)")
        return 124
    if wstatus is None or (why and "leaked" in why):
        print(f"run-prog: {why}")
        return 125
    return 128 + (wstatus & 0x7f) if wstatus & 0x7f else (wstatus >> 8) & 0xff


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--kernel", required=True)
    c.add_argument("--iso", required=True)
    c.add_argument("--host-test", action="append", default=[])
    c.add_argument("--host-i386-test", action="append", default=[],
                   help="a static i386 program to run here through tools/run-i386")
    c.add_argument("--root-img", help="the root disk: also run user/tests")
    c.add_argument("--only", help="run only boots whose name matches this regex")
    c.add_argument("--mem", help="memory for every user-program boot (QEMU -m, e.g. 16M)")
    c.add_argument("-j", "--jobs", type=int, default=2)
    b = sub.add_parser("bench")
    b.add_argument("--kernel", required=True)
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--root-img", help="the root disk: also run user/bench")
    r = sub.add_parser("run-prog")
    r.add_argument("--kernel", required=True)
    r.add_argument("--prog", required=True)
    r.add_argument("--args", default="")
    r.add_argument("--mem", default="128M", help="QEMU -m (default 128M)")
    opts = ap.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    cmds = {"check": check, "bench": bench, "run-prog": run_prog}
    try:
        sys.exit(cmds[opts.cmd](opts))
    except KeyboardInterrupt as e:
        stop_all()
        why = str(e) or "SIGINT"
        print(f"\nharness: stopped by {why}; every QEMU it started is gone",
              file=sys.stderr)
        sys.exit(128 + getattr(signal, why, signal.SIGINT))


if __name__ == "__main__":
    main()
