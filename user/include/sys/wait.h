/*
 * <sys/wait.h> - newlib's, plus wait4 and the status macros it lacks.
 *
 * A status has Linux's layout; the signal numbers in it are newlib's
 * (waitpid translates them), so WTERMSIG(s) == SIGTERM holds.
 */
#ifndef WALNUT_SYS_WAIT_H
#define WALNUT_SYS_WAIT_H

#include_next <sys/wait.h>
#include <sys/resource.h>

#define WCONTINUED	8	/* Linux's value: report a continued child */

#define WCOREDUMP(w)	((w) & 0x80)
#define WIFCONTINUED(w)	((w) == 0xffff)

#ifdef __cplusplus
extern "C" {
#endif

pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_SYS_WAIT_H */
