/* include/ksyms.h - the kernel's own symbol table, for backtraces.
 *
 * The table is generated from the linked kernel by tools/mksyms.py (a second
 * link step, see the Makefile) and holds every function symbol between _text
 * and _etext, sorted by address (the identity-linked boot code is left out).
 */
#ifndef WALNUT_KSYMS_H
#define WALNUT_KSYMS_H

#include <types.h>

/* The function containing kva, with kva's offset in it and its size; NULL if
 * kva is outside the kernel's text. */
const char *ksym_lookup(uint32_t kva, uint32_t *offset, uint32_t *size);

/* Print "[<c0101234>] name+0x1a/0x40" for a code address. */
void ksym_print(const char *prefix, uint32_t kva);

/* Walk the frame-pointer chain from ebp, printing each return address. */
void backtrace_print(uint32_t eip, uint32_t ebp);

#endif
