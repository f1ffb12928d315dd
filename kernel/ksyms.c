/*
 * kernel/ksyms.c - address-to-name lookup and frame-pointer backtraces.
 *
 * The table (section .ksyms, made by tools/mksyms.py) is:
 *   uint32_t ksym_count;
 *   struct { uint32_t kva; uint32_t name_offset; } ksym_table[ksym_count];
 *   char ksym_names[];    NUL-terminated names, name_offset indexes them
 * sorted by kva, with a last entry marking the end of the text.
 *
 * Backtraces follow the chain that -fno-omit-frame-pointer builds: at a
 * function's EBP sit the caller's EBP and, above it, the return address.
 * _start zeroes EBP, so the chain ends there.  A damaged chain must not fault
 * inside panic, so each frame is checked to lie on a mapped kernel address
 * above the previous one.
 */
#include <kernel.h>
#include <ksyms.h>
#include <mm.h>

struct ksym {
	uint32_t kva;
	uint32_t name_offset;
};

extern const uint32_t ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];
extern char _end[];

#define BACKTRACE_MAX_FRAMES 32

const char *ksym_lookup(uint32_t kva, uint32_t *offset, uint32_t *size)
{
	uint32_t lo = 0, hi = ksym_count;

	/* The last entry only marks the end of the text. */
	if (ksym_count < 2 || kva < ksym_table[0].kva ||
	    kva >= ksym_table[ksym_count - 1].kva)
		return NULL;
	while (hi - lo > 1) {		/* ksym_table[lo].kva <= kva always */
		uint32_t mid = lo + (hi - lo) / 2;

		if (ksym_table[mid].kva <= kva)
			lo = mid;
		else
			hi = mid;
	}
	*offset = kva - ksym_table[lo].kva;
	*size = ksym_table[lo + 1].kva - ksym_table[lo].kva;
	return &ksym_names[ksym_table[lo].name_offset];
}

void ksym_print(const char *prefix, uint32_t kva)
{
	uint32_t off, size;
	const char *name = ksym_lookup(kva, &off, &size);

	if (name)
		printk(KERN_EMERG "%s[<%08x>] %s+0x%x/0x%x\n", prefix, kva, name, off, size);
	else
		printk(KERN_EMERG "%s[<%08x>] ?\n", prefix, kva);
}

/* A frame must lie above the last one, in mapped kernel memory: all of low
 * memory after mem_init, the kernel image (boot stack included) before. */
static bool frame_is_sane(uint32_t ebp, uint32_t prev)
{
	uint32_t top = max_pfn ? (uint32_t)KERNEL_BASE + (max_pfn << PAGE_SHIFT)
			       : (uint32_t)_end;

	return ebp > prev && (ebp & 3) == 0 && ebp >= KERNEL_BASE && ebp + 8 <= top;
}

void backtrace_print(uint32_t eip, uint32_t ebp)
{
	uint32_t prev = 0;

	printk(KERN_EMERG "Call trace:\n");
	ksym_print("  ", eip);
	for (int n = 0; n < BACKTRACE_MAX_FRAMES && ebp; n++) {
		const uint32_t *frame = (const uint32_t *)ebp;

		if (!frame_is_sane(ebp, prev)) {
			printk(KERN_EMERG "  (frame pointer %08x is bad: stop)\n", ebp);
			return;
		}
		if (frame[1])
			ksym_print("  ", frame[1] - 1);	/* inside the call insn */
		prev = ebp;
		ebp = frame[0];
	}
	printk(KERN_EMERG "---[ end trace ]---\n");
}
