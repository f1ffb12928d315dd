/*
 * poweroff - flush the disks and turn the machine off.
 *
 *   poweroff           no options; needs the privilege to reboot(2)
 *
 * Calls Linux's reboot(2) with RB_POWER_OFF (through <sys/reboot.h>).  It
 * only returns on failure, which is reported; nothing tells the other
 * processes first, as a real shutdown would.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "poweroff: reboot: %s\n", strerror(errno));
	return 1;
}
