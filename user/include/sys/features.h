/*
 * <sys/features.h> - newlib's, plus the POSIX options Walnut has.
 *
 * Newlib's i686-elf configuration claims no optional POSIX feature, so its
 * <time.h> hides clock_gettime, nanosleep and CLOCK_MONOTONIC.  Walnut has
 * them (Linux system calls 265 and 162), and says so here; every newlib
 * header includes this one first.
 *
 * It also shows the errno names newlib keeps for Linux (ESHUTDOWN,
 * ENOMEDIUM, ...), so that every error Linux has a name for has one here.
 */
#ifndef WALNUT_SYS_FEATURES_H
#define WALNUT_SYS_FEATURES_H

#include_next <sys/features.h>

#ifndef __LINUX_ERRNO_EXTENSIONS__
#define __LINUX_ERRNO_EXTENSIONS__	1
#endif
#ifndef _POSIX_TIMERS
#define _POSIX_TIMERS		200809L
#endif
#ifndef _POSIX_MONOTONIC_CLOCK
#define _POSIX_MONOTONIC_CLOCK	200809L
#endif
#ifndef _POSIX_CPUTIME
#define _POSIX_CPUTIME		200809L
#endif
#ifndef _POSIX_JOB_CONTROL
#define _POSIX_JOB_CONTROL	1
#endif

#endif /* WALNUT_SYS_FEATURES_H */
