/*
 * select - select(2) on pipes: the three sets and the count, timeouts of
 * 0, short and infinite (woken by a writer in a child), the timeout
 * written back with the time left, a hung-up pipe counting as readable,
 * EBADF for a closed descriptor in a set, EINVAL for a negative count or
 * timeout, EFAULT for bad sets and timeouts, empty sets that only sleep,
 * and a signal that ends the wait with EINTR even under SA_RESTART.
 *
 * The bad-pointer checks call _newselect (142) through syscall(): glibc's
 * select converts the timeout in user space first and would fault there.
 */
#include <stdint.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include "testlib.h"

#define BAD_PTR		((void *)1)

static int child_write_later(void *arg)
{
	int fd = (int)(intptr_t)arg;

	sleep_ms(100);
	return write(fd, "x", 1) == 1 ? 0 : 1;
}

static void sets_and_count(void)
{
	int a[2], b[2], r;
	fd_set rd, wr;
	struct timeval tv = { 0, 0 };

	if (pipe(a) != 0 || pipe(b) != 0)
		return;
	FD_ZERO(&rd);
	FD_SET(a[0], &rd);
	r = select(a[0] + 1, &rd, NULL, NULL, &tv);
	check("select_empty_pipe_timeout_zero", r == 0 && !FD_ISSET(a[0], &rd),
	      "r %d", r);
	write(b[1], "x", 1);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(a[0], &rd);
	FD_SET(b[0], &rd);
	FD_SET(a[1], &wr);
	r = select(b[1] + 1, &rd, &wr, NULL, &tv);
	check("select_counts_ready_bits", r == 2 && !FD_ISSET(a[0], &rd) &&
	      FD_ISSET(b[0], &rd) && FD_ISSET(a[1], &wr), "r %d", r);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(b[0], &rd);
	FD_SET(b[0], &wr);	/* a read end is never writable */
	r = select(b[0] + 1, &rd, &wr, NULL, &tv);
	check("select_read_end_not_writable", r == 1 && FD_ISSET(b[0], &rd) &&
	      !FD_ISSET(b[0], &wr), "r %d", r);
	close(a[1]);
	FD_ZERO(&rd);
	FD_SET(a[0], &rd);
	r = select(a[0] + 1, &rd, NULL, NULL, &tv);
	check("select_hung_up_pipe_readable", r == 1 && FD_ISSET(a[0], &rd), "r %d", r);
	close(a[0]); close(b[0]); close(b[1]);
}

static void timeouts(void)
{
	int fds[2], r;
	fd_set rd;
	struct timeval tv = { 0, 200000 };
	long long t0;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	t0 = mono_ns();
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	check("select_short_timeout_waits", r == 0 && mono_ns() - t0 >= 200000000LL,
	      "r %d after %lld ms", r, (mono_ns() - t0) / 1000000);
	check("select_timeout_left_zero", tv.tv_sec == 0 && tv.tv_usec == 0,
	      "tv %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);

	tv = (struct timeval){ 5, 0 };
	FD_SET(fds[0], &rd);
	pid = spawn(child_write_later, (void *)(intptr_t)fds[1]);
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	check("select_woken_by_writer", r == 1 && FD_ISSET(fds[0], &rd), "r %d", r);
	check("select_timeout_updated_to_time_left",
	      tv.tv_sec < 5 && (tv.tv_sec > 0 || tv.tv_usec > 0),
	      "tv %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
	expect_exit("select_writer_child_exits", pid, 0);
	read(fds[0], (char[1]){0}, 1);

	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	pid = spawn(child_write_later, (void *)(intptr_t)fds[1]);
	r = select(fds[0] + 1, &rd, NULL, NULL, NULL);
	check("select_infinite_woken_by_writer", r == 1 && FD_ISSET(fds[0], &rd), "r %d", r);
	expect_exit("select_infinite_child_exits", pid, 0);
	close(fds[0]);
	close(fds[1]);

	tv = (struct timeval){ 0, 100000 };
	t0 = mono_ns();
	r = select(0, NULL, NULL, NULL, &tv);
	check("select_no_sets_just_sleeps", r == 0 && mono_ns() - t0 >= 100000000LL,
	      "r %d after %lld ms", r, (mono_ns() - t0) / 1000000);
}

static void errors(void)
{
	fd_set rd;
	struct timeval tv = { 0, 0 }, neg = { 0, -1 };
	int fds[2];

	FD_ZERO(&rd);
	FD_SET(40, &rd);	/* not open */
	expect_errno("select_closed_fd_ebadf", select(41, &rd, NULL, NULL, &tv), EBADF);
	check_errno("select_fd_above_nfds_ignored", select(5, &rd, NULL, NULL, &tv) == 0,
		    "select(5) with fd 40 set");
	expect_errno("select_negative_nfds_einval", select(-1, NULL, NULL, NULL, &tv), EINVAL);
	expect_errno("select_negative_timeout_einval",
		     syscall(SYS__newselect, 0, NULL, NULL, NULL, &neg), EINVAL);
	expect_errno("select_bad_timeout_efault",
		     syscall(SYS__newselect, 0, NULL, NULL, NULL, BAD_PTR), EFAULT);
	if (pipe(fds) != 0)
		return;
	expect_errno("select_bad_set_efault",
		     syscall(SYS__newselect, fds[1] + 1, BAD_PTR, NULL, NULL, &tv), EFAULT);
	close(fds[0]);
	close(fds[1]);
}

/* ---- a signal ends the wait ---- */

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static int child_pester(void *arg)
{
	pid_t parent = (pid_t)(intptr_t)arg;

	for (;;) {
		sleep_ms(50);
		kill(parent, SIGUSR1);
	}
	return 0;
}

static void signal_eintr(void)
{
	struct sigaction sa = { 0 };
	fd_set rd;
	int fds[2], r, err;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;	/* select is not restarted all the same */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	pid = spawn(child_pester, (void *)(intptr_t)getpid());
	r = select(fds[0] + 1, &rd, NULL, NULL, NULL);
	err = errno;
	kill(pid, SIGKILL);
	wait_for(pid, NULL);
	check("select_signal_eintr_despite_sa_restart", r == -1 && err == EINTR && got_usr1,
	      "r %d errno %d handler ran %d", r, err, got_usr1);
	signal(SIGUSR1, SIG_DFL);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	sets_and_count();
	timeouts();
	errors();
	signal_eintr();
	return test_exit_code();
}
