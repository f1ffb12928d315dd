# user/user.mk - user space: newlib, Walnut's C library glue, the programs.
# Included by the top-level Makefile (which defines B, CROSS, GCC_INCLUDE,
# LIBGCC, FORCE and deps).  docs/userspace.md explains the pieces.
#
#   make user              newlib (built once, then reused), the glue library
#                          build/user/libwalnut.a, and every program:
#                            user/sbin/*.c   -> build/user/sbin/NAME
#                            user/bin/*.c    -> build/user/bin/NAME
#                            user/tests/*.c  -> build/user/tests/NAME
#                            user/bench/*.c  -> build/user/bench/NAME
#   make user-glue-check   build user/lib/tests/glue_test.c against the glue
#                          and run it on this host: Walnut's system-call ABI
#                          is Linux i386, so Linux runs the same binary
#                          (through tools/run-i386: natively, or under
#                          qemu-i386 where the host cannot; I386_EXEC=qemu
#                          forces the emulator)
#   make user-prog PROG=dir/foo.c
#                          one program from anywhere -> build/user/extra/foo,
#                          with warnings but without -Werror (not Walnut's)
#
# A program is one .c file (it may include headers next to it), compiled with
# $(USER_CFLAGS) and linked statically, as an ELF32 i386 executable whose
# first segment is at USER_BASE.  For another rule:
#
#   $(USER_PROG_DEPS)               what any program depends on
#   $(call user-link,OUT,SOURCES)   the recipe line that compiles and links
#
#   $(B)/user/extra/%: $(PROG) $(USER_PROG_DEPS)
#   	@mkdir -p $(@D)
#   	$(call user-link,$@,$(PROG))

USER_BASE	:= 0x08048000

# --- newlib -----------------------------------------------------------------
#
# Unpacked from Debian's newlib-source, configured for i686-elf (no operating
# system: every "system call" is ours, in user/lib) and compiled with the
# i686-linux-gnu cross compiler, cut off from glibc's headers by -nostdinc.
# The stamp makes it build once; $(NEWLIB_DIR)/config remembers the options
# it was built with, so changing them (and only that) rebuilds it.

NEWLIB_TARBALL	?= /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_DIR	:= $(B)/newlib
NEWLIB_STAMP	:= $(NEWLIB_DIR)/stamp
NEWLIB_INC	:= $(NEWLIB_DIR)/install/i686-elf/include
NEWLIB_LIB	:= $(NEWLIB_DIR)/install/i686-elf/lib
NEWLIB_JOBS	:= $(shell nproc 2>/dev/null || echo 2)

# The compiler predefines __linux__ (it targets Linux), which would make
# newlib's sys/config.h pick its Linux-port settings; Walnut is not newlib's
# Linux port.  Programs get __walnut__ instead.
USER_UNDEF	:= -U__linux__ -U__linux -Ulinux -U__gnu_linux__

# The CPU both newlib and the programs are compiled for.  -march=i686 alone
# would also tune for the Pentium Pro, and gcc then expands every memcpy of
# unknown length inline as "rep movsb" (memset as "rep stosl") instead of
# calling user/lib/string.c; QEMU's TCG runs those one element per step.
# -mtune=generic is what Debian's i686 compiler tunes for by default, so
# also what the benchmark programs get when built for Linux.
USER_ARCH	:= -march=i686 -mtune=generic

# What newlib may assume of the system underneath.  HAVE_FCNTL: stdout's
# buffering is decided on first use (line-buffered iff isatty(), as glibc)
# instead of always by line, and fdopen() checks the descriptor's mode.
# HAVE_BLKSIZE: stdio buffers are st_blksize bytes (as glibc), not 1 KiB.
# __LINUX_ERRNO_EXTENSIONS__: strerror() knows ESHUTDOWN, ENOMEDIUM, ...,
# which user/include/sys/features.h shows programs too.
NEWLIB_HAVE	:= -DHAVE_FCNTL -DHAVE_BLKSIZE -D__LINUX_ERRNO_EXTENSIONS__

NEWLIB_TARGET_CC = $(CROSS)gcc -nostdinc -isystem $(GCC_INCLUDE) $(USER_UNDEF)
NEWLIB_CONFIG	= --target=i686-elf --prefix=$(abspath $(NEWLIB_DIR))/install \
	--disable-newlib-supplied-syscalls --disable-libgloss --disable-multilib \
	--disable-nls --enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--enable-newlib-long-time_t \
	CC_FOR_TARGET='$(NEWLIB_TARGET_CC)' \
	CFLAGS_FOR_TARGET='-O2 -g $(USER_ARCH) -fno-pie -fno-stack-protector $(NEWLIB_HAVE)' \
	AR_FOR_TARGET=$(CROSS)ar AS_FOR_TARGET=$(CROSS)as LD_FOR_TARGET=$(CROSS)ld \
	NM_FOR_TARGET=$(CROSS)nm RANLIB_FOR_TARGET=$(CROSS)ranlib \
	OBJDUMP_FOR_TARGET=$(CROSS)objdump READELF_FOR_TARGET=$(CROSS)readelf \
	STRIP_FOR_TARGET=$(CROSS)strip

