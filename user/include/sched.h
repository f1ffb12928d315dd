/*
 * <sched.h> - newlib's, plus sched_yield, which it declares only for a
 * system with POSIX threads or priority scheduling.  Walnut has neither,
 * but its kernel has sched_yield (158): user/lib/proc.c.
 */
#ifndef WALNUT_SCHED_H
#define WALNUT_SCHED_H

#include_next <sched.h>

#if !defined(_POSIX_THREADS) && !defined(_POSIX_PRIORITY_SCHEDULING)
#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);

#ifdef __cplusplus
}
#endif
#endif

#endif /* WALNUT_SCHED_H */
