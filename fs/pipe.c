/*
 * fs/pipe.c - pipes: pipe(2), FIFOs (named pipes, made by mknod), and the
 * ring buffer behind the two ends.
 *
 * Owns: struct pipe, a ring of PIPE_SIZE (64 KiB) bytes kept in PIPE_PAGES
 * separate pages, allocated as the writer first reaches each one and freed
 * with the pipe.  Bytes go straight between the user's buffer and the ring
 * (copy_from_user in, copy_to_user out): one copy each way, no bounce.
 *
 *      head                           head + len        (mod PIPE_SIZE)
 *        v                                v
 *   [ .. | unread unread unread unread .. | free free free free .. ]
 *        reader takes from here           writer puts here
 *
 * Interface:
 *   pipe(2) (sys_pipe) makes the pipe and two struct files, read end and
 *   write end, each with its own file_ops; the last file_put of each calls
 *   pipe_close, and the second pipe_close frees the pipe.
 *   fs/pipe.h: pipe_create/pipe_read/pipe_write/pipe_close on kernel
 *   buffers, for the self-tests.
 *   A FIFO's inode has fifo_file_ops (init_special_inode): fifo_open gives
 *   the file the pipe in inode->pipe (made by the first open, dropped by
 *   the last close, so each round of opens starts empty), as a read end,
 *   a write end or both (O_RDWR); then the opener calls
 *   fifo_wait_partner, without fs_lock, to wait for the other end as
 *   POSIX asks.
 *
 * Semantics (POSIX, as Linux gives them):
 *   - read waits while the pipe is empty and a writer exists; returns what
 *     is there (up to len) without waiting for more; 0 (EOF) when empty
 *     with no writer.
 *   - write waits while the pipe is full and a reader exists.  A write of
 *     at most PIPE_BUF bytes waits until all of it fits and goes in as one
 *     piece, so it is never interleaved with another writer's bytes; a
 *     longer one puts in what fits, each time there is room.
 *   - no reader: SIGPIPE to the writer and -EPIPE (or the count already
 *     written).  O_NONBLOCK: -EAGAIN where it would sleep.
 *   - a signal while asleep: -ERESTARTSYS, or the bytes already moved.
 *   - a bad user buffer: -EFAULT, or the bytes already moved, to the byte
 *     (a buffer that goes bad part-way moves what comes before the bad
 *     page, as on Linux).
 *
 * Invariants: 0 <= len <= PIPE_SIZE; head < PIPE_SIZE; the pages holding
 * [head, head + len) exist; head is 0 whenever len is 0 (so a pipe that
 * carries small messages only ever touches its first page).
 *
 * Locks: the kernel is not preemptible and runs on one CPU, so the ring
 * changes only where a task chooses to sleep (so inode->pipe, set by
 * fifo_open and cleared by the last pipe_close, neither of which sleeps,
 * needs no lock).  A copy to or from user space may sleep (a page fault),
 * so every transfer holds p->lock, a mutex, from its first look at the
 * ring to its last change: no reader sees half a write, no two readers get
 * the same bytes.  Nobody sleeps waiting for room or data while holding it.
 * readers/writers change only in fifo_open and pipe_close, without the
 * lock (neither sleeps).  A pipe never takes fs_lock itself, so a process
 * asleep on a pipe holds no filesystem lock; but the copy's fault may take
 * mmap_lock, fs_lock and a page lock (a buffer mapped from a file), so
 * p->lock comes before all three in docs/locking.md.  Wait queues:
 *   rd_wait    readers wait for data, or for no writers; a FIFO's reader
 *              for a writer to open
 *   wr_wait    writers wait for room, or for no readers; a FIFO's writer
 *              for a reader to open
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <poll.h>
#include <sched.h>
#include <signals.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>
#include <vfs.h>
#include <wait.h>
#include "pipe.h"

#define PIPE_PAGES	(PIPE_SIZE / PAGE_SIZE)
#define FIONREAD	0x541B		/* ioctl: bytes unread (Linux value) */

BUILD_ASSERT(PIPE_SIZE % PAGE_SIZE == 0 && PIPE_BUF <= PIPE_SIZE);