# newlib objects that user/lib replaces, taken out of the installed libc.a so
# the linker can never pull newlib's copy in beside ours: signal.o emulates
# signals inside the process (user/lib/signal.c asks the kernel), rename.o
# does link+unlink (user/lib/path.c calls rename(2)), and the string routines
# use rep movsl and friends, which QEMU's TCG runs an element at a time
# (user/lib/string.c).  The libwalnut.a rule below refuses a symbol that both
# libraries define.
NEWLIB_REPLACED	:= lib_a-signal.o lib_a-rename.o lib_a-memcpy.o lib_a-memmove.o \
	lib_a-memset.o lib_a-memchr.o lib_a-memcmp.o lib_a-strlen.o lib_a-strcmp.o

$(NEWLIB_DIR)/config: FORCE
	@mkdir -p $(@D)
	@echo '$(NEWLIB_CONFIG) replaced: $(NEWLIB_REPLACED)' | cmp -s - $@ || \
		echo '$(NEWLIB_CONFIG) replaced: $(NEWLIB_REPLACED)' > $@

# The script serialises concurrent builds (see its head).
$(NEWLIB_STAMP): $(NEWLIB_TARBALL) $(NEWLIB_DIR)/config \
		user/lib/newlib/machine/_types.h user/lib/newlib/build.sh | deps
	@AR=$(CROSS)ar user/lib/newlib/build.sh $(NEWLIB_DIR) $(NEWLIB_TARBALL) \
		$(NEWLIB_JOBS) '$(NEWLIB_REPLACED)' -- $(NEWLIB_CONFIG)

# --- the glue: crt0 and libwalnut.a ------------------------------------------

USER_CC		= $(CROSS)gcc
USER_CFLAGS	= -O2 -g -Wall -Wextra -Werror $(USER_ARCH) -fno-pie \
	-fno-stack-protector -nostdinc -isystem user/include -isystem $(NEWLIB_INC) \
	-isystem $(GCC_INCLUDE) $(USER_UNDEF) -D__walnut__
USER_LDFLAGS	:= -static -nostdlib -no-pie -Wl,-Ttext-segment=$(USER_BASE) \
	-Wl,-z,noexecstack
USER_LIB	:= $(B)/user/libwalnut.a
USER_CRT0	:= $(B)/user/lib/crt0.o
USER_LIBS	= -Wl,--start-group $(USER_LIB) $(NEWLIB_LIB)/libc.a \
	$(NEWLIB_LIB)/libm.a $(LIBGCC) -Wl,--end-group
