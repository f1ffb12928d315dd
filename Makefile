# Walnut - top-level Makefile.
#
#   make            build the kernel (build/walnut.elf) and the GRUB ISO
#   make run        boot the ISO in QEMU on this terminal (Ctrl-A X quits)
#   make check      every test: the C library's on this host, host unit
#                   tests, kernel self-tests, user tests and the C library's
#                   in Walnut, gdb test; the last line is "N passed, N failed"
#   make run-prog PROG=x.c [ARGS="a b"] [MEM=16M]
#                   any POSIX C file as pid 1 on a copy of the root disk
#   make bench      benchmarks that print figures
#   make qemu-gdb   make run's machine, paused, waiting for gdb on localhost:1234
#   make gdb        gdb attached to that QEMU, with the kernel's symbols
#
# Variables: OPT=-Og for easier stepping in gdb; KARGS="..." adds kernel
# options to the ISO's GRUB entry (make run KARGS="loglevel=4");
# QEMU_ACCEL=kvm to try KVM (TCG is the default: see README); MEM=16M gives
# run-prog, and every user-program boot of make check, that much memory;
# I386_EXEC=qemu runs host i386 programs under qemu-i386 (below); V=1 shows
# every command in full instead of one short line per file.

CROSS	?= i686-linux-gnu-
CC	:= $(CROSS)gcc
LD	:= $(CROSS)ld
NM	:= $(CROSS)nm
NASM	?= nasm
HOSTCC	?= gcc
PYTHON	?= python3
QEMU	?= qemu-system-i386
OPT	?= -O2
KARGS	?=
B	:= build

# One short line per step ("CC mm/walk.c"), or with V=1 the full commands.
# A recipe line starts with $(call say,TAG,WHAT) and goes on with the
# command; the lines after it in the same recipe start with $(Q).
V	?= 0
ifeq ($(V),1)
say	=
Q	:=
else
say	= @printf '  %-7s %s\n' '$(1)' '$(2)';
Q	:= @
endif

# Asked of the cross compiler on first use, not when make reads this file: on
# a fresh machine the compiler only exists once tools/deps.sh has run.
GCC_INCLUDE = $(eval GCC_INCLUDE := $(shell $(CC) -print-file-name=include))$(GCC_INCLUDE)
LIBGCC = $(eval LIBGCC := $(shell $(CC) -print-libgcc-file-name))$(LIBGCC)

CFLAGS	= -std=gnu11 -m32 -march=i686 -ffreestanding -fno-pie -fno-pic \
	   -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	   -fno-asynchronous-unwind-tables -mgeneral-regs-only -mno-red-zone \
	   -nostdinc -isystem $(GCC_INCLUDE) \
	   -Iinclude $(OPT) -g -Wall -Wextra -Werror -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-unused-parameter -MMD -MP
NASMFLAGS := -f elf32 -g -F dwarf -Werror

