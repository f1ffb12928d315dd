/*
 * <sys/sysmacros.h> - device numbers: major(), minor(), makedev(), for the
 * st_dev and st_rdev of struct stat.  Newlib's dev_t is 16 bits, so this is
 * Linux's old encoding, major in the high byte, which is also what the new
 * one reduces to for majors and minors below 256.
 */
#ifndef _SYS_SYSMACROS_H
#define _SYS_SYSMACROS_H

#define major(dev)		((unsigned)(((dev) >> 8) & 0xff))
#define minor(dev)		((unsigned)((dev) & 0xff))
#define makedev(maj, min)	((dev_t)((((maj) & 0xff) << 8) | ((min) & 0xff)))

#endif /* _SYS_SYSMACROS_H */
