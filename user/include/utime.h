/*
 * <utime.h> - newlib's struct utimbuf, and the utime() it leaves to the
 * system (user/lib/at.c).
 */
#ifndef WALNUT_UTIME_H
#define WALNUT_UTIME_H

#include_next <utime.h>

#ifdef __cplusplus
extern "C" {
#endif

int utime(const char *path, const struct utimbuf *times);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_UTIME_H */
