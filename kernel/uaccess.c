/*
 * kernel/uaccess.c - copy_from_user and friends (include/uaccess.h): the
 * range check in C, the copy in arch/i386/usercopy.asm, and the exception
 * table lookup the page-fault handler uses to recover from a bad pointer.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <sched.h>
#include <uaccess.h>
#include <vfs.h>

size_t __copy_user(void *dst, const void *src, size_t n);
size_t __clear_user(void *dst, size_t n);
long __strncpy_user(char *dst, const char *src, size_t n);

extern const struct extable_entry __extable_start[], __extable_end[];

void might_fault(void)
{
	assert(!mutex_held(&fs_lock) && "a user copy or walk under fs_lock");
	assert(current->page_locks == 0 && "a user copy or walk under a page lock");
}

int copy_from_user(void *kdst, const void *usrc, size_t len)
{
	might_fault();
	if (!access_ok((uint32_t)usrc, len))
		return -EFAULT;
	return __copy_user(kdst, usrc, len) ? -EFAULT : 0;
}

int copy_to_user(void *udst, const void *ksrc, size_t len)
{
	might_fault();
	if (!access_ok((uint32_t)udst, len))
		return -EFAULT;
	return __copy_user(udst, ksrc, len) ? -EFAULT : 0;
}

/* len cut to what lies below the kernel's half, for the partial copies. */
static size_t user_part(uint32_t uva, size_t len)
{
	return uva >= USER_TOP ? 0 : MIN(len, (size_t)(USER_TOP - uva));
}

size_t copy_from_user_partial(void *kdst, const void *usrc, size_t len)
{
	might_fault();
	size_t n = user_part((uint32_t)usrc, len);

	return n - __copy_user(kdst, usrc, n);
}

size_t copy_to_user_partial(void *udst, const void *ksrc, size_t len)
{
	might_fault();
	size_t n = user_part((uint32_t)udst, len);

	return n - __copy_user(udst, ksrc, n);
}

size_t clear_user_partial(void *udst, size_t len)
{
	might_fault();
	size_t n = user_part((uint32_t)udst, len);

	return n - __clear_user(udst, n);
}

size_t copy_from_user_nofault(void *kdst, const void *usrc, size_t len)
{
	size_t left;

	if (!access_ok((uint32_t)usrc, len))
		return len;
	pagefault_disable();
	left = __copy_user(kdst, usrc, len);
	pagefault_enable();
	return left;
}

size_t fault_in_readable(const void *usrc, size_t len)
{
	uint32_t start = (uint32_t)usrc, uva = start, last;
	char c;

	might_fault();
	len = user_part(start, len);
	if (len == 0)
		return 0;
	last = start + len - 1;
	/* One byte in each page: the first page that fails ends the readable
	 * part.  Reaching the last page means all of it is there. */
	for (; uva < ALIGN_DOWN(last, PAGE_SIZE); uva = ALIGN_DOWN(uva, PAGE_SIZE) + PAGE_SIZE)
		if (__copy_user(&c, (const void *)uva, 1))
			return uva - start;
	return __copy_user(&c, (const void *)uva, 1) ? uva - start : len;
}

int clear_user(void *udst, size_t len)
{
	might_fault();
	if (!access_ok((uint32_t)udst, len))
		return -EFAULT;
	return __clear_user(udst, len) ? -EFAULT : 0;
}

long strncpy_from_user(char *kdst, const char *usrc, size_t size)
{
	size_t room = size;
	long n;

	might_fault();
	if (size == 0)
		return -ENAMETOOLONG;
	if ((uint32_t)usrc >= USER_TOP)
		return -EFAULT;
	/* Never read past the end of user space looking for the NUL. */
	room = MIN(room, USER_TOP - (uint32_t)usrc);
	n = __strncpy_user(kdst, usrc, room);
	if (n < 0)
		return -EFAULT;
	if ((size_t)n == room)
		return room < size ? -EFAULT : -ENAMETOOLONG;
	return n;
}

char *getname(const char *upath)
{
	char *kpath = kmalloc(PATH_MAX, ALLOC_KERNEL);
	long n;

	if (!kpath)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(kpath, upath, PATH_MAX);
	if (n == 0)
		n = -ENOENT;
	if (n < 0) {
		kfree(kpath);
		return ERR_PTR(n);
	}
	return kpath;
}

uint32_t extable_fixup(uint32_t eip)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
		if (e->insn == eip)
			return e->fixup;
	return 0;
}
