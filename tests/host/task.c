/*
 * tests/host/task.c - the kernel's current, for host tests.
 *
 * Host tests are one thread, so there is one task.  The page cache counts
 * the page locks that task holds (mm/filemap.c: lock_page), which is all
 * the host tests need of it.  This file includes no system header: the
 * host's <signal.h> and the kernel's <signals.h> both define sigset_t.
 */
#include <sched.h>

static struct task host_task;
struct task *current = &host_task;
