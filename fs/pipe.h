/* fs/pipe.h - a pipe's buffer without the file descriptors around it, for
 * fs/pipe.c and its self-tests (fs/pipe_ktest.c), which drive it with kernel
 * buffers.  Everything else reaches pipes through pipe(2) and struct file.
 *
 *	struct pipe *p = pipe_create();		both ends open
 *	n = pipe_write(p, kbuf, len, PIPE_IO_KERNEL);
 *	n = pipe_read(p, kbuf, len, PIPE_IO_KERNEL | PIPE_IO_NONBLOCK);
 *	pipe_close(p, PIPE_WRITER);  pipe_close(p, PIPE_READER);   frees it
 */
#ifndef WALNUT_FS_PIPE_H
#define WALNUT_FS_PIPE_H

#include <types.h>

#define PIPE_SIZE	(64u * 1024)	/* capacity: Linux's default */
#define PIPE_BUF	4096u		/* writes up to this size are atomic */

struct pipe;

enum pipe_end {
	PIPE_READER,
	PIPE_WRITER,
};

/* How one read or write goes; bits, or'ed together. */
enum pipe_io_flag {
	PIPE_IO_NONBLOCK = 1 << 0,	/* -EAGAIN rather than sleep */
	PIPE_IO_KERNEL	 = 1 << 1,	/* buf is a kva (self-tests): memcpy,
					   and no SIGPIPE */
};

struct pipe *pipe_create(void);		/* NULL: no memory */
long pipe_read(struct pipe *p, void *buf, size_t len, unsigned int io_flags);
long pipe_write(struct pipe *p, const void *buf, size_t len,
		unsigned int io_flags);
bool pipe_close(struct pipe *p, enum pipe_end end);	/* true: freed */
size_t pipe_pages(const struct pipe *p);	/* ring pages allocated */
struct poll_table;
unsigned int pipe_poll(struct pipe *p, enum pipe_end end,
		       struct poll_table *pt);	/* POLL* mask; irqs off */

#endif
