/*
 * fs/pipe_ktest.c - self-tests of the pipe ring (fs/pipe.c) driven with
 * kernel buffers through fs/pipe.h: order across wrap-around, capacity,
 * atomic small writes, EOF, broken pipes, and that every page comes back
 * (the runner checks the free-page count after each test).
 */
#include <errno.h>
#include <ktest.h>
#include <mm.h>
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
