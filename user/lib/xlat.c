/*
 * user/lib/xlat.c - newlib's numbers to Linux's and back: the one place.
 *
 * Programs are compiled against newlib's headers, so they hold newlib's
 * numbers for errors, signals, open flags, fcntl commands, clocks and
 * sigaction flags; the kernel speaks Linux's.  Every table here is generated
 * from the X(NAME, linux_number) lists in linux.h, expanded with NAME taken
 * from newlib's headers, so a pair is written down once.  (sa_flags need
 * no table: signal.c asserts that they agree.)  -Woverride-init
 * (in -Wextra) rejects a number listed twice.
 *
 * Values with no counterpart come back as -1 and the caller fails with
 * EINVAL, as Linux does for a number it does not know; errors are the
 * exception (xlat_errno_from_linux never fails).
 */
#define _GNU_SOURCE		/* every CLOCK_* name newlib has */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "glue.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* --- errors ---------------------------------------------------------- */

/*
 * Linux errors newlib has no name for.  Walnut's kernel should never return
 * them, and if one comes anyway it reads as EIO rather than as whatever
 * unrelated error newlib gave that number.
 */
#define ERESTART	0
#define EUCLEAN		0
#define ENOTNAM		0
#define ENAVAIL		0
#define EISNAM		0
#define EREMOTEIO	0
#define EMEDIUMTYPE	0
#define ENOKEY		0
#define EKEYEXPIRED	0
#define EKEYREVOKED	0
#define EKEYREJECTED	0
#define ERFKILL		0
#define EHWPOISON	0

static const unsigned char errno_from_linux[LX_ERRNO_MAX + 1] = {
#define X(name, lx)	[lx] = name,
	LX_ERRNOS(X)
#undef X
};

int xlat_errno_from_linux(long lx_err)
{
	if (lx_err <= 0 || lx_err > LX_ERRNO_MAX || !errno_from_linux[lx_err])
		return EIO;
	return errno_from_linux[lx_err];
}

int __walnut_set_errno(long lx_err)
{
	errno = xlat_errno_from_linux(lx_err);
	return -1;
}

int __walnut_fail(int newlib_errno)
{
	errno = newlib_errno;
	return -1;
}

/* --- signals --------------------------------------------------------- */

/*
 * Linux has SIGSTKFLT (16) and SIGPWR (30), newlib has neither; newlib has
 * SIGEMT (7) and SIGLOST (29), Linux on x86 has neither.  Pairing the
 * leftovers keeps all 31 classic signals one-to-one, so no Linux signal is
 * lost in a wait status or a mask.  (SIGLOST was SIGPWR's alias on the
 * Linux ports that had it.)
 */
#define SIGSTKFLT	SIGEMT
#define SIGPWR		SIGLOST

static const unsigned char sig_from_linux[32] = {
#define X(name, lx)	[lx] = name,
	LX_SIGNALS(X)
#undef X
};

static const unsigned char sig_to_linux[NSIG] = {
#define X(name, lx)	[name] = lx,
	LX_SIGNALS(X)
#undef X
};

int xlat_sig_to_linux(int sig)
{
	if (sig == 0)
		return 0;
	if (sig < 0 || sig >= NSIG || !sig_to_linux[sig])
		return -1;
	return sig_to_linux[sig];
}

/* Linux's real-time signals (32..64) have no newlib number: -1. */
int xlat_sig_from_linux(int lx_sig)
{
	if (lx_sig == 0)
		return 0;
	if (lx_sig < 0 || lx_sig >= (int)ARRAY_SIZE(sig_from_linux) ||
	    !sig_from_linux[lx_sig])
		return -1;
	return sig_from_linux[lx_sig];
}

/* Newlib's sigset_t has bit `sig` for signal sig (its sigaddset macro);
 * Linux's has bit sig-1 of 64. */
void xlat_sigset_to_linux(const sigset_t *set, lx_sigset_t *lx_set)
{
	*lx_set = 0;
	for (int sig = 1; sig < NSIG; sig++)
		if ((*set & (1UL << sig)) && sig_to_linux[sig])
			*lx_set |= (lx_sigset_t)1 << (sig_to_linux[sig] - 1);
}

