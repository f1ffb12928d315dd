# .gdbinit - used by `make gdb` (gdb -nx -x .gdbinit), after `make qemu-gdb`
# has started QEMU paused with its gdb stub on localhost:1234, on the same
# machine as `make run`: GRUB, the root disk, init and the shell.
set confirm off
set pagination off
set disassembly-flavor intel
file build/walnut.elf
target remote localhost:1234

# At reset paging is off, so gdb cannot write a software breakpoint at a
# higher-half address: use hardware breakpoints (hbreak) until kmain runs.
hbreak kmain
echo \nStopped at reset.  'continue' runs to kmain; 'bt', 'print max_pfn',\n
echo 'x/8i $eip' and 'info registers' work as usual.  Later, 'hbreak sys_write'\n
echo or 'hbreak handle_mm_fault' and 'continue' stop in a system call or a page\n
echo fault of init or the shell; 'bt' ends at the trap entry.  See docs/boot.md.\n
