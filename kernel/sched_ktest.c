/*
 * kernel/sched_ktest.c - self-tests of the scheduler: kernel threads that
 * give up the CPU while still runnable must all get it back; sleeping and
 * waking; mutexes.
 */
#include <err.h>
#include <ktest.h>
#include <mutex.h>
#include <sched.h>
#include <timer.h>

#define ROUNDS		200
#define NR_SPINNERS	3
#define WAIT_TICKS	(5 * HZ)

struct spinner {
	volatile unsigned int rounds;
	volatile bool done;
};

/* Yield ROUNDS times while runnable: exactly what a time-slice preemption
 * does on the way back to user mode. */
static int spin_and_yield(void *arg)
{
	struct spinner *s = arg;

	for (unsigned int i = 0; i < ROUNDS; i++) {
		s->rounds++;
		schedule();
	}
	s->done = true;
	return 0;
}

static bool all_done(struct spinner *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!s[i].done)
			return false;
	return true;
}

/* Regression: schedule() refused to queue current, so a task that gave up
 * the CPU while runnable, with another task ready, never ran again. */
KTEST(sched_preempted_task_runs_again)
{
	static struct spinner s[NR_SPINNERS];
	uint64_t deadline = jiffies_read() + WAIT_TICKS;

	for (int i = 0; i < NR_SPINNERS; i++) {
		s[i] = (struct spinner){ 0 };
		KT_ASSERT(!IS_ERR(kthread_create(spin_and_yield, &s[i], "spinner")));
	}
	while (!all_done(s, NR_SPINNERS) && jiffies_read() < deadline)
		schedule();
	for (int i = 0; i < NR_SPINNERS; i++)
		KT_ASSERT(s[i].rounds == ROUNDS);
	sleep_ticks(1);		/* let the exited threads' stacks be freed */
	return 0;
}

struct sleeper {
	struct wait_queue wq;
	volatile bool flag, woke;
};

static int sleep_until_flag(void *arg)
{
	struct sleeper *s = arg;

	wait_event(&s->wq, s->flag);
	s->woke = true;
	return 0;
}

KTEST(sched_wake_up_ends_a_sleep)
{
	static struct sleeper s;

	wait_queue_init(&s.wq);
	s.flag = s.woke = false;
	KT_ASSERT(!IS_ERR(kthread_create(sleep_until_flag, &s, "sleeper")));
	sleep_ticks(2);
	KT_ASSERT(!s.woke);		/* no wake-up yet: still asleep */
	s.flag = true;
	wake_up(&s.wq);
	sleep_ticks(2);
	KT_ASSERT(s.woke);
	return 0;
}

static struct mutex test_mutex = MUTEX_INIT(test_mutex, "test_mutex", false);

static int take_mutex(void *arg)
{
	volatile bool *got = arg;

	mutex_lock(&test_mutex);
	*got = true;
	mutex_unlock(&test_mutex);
	return 0;
}

KTEST(sched_mutex_makes_the_second_taker_wait)
{
	static volatile bool got;

	got = false;
	mutex_lock(&test_mutex);
	KT_ASSERT(!IS_ERR(kthread_create(take_mutex, (void *)&got, "taker")));
	sleep_ticks(2);
	KT_ASSERT(!got);		/* blocked behind us */
	mutex_unlock(&test_mutex);
	sleep_ticks(2);
	KT_ASSERT(got);
	return 0;
}
