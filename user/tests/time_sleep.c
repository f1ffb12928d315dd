/*
 * time_sleep - the clocks, and sleeps that last at least as long as asked.
 *
 * Only lower bounds are checked: a sleep may always run late on a loaded
 * machine (and under TCG it will), so an upper bound would make a flaky
 * test.  Walnut shows speed with benchmarks (user/bench), never with timed
 * tests.
 */
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include "testlib.h"

enum { MONOTONIC_SAMPLES = 200, CLOCKS_AGREE_S = 3 };

/* Runs fn and checks it took at least min_ms by CLOCK_MONOTONIC. */
static void check_takes_at_least(const char *name, void (*fn)(void), long min_ms)
{
	long long t0 = mono_ns(), took_ns;

	fn();
	took_ns = mono_ns() - t0;
	check(name, took_ns >= min_ms * 1000000LL, "took %lld us, asked for %ld ms",
	      took_ns / 1000, min_ms);
}

static void nanosleep_200ms(void)
{
	struct timespec req = { 0, 200 * 1000000L };

	if (nanosleep(&req, NULL) != 0)
		check_errno("time_sleep_nanosleep_returns_0", 0, "nanosleep");
}

static void sleep_1s(void)
{
	if (sleep(1) != 0)
		check("time_sleep_sleep_returns_0", 0, "sleep(1) returned early");
}

static void usleep_100ms(void)
{
	usleep(100000);
}

static void test_sleeps(void)
{
	struct timespec bad = { 0, 1000000000L };

	check_takes_at_least("time_sleep_nanosleep_200ms_at_least", nanosleep_200ms, 200);
	check_takes_at_least("time_sleep_sleep_1s_at_least", sleep_1s, 1000);
	check_takes_at_least("time_sleep_usleep_100ms_at_least", usleep_100ms, 100);
	expect_errno("time_sleep_nanosleep_bad_nsec_einval", nanosleep(&bad, NULL), EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	expect_errno("time_sleep_nanosleep_negative_einval", nanosleep(&bad, NULL), EINVAL);
}

static void test_monotonic(void)
{
	struct timespec prev, now;
	int backwards = 0, bad_nsec = 0;

	clock_gettime(CLOCK_MONOTONIC, &prev);
	for (int i = 0; i < MONOTONIC_SAMPLES; i++) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		backwards += now.tv_sec < prev.tv_sec ||
			     (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec);
		bad_nsec += now.tv_nsec < 0 || now.tv_nsec >= 1000000000L;
		prev = now;
	}
	check("time_sleep_monotonic_never_goes_back", backwards == 0 && bad_nsec == 0,
	      "%d steps back, %d bad tv_nsec in %d samples", backwards, bad_nsec, MONOTONIC_SAMPLES);
	expect_errno("time_sleep_clock_gettime_bad_clock_einval",
		     clock_gettime((clockid_t)9999, &now), EINVAL);
}

static void test_wall_clocks_agree(void)
{
	struct timeval tv;
	struct timespec rt;
	time_t t, t_ptr = 0, t2;

	t = time(NULL);
	check_errno("time_sleep_gettimeofday", gettimeofday(&tv, NULL) == 0 &&
		    tv.tv_usec >= 0 && tv.tv_usec < 1000000, "gettimeofday");
	check_errno("time_sleep_clock_gettime_realtime", clock_gettime(CLOCK_REALTIME, &rt) == 0,
		    "clock_gettime");
	t2 = time(&t_ptr);
	check("time_sleep_time_fills_pointer", t2 == t_ptr, "returned %ld, stored %ld",
	      (long)t2, (long)t_ptr);
	check("time_sleep_time_after_2000", t > 946684800, "time() is %ld", (long)t);
	check("time_sleep_gettimeofday_agrees_with_time",
	      tv.tv_sec >= t - CLOCKS_AGREE_S && tv.tv_sec <= t2 + CLOCKS_AGREE_S,
	      "gettimeofday %ld, time %ld", (long)tv.tv_sec, (long)t);
	check("time_sleep_realtime_agrees_with_time",
	      rt.tv_sec >= t - CLOCKS_AGREE_S && rt.tv_sec <= t2 + CLOCKS_AGREE_S,
	      "CLOCK_REALTIME %ld, time %ld", (long)rt.tv_sec, (long)t);
}

/* A child that burns CPU until `ms` of wall time have passed. */
static int child_burns_cpu(void *ms)
{
	long long end = mono_ns() + *(long *)ms * 1000000LL;
	volatile unsigned spin = 0;

	while (mono_ns() < end)
		for (int i = 0; i < 10000; i++)
			spin += (unsigned)i;
	return 0;
}

static void test_times(void)
{
	struct tms before, after;
	clock_t t0, t1;
	long burn_ms = 300;

	t0 = times(&before);
	check_errno("time_sleep_times_succeeds", t0 != (clock_t)-1, "times");
	expect_exit("time_sleep_cpu_burner_exits", spawn(child_burns_cpu, &burn_ms), 0);
	t1 = times(&after);
	check("time_sleep_times_elapsed_advances", t1 > t0, "times() went %ld -> %ld",
	      (long)t0, (long)t1);
	/* 300 ms of CPU is tens of clock ticks at any tick rate a kernel uses. */
	check("time_sleep_times_counts_reaped_child_cpu",
	      after.tms_cutime + after.tms_cstime > before.tms_cutime + before.tms_cstime,
	      "children's user+system stayed %ld", (long)(after.tms_cutime + after.tms_cstime));
}

static void test_uname(void)
{
	struct utsname u;

	check_errno("time_sleep_uname", uname(&u) == 0, "uname");
	check("time_sleep_uname_fields_filled", u.sysname[0] && u.release[0] && u.machine[0],
	      "sysname '%s' release '%s' machine '%s'", u.sysname, u.release, u.machine);
	note("uname: %s %s %s", u.sysname, u.release, u.machine);
}

int main(void)
{
	test_sleeps();
	test_monotonic();
	test_wall_clocks_agree();
	test_times();
	test_uname();
	return test_exit_code();
}
