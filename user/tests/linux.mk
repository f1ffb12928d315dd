# user/tests/linux.mk - run the in-guest user tests on Linux, the oracle.
#
#   make linux-tests
#
# Builds every user/tests/*.c as a static i386 glibc program into
# build/linux-tests/ and runs each on this host through tools/run-i386
# (natively, or under qemu-i386 where the host cannot run i386 binaries;
# I386_EXEC=qemu forces the emulator), by absolute path (the exec tests
# re-exec argv[0]) from a fresh scratch directory that is removed afterwards.
# A program fails if it prints a FAIL line, prints no PASS line, exits
# non-zero, or runs past LINUX_TEST_TIMEOUT; one that prints only SKIP
# lines and exits 0 is skipped.  Under qemu-i386 the checks that test the
# emulator rather than Linux print SKIP with the reason (testlib.h:
# skip_under_emulator; docs/testing.md lists them).
# The last line is "linux-tests: N passed, N failed" (programs, not checks),
# and how many were skipped, if any.
#
# A test that needs arguments on Linux gets them from LINUX_TEST_ARGS_<name>:
# shell_script's scripts live in the repository here, and under /tests/data in
# the guest.  They are named one by one, not as their directory: under
# qemu-i386, glibc's 32-bit readdir fails with EOVERFLOW on an ext4
# directory (docs/testing.md).

LINUX_TEST_CC		?= i686-linux-gnu-gcc
# _FILE_OFFSET_BITS=64: readdir through getdents64 with 64-bit offsets.
# Under qemu-i386 the host's ext4 hands out 64-bit directory offsets, which
# glibc's 32-bit readdir refuses with EOVERFLOW.
LINUX_TEST_CFLAGS	:= -static -O2 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64
LINUX_TEST_TIMEOUT	?= 120
LINUX_TEST_DIR		:= build/linux-tests
LINUX_TEST_NAMES	:= $(patsubst user/tests/%.c,%,$(wildcard user/tests/*.c))
LINUX_TEST_ARGS_shell_script := $(wildcard $(CURDIR)/user/tests/data/*.sh)

# The flags are remembered, so changing them rebuilds every program.
$(LINUX_TEST_DIR)/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(LINUX_TEST_CC) $(LINUX_TEST_CFLAGS)' | cmp -s - $@ || \
		echo '$(LINUX_TEST_CC) $(LINUX_TEST_CFLAGS)' > $@

$(LINUX_TEST_DIR)/%: user/tests/%.c $(wildcard user/tests/*.h) $(LINUX_TEST_DIR)/cflags
	@mkdir -p $(dir $@)
	$(call say,CC,$< (glibc))$(LINUX_TEST_CC) $(LINUX_TEST_CFLAGS) -o $@ $<

.PHONY: linux-tests
linux-tests: $(addprefix $(LINUX_TEST_DIR)/,$(LINUX_TEST_NAMES))
	@pass=0; fail=0; skip=0; \
	run() { \
		t=$$1; shift; \
		echo "== $$t $$*"; \
		dir=$$(mktemp -d "$(CURDIR)/$(LINUX_TEST_DIR)/run-$$t.XXXXXX"); \
		( cd "$$dir" && timeout -k 5 $(LINUX_TEST_TIMEOUT) $(RUN_I386) \
			"$(CURDIR)/$(LINUX_TEST_DIR)/$$t" "$$@" ) > "$$dir.out" 2>&1; \
		rc=$$?; \
		cat "$$dir.out"; \
		if [ $$rc -eq 0 ] && grep -q '^TEST [^ ]* PASS$$' "$$dir.out" && \
		   ! grep -q '^TEST [^ ]* FAIL' "$$dir.out"; then \
			pass=$$((pass + 1)); \
		elif [ $$rc -eq 0 ] && grep -q '^TEST [^ ]* SKIP' "$$dir.out" && \
		   ! grep -q '^TEST [^ ]* \(PASS\|FAIL\)' "$$dir.out"; then \
			skip=$$((skip + 1)); \
		else \
			echo "linux-tests: $$t FAILED (exit $$rc)"; fail=$$((fail + 1)); \
		fi; \
		rm -rf "$$dir" "$$dir.out"; \
	}; \
	$(foreach t,$(LINUX_TEST_NAMES),run $(t) $(LINUX_TEST_ARGS_$(t));) \
	echo "linux-tests: $$pass passed, $$fail failed$$([ $$skip -gt 0 ] && \
		echo ", $$skip skipped (only SKIP lines: see above)")"; \
	[ $$fail -eq 0 ]
