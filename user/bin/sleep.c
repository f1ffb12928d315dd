/*
 * sleep - wait for a while.
 *
 *   sleep time...      time: a decimal number of seconds, maybe with a
 *                      fraction (0.25) and a unit s, m, h or d; several
 *                      times are added up
 *
 * Fractions are parsed by hand to the nanosecond (no floating point), and
 * nanosleep is resumed after a signal that did not kill us.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NS 1000000000ULL
#define MAX_SECONDS (100ULL * 365 * 86400)	/* beyond that: "forever" */

/* Parse "12.5m" into *sec and *nsec; -1 if malformed. */
static int parse_time(const char *s, unsigned long long *sec,
		      unsigned long long *nsec)
{
	unsigned long long whole = 0, frac = 0, scale = NS / 10, mult = 1;
	int digits = 0;

	for (; isdigit((unsigned char)*s); s++, digits++)
		if ((whole = whole * 10 + (*s - '0')) > MAX_SECONDS)
			whole = MAX_SECONDS;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++, digits++, scale /= 10)
			frac += (*s - '0') * scale;
	if (!digits)
		return -1;
	switch (*s) {
	case '\0': case 's': break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (*s && s[1])
		return -1;
	frac *= mult;
	*sec = whole * mult + frac / NS;
	*nsec = frac % NS;
	return 0;
}

static void sleep_for(unsigned long long sec, unsigned long long nsec)
{
	while (sec > 0 || nsec > 0) {
		/* time_t may be 32 bits: sleep in chunks of at most a day. */
		unsigned long long chunk = sec > 86400 ? 86400 : sec;
		struct timespec req, rem;

		req.tv_sec = (time_t)chunk;
		req.tv_nsec = (long)nsec;
		while (nanosleep(&req, &rem) < 0 && errno == EINTR)
			req = rem;
		sec -= chunk;
		nsec = 0;
	}
}

int main(int argc, char **argv)
{
	unsigned long long sec = 0, nsec = 0, s, n;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: sleep seconds...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (parse_time(argv[i], &s, &n) < 0) {
			fprintf(stderr, "sleep: %s: invalid time\n", argv[i]);
			return 1;
		}
		sec += s;
		nsec += n;
		sec += nsec / NS;
		nsec %= NS;
		if (sec > MAX_SECONDS)
			sec = MAX_SECONDS;
	}
	sleep_for(sec, nsec);
	return 0;
}
