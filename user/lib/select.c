/*
 * select.c - waiting for descriptors: poll (168) and select (_newselect,
 * 142).
 *
 * Nothing to translate.  <poll.h>'s bits and struct pollfd are Linux's
 * (user/include/poll.h).  newlib's fd_set is an array of 32-bit longs,
 * bit fd % 32 of word fd / 32, which is Linux's layout; it holds
 * FD_SETSIZE = 64 descriptors, Walnut's NR_OPEN, and the kernel reads only
 * the words the first argument covers.  struct timeval is Linux's too
 * (32-bit time_t: docs/userspace.md), and the kernel writes the time left
 * into it, as Linux does.
 */
#include <poll.h>
#include <sys/select.h>
#include "glue.h"

_Static_assert(sizeof(fd_set) * 8 >= 64 && sizeof(fd_mask) == 4,
	       "fd_set: 32-bit words, room for NR_OPEN descriptors");

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return lx_ret(LX3(SYS_poll, fds, nfds, timeout));
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	   struct timeval *timeout)
{
	return lx_ret(LX5(SYS__newselect, nfds, readfds, writefds, exceptfds,
			  timeout));
}
