/*
 * fs/read_write.c - the system calls that move a file's bytes: read and
 * write; pread64 and pwrite64 at a position of their own; readv, writev,
 * preadv and pwritev over a vector of buffers; lseek and _llseek.
 *
 * Owns no state.  Each call finds the open file (fs/fd.c), checks what
 * Linux checks, in Linux's order, and hands the bytes to the file's
 * ops->read or ops->write (include/vfs.h) with the position to use:
 * &f->pos for read and write, a local copy for the positional calls,
 * which leave f->pos alone.
 *
 *	read(fd, buf, n)          file_rw(f, buf, n, &f->pos, RW_READ)
 *	pread64(fd, buf, n, off)  file_rw(f, buf, n, &off, RW_READ)
 *	readv(fd, iov, cnt)       iov_rw(f, iov, cnt, &f->pos, RW_READ): one
 *	                          file_rw per buffer, until one comes up short
 *
 * A transfer that moved some bytes before an error (a bad buffer part-way,
 * a full disk, a signal) returns that count; -errno only when nothing
 * moved, as on Linux.
 *
 * Locks: none of its own.  The file is held (file_get) across the
 * transfer, so a close or dup2 by another thread of control cannot free it
 * meanwhile; the file's ops take what they need.  May sleep.
 */
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <poll.h>
#include <syscall.h>
#include <uaccess.h>
#include <vfs.h>

#define UIO_MAXIOV	1024	/* Linux's cap on one vector's length */
#define IOV_ON_STACK	8	/* vectors this short need no kmalloc */

enum rw_dir {
	RW_READ,
	RW_WRITE,
};

/* Linux i386's struct iovec. */
struct iovec32 {
	uint32_t base;		/* uva */
	uint32_t len;
};

static bool may_rw(const struct file *f, enum rw_dir dir)
{
	unsigned int acc = f->flags & O_ACCMODE;

	return dir == RW_READ ? acc != O_WRONLY : acc != O_RDONLY;
}

/* Linux's checks for one transfer on f, before any byte moves: -EBADF (not
 * open for that direction), -EINVAL (the file cannot), or 0. */
static long rw_allowed(const struct file *f, enum rw_dir dir)
{
	if (!may_rw(f, dir))
		return -EBADF;
	if (dir == RW_READ ? !f->ops->read : !f->ops->write)
		return -EINVAL;
	return 0;
}

/* One buffer: len (capped at MAX_RW_COUNT) bytes at *pos, checked.
 * Return: bytes moved, or -errno. */
static long file_rw(struct file *f, void __user *ubuf, size_t len,
		    uint64_t *pos, enum rw_dir dir)
{
	long err = rw_allowed(f, dir);

	if (err)
		return err;
	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (!access_ok((uint32_t)ubuf, len))
		return -EFAULT;
	if (len == 0)
		return 0;
	return dir == RW_READ ? f->ops->read(f, ubuf, len, pos)
			      : f->ops->write(f, ubuf, len, pos);
}

/* fd's file, held for the call: NULL if fd is not open. */
static struct file *file_hold(int fd)
{
	struct file *f = fd_file(fd);

	if (f)
		file_get(f);
	return f;
}

static long fd_rw(int fd, void __user *ubuf, size_t len, enum rw_dir dir)
{
	struct file *f = file_hold(fd);
	long n;

	if (!f)
		return -EBADF;
	n = file_rw(f, ubuf, len, &f->pos, dir);
	file_put(f);
	return n;
}

static long sys_read(int fd, void __user *ubuf, size_t len)
{
	return fd_rw(fd, ubuf, len, RW_READ);
}
SYSCALL(__NR_read, sys_read);

static long sys_write(int fd, const void __user *ubuf, size_t len)
{
	return fd_rw(fd, (void __user *)ubuf, len, RW_WRITE);
}
SYSCALL(__NR_write, sys_write);

/* ---- at a position of the caller's ---- */

/* The 64-bit offset i386 passes as two registers, low half first. */
static int64_t pos64(uint32_t lo, uint32_t hi)
{
	return (int64_t)((uint64_t)hi << 32 | lo);
}

/* A file that has no position (a pipe, a terminal) has no llseek, and
 * refuses a positional transfer with -ESPIPE, as Linux's do. */
static bool has_position(const struct file *f)
{
	return f->ops->llseek != NULL;
}

static long fd_prw(int fd, void __user *ubuf, size_t len, int64_t off,
		   enum rw_dir dir)
{
	struct file *f;
	uint64_t pos = (uint64_t)off;
	long n;

	if (off < 0)
		return -EINVAL;
	f = file_hold(fd);
	if (!f)
		return -EBADF;
	n = has_position(f) ? file_rw(f, ubuf, len, &pos, dir) : -ESPIPE;
	file_put(f);
	return n;
}

static long sys_pread64(int fd, void __user *ubuf, size_t len, uint32_t off_lo,
			uint32_t off_hi)
{
	return fd_prw(fd, ubuf, len, pos64(off_lo, off_hi), RW_READ);
}
SYSCALL(__NR_pread64, sys_pread64);

static long sys_pwrite64(int fd, const void __user *ubuf, size_t len,
			 uint32_t off_lo, uint32_t off_hi)
{
	return fd_prw(fd, (void __user *)ubuf, len, pos64(off_lo, off_hi), RW_WRITE);
}
SYSCALL(__NR_pwrite64, sys_pwrite64);

/* ---- vectors of buffers ---- */

