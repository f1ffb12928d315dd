#!/usr/bin/env python3
"""tools/mksyms.py - turn `nm -n` output into the kernel's symbol table.

Reads `nm -n walnut.elf` on stdin (or nothing, for the first link) and writes
assembly for section .ksyms in the layout kernel/ksyms.c reads:

    ksym_count, then (kva, name_offset) pairs sorted by kva, then the names.

Only text symbols (t/T) between _text and _etext are kept (not the low,
identity-linked boot code); the last entry is _etext, so the size of the last
function is known.  Usage: mksyms.py < nm.txt > ksyms.S
"""
import sys


def main():
    syms = {}
    text = etext = None
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name == "_text":
            text = addr
        elif name == "_etext":
            etext = addr
        elif kind in "tT" and not name.startswith("."):
            syms.setdefault(addr, name)     # first name at an address wins
    table = sorted((a, n) for a, n in syms.items()
                   if text is not None and etext is not None and text <= a < etext)
    if table and etext is not None:
        table.append((etext, "_etext"))
    out = ['\t.section .ksyms, "a"', "\t.balign 4",
           "\t.globl ksym_count, ksym_table, ksym_names",
           f"ksym_count:\n\t.long {len(table)}", "ksym_table:"]
    offset = 0
    names = []
    for addr, name in table:
        out.append(f"\t.long 0x{addr:08x}, {offset}")
        names.append(name)
        offset += len(name) + 1
    out.append("ksym_names:")
    out += [f'\t.asciz "{n}"' for n in names]
    if not names:
        out.append("\t.byte 0")
    out.append('\t.section .note.GNU-stack, "", @progbits')  # no exec stack
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
