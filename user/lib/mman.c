/*
 * mman.c - memory mappings: mmap, munmap, mprotect, msync, mlock and
 * friends, madvise (<sys/mman.h>).
 *
 * <sys/mman.h> spells every flag with Linux's value (newlib has no header of
 * its own to disagree), so only errors need translating (lx_ret).  mmap goes
 * out as mmap2 (192), whose sixth argument is the offset in pages: files up
 * to 4 GiB can be mapped with a 32-bit off_t read as unsigned.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "glue.h"

#define MMAP2_UNIT	4096	/* mmap2 counts its offset in 4 KiB units */

/*
 * An offset that is not a whole number of pages is refused here, as glibc
 * does, because mmap2 could not even express it.  mmap2 takes six arguments
 * and the sixth goes in ebp, so it goes through syscall() (syscall.S), which
 * returns -1 with errno set, i.e. MAP_FAILED.
 */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	uint32_t off = (uint32_t)offset;

	if (off % MMAP2_UNIT)
		return (void *)(intptr_t)__walnut_fail(EINVAL);
	return (void *)syscall(SYS_mmap2, addr, len, prot, flags, fd,
			       off / MMAP2_UNIT);
}

int munmap(void *addr, size_t len)
{
	return lx_ret(LX2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return lx_ret(LX3(SYS_mprotect, addr, len, prot));
}

int msync(void *addr, size_t len, int flags)
{
	return lx_ret(LX3(SYS_msync, addr, len, flags));
}

int mlock(const void *addr, size_t len)
{
	return lx_ret(LX2(SYS_mlock, addr, len));
}

int munlock(const void *addr, size_t len)
{
	return lx_ret(LX2(SYS_munlock, addr, len));
}

int mlockall(int flags)
{
	return lx_ret(LX1(SYS_mlockall, flags));
}

int munlockall(void)
{
	return lx_ret(LX0(SYS_munlockall));
}

int madvise(void *addr, size_t len, int advice)
{
	return lx_ret(LX3(SYS_madvise, addr, len, advice));
}

/* POSIX's spelling returns the error number instead of setting errno. */
int posix_madvise(void *addr, size_t len, int advice)
{
	long r = LX3(SYS_madvise, addr, len, advice);

	return lx_failed(r) ? xlat_errno_from_linux(-r) : 0;
}