USER_HEADERS	:= $(wildcard user/include/*.h user/include/sys/*.h)
USER_PROG_DEPS	:= $(NEWLIB_STAMP) $(USER_CRT0) $(USER_LIB) $(USER_HEADERS)

# The library's own code is held to the kernel's prototype rules too.
USER_LIB_CFLAGS	= $(USER_CFLAGS) -Wstrict-prototypes -Wmissing-prototypes
USER_LIB_SRC	:= $(wildcard user/lib/*.c) $(filter-out user/lib/crt0.S,$(wildcard user/lib/*.S))
USER_LIB_OBJS	:= $(patsubst user/lib/%,$(B)/user/lib/%.o,$(basename $(USER_LIB_SRC)))

$(B)/user/lib/%.o: user/lib/%.c $(NEWLIB_STAMP) $(USER_HEADERS)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(USER_CC) $(USER_LIB_CFLAGS) -MMD -MP -c $< -o $@

# The string routines (string.c) must not see their own loops turned back
# into calls to memcpy or memset; only string_sse2.c may use SSE2, and only
# string.c calls it, after checking cpuid.
USER_STRING_OBJS := $(B)/user/lib/string.o $(B)/user/lib/string_i386.o \
	$(B)/user/lib/string_sse2.o
$(USER_STRING_OBJS): USER_LIB_CFLAGS += -fno-builtin -fno-tree-loop-distribute-patterns
$(B)/user/lib/string_sse2.o: USER_LIB_CFLAGS += -msse2

# Each set's code starts on a page of its own and must fit in it: QEMU never
# chains a jump into a translated block that spans two pages, so a loop that
# straddles a page boundary goes back through QEMU's block lookup every time
# round, about ten times slower.  Otherwise where the linker happened to put
# a routine would decide its speed in each program.
USER_STRING_PAGED := $(B)/user/lib/string_i386.o $(B)/user/lib/string_sse2.o
$(USER_STRING_PAGED): $(B)/user/lib/%.o: user/lib/%.c $(NEWLIB_STAMP) $(USER_HEADERS)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_LIB_CFLAGS) -MMD -MP -c $< -o $@
	$(CROSS)objcopy --set-section-alignment .text=4096 $@
	@text=$$($(CROSS)size -A $@ | awk '$$1 == ".text" { print $$2 }'); \
	if [ "$$text" -gt 4096 ]; then echo "$@: .text is $$text bytes, more than a page"; \
		rm -f $@; exit 1; fi

$(B)/user/lib/%.o: user/lib/%.S $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	$(call say,AS,$<)$(USER_CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

# After archiving, no symbol may be defined both here and in newlib's libc.a:
# which copy the linker took would depend on the order it met them.
$(USER_LIB): $(USER_LIB_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(CROSS)ar rcs $@ $^
	@$(CROSS)nm -g --defined-only $@ | awk 'NF == 3 { print $$3 }' | sort -u > $@.syms
	@$(CROSS)nm -g --defined-only $(NEWLIB_LIB)/libc.a 2>/dev/null | \
		awk 'NF == 3 { print $$3 }' | sort -u | comm -12 - $@.syms > $@.dups
	@if [ -s $@.dups ]; then echo "libwalnut.a and newlib's libc.a both define:"; \
		cat $@.dups; echo "(add newlib's object to NEWLIB_REPLACED)"; rm -f $@; exit 1; fi

# --- programs ------------------------------------------------------------------

# $(call user-link,OUT,SOURCES[,CFLAGS]): compile and link one program, with
# $(USER_CFLAGS) unless CFLAGS is given.  crt0.o comes first; the libraries
# form a group because newlib calls back into the glue.
user-link = $(USER_CC) $(or $(3),$(USER_CFLAGS)) -MMD -MP -MF $(1).d -MT $(1) \
	$(USER_LDFLAGS) -o $(1) $(USER_CRT0) $(2) $(USER_LIBS)

USER_PROG_DIRS	:= sbin bin tests bench
USER_PROGS	:= $(foreach d,$(USER_PROG_DIRS), \
	$(patsubst user/$(d)/%.c,$(B)/user/$(d)/%,$(wildcard user/$(d)/*.c)))

$(USER_PROGS): $(B)/user/%: user/%.c $(USER_PROG_DEPS)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(call user-link,$@,$<)

# A program that is not Walnut's (PROG=, make run-prog) shows its warnings
# but is not stopped by them: a student's unused helper must still run.
USER_EXTRA	:= $(if $(PROG),$(B)/user/extra/$(basename $(notdir $(PROG))))
USER_EXTRA_CFLAGS = $(filter-out -Werror,$(USER_CFLAGS))
ifneq ($(PROG),)
$(USER_EXTRA): $(PROG) $(USER_PROG_DEPS)
	@mkdir -p $(@D)
	$(call say,CC,$(PROG))$(call user-link,$@,$(PROG),$(USER_EXTRA_CFLAGS))
endif

.PHONY: user user-prog user-glue-check
user: $(USER_LIB) $(USER_CRT0) $(USER_PROGS)

user-prog: $(USER_EXTRA)
	@$(if $(PROG),true,echo "usage: make user-prog PROG=path/to/prog.c"; exit 1)

# --- the glue, proved on Linux ---------------------------------------------------

USER_GLUE_TEST	:= $(B)/user/lib/tests/glue_test

$(USER_GLUE_TEST): user/lib/tests/glue_test.c $(USER_PROG_DEPS)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(call user-link,$@,$<)

# Runs in a scratch directory it removes; passes iff the program exits 0,
# prints at least one PASS line and no FAIL line.  tools/run-i386 runs it
# natively or under qemu-i386 (I386_EXEC, top-level Makefile).
user-glue-check: $(USER_GLUE_TEST)
	@dir=$$(mktemp -d $(CURDIR)/$(B)/user/glue-check.XXXXXX) && \
	( cd $$dir && timeout -k 5 60 $(RUN_I386) $(CURDIR)/$(USER_GLUE_TEST) ) > $$dir.out 2>&1; \
	rc=$$?; cat $$dir.out; \
	pass=$$(grep -c '^TEST [^ ]* PASS' $$dir.out); \
	fail=$$(grep -c '^TEST [^ ]* FAIL' $$dir.out); \
	rm -rf $$dir $$dir.out; \
	echo "user-glue-check: $$pass passed, $$fail failed (exit $$rc)"; \
	[ $$rc -eq 0 ] && [ $$pass -gt 0 ] && [ $$fail -eq 0 ]

-include $(USER_LIB_OBJS:.o=.d) $(USER_CRT0:.o=.d) $(addsuffix .d,$(USER_PROGS) $(USER_GLUE_TEST))
