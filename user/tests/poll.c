/*
 * poll - poll(2) on pipes and on files that are always ready: timeouts of
 * 0, short and infinite (woken by a writer in a child), several pipes at
 * once, POLLHUP when the writer goes (also waking a sleeper), POLLERR on a
 * write end without a reader, POLLNVAL for a descriptor that is not open,
 * EFAULT and EINVAL, an empty set that only sleeps, and a signal that ends
 * the wait with EINTR even under SA_RESTART.  Also readv on a pipe, which
 * goes on to its next buffer while more bytes are ready.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include "testlib.h"

#define BAD_PTR		((void *)1)

static int poll1(int fd, short events, int timeout, short *revents)
{
	struct pollfd p = { fd, events, 0 };
	int r = poll(&p, 1, timeout);

	*revents = p.revents;
	return r;
}

/* A child that sleeps ms, writes one byte to fd, and exits. */
static int child_write_later(void *arg)
{
	int fd = (int)(intptr_t)arg;

	sleep_ms(100);
	return write(fd, "x", 1) == 1 ? 0 : 1;
}

static int child_close_later(void *arg)
{
	(void)arg;
	sleep_ms(100);
	return 0;		/* exiting closes the write end */
}

static void empty_and_ready(void)
{
	int fds[2];
	short rev = -1;
	int r;

	if (pipe(fds) != 0)
		return;
	r = poll1(fds[0], POLLIN, 0, &rev);
	check("poll_empty_pipe_timeout_zero", r == 0 && rev == 0, "r %d revents %#x", r, rev);
	r = poll1(fds[1], POLLOUT, 0, &rev);
	check("poll_write_end_writable", r == 1 && rev == POLLOUT, "r %d revents %#x", r, rev);
	write(fds[1], "ab", 2);
	r = poll1(fds[0], POLLIN | POLLOUT, 0, &rev);
	check("poll_data_readable", r == 1 && rev == POLLIN, "r %d revents %#x", r, rev);
	close(fds[1]);
	r = poll1(fds[0], POLLIN, 0, &rev);
	check("poll_data_and_hup_after_writer_closes", r == 1 && rev == (POLLIN | POLLHUP),
	      "r %d revents %#x", r, rev);
	read(fds[0], (char[2]){0}, 2);
	r = poll1(fds[0], POLLIN, 0, &rev);
	check("poll_hup_only_once_drained", r == 1 && rev == POLLHUP, "r %d revents %#x", r, rev);
	close(fds[0]);
	if (pipe(fds) != 0)
		return;
	close(fds[0]);
	r = poll1(fds[1], POLLOUT, 0, &rev);
	check("poll_err_on_write_end_without_reader", r == 1 && (rev & POLLERR),
	      "r %d revents %#x", r, rev);
	close(fds[1]);
}

static void timeouts(void)
{
	int fds[2], r;
	short rev;
	long long t0;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	t0 = mono_ns();
	r = poll1(fds[0], POLLIN, 150, &rev);
	check("poll_short_timeout_waits", r == 0 && mono_ns() - t0 >= 150000000LL,
	      "r %d after %lld ms", r, (mono_ns() - t0) / 1000000);
	pid = spawn(child_write_later, (void *)(intptr_t)fds[1]);
	r = poll1(fds[0], POLLIN, -1, &rev);
	check("poll_infinite_woken_by_writer", r == 1 && rev == POLLIN,
	      "r %d revents %#x", r, rev);
	expect_exit("poll_writer_child_exits", pid, 0);
	close(fds[0]);
	close(fds[1]);
	t0 = mono_ns();
	r = poll(NULL, 0, 100);
	check("poll_no_fds_just_sleeps", r == 0 && mono_ns() - t0 >= 100000000LL,
	      "r %d after %lld ms", r, (mono_ns() - t0) / 1000000);
}

/* Two pipes: only the one the child writes to wakes us and is reported. */
static void several(void)
{
	int a[2], b[2], r;
	struct pollfd p[3];
	pid_t pid;

	if (pipe(a) != 0 || pipe(b) != 0)
		return;
	p[0] = (struct pollfd){ a[0], POLLIN, 0 };
	p[1] = (struct pollfd){ -1, POLLIN, 0 };	/* ignored */
	p[2] = (struct pollfd){ b[0], POLLIN, 0 };
	pid = spawn(child_write_later, (void *)(intptr_t)b[1]);
	r = poll(p, 3, 5000);
	check("poll_several_woken_by_second", r == 1 && p[0].revents == 0 &&
	      p[1].revents == 0 && p[2].revents == POLLIN,
	      "r %d revents %#x %#x %#x", r, p[0].revents, p[1].revents, p[2].revents);
	expect_exit("poll_several_child_exits", pid, 0);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]);
}