void xlat_sigset_from_linux(const lx_sigset_t *lx_set, sigset_t *set)
{
	*set = 0;
	for (int lx = 1; lx < (int)ARRAY_SIZE(sig_from_linux); lx++)
		if (*lx_set & ((lx_sigset_t)1 << (lx - 1)))
			*set |= 1UL << sig_from_linux[lx];
}

/*
 * A wait status: the exit code is left alone, a terminating or stopping
 * signal is renumbered.  A real-time signal keeps its Linux number (32..64),
 * which no newlib signal uses.
 */
int xlat_wstatus_from_linux(int st)
{
	int low = st & 0x7f, sig;

	if (low == 0)					/* exited */
		return st;
	if (low == 0x7f) {				/* stopped, continued */
		sig = xlat_sig_from_linux((st >> 8) & 0xff);
		return sig < 0 ? st : (st & ~0xff00) | (sig << 8);
	}
	sig = xlat_sig_from_linux(low);			/* killed */
	return sig < 0 ? st : (st & ~0x7f) | sig;
}

/* --- numbers that map one to one ----------------------------------- */

struct xlat_pair {
	long newlib, linux;
};

static long pair_to_linux(const struct xlat_pair *t, size_t n, long v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].newlib == v)
			return t[i].linux;
	return -1;
}

/* Flag words: each newlib bit set gives its Linux bits.  Newlib bits with
 * no Linux meaning are dropped, as Linux ignores flags it does not know. */
static unsigned long bits_to_linux(const struct xlat_pair *t, size_t n,
				   unsigned long v)
{
	unsigned long out = 0;

	for (size_t i = 0; i < n; i++)
		if (v & (unsigned long)t[i].newlib)
			out |= (unsigned long)t[i].linux;
	return out;
}

/* A newlib flag is set when all of its Linux bits are (O_SYNC has two). */
static unsigned long bits_from_linux(const struct xlat_pair *t, size_t n,
				     unsigned long lx)
{
	unsigned long out = 0;

	for (size_t i = 0; i < n; i++)
		if ((lx & (unsigned long)t[i].linux) == (unsigned long)t[i].linux)
			out |= (unsigned long)t[i].newlib;
	return out;
}

#define PAIR(name, lx)	{ name, lx },

static const struct xlat_pair open_flags[] = { LX_OPEN_FLAGS(PAIR) };
static const struct xlat_pair fcntl_cmds[] = { LX_FCNTL_CMDS(PAIR) };
static const struct xlat_pair clocks[] = { LX_CLOCKS(PAIR) };
static const struct xlat_pair sighows[] = {
	{ SIG_BLOCK, LX_SIG_BLOCK },
	{ SIG_UNBLOCK, LX_SIG_UNBLOCK },
	{ SIG_SETMASK, LX_SIG_SETMASK },
};

long xlat_oflags_to_linux(int flags)
{
	return (flags & O_ACCMODE) |
	       (long)bits_to_linux(open_flags, ARRAY_SIZE(open_flags),
				   (unsigned)flags);
}

int xlat_oflags_from_linux(long lx_flags)
{
	return (int)((lx_flags & LX_O_ACCMODE) |
		     bits_from_linux(open_flags, ARRAY_SIZE(open_flags),
				     (unsigned long)lx_flags));
}

int xlat_fcntl_cmd_to_linux(int cmd)
{
	return (int)pair_to_linux(fcntl_cmds, ARRAY_SIZE(fcntl_cmds), cmd);
}

static const struct xlat_pair at_flags[] = { LX_AT_FLAGS(PAIR) };

int xlat_dirfd_to_linux(int dirfd)
{
	return dirfd == AT_FDCWD ? LX_AT_FDCWD : dirfd;
}

long xlat_atflags_to_linux(int flags)
{
	unsigned long known = 0;

	for (size_t i = 0; i < ARRAY_SIZE(at_flags); i++)
		known |= (unsigned long)at_flags[i].newlib;
	if ((unsigned long)flags & ~known)
		return -1;
	return (long)bits_to_linux(at_flags, ARRAY_SIZE(at_flags), (unsigned)flags);
}

int xlat_clock_to_linux(int clock_id)
{
	return (int)pair_to_linux(clocks, ARRAY_SIZE(clocks), clock_id);
}

int xlat_sighow_to_linux(int how)
{
	return (int)pair_to_linux(sighows, ARRAY_SIZE(sighows), how);
}