struct pipe {
	char *page[PIPE_PAGES];		/* [l] kvas, NULL until first used */
	uint32_t head;			/* [l] ring offset of the first unread byte */
	uint32_t len;			/* [l] unread bytes */
	unsigned int readers, writers;	/* open ends (pipe_close) */
	unsigned int r_opens, w_opens;	/* ends ever opened: a FIFO's open
					   waits for the other's to change */
	struct mutex lock;		/* [l] held by a transfer */
	struct wait_queue rd_wait, wr_wait;
};

/* A pipe with no ends open yet (a FIFO's, before fifo_open counts them). */
static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p), ALLOC_NOFS);

	if (!p)
		return NULL;
	p->lock = (struct mutex)MUTEX_INIT(p->lock, "pipe", false);
	wait_queue_init(&p->rd_wait);
	wait_queue_init(&p->wr_wait);
	return p;
}

struct pipe *pipe_create(void)
{
	struct pipe *p = pipe_alloc();

	if (p)
		p->readers = p->writers = p->r_opens = p->w_opens = 1;
	return p;
}

size_t pipe_pages(const struct pipe *p)
{
	size_t n = 0;

	for (unsigned int i = 0; i < PIPE_PAGES; i++)
		n += p->page[i] != NULL;
	return n;
}

static void pipe_free(struct pipe *p)
{
	for (unsigned int i = 0; i < PIPE_PAGES; i++)
		if (p->page[i])
			free_page(kva_to_page(p->page[i]));
	kfree(p);
}

/* One end is gone: the other side may now see EOF or a broken pipe.  The
 * last end gone frees the pipe (nobody can be inside it: each transfer
 * holds a file of one end, and all are closed).  Return: true if freed. */
bool pipe_close(struct pipe *p, enum pipe_end end)
{
	if (end == PIPE_READER) {
		assert(p->readers > 0);
		p->readers--;
		wake_up(&p->wr_wait);
	} else {
		assert(p->writers > 0);
		p->writers--;
		wake_up(&p->rd_wait);
	}
	if (p->readers || p->writers)
		return false;
	pipe_free(p);
	return true;
}

/* ---- moving bytes; caller holds p->lock ---- */

/* Copy n bytes, which may not cross a page, between a buffer of the
 * caller's (user or kernel) and the ring.  Return: the bytes copied, fewer
 * than n if the user buffer goes bad part-way. */
static size_t copy_out(void *buf, const void *kva, size_t n, unsigned int io)
{
	if (io & PIPE_IO_KERNEL) {
		memcpy(buf, kva, n);
		return n;
	}
	return copy_to_user_partial(buf, kva, n);
}

static size_t copy_in(void *kva, const void *buf, size_t n, unsigned int io)
{
	if (io & PIPE_IO_KERNEL) {
		memcpy(kva, buf, n);
		return n;
	}
	return copy_from_user_partial(kva, buf, n);
}

/* The longest piece from ring offset off that stays inside one page. */
static size_t piece(uint32_t off, size_t want)
{
	return MIN(want, (size_t)(PAGE_SIZE - off % PAGE_SIZE));
}

/* Take up to len unread bytes into buf.  Return: bytes taken (exactly
 * those that reached buf), or -EFAULT if none. */
static long ring_get(struct pipe *p, char *buf, size_t len, unsigned int io)
{
	size_t done = 0;

	len = MIN(len, (size_t)p->len);
	while (done < len) {
		size_t n = piece(p->head, len - done);
		size_t copied = copy_out(buf + done, p->page[p->head / PAGE_SIZE] +
					 p->head % PAGE_SIZE, n, io);

		p->head = (p->head + copied) % PIPE_SIZE;
		p->len -= copied;
		done += copied;
		if (copied < n)
			break;
	}
	if (p->len == 0)
		p->head = 0;
	return done ? (long)done : (len ? -EFAULT : 0);
}

/* Put up to len bytes of buf into the free part of the ring.  Return:
 * bytes put; *err is 0, or -EFAULT / -ENOMEM (a ring page) if the put
 * stopped short of the room there was. */
