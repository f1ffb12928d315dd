/*
 * signal.c - signals over Linux's rt_sigaction (174), rt_sigprocmask (175),
 * rt_sigpending (176) and rt_sigsuspend (179).
 *
 * Programs use newlib's signal numbers; the kernel delivers Linux's.  So the
 * kernel never sees a program's handler: every caught signal is installed
 * with dispatch() below, which renumbers the signal and calls the handler
 * the program gave, kept in handlers[].  SIG_DFL and SIG_IGN go to the kernel
 * as they are.
 *
 * dispatch() is always installed with SA_SIGINFO, whatever the program
 * asked for, so that the kernel builds the one kind of frame, Linux's
 * rt_sigframe (without SA_SIGINFO, Linux i386 builds the older sigframe,
 * which needs sigreturn (119) instead).  dispatch() reads only the first
 * of the three arguments it is then given.  It returns through
 * __walnut_sigreturn (sigreturn.S), named as the SA_RESTORER, which calls
 * rt_sigreturn (173).
 *
 * sa_mask and sigprocmask's sets are translated by xlat.c; sa_flags have
 * Linux's values already (asserted below).  There is no SA_SIGINFO: newlib's
 * struct sigaction has no sa_sigaction.
 *
 * siglongjmp is here too: sigsetjmp (user/include/setjmp.h) saved the mask
 * with sigprocmask, and this puts it back before the jump.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include "glue.h"

void __walnut_sigreturn(void);

#define X(name, lx)	_Static_assert(name == lx, #name " is not Linux's");
LX_SA_FLAGS(X)
#undef X

/* What the program asked for, per newlib signal; read by dispatch(). */
static _sig_func_ptr handlers[NSIG];
static int handler_flags[NSIG];

static void dispatch(int lx_sig)
{
	int sig = xlat_sig_from_linux(lx_sig);
	_sig_func_ptr h;

	if (sig <= 0)
		return;		/* not one we installed: cannot happen */
	h = handlers[sig];
	if (handler_flags[sig] & SA_RESETHAND)
		handlers[sig] = SIG_DFL;	/* the kernel has done the same */
	if (h != SIG_DFL && h != SIG_IGN)
		h(sig);
}

static int sigset_check(int sig)
{
	return sig > 0 && sig < NSIG;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	lx_sigset_t lx_set, lx_oset;
	int lx_how = LX_SIG_BLOCK;
	long r;

	if (set) {
		lx_how = xlat_sighow_to_linux(how);
		if (lx_how < 0)
			return __walnut_fail(EINVAL);
		xlat_sigset_to_linux(set, &lx_set);
	}
	r = LX4(SYS_rt_sigprocmask, lx_how, set ? &lx_set : NULL,
		oset ? &lx_oset : NULL, LX_SIGSET_SIZE);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	if (oset)
		xlat_sigset_from_linux(&lx_oset, oset);
	return 0;
}

/* The kernel half of sigaction(): act and oact as Linux has them. */
static int kernel_sigaction(int sig, const struct sigaction *act,
			    struct lx_sigaction *lx_oact)
{
	struct lx_sigaction lx_act;
	long r;

	if (act) {
		lx_act.handler = act->sa_handler;
		if (act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN)
			lx_act.handler = dispatch;
		lx_act.flags = (unsigned long)act->sa_flags | LX_SA_SIGINFO |
			       LX_SA_RESTORER;
		lx_act.restorer = __walnut_sigreturn;
		xlat_sigset_to_linux(&act->sa_mask, &lx_act.mask);
	}
	r = LX4(SYS_rt_sigaction, xlat_sig_to_linux(sig), act ? &lx_act : NULL,
		lx_oact, LX_SIGSET_SIZE);
	return lx_failed(r) ? __walnut_set_errno(-r) : 0;
}

/*
 * All signals stay blocked while handlers[] and the kernel are changed, so
 * dispatch() never sees one updated and not the other.  The masks are
 * handled in Linux's terms, so none of the signals newlib cannot name is
 * unblocked by the restore.
 */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	lx_sigset_t all = ~(lx_sigset_t)0, saved;
	struct lx_sigaction lx_oact;
	_sig_func_ptr old_handler;
	int old_flags, r;

	if (!sigset_check(sig) || xlat_sig_to_linux(sig) < 0)
		return __walnut_fail(EINVAL);
	r = LX4(SYS_rt_sigprocmask, LX_SIG_BLOCK, &all, &saved, LX_SIGSET_SIZE);
	if (lx_failed(r))
		return __walnut_set_errno(-r);
	old_handler = handlers[sig];
	old_flags = handler_flags[sig];
	if (act) {
		handlers[sig] = act->sa_handler;
		handler_flags[sig] = act->sa_flags;
	}
	r = kernel_sigaction(sig, act, &lx_oact);
	if (r < 0) {
		handlers[sig] = old_handler;
		handler_flags[sig] = old_flags;
	}
	LX4(SYS_rt_sigprocmask, LX_SIG_SETMASK, &saved, NULL, LX_SIGSET_SIZE);
	if (r == 0 && oact) {
		/* The kernel's handler is dispatch() for a caught signal, or
		 * SIG_DFL after an SA_RESETHAND delivery. */
		oact->sa_handler = lx_oact.handler == dispatch ? old_handler :
				   lx_oact.handler;
		oact->sa_flags = (int)(lx_oact.flags &
				       ~(LX_SA_SIGINFO | LX_SA_RESTORER));
		xlat_sigset_from_linux(&lx_oact.mask, &oact->sa_mask);
	}
	return r;
}

/* BSD semantics, as glibc's signal(): the handler stays installed, and
 * interrupted system calls restart. */
_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act = { .sa_flags = SA_RESTART }, oact;

	act.sa_handler = handler;
	sigemptyset(&act.sa_mask);
	if (sigaction(sig, &act, &oact) < 0)
		return SIG_ERR;
	return oact.sa_handler;
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

int sigpending(sigset_t *set)
{
	lx_sigset_t lx_set;
	long r = LX2(SYS_rt_sigpending, &lx_set, LX_SIGSET_SIZE);

	if (lx_failed(r))
		return __walnut_set_errno(-r);
	xlat_sigset_from_linux(&lx_set, set);
	return 0;
}

/* Always -1 with EINTR, after a handler has run. */
int sigsuspend(const sigset_t *mask)
{
	lx_sigset_t lx_mask;

	xlat_sigset_to_linux(mask, &lx_mask);
	return lx_ret(LX2(SYS_rt_sigsuspend, &lx_mask, LX_SIGSET_SIZE));
}

int pause(void)
{
	return lx_ret(LX0(SYS_pause));
}

unsigned alarm(unsigned seconds)
{
	return (unsigned)LX1(SYS_alarm, seconds);
}

/* The set functions, checking the number as glibc does; newlib's sigset_t
 * has bit `sig` for signal sig. */
int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~0UL & ~1UL;		/* every signal; bit 0 is no signal */
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!sigset_check(sig))
		return __walnut_fail(EINVAL);
	*set |= 1UL << sig;
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!sigset_check(sig))
		return __walnut_fail(EINVAL);
	*set &= ~(1UL << sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sigset_check(sig))
		return __walnut_fail(EINVAL);
	return (*set >> sig) & 1;
}

void siglongjmp(sigjmp_buf sjb, int val)
{
	if (sjb[0].savemask)
		sigprocmask(SIG_SETMASK, &sjb[0].mask, NULL);
	longjmp(sjb[0].env, val);
}
