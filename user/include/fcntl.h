/*
 * <fcntl.h> - newlib's, plus AT_EMPTY_PATH, which Linux's *at calls take
 * and newlib has no name for.  The glue (user/lib/xlat.c) passes it on as
 * Linux's bit.
 */
#ifndef WALNUT_FCNTL_H
#define WALNUT_FCNTL_H

#include_next <fcntl.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH	0x1000	/* "" names dirfd's own file */
#endif

#endif /* WALNUT_FCNTL_H */
