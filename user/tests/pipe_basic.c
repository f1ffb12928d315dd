/*
 * pipe_basic - data through a pipe between processes arrives whole and in
 * order; EOF, EPIPE and SIGPIPE at the ends; writes of up to PIPE_BUF bytes
 * are never interleaved with another writer's.
 *
 * The 1 MiB stream is generated from each byte's position, so the reader
 * checks every byte without the writer having to send a checksum.  The
 * writer mixes small writes with one of 256 KiB, larger than any pipe buffer,
 * which is the path a kernel may serve by copying straight from the
 * writer's pages (rule 7 in docs/history.md, planned).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include "testlib.h"

#ifndef PIPE_BUF
#define PIPE_BUF 4096
#endif

enum { STREAM_BYTES = 1 << 20, BIG_WRITE = 256 << 10, RECORDS_PER_WRITER = 64 };

static unsigned char stream_byte(unsigned pos)
{
	unsigned x = pos * 2654435761u;

	return (unsigned char)(x >> 24 ^ x >> 13);
}

/* Chunk sizes for the writer: small and odd-sized, with one huge write. */
static size_t next_chunk(unsigned pos, int n)
{
	if (n == 7)
		return BIG_WRITE;
	return 1 + (pos * 7919u + (unsigned)n * 104729u) % 8191;
}

static int child_writes_stream(void *fds)
{
	int fd = ((int *)fds)[1];
	static unsigned char buf[BIG_WRITE];
	unsigned pos = 0;

	close(((int *)fds)[0]);
	for (int n = 0; pos < STREAM_BYTES; n++) {
		size_t len = next_chunk(pos, n);

		if (len > STREAM_BYTES - pos)
			len = STREAM_BYTES - pos;
		for (size_t i = 0; i < len; i++)
			buf[i] = stream_byte(pos + (unsigned)i);
		if (write_full(fd, buf, len) != (ssize_t)len)
			return 1;
		pos += (unsigned)len;
	}
	return 0;
}

static void test_stream_1mib(void)
{
	static unsigned char buf[5000];
	unsigned pos = 0, bad = 0;
	ssize_t n;
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0) {
		check_errno("pipe_basic_pipe", 0, "pipe");
		return;
	}
	pid = spawn(child_writes_stream, fds);
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			bad += buf[i] != stream_byte(pos + (unsigned)i);
		pos += (unsigned)n;
	}
	check("pipe_basic_1mib_arrives_intact", pos == STREAM_BYTES && bad == 0,
	      "%u bytes, %u wrong", pos, bad);
	check_errno("pipe_basic_eof_after_writer_closes", n == 0, "read ended with %d",
	      (int)n);
	close(fds[0]);
	expect_exit("pipe_basic_writer_exits_cleanly", pid, 0);
}

/* A read takes what is there; it does not wait to fill the buffer. */
static void test_short_read_and_nonblock(void)
{
	char buf[100];
	int fds[2];
	ssize_t n;

	if (pipe(fds) != 0)
		return;
	write_full(fds[1], "0123456789", 10);
	n = read(fds[0], buf, sizeof(buf));
	check("pipe_basic_read_returns_what_is_there", n == 10 && memcmp(buf, "0123456789", 10) == 0,
	      "read returned %d", (int)n);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	expect_errno("pipe_basic_nonblocking_empty_read_eagain", read(fds[0], buf, 1), EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

static int child_closes_and_exits(void *fds)
{
	close(((int *)fds)[0]);
	return 0;
}

/* Called with every read end already closed. */
static int child_writes_to_closed_pipe(void *fds)
{
	return write(((int *)fds)[1], "x", 1) < 0 ? 2 : 3;	/* SIGPIPE should end us first */
}

static void test_reader_gone(void)
{
	int fds[2];

	if (pipe(fds) != 0)
		return;
	/* The reader process exits; once our own read end is closed too,
	 * nobody can read. */
	expect_exit("pipe_basic_reader_exits", spawn(child_closes_and_exits, fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	expect_errno("pipe_basic_write_no_reader_epipe_when_ignored", write(fds[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);

	if (pipe(fds) != 0)
		return;
	close(fds[0]);
	expect_killed("pipe_basic_write_no_reader_sigpipe_kills",
		      spawn(child_writes_to_closed_pipe, fds), SIGPIPE);
	close(fds[1]);
}

/* Writes RECORDS_PER_WRITER records of PIPE_BUF bytes all equal to `tag`,
 * after the go pipe opens, so that both writers contend from the start. */
static pid_t spawn_record_writer(const int *go, const int *data, char tag)
{
	static char record[PIPE_BUF];
	char c;
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	close(go[1]);
	close(data[0]);
	memset(record, tag, sizeof(record));
	if (read(go[0], &c, 1) != 0)
		_exit(1);
	for (int i = 0; i < RECORDS_PER_WRITER; i++)
		if (write(data[1], record, sizeof(record)) != (ssize_t)sizeof(record))
			_exit(2);
	_exit(0);
}

/* Reads the interleaved records; counts whole records per writer, records
 * holding bytes of both, and how often the writer changed. */
static void read_records(int fd, int *count_a, int *count_b, int *mixed, int *switches)
{
	static char record[PIPE_BUF];
	char last = 0;

	*count_a = *count_b = *mixed = *switches = 0;
	/* 1000-byte reads, so record boundaries fall mid-read. */
	for (;;) {
		size_t have = 0;
		ssize_t n = 0;

		while (have < sizeof(record) && (n = read(fd, record + have,
				sizeof(record) - have < 1000 ? sizeof(record) - have : 1000)) > 0)
			have += (size_t)n;
		if (have == 0)
			return;
		if (have < sizeof(record) || memchr(record, record[0] == 'a' ? 'b' : 'a', have)) {
			(*mixed)++;
			continue;
		}
		*switches += last && record[0] != last;
		last = record[0];
		*(record[0] == 'a' ? count_a : count_b) += 1;
	}
}

static void test_small_writes_atomic(void)
{
	int go[2], data[2], a, b, mixed, switches;
	pid_t wa, wb;

	if (pipe(go) != 0 || pipe(data) != 0)
		return;
	wa = spawn_record_writer(go, data, 'a');
	wb = spawn_record_writer(go, data, 'b');
	close(go[0]);
	close(data[1]);
	close(go[1]);		/* go */
	read_records(data[0], &a, &b, &mixed, &switches);
	close(data[0]);
	note("records arrived with %d changes of writer", switches);
	check("pipe_basic_pipe_buf_writes_atomic_two_writers",
	      a == RECORDS_PER_WRITER && b == RECORDS_PER_WRITER && mixed == 0,
	      "%d + %d whole records of %d each, %d mixed", a, b, RECORDS_PER_WRITER, mixed);
	expect_exit("pipe_basic_record_writer_a_exits", wa, 0);
	expect_exit("pipe_basic_record_writer_b_exits", wb, 0);
}

int main(void)
{
	test_stream_1mib();
	test_short_read_and_nonblock();
	test_reader_gone();
	test_small_writes_atomic();
	return test_exit_code();
}