KSRC	:= $(wildcard kernel/*.c mm/*.c drivers/*.c fs/*.c arch/i386/*.c)
ASRC	:= $(wildcard boot/*.asm arch/i386/*.asm)
KOBJ	:= $(patsubst %.c,$(B)/%.o,$(KSRC)) $(patsubst %.asm,$(B)/%.o,$(ASRC))

.PHONY: all run run-prog check bench qemu-gdb gdb clean deps host-tests
all: $(B)/walnut.elf $(B)/walnut.iso

deps:
	@tools/deps.sh

$(B)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.asm | deps
	@mkdir -p $(dir $@)
	$(call say,AS,$<)$(NASM) $(NASMFLAGS) $< -o $@

# Two links: the first, with an empty symbol table, gives the addresses; the
# second adds the table.  .ksyms sits after .text and .rodata (linker.ld), so
# no function moves -- checked below, since a wrong table would lie in every
# backtrace.
$(B)/walnut.elf: $(KOBJ) linker.ld tools/mksyms.py
	$(call say,LD,$@ (twice: the symbol table))$(PYTHON) tools/mksyms.py < /dev/null > $(B)/ksyms0.S
	$(Q)$(CC) $(CFLAGS) -c $(B)/ksyms0.S -o $(B)/ksyms0.o
	$(Q)$(LD) -m elf_i386 -T linker.ld -nostdlib --fatal-warnings -o $(B)/walnut.tmp $(KOBJ) $(B)/ksyms0.o $(LIBGCC)
	$(Q)$(NM) -n $(B)/walnut.tmp > $(B)/walnut.tmp.nm
	$(Q)$(PYTHON) tools/mksyms.py < $(B)/walnut.tmp.nm > $(B)/ksyms.S
	$(Q)$(CC) $(CFLAGS) -c $(B)/ksyms.S -o $(B)/ksyms.o
	$(Q)$(LD) -m elf_i386 -T linker.ld -nostdlib --fatal-warnings -o $@ $(KOBJ) $(B)/ksyms.o $(LIBGCC)
	@$(NM) -n $@ | grep -i ' t ' > $(B)/walnut.nm
	@grep -i ' t ' $(B)/walnut.tmp.nm | cmp -s - $(B)/walnut.nm || \
		{ echo "walnut.elf: text moved between the two links"; rm -f $@; exit 1; }

$(B)/walnut.iso: $(B)/walnut.elf boot/grub.cfg
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	$(call say,ISO,$@)cp $(B)/walnut.elf $(B)/iso/boot/walnut.elf
	$(Q)sed 's|@KARGS@|$(KARGS)|' boot/grub.cfg > $(B)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(B)/iso 2> $(B)/grub-mkrescue.log || \
		{ cat $(B)/grub-mkrescue.log; exit 1; }

# Edit KARGS, and the ISO must be rebuilt: remember the last value.
$(B)/walnut.iso: $(B)/kargs
$(B)/kargs: FORCE
	@mkdir -p $(B)
	@echo '$(KARGS)' | cmp -s - $@ || echo '$(KARGS)' > $@
FORCE:

# Static i386 programs that run on this host (user-glue-check, linux-tests,
# user/tests/host/run.sh) go through tools/run-i386: natively where the host
# kernel runs i386 binaries, else under qemu-i386, found out once by a probe.
# I386_EXEC=qemu forces the emulator, I386_EXEC=native the host.
I386_EXEC ?= auto
export I386_EXEC
RUN_I386 := $(CURDIR)/tools/run-i386

include user/user.mk
include user/tests/linux.mk

# The root disk: every user program in a small Unix tree (tools/mkrootfs.py).
# make run boots on it; the tests boot on it with QEMU's snapshot=on, so it
# never changes under them.
ROOT_IMG := $(B)/root.img
$(ROOT_IMG): $(USER_PROGS) $(USER_GLUE_TEST) tools/mkrootfs.py tools/mkdisk.py \
		$(wildcard user/tests/data/*)
	$(call say,ROOTFS,$@)$(PYTHON) tools/mkrootfs.py --build $(B) $@

# make run's machine: the GRUB ISO, the root disk as hda.  make qemu-gdb
# boots the very same, paused, so that a breakpoint in a system call or a
# page fault is reached once init and the shell run.
RUN_QEMU = $(QEMU) -cdrom $(B)/walnut.iso -boot d -m 128M -nographic -no-reboot \
	-drive file=$(ROOT_IMG),format=raw,if=ide,index=0

run: all $(ROOT_IMG)
	$(RUN_QEMU)

# Any POSIX C file, run as pid 1 on a fresh copy of the root disk (one per
# run, removed after); exits with the program's status (docs/userspace.md).
# exec: a SIGTERM from make or timeout(1) goes straight to the harness, which
# stops QEMU.
run-prog: all $(USER_EXTRA)
	@$(if $(PROG),true,echo "usage: make run-prog PROG=path/to/prog.c [ARGS=\"a b\"] [MEM=16M]"; exit 1)
	exec $(PYTHON) tools/harness.py run-prog --kernel $(B)/walnut.elf \
		--prog $(USER_EXTRA) --args "$(ARGS)" --mem $(or $(MEM),128M)

# Host unit tests: the real mm/ and kernel/ sources, built for this machine.
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-DWALNUT_HOST -Itests/host -Iinclude -fsanitize=address,undefined \
	-fno-sanitize-recover=all
HOST_TESTS := $(patsubst tests/%.c,$(B)/host/%,$(wildcard tests/*_test.c))
HOST_COMMON := tests/host/shim.c mm/page_alloc.c mm/kmalloc.c mm/reclaim.c kernel/vsprintf.c \
	kernel/string.c tests/host/blkfile.c tests/host/task.c tests/host/flatfs.c \
	drivers/blkdev.c fs/buffer.c fs/vfs.c fs/file.c mm/filemap.c \
	$(filter-out %_ktest.c,$(wildcard fs/ext2_*.c))

$(B)/host/%: tests/%.c $(HOST_COMMON) $(wildcard tests/host/*.h) $(wildcard include/*.h fs/*.h) | deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)$(HOSTCC) $(HOST_CFLAGS) -Ifs -o $@ $< $(HOST_COMMON)

# tty_test links the terminal, not the block layer and ext2: its own
# stand-ins for sleeping, time and signals replace tests/host/blkfile.c's.
$(B)/host/tty_test: HOST_COMMON := tests/host/shim.c mm/page_alloc.c mm/kmalloc.c \
	kernel/vsprintf.c kernel/string.c drivers/tty.c
$(B)/host/tty_test: drivers/tty.c

host-tests: $(HOST_TESTS)

# The C library's glue_test runs here first (what make user-glue-check does,
# but counted with the rest, so that the last line is always the total).
check: all host-tests $(USER_GLUE_TEST) $(ROOT_IMG)
	$(PYTHON) tools/harness.py check --kernel $(B)/walnut.elf --iso $(B)/walnut.iso \
		--root-img $(ROOT_IMG) $(if $(MEM),--mem $(MEM)) \
		--host-i386-test $(USER_GLUE_TEST) $(addprefix --host-test ,$(HOST_TESTS)) \
		--host-test "tools/syscall_table.py --check docs/syscalls.md" \
		--host-test "tools/check_walker.py"

bench: all $(ROOT_IMG)
	$(PYTHON) tools/harness.py bench --kernel $(B)/walnut.elf --root-img $(ROOT_IMG)

qemu-gdb: all $(ROOT_IMG)
	@echo "QEMU is paused; in another terminal run: make gdb"
	$(RUN_QEMU) -S -gdb tcp::1234

gdb: $(B)/walnut.elf
	gdb -q -nx -x .gdbinit

clean:
	rm -rf $(B)

-include $(KOBJ:.o=.d)
