/*
 * tty_basic - terminal attributes and window size, on a terminal.
 *
 * Only meaningful when stdin is a terminal (Walnut's console is one); run
 * elsewhere it reports tty_skipped.  Whatever stdin is, a pipe must not
 * pass for a terminal.
 */
#include <sys/ioctl.h>
#include <termios.h>
#include "testlib.h"

static void test_pipe_is_not_a_tty(void)
{
	struct termios t;
	int fds[2];

	if (pipe(fds) != 0)
		return;
	errno = 0;
	check("tty_isatty_pipe_false", isatty(fds[0]) == 0, "isatty(pipe) was true");
	expect_errno("tty_tcgetattr_pipe_enotty", tcgetattr(fds[0], &t), ENOTTY);
	close(fds[0]);
	close(fds[1]);
}

/* Clears ICANON and ECHO, reads them back, then restores the original. */
static void test_termios_round_trip(void)
{
	struct termios orig, raw, got;

	if (!check_errno("tty_tcgetattr", tcgetattr(0, &orig) == 0, "tcgetattr"))
		return;
	raw = orig;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	check_errno("tty_tcsetattr_clear_icanon_echo", tcsetattr(0, TCSANOW, &raw) == 0 &&
		    tcgetattr(0, &got) == 0 && !(got.c_lflag & (ICANON | ECHO)), "tcsetattr");
	check_errno("tty_tcsetattr_restores", tcsetattr(0, TCSANOW, &orig) == 0 &&
		    tcgetattr(0, &got) == 0 &&
		    (got.c_lflag & (ICANON | ECHO)) == (orig.c_lflag & (ICANON | ECHO)), "tcsetattr");
}

static void test_window_size(void)
{
	struct winsize ws;

	check_errno("tty_tiocgwinsz", ioctl(0, TIOCGWINSZ, &ws) == 0, "ioctl(TIOCGWINSZ)");
	note("window %u rows x %u cols", (unsigned)ws.ws_row, (unsigned)ws.ws_col);
}

int main(void)
{
	test_pipe_is_not_a_tty();
	if (!isatty(0)) {
		check("tty_skipped", 1, "stdin is not a terminal");
		return test_exit_code();
	}
	test_termios_round_trip();
	test_window_size();
	return test_exit_code();
}
