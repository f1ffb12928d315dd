/*
 * misc.c - the system as a whole: uname, sync, reboot and walnut_poweroff,
 * sysconf, getpagesize, and getentropy (which newlib's arc4random wants).
 */
#include <errno.h>
#include <stddef.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "glue.h"

#define PAGE_SIZE	4096

int uname(struct utsname *buf)
{
	return lx_ret(LX1(SYS_uname, buf));
}

void sync(void)
{
	LX0(SYS_sync);
}

int reboot(int howto)
{
	return lx_ret(LX4(SYS_reboot, LX_REBOOT_MAGIC1, LX_REBOOT_MAGIC2,
			  howto, NULL));
}

int walnut_poweroff(void)
{
	sync();
	return reboot(RB_POWER_OFF);
}

/* The few limits programs ask about; -1 with EINVAL for the rest. */
long sysconf(int name)
{
	switch (name) {
	case _SC_CLK_TCK:
		return CLK_TCK;		/* times()'s unit: see time.c */
	case _SC_PAGESIZE:
		return PAGE_SIZE;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	default:
		return __walnut_fail(EINVAL);
	}
}

int getpagesize(void)
{
	return PAGE_SIZE;
}

/* Linux's getrandom (355), which may fill less than asked for. */
int getentropy(void *buf, size_t len)
{
	size_t done = 0;

	if (len > 256)
		return __walnut_fail(EIO);	/* glibc's limit and error */
	while (done < len) {
		long r = LX3(SYS_getrandom, (char *)buf + done, len - done, 0);

		if (lx_failed(r)) {
			if (xlat_errno_from_linux(-r) == EINTR)
				continue;
			return __walnut_set_errno(-r);
		}
		done += (size_t)r;
	}
	return 0;
}
