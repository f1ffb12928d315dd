/*
 * termios.c - terminals: isatty, tcgetattr, tcsetattr and friends, over
 * Linux's TCGETS/TCSETS* ioctls, which move <sys/termios.h>'s struct as it
 * is; and the terminal's foreground process group (TIOCGPGRP/TIOCSPGRP).
 *
 * newlib asks isatty() whether stdout is a terminal, to line-buffer it.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "glue.h"

_Static_assert(sizeof(struct termios) == 36, "Linux's struct termios is 36 bytes");

int tcgetattr(int fd, struct termios *t)
{
	return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	static const unsigned long request[] = {
		[TCSANOW] = TCSETS, [TCSADRAIN] = TCSETSW, [TCSAFLUSH] = TCSETSF,
	};

	if (action < 0 || action > TCSAFLUSH)
		return __walnut_fail(EINVAL);
	return ioctl(fd, request[action], t);
}

/* 1 for a terminal; else 0, with errno ENOTTY (or EBADF). */
int isatty(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) == 0;
}

int tcflush(int fd, int queue)
{
	return ioctl(fd, TCFLSH, queue);
}

int tcdrain(int fd)
{
	return ioctl(fd, TCSBRK, 1);	/* 1: wait for output, no break */
}

pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;

	return ioctl(fd, TIOCGPGRP, &pgrp) < 0 ? -1 : pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return ioctl(fd, TIOCSPGRP, &pgrp);
}

pid_t tcgetsid(int fd)
{
	pid_t sid;

	return ioctl(fd, TIOCGSID, &sid) < 0 ? -1 : sid;
}

/* What glibc's cfmakeraw does: no input or output processing, no echo, no
 * signals from keys, 8-bit characters, and read() returns after 1 byte. */
void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			ICRNL | IXON);
	t->c_oflag &= ~OPOST;
	t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

/* The speed is c_cflag's CBAUD field, one for input and output alike. */
speed_t cfgetospeed(const struct termios *t)
{
	return t->c_cflag & CBAUD;
}

speed_t cfgetispeed(const struct termios *t)
{
	return cfgetospeed(t);
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	if (speed & ~CBAUD)
		return __walnut_fail(EINVAL);
	t->c_cflag = (t->c_cflag & ~CBAUD) | speed;
	return 0;
}

/* 0 means "the same as the output speed". */
int cfsetispeed(struct termios *t, speed_t speed)
{
	return speed == 0 ? 0 : cfsetospeed(t, speed);
}

int cfsetspeed(struct termios *t, speed_t speed)
{
	return cfsetospeed(t, speed);
}

WALNUT_ALIAS(isatty, _isatty);