/* The last writer exits while we sleep: POLLHUP wakes us. */
static void hup_wakes(void)
{
	int fds[2], r;
	short rev;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	pid = spawn(child_close_later, NULL);
	close(fds[1]);		/* the child's copy is the last writer */
	r = poll1(fds[0], POLLIN, 5000, &rev);
	check("poll_hup_wakes_sleeper", r == 1 && rev == POLLHUP, "r %d revents %#x", r, rev);
	expect_exit("poll_hup_child_exits", pid, 0);
	close(fds[0]);
}

static void always_ready(const char *self)
{
	int fds[3] = { open("/dev/null", O_RDWR), open("/", O_RDONLY),
		       open(self, O_RDONLY) };
	struct pollfd p[3];
	int r;

	for (int i = 0; i < 3; i++)
		p[i] = (struct pollfd){ fds[i], POLLIN | POLLOUT, 0 };
	r = poll(p, 3, -1);
	check("poll_null_dir_file_always_ready", r == 3 &&
	      p[0].revents == (POLLIN | POLLOUT) && p[1].revents == (POLLIN | POLLOUT) &&
	      p[2].revents == (POLLIN | POLLOUT), "r %d revents %#x %#x %#x",
	      r, p[0].revents, p[1].revents, p[2].revents);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
}

static void errors(void)
{
	/* volatile: hidden from the compiler, which rightly objects */
	struct pollfd *volatile bad = BAD_PTR, *volatile null = NULL;
	struct rlimit rl;
	short rev;
	int r;

	r = poll1(60, POLLIN, 0, &rev);
	check("poll_nval_for_closed_fd", r == 1 && rev == POLLNVAL, "r %d revents %#x", r, rev);
	expect_errno("poll_bad_array_efault", poll(bad, 1, 0), EFAULT);
	expect_errno("poll_null_array_efault", poll(null, 1, 0), EFAULT);
	/* A real array, so that only nfds is wrong (qemu-user reads the
	 * array before the host kernel looks at nfds). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536) {
		struct pollfd *many = calloc(rl.rlim_cur + 1, sizeof(*many));

		for (rlim_t i = 0; many && i <= rl.rlim_cur; i++)
			many[i].fd = -1;
		if (many)
			expect_errno("poll_nfds_above_rlimit_einval",
				     poll(many, (nfds_t)rl.rlim_cur + 1, 0), EINVAL);
		free(many);
	}
}

/* ---- a signal ends the wait ---- */

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* Sends SIGUSR1 to the parent every 50 ms until killed. */
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
	int fds[2], r, err;
	short rev;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;	/* poll is not restarted all the same */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pid = spawn(child_pester, (void *)(intptr_t)getpid());
	r = poll1(fds[0], POLLIN, -1, &rev);
	err = errno;
	kill(pid, SIGKILL);
	wait_for(pid, NULL);
	check("poll_signal_eintr_despite_sa_restart", r == -1 && err == EINTR && got_usr1,
	      "r %d errno %d handler ran %d", r, err, got_usr1);
	signal(SIGUSR1, SIG_DFL);
	close(fds[0]);
	close(fds[1]);
}

/* readv from a pipe holding 10 bytes into 4 + 100: all 10 arrive. */
static void readv_continues(void)
{
	char a[4], b[100];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int fds[2];
	ssize_t n;

	if (pipe(fds) != 0)
		return;
	write(fds[1], "0123456789", 10);
	n = readv(fds[0], iov, 2);
	check("poll_readv_pipe_takes_all_ready_bytes",
	      n == 10 && memcmp(a, "0123", 4) == 0 && memcmp(b, "456789", 6) == 0,
	      "readv returned %zd", n);
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	(void)argc;
	empty_and_ready();
	timeouts();
	several();
	hup_wakes();
	always_ready(argv[0]);
	errors();
	signal_eintr();
	readv_continues();
	return test_exit_code();
}
