/*
 * fs/pipe_ktest.c - self-tests of the pipe ring (fs/pipe.c) driven with
 * kernel buffers through fs/pipe.h: order across wrap-around, capacity,
 * atomic small writes, EOF, broken pipes, and that every page comes back
 * (the runner checks the free-page count after each test); then the
 * sleeping side, with kernel threads as writers.
 */
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <mm.h>
#include <sched.h>
#include <wait.h>
#include <string.h>
#include "pipe.h"

#define NB	(PIPE_IO_KERNEL | PIPE_IO_NONBLOCK)

static uint8_t stream_byte(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 9));
}

/* Odd-sized writes and reads, never blocking, through many wraps of the
 * ring: every byte comes out in order. */
KTEST(pipe_ring_keeps_order_across_wraps)
{
	static uint8_t wbuf[3001], rbuf[4999];
	const uint64_t total = 1u << 20;
	struct pipe *p = pipe_create();
	uint64_t in = 0, out = 0;

	KT_ASSERT(p);
	while (in < total || out < in) {
		long n;

		if (in < total) {
			for (size_t k = 0; k < sizeof(wbuf); k++)
				wbuf[k] = stream_byte(in + k);
			n = pipe_write(p, wbuf, sizeof(wbuf), NB);
			if (n > 0) {
				in += (uint64_t)n;
				continue;
			}
			KT_ASSERT(n == -EAGAIN);	/* full: drain some */
		}
		n = pipe_read(p, rbuf, sizeof(rbuf), NB);
		KT_ASSERT(n > 0);
		for (long k = 0; k < n; k++)
			KT_ASSERT(rbuf[k] == stream_byte(out + (uint64_t)k));
		out += (uint64_t)n;
	}
	KT_ASSERT(out == in);
	KT_ASSERT(pipe_pages(p) <= PIPE_SIZE / PAGE_SIZE);
	pipe_close(p, PIPE_WRITER);
	KT_ASSERT(pipe_read(p, rbuf, sizeof(rbuf), NB) == 0);	/* EOF */
	pipe_close(p, PIPE_READER);
	return 0;
}

/* 64 KiB fit; then a PIPE_BUF write waits (here: -EAGAIN) until all of it
 * fits, while a longer write takes whatever room there is. */
KTEST(pipe_capacity_and_atomic_small_writes)
{
	static uint8_t buf[2 * PIPE_BUF];
	struct pipe *p = pipe_create();

	KT_ASSERT(p);
	memset(buf, 'x', sizeof(buf));
	for (unsigned int i = 0; i < PIPE_SIZE / PIPE_BUF; i++)
		KT_ASSERT(pipe_write(p, buf, PIPE_BUF, NB) == PIPE_BUF);
	KT_ASSERT(pipe_write(p, buf, 1, NB) == -EAGAIN);
	KT_ASSERT(pipe_read(p, buf, 100, NB) == 100);
	KT_ASSERT(pipe_write(p, buf, PIPE_BUF, NB) == -EAGAIN);	/* no split */
	KT_ASSERT(pipe_write(p, buf, 60, NB) == 60);
	KT_ASSERT(pipe_write(p, buf, sizeof(buf), NB) == 40);	/* > PIPE_BUF */
	KT_ASSERT(pipe_write(p, buf, sizeof(buf), NB) == -EAGAIN);
	KT_ASSERT(pipe_pages(p) == PIPE_SIZE / PAGE_SIZE);
	pipe_close(p, PIPE_READER);
	pipe_close(p, PIPE_WRITER);
	return 0;
}

/* A reader gets what is left, then EOF; a writer with no reader gets
 * -EPIPE (kernel callers get no SIGPIPE). */
