/* include/uaccess.h - copying between the kernel and user space
 * (arch/i386/usercopy.asm, mm/fault.c).
 *
 * A user pointer is never dereferenced directly.  These functions refuse a
 * range that reaches the kernel's half (access_ok, overflow-safe), then copy
 * with instructions listed in the exception table: if one of them faults on
 * a user address the fault handler cannot resolve (nothing mapped there, or
 * a write to a read-only page), the fault handler resumes at the fix-up
 * address instead of dying, and the copy reports how far it got.  A
 * resolvable fault (zero-fill, copy-on-write) is resolved as for the user.
 *
 *	if (copy_to_user(ubuf, kbuf, n))
 *		return -EFAULT;
 *
 * May sleep (a fault may allocate a page).  Call with no spin lock held,
 * and neither fs_lock nor a page lock: resolving the fault may need either
 * (a file's page).  Each copy checks that on entry, present pages or not,
 * with might_fault().
 */
#ifndef WALNUT_UACCESS_H
#define WALNUT_UACCESS_H

#include <mm.h>
#include <types.h>

#define USER_TOP	KERNEL_BASE	/* user addresses are below this */

static inline bool access_ok(uint32_t uva, size_t len)
{
	return len <= USER_TOP && uva <= USER_TOP - len;
}

/* Assert that the caller may take a page fault on user memory: it holds no
 * fs_lock and no page lock (the order is mmap_lock -> fs_lock -> page lock,
 * docs/locking.md).  The copies below, the walker and a kernel-mode fault
 * call it. */
void might_fault(void);

/* Return 0, or -EFAULT if any byte could not be copied. */
int copy_from_user(void *kdst, const void *usrc, size_t len);
int copy_to_user(void *udst, const void *ksrc, size_t len);
int clear_user(void *udst, size_t len);

/* Copy as much as can be, stopping at the first byte that cannot be
 * reached.  Return the bytes copied (len: all).  For read(2), write(2) and
 * their kin, which return a short count when the buffer goes bad part-way
 * and -EFAULT only when nothing moved. */
size_t copy_from_user_partial(void *kdst, const void *usrc, size_t len);
size_t copy_to_user_partial(void *udst, const void *ksrc, size_t len);
size_t clear_user_partial(void *udst, size_t len);

/* With page faults disabled (include/sched.h): nothing is faulted in, so it
 * may be called holding a page lock.  Return the bytes NOT copied (0: all);
 * a short copy means a page was not present or not readable. */
size_t copy_from_user_nofault(void *kdst, const void *usrc, size_t len);

/* Touch every page of [usrc, usrc+len) with a read, faulting it in, so a
 * nofault copy that follows usually succeeds.  Call with no locks held.
 * Return how many bytes from usrc on are readable (len: all; 0: none). */
size_t fault_in_readable(const void *usrc, size_t len);

/* Copy a NUL-terminated string of at most size - 1 bytes.  Return its
 * length, -ENAMETOOLONG if it does not fit (size includes the NUL), or
 * -EFAULT. */
long strncpy_from_user(char *kdst, const char *usrc, size_t size);

/* A path argument: a kmalloc'd copy of at most PATH_MAX bytes, or an error
 * pointer (-EFAULT, -ENAMETOOLONG, -ENOENT for "", -ENOMEM).  kfree it. */
char *getname(const char *upath);

/* The exception table: one entry per instruction allowed to fault on a user
 * address, and where to resume (arch/i386/usercopy.asm). */
struct extable_entry {
	uint32_t insn, fixup;
};
uint32_t extable_fixup(uint32_t eip);	/* 0 if eip has no entry */

#endif
