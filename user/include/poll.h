/*
 * <poll.h> - poll(2), which newlib's i686-elf build has no header for.
 * The bits and struct pollfd are Linux i386's (asm-generic/poll.h), so the
 * glue (user/lib/select.c) passes them to the kernel unchanged.
 */
#ifndef WALNUT_POLL_H
#define WALNUT_POLL_H

#define POLLIN		0x0001	/* a read would not wait */
#define POLLPRI		0x0002	/* urgent data */
#define POLLOUT		0x0004	/* a write would not wait */
#define POLLERR		0x0008	/* error (revents only) */
#define POLLHUP		0x0010	/* hung up (revents only) */
#define POLLNVAL	0x0020	/* fd not open (revents only) */
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200

typedef unsigned long nfds_t;

struct pollfd {
	int fd;			/* negative: ignored, revents 0 */
	short events;		/* what to wait for */
	short revents;		/* what happened */
};

#ifdef __cplusplus
extern "C" {
#endif

/* Wait up to timeout ms (negative: for ever) for one of fds[] to be ready.
 * Returns how many are, 0 on timeout, or -1 with errno set. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#ifdef __cplusplus
}
#endif

#endif /* WALNUT_POLL_H */
