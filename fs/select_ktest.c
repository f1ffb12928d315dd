/*
 * fs/select_ktest.c - self-tests of what poll(2) and select(2) ask a pipe
 * (fs/pipe.c: pipe_poll): the masks follow the ring and the ends, and each
 * end names one wait queue, its own, to the poll table.  The waiting
 * itself (fs/select.c) is exercised from user space: user/tests/poll.c.
 */
#include <ktest.h>
#include <poll.h>
#include <x86.h>
#include "pipe.h"

#define NB	(PIPE_IO_KERNEL | PIPE_IO_NONBLOCK)

static unsigned int mask_of(struct pipe *p, enum pipe_end end)
{
	bool was_on = irq_save();	/* the poll contract: interrupts off */
	unsigned int mask = pipe_poll(p, end, NULL);

	irq_restore(was_on);
	return mask;
}

KTEST(select_pipe_poll_masks_follow_the_ring)
{
	static char buf[PIPE_SIZE];
	struct pipe *p = pipe_create();

	KT_ASSERT(p);
	KT_ASSERT(mask_of(p, PIPE_READER) == 0);
	KT_ASSERT(mask_of(p, PIPE_WRITER) == (POLLOUT | POLLWRNORM));
	KT_ASSERT(pipe_write(p, "x", 1, NB) == 1);
	KT_ASSERT(mask_of(p, PIPE_READER) == (POLLIN | POLLRDNORM));
	/* less room than PIPE_BUF: a write that size would wait */
	KT_ASSERT(pipe_write(p, buf, PIPE_SIZE - PIPE_BUF, NB) ==
		  (long)(PIPE_SIZE - PIPE_BUF));
	KT_ASSERT(mask_of(p, PIPE_WRITER) == 0);
	KT_ASSERT(pipe_read(p, buf, 1, NB) == 1);
	KT_ASSERT(mask_of(p, PIPE_WRITER) == (POLLOUT | POLLWRNORM));
	pipe_close(p, PIPE_WRITER);
	KT_ASSERT(mask_of(p, PIPE_READER) == (POLLIN | POLLRDNORM | POLLHUP));
	while (pipe_read(p, buf, sizeof(buf), NB) > 0)
		;
	KT_ASSERT(mask_of(p, PIPE_READER) == POLLHUP);
	pipe_close(p, PIPE_READER);

	p = pipe_create();
	KT_ASSERT(p);
	pipe_close(p, PIPE_READER);
	KT_ASSERT(mask_of(p, PIPE_WRITER) == (POLLOUT | POLLWRNORM | POLLERR));
	pipe_close(p, PIPE_WRITER);
	return 0;
}

/* A poll table that records the queues it is given. */
struct recorder {
	struct poll_table pt;		/* first */
	struct wait_queue *wq[4];
	unsigned int n;
};

static void record(struct poll_table *pt, struct wait_queue *wq)
{
	struct recorder *r = (struct recorder *)pt;

	if (r->n < 4)
		r->wq[r->n] = wq;
	r->n++;
}

KTEST(select_pipe_poll_names_one_queue_per_end)
{
	struct recorder rd = { .pt.queue = record }, wr = { .pt.queue = record };
	struct pipe *p = pipe_create();
	bool was_on;

	KT_ASSERT(p);
	was_on = irq_save();
	pipe_poll(p, PIPE_READER, &rd.pt);
	pipe_poll(p, PIPE_WRITER, &wr.pt);
	pipe_poll(p, PIPE_READER, NULL);	/* no table: nothing named */
	irq_restore(was_on);
	pipe_close(p, PIPE_READER);
	pipe_close(p, PIPE_WRITER);
	KT_ASSERT(rd.n == 1 && wr.n == 1);
	KT_ASSERT(rd.wq[0] != wr.wq[0]);
	KT_ASSERT(rd.n <= POLL_QUEUES_PER_FILE);
	return 0;
}
