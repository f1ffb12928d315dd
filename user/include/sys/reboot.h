/*
 * <sys/reboot.h> - reboot(), as glibc has it, over Linux's reboot (88); the
 * RB_* commands are Linux's LINUX_REBOOT_CMD_* values.
 */
#ifndef _SYS_REBOOT_H
#define _SYS_REBOOT_H

#define RB_AUTOBOOT	0x01234567	/* restart */
#define RB_HALT_SYSTEM	0xcdef0123	/* stop, leaving the machine on */
#define RB_ENABLE_CAD	0x89abcdef	/* Ctrl-Alt-Del reboots */
#define RB_DISABLE_CAD	0		/* Ctrl-Alt-Del sends SIGINT to init */
#define RB_POWER_OFF	0x4321fedc	/* stop and switch off */

#ifdef __cplusplus
extern "C" {
#endif

/* Does not return on success; -1 with errno (EPERM, EINVAL) otherwise.
 * Unwritten data is not flushed: call sync() first. */
int reboot(int howto);

/* Walnut's shorthand: sync(), then reboot(RB_POWER_OFF).  Returns only if
 * that failed, with -1 and errno. */
int walnut_poweroff(void);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_REBOOT_H */