KTEST(pipe_eof_and_broken_pipe)
{
	char buf[32];
	struct pipe *p = pipe_create();

	KT_ASSERT(p);
	KT_ASSERT(pipe_read(p, buf, sizeof(buf), NB) == -EAGAIN);
	KT_ASSERT(pipe_write(p, "hello", 5, NB) == 5);
	KT_ASSERT(pipe_read(p, buf, 0, NB) == 0);
	pipe_close(p, PIPE_WRITER);
	KT_ASSERT(pipe_read(p, buf, sizeof(buf), PIPE_IO_KERNEL) == 5);
	KT_ASSERT(memcmp(buf, "hello", 5) == 0);
	KT_ASSERT(pipe_read(p, buf, sizeof(buf), PIPE_IO_KERNEL) == 0);
	pipe_close(p, PIPE_READER);

	p = pipe_create();
	KT_ASSERT(p);
	pipe_close(p, PIPE_READER);
	KT_ASSERT(pipe_write(p, "x", 1, PIPE_IO_KERNEL) == -EPIPE);
	KT_ASSERT(pipe_write(p, buf, 0, PIPE_IO_KERNEL) == 0);
	pipe_close(p, PIPE_WRITER);
	return 0;
}

/* An emptied pipe starts over at the beginning of its ring, so messages
 * that are read as they come never need a second page. */
KTEST(pipe_small_messages_use_one_page)
{
	char buf[700];
	struct pipe *p = pipe_create();

	KT_ASSERT(p);
	for (int i = 0; i < 1000; i++) {
		KT_ASSERT(pipe_write(p, buf, sizeof(buf), NB) == sizeof(buf));
		KT_ASSERT(pipe_read(p, buf, sizeof(buf), NB) == sizeof(buf));
	}
	KT_ASSERT(pipe_pages(p) == 1);
	pipe_close(p, PIPE_WRITER);
	pipe_close(p, PIPE_READER);
	return 0;
}

/* ---- two writer threads and a reader that sleep on the pipe ---- */

#define RECORDS	48	/* per writer: 3 fills of the ring each */

struct writer_job {
	struct pipe *p;
	uint8_t record[PIPE_BUF];	/* filled with the writer's tag */
	long err;			/* the first short write, or 0 */
	bool done;
	unsigned int *writers_left;	/* the last one closes the write end */
	struct wait_queue *wq;		/* the test waits here for done */
};

static int writer_fn(void *arg)
{
	struct writer_job *j = arg;

	for (int i = 0; i < RECORDS && !j->err; i++) {
		long n = pipe_write(j->p, j->record, PIPE_BUF, PIPE_IO_KERNEL);

		if (n != PIPE_BUF)
			j->err = n ? n : -EIO;
	}
	if (--*j->writers_left == 0)
		pipe_close(j->p, PIPE_WRITER);
	j->done = true;		/* last: the test may free j now */
	wake_up(j->wq);
	return 0;
}

/* The reader reads the stream in odd-sized pieces, sleeping whenever it is
 * empty, while two writers sleep whenever it is full: every PIPE_BUF record
 * arrives whole (writes up to PIPE_BUF are atomic), each writer's records
 * all arrive, then EOF when the last writer closes. */
KTEST(pipe_threads_sleep_and_records_stay_whole)
{
	static struct writer_job job[2];
	static uint8_t buf[3001];
	struct wait_queue wq;
	unsigned int left = 2, count[2] = { 0, 0 };
	uint64_t pos = 0;
	uint8_t tag = 0;
	bool whole = true;
	struct pipe *p = pipe_create();
	long n;

	KT_ASSERT(p);
	wait_queue_init(&wq);
	for (int i = 0; i < 2; i++) {
		job[i] = (struct writer_job){ .p = p, .writers_left = &left, .wq = &wq };
		memset(job[i].record, 'A' + i, PIPE_BUF);
		KT_ASSERT(!IS_ERR(kthread_create(writer_fn, &job[i], "ktest-pipe-w")));
	}
	while ((n = pipe_read(p, buf, sizeof(buf), PIPE_IO_KERNEL)) > 0) {
		for (long k = 0; k < n; k++, pos++) {
			if (pos % PIPE_BUF == 0) {
				tag = buf[k];
				if (tag == 'A' || tag == 'B')
					count[tag - 'A']++;
			}
			whole &= buf[k] == tag;
		}
	}
	pipe_close(p, PIPE_READER);	/* frees it: the writers closed theirs */
	wait_event(&wq, job[0].done && job[1].done);	/* and were reaped */
	KT_ASSERT(n == 0 && job[0].err == 0 && job[1].err == 0);
	KT_ASSERT(whole && count[0] == RECORDS && count[1] == RECORDS);
	KT_ASSERT(pos == 2ull * RECORDS * PIPE_BUF);
	return 0;
}
