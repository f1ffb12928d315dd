/*
 * machine/_types.h for Walnut's newlib (i386).
 *
 * user/user.mk copies this file into newlib's source tree, as
 * newlib/libc/machine/i386/machine/_types.h, before configuring: newlib then
 * compiles itself with it and installs it in place of its generic one.
 *
 * Why: newlib's generic sys/_types.h makes ino_t an unsigned short unless the
 * machine says otherwise, so inode numbers above 65535 would come out of
 * stat() and readdir() truncated, and two files could compare equal by
 * (st_dev, st_ino).  Linux i386 (glibc without _FILE_OFFSET_BITS=64) has a
 * 32-bit ino_t; so does Walnut's newlib.  The rest is newlib's default.
 */
#ifndef _MACHINE__TYPES_H
#define _MACHINE__TYPES_H

#include <machine/_default_types.h>

#define __machine_ino_t_defined
typedef unsigned long __ino_t;

#endif /* _MACHINE__TYPES_H */