static size_t ring_put(struct pipe *p, const char *buf, size_t len,
		       unsigned int io, int *err)
{
	size_t done = 0, copied;

	len = MIN(len, (size_t)(PIPE_SIZE - p->len));
	while (done < len) {
		uint32_t tail = (p->head + p->len) % PIPE_SIZE;
		char **page = &p->page[tail / PAGE_SIZE];
		size_t n = piece(tail, len - done);

		if (!*page) {
			struct page *pg = alloc_page(ALLOC_KERNEL);

			if (!pg) {
				*err = -ENOMEM;
				break;
			}
			*page = page_to_kva(pg);
		}
		copied = copy_in(*page + tail % PAGE_SIZE, buf + done, n, io);
		p->len += copied;
		done += copied;
		if (copied < n) {
			*err = -EFAULT;
			break;
		}
	}
	return done;
}

/* ---- read and write, with their waits ---- */

/**
 * pipe_read - take up to len bytes, waiting for some if there are none.
 * Context: may sleep; no spin lock held.
 * Return: bytes read; 0 at EOF (empty, no writer) or for len 0; -EAGAIN
 * (PIPE_IO_NONBLOCK and empty), -ERESTARTSYS (a signal while waiting),
 * -EFAULT (bad buffer).
 */
long pipe_read(struct pipe *p, void *buf, size_t len, unsigned int io)
{
	for (;;) {
		uint32_t room_before;
		long n;
		int err;

		if (len == 0)
			return 0;
		mutex_lock(&p->lock);
		room_before = PIPE_SIZE - p->len;
		n = p->len ? ring_get(p, buf, len, io) : 0;
		mutex_unlock(&p->lock);
		if (n > 0 && room_before < PIPE_BUF)
			wake_up(&p->wr_wait);	/* a writer may wait for room */
		if (n != 0 || p->writers == 0)
			return n;
		if (io & PIPE_IO_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(&p->rd_wait,
					       p->len || p->writers == 0);
		if (err)
			return err;
	}
}

/* The reader is gone: tell the writer (SIGPIPE) if it is a process. */
static long broken_pipe(size_t done, unsigned int io)
{
	if (!(io & PIPE_IO_KERNEL))
		send_signal(current, SIGPIPE);
	return done ? (long)done : -EPIPE;
}

/**
 * pipe_write - put len bytes in, waiting for room as needed; up to PIPE_BUF
 * bytes go in as one piece.
 * Context: may sleep; no spin lock held.
 * Return: len, or fewer if interrupted after some went in (a signal, a bad
 * buffer, no memory, the reader gone, or PIPE_IO_NONBLOCK and full);
 * if none did: -EPIPE (and SIGPIPE), -EAGAIN, -ERESTARTSYS, -EFAULT, -ENOMEM.
 */
long pipe_write(struct pipe *p, const void *buf, size_t len, unsigned int io)
{
	size_t need = len <= PIPE_BUF ? len : 1;	/* room to start */
	size_t done = 0;

	while (done < len) {
		bool was_empty;
		size_t n = 0;
		int err = 0;

		mutex_lock(&p->lock);
		if (p->readers == 0) {
			mutex_unlock(&p->lock);
			return broken_pipe(done, io);
		}
		was_empty = p->len == 0;
		if (PIPE_SIZE - p->len >= need)
			n = ring_put(p, (const char *)buf + done, len - done, io, &err);
		mutex_unlock(&p->lock);
		if (n > 0 && was_empty)
			wake_up(&p->rd_wait);	/* a reader may wait for data */
		done += n;
		if (err)
			return done ? (long)done : err;
		if (done == len)
			break;
		if (io & PIPE_IO_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		err = wait_event_interruptible(&p->wr_wait, p->readers == 0 ||
					       PIPE_SIZE - p->len >= need);
		if (err)
			return done ? (long)done : err;
	}
	return (long)done;
}

/* ---- the two ends as open files ---- */

static unsigned int file_io(const struct file *f)
{
	return f->flags & O_NONBLOCK ? PIPE_IO_NONBLOCK : 0;
}

static long pipe_file_read(struct file *f, void __user *buf, size_t len,
			   uint64_t *pos)
{
	return pipe_read(f->private, buf, len, file_io(f));
}

static long pipe_file_write(struct file *f, const void __user *buf, size_t len,
			    uint64_t *pos)
{
	return pipe_write(f->private, buf, len, file_io(f));
}

/* FIONREAD, on either end: the bytes waiting to be read. */
static long pipe_file_ioctl(struct file *f, unsigned int cmd, uint32_t arg)
{
	struct pipe *p = f->private;
	int unread = (int)p->len;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return copy_to_user((void __user *)(uintptr_t)arg, &unread, sizeof(unread));
}

/**
 * pipe_poll - what one end could do now, for poll(2) and select(2)
 * (Linux's pipe_poll): the read end is readable with bytes unread and hung
 * up (POLLHUP) with no writer left; the write end is writable with room
 * for PIPE_BUF bytes, so a write that size would not wait, and in error
 * (POLLERR) with no reader left.  Each end names the queue that
 * pipe_read/pipe_write/pipe_close already wake when that changes.
 * Context: interrupts off; does not sleep.
 */
unsigned int pipe_poll(struct pipe *p, enum pipe_end end, struct poll_table *pt)
{
	if (end == PIPE_READER) {
		poll_wait(&p->rd_wait, pt);
		return (p->len ? POLLIN | POLLRDNORM : 0) |
		       (p->writers ? 0 : POLLHUP);
	}
	poll_wait(&p->wr_wait, pt);
	return (PIPE_SIZE - p->len >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0) |
	       (p->readers ? 0 : POLLERR);
}

/* A read end hangs up only once a writer it could have heard from has
 * gone, as Linux's: a FIFO opened for reading (O_NONBLOCK) before any
 * writer would otherwise poll POLLHUP at once and forever, and a poll loop
 * waiting for its first writer would spin. */
static unsigned int pipe_poll_reader(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private;
	unsigned int mask = pipe_poll(p, PIPE_READER, pt);

	return f->version == p->w_opens ? mask & ~POLLHUP : mask;
}

static unsigned int pipe_poll_writer(struct file *f, struct poll_table *pt)
{
	return pipe_poll(f->private, PIPE_WRITER, pt);
}

/* An end's file is gone.  A FIFO (f->inode) forgets its pipe with the
 * last end, so the next open starts an empty one, as on Linux. */
static void pipe_file_close(struct file *f, enum pipe_end end)
{
	if (pipe_close(f->private, end) && f->inode)
		f->inode->pipe = NULL;
}

static void pipe_release_reader(struct file *f)
{
	pipe_file_close(f, PIPE_READER);
}

static void pipe_release_writer(struct file *f)
{
	pipe_file_close(f, PIPE_WRITER);
}

/* A FIFO opened O_RDWR holds both ends. */
static void pipe_release_both(struct file *f)
{
	struct pipe *p = f->private;

	pipe_close(p, PIPE_READER);
	pipe_file_close(f, PIPE_WRITER);
}

static const struct file_ops pipe_reader_ops = {
	.read = pipe_file_read,
	.ioctl = pipe_file_ioctl,
	.release = pipe_release_reader,
	.poll = pipe_poll_reader,
};

static const struct file_ops pipe_writer_ops = {
	.write = pipe_file_write,
	.ioctl = pipe_file_ioctl,
	.release = pipe_release_writer,
	.poll = pipe_poll_writer,
};

/* A FIFO open O_RDWR is both ends: what either could do. */
static unsigned int pipe_poll_both(struct file *f, struct poll_table *pt)
{
	return pipe_poll(f->private, PIPE_READER, pt) |
	       pipe_poll(f->private, PIPE_WRITER, pt);
}

static const struct file_ops pipe_rdwr_ops = {
	.read = pipe_file_read,
	.write = pipe_file_write,
	.ioctl = pipe_file_ioctl,
	.release = pipe_release_both,
	.poll = pipe_poll_both,
};

/* ---- FIFOs: named pipes (mknod S_IFIFO) ---- */

/* Count one more end of p; the file becomes that end.  Wakes an open
 * waiting for this end to appear. */
static void fifo_add_end(struct pipe *p, struct file *f, unsigned int acc)
{
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_opens++;
		wake_up(&p->wr_wait);
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_opens++;
		wake_up(&p->rd_wait);
	}
	f->ops = acc == O_RDONLY ? &pipe_reader_ops :
		 acc == O_WRONLY ? &pipe_writer_ops : &pipe_rdwr_ops;
	f->private = p;
	f->version = p->w_opens;	/* pipe_poll_reader's: writers seen */
}

/*
 * open() of a FIFO: the pipe its inode has, or a new one.  Never sleeps
 * (the caller holds fs_lock): the wait for the other end is
 * fifo_wait_partner's, once the lock is dropped.
 * Return: 0; -ENXIO for O_WRONLY | O_NONBLOCK with no reader, as Linux;
 * -ENOMEM.
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;
	struct pipe *p = inode->pipe;

	if (!p) {
		p = pipe_alloc();
		if (!p)
			return -ENOMEM;
	}
	if (acc == O_WRONLY && (f->flags & O_NONBLOCK) && !p->readers) {
		if (!inode->pipe)
			pipe_free(p);
		return -ENXIO;
	}
	inode->pipe = p;
	fifo_add_end(p, f, acc);
	return 0;
}

const struct file_ops fifo_file_ops = {
	.open = fifo_open,
};

/**
 * fifo_wait_partner - the rest of a FIFO's open: a blocking open for
 * reading waits for a writer to open, one for writing for a reader, as
 * POSIX asks.  O_NONBLOCK and O_RDWR do not wait.
 * Context: f is a FIFO's file just opened; no locks held; may sleep.
 * Return: 0, or -ERESTARTSYS if a signal came first.
 */
int fifo_wait_partner(struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;
	struct pipe *p = f->private;
	unsigned int seen;

	if ((f->flags & O_NONBLOCK) || acc == O_RDWR)
		return 0;
	if (acc == O_RDONLY) {
		seen = p->w_opens;
		return p->writers ? 0 :
		       wait_event_interruptible(&p->rd_wait, p->w_opens != seen);
	}
	seen = p->r_opens;
	return p->readers ? 0 :
	       wait_event_interruptible(&p->wr_wait, p->r_opens != seen);
}

/* One end as a file: fstat shows a FIFO.  Return: the file, or NULL. */
static struct file *pipe_end_file(struct pipe *p, const struct file_ops *ops,
				  unsigned int flags)
{
	struct file *f = file_alloc(ops, flags);

	if (!f)
		return NULL;
	f->private = p;
	f->anon_mode = S_IFIFO | 0600;
	return f;
}

/* Both ends as files, in files[]: 0 or -ENOMEM.  On failure nothing is left. */
static int pipe_files(unsigned int flags, struct file *files[2])
{
	struct pipe *p = pipe_create();

	if (!p)
		return -ENOMEM;
	files[0] = pipe_end_file(p, &pipe_reader_ops, O_RDONLY | flags);
	if (!files[0]) {
		pipe_free(p);
		return -ENOMEM;
	}
	files[1] = pipe_end_file(p, &pipe_writer_ops, O_WRONLY | flags);
	if (!files[1]) {
		pipe_close(p, PIPE_WRITER);	/* no file will */
		file_put(files[0]);		/* frees p */
		return -ENOMEM;
	}
	return 0;
}

/**
 * do_pipe - pipe(2) and pipe2(2): a pipe, its read end in ufds[0] and its
 * write end in ufds[1].
 * Return: 0; -EINVAL (unknown flags), -EMFILE, -ENOMEM, -EFAULT (and no
 * descriptor stays open).
 */
static long do_pipe(int __user *ufds, unsigned int flags)
{
	struct file *files[2];
	int fds[2], err, i;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	err = pipe_files(flags & O_NONBLOCK, files);
	if (err)
		return err;
	for (i = 0; i < 2; i++) {
		fds[i] = fd_install(files[i], 0, flags & O_CLOEXEC);
		if (fds[i] < 0) {
			err = fds[i];
			goto out_undo;
		}
	}
	if (copy_to_user(ufds, fds, sizeof(fds)) == 0)
		return 0;
	err = -EFAULT;
out_undo:
	/* Ends before i have descriptors; the rest are still only ours. */
	for (int k = 0; k < 2; k++) {
		if (k < i)
			fd_close(fds[k]);
		else
			file_put(files[k]);
	}
	return err;
}

static long sys_pipe(int __user *ufds)
{
	return do_pipe(ufds, 0);
}
SYSCALL(__NR_pipe, sys_pipe);

#ifdef __NR_pipe2	/* once include/syscall.h lists it (Linux: 331) */
static long sys_pipe2(int __user *ufds, int flags)
{
	return do_pipe(ufds, (unsigned int)flags);
}
SYSCALL(__NR_pipe2, sys_pipe2);
#endif