/* Copy in and check the vector as Linux's import_iovec does: at most
 * UIO_MAXIOV entries (-EINVAL), each length a non-negative ssize_t
 * (-EINVAL) and each buffer below the kernel (-EFAULT); a total past
 * MAX_RW_COUNT is cut there.  Return: 0 or -errno. */
static long iov_import(const struct iovec32 __user *uiov, uint32_t cnt,
		       struct iovec32 *iov)
{
	uint32_t total = 0;

	if (copy_from_user(iov, uiov, cnt * sizeof(*iov)))
		return -EFAULT;
	for (uint32_t i = 0; i < cnt; i++) {
		if (iov[i].len > (uint32_t)INT32_MAX)
			return -EINVAL;
		if (!access_ok(iov[i].base, iov[i].len))
			return -EFAULT;
		iov[i].len = MIN(iov[i].len, MAX_RW_COUNT - total);
		total += iov[i].len;
	}
	return 0;
}

/*
 * May a vector transfer go on to its next buffer once some bytes moved?
 * Writes always may: a blocking write(2) returns only when all is written.
 * A read from a file with a position may.  A read from a stream (a pipe, a
 * terminal) may only if it polls readable (POLLIN): more bytes are there,
 * so the next read takes them without sleeping.  Otherwise it stops, since
 * the next read could sleep although bytes were already read: POSIX lets
 * readv return fewer, and nothing waits.
 */
static bool may_continue(struct file *f, enum rw_dir dir)
{
	return dir == RW_WRITE || has_position(f) || (vfs_poll(f, NULL) & POLLIN);
}

/* Each buffer in turn at *pos; stop at the first that comes up short.
 * Return: the bytes moved, or the first error if none moved. */
static long iov_transfer(struct file *f, const struct iovec32 *iov,
			 uint32_t cnt, uint64_t *pos, enum rw_dir dir)
{
	long done = 0;

	for (uint32_t i = 0; i < cnt; i++) {
		long n;

		if (iov[i].len == 0)
			continue;
		if (done && !may_continue(f, dir))
			break;
		n = file_rw(f, (void __user *)iov[i].base, iov[i].len, pos, dir);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((uint32_t)n < iov[i].len)
			break;
	}
	return done;
}

/* readv/writev and their positional kin: off is NULL for the file's own
 * position. */
static long fd_iov_rw(int fd, const struct iovec32 __user *uiov, uint32_t cnt,
		      const int64_t *off, enum rw_dir dir)
{
	struct iovec32 stack_iov[IOV_ON_STACK], *iov = stack_iov;
	uint64_t pos = off ? (uint64_t)*off : 0;
	struct file *f;
	long n;

	if (off && *off < 0)
		return -EINVAL;
	f = file_hold(fd);
	if (!f)
		return -EBADF;
	n = off && !has_position(f) ? -ESPIPE : rw_allowed(f, dir);
	if (!n && cnt > UIO_MAXIOV)
		n = -EINVAL;
	if (!n && cnt > IOV_ON_STACK) {
		iov = kmalloc(cnt * sizeof(*iov), ALLOC_KERNEL);
		n = iov ? 0 : -ENOMEM;
	}
	if (!n && cnt)
		n = iov_import(uiov, cnt, iov);
	if (!n && cnt)
		n = iov_transfer(f, iov, cnt, off ? &pos : &f->pos, dir);
	if (iov != stack_iov)
		kfree(iov);
	file_put(f);
	return n;
}

static long sys_readv(int fd, const struct iovec32 __user *uiov, uint32_t cnt)
{
	return fd_iov_rw(fd, uiov, cnt, NULL, RW_READ);
}
SYSCALL(__NR_readv, sys_readv);

static long sys_writev(int fd, const struct iovec32 __user *uiov, uint32_t cnt)
{
	return fd_iov_rw(fd, uiov, cnt, NULL, RW_WRITE);
}
SYSCALL(__NR_writev, sys_writev);

static long sys_preadv(int fd, const struct iovec32 __user *uiov, uint32_t cnt,
		       uint32_t off_lo, uint32_t off_hi)
{
	int64_t off = pos64(off_lo, off_hi);

	return fd_iov_rw(fd, uiov, cnt, &off, RW_READ);
}
SYSCALL(__NR_preadv, sys_preadv);

static long sys_pwritev(int fd, const struct iovec32 __user *uiov, uint32_t cnt,
			uint32_t off_lo, uint32_t off_hi)
{
	int64_t off = pos64(off_lo, off_hi);

	return fd_iov_rw(fd, uiov, cnt, &off, RW_WRITE);
}
SYSCALL(__NR_pwritev, sys_pwritev);

/* ---- the file's own position ---- */

static int64_t do_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!has_position(f))
		return -ESPIPE;
	return f->ops->llseek(f, off, whence);
}

static long sys_lseek(int fd, int32_t off, int whence)
{
	int64_t pos = do_lseek(fd, off, whence);

	if (pos > INT32_MAX)
		return -EOVERFLOW;
	return (long)pos;
}
SYSCALL(__NR_lseek, sys_lseek);

static long sys_llseek(int fd, uint32_t off_hi, uint32_t off_lo,
		       int64_t __user *uresult, int whence)
{
	int64_t pos = do_lseek(fd, pos64(off_lo, off_hi), whence);

	if (pos < 0)
		return (long)pos;
	return copy_to_user(uresult, &pos, sizeof(pos));
}
SYSCALL(__NR__llseek, sys_llseek);
