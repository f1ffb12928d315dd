/*
 * time.c - clocks and sleeping: gettimeofday, clock_gettime, clock_getres,
 * nanosleep, sleep, usleep, times.  (newlib's time() calls gettimeofday.)
 *
 * Newlib is configured with a 32-bit time_t (--enable-newlib-long-time_t),
 * as glibc has on i386, so struct timespec and struct timeval are Linux's
 * layouts and pass through; the asserts below hold it to that.  Clock ids
 * are renumbered (xlat.c).
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "glue.h"

_Static_assert(sizeof(time_t) == 4 && sizeof(struct timespec) == 8 &&
	       sizeof(struct timeval) == 8,
	       "timespec/timeval must be Linux i386's: two 32-bit longs");

int gettimeofday(struct timeval *__restrict tv, void *__restrict tz)
{
	return lx_ret(LX2(SYS_gettimeofday, tv, tz));
}

int clock_gettime(clockid_t clock_id, struct timespec *ts)
{
	int lx_clock = xlat_clock_to_linux(clock_id);

	if (lx_clock < 0)
		return __walnut_fail(EINVAL);
	return lx_ret(LX2(SYS_clock_gettime, lx_clock, ts));
}

int clock_getres(clockid_t clock_id, struct timespec *res)
{
	int lx_clock = xlat_clock_to_linux(clock_id);

	if (lx_clock < 0)
		return __walnut_fail(EINVAL);
	return lx_ret(LX2(SYS_clock_getres, lx_clock, res));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return lx_ret(LX2(SYS_nanosleep, req, rem));
}

/* Interrupted by a handled signal, returns the seconds left, rounded. */
unsigned sleep(unsigned seconds)
{
	struct timespec req = { (time_t)seconds, 0 }, rem;

	if (nanosleep(&req, &rem) == 0)
		return 0;
	return (unsigned)rem.tv_sec + (rem.tv_nsec >= 500000000L);
}

int usleep(useconds_t usec)
{
	struct timespec req = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };

	return nanosleep(&req, NULL);
}

/*
 * Linux counts times() in USER_HZ ticks (100 a second); newlib's CLK_TCK
 * and CLOCKS_PER_SEC, by which programs and newlib's clock() divide it, are
 * 1000.  So every figure is scaled up by 10.
 */
#define TICK_SCALE	(CLK_TCK / LX_USER_HZ)

clock_t times(struct tms *buf)
{
	long r = LX1(SYS_times, buf);

	if (lx_failed(r))
		return (clock_t)__walnut_set_errno(-r);
	if (buf) {
		buf->tms_utime *= TICK_SCALE;
		buf->tms_stime *= TICK_SCALE;
		buf->tms_cutime *= TICK_SCALE;
		buf->tms_cstime *= TICK_SCALE;
	}
	return (clock_t)r * TICK_SCALE;
}

WALNUT_ALIAS(gettimeofday, _gettimeofday);
WALNUT_ALIAS(times, _times);
