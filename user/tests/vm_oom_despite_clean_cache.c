/*
 * vm_oom_despite_clean_cache - a process must get the memory that clean,
 * idle cache pages hold, not be killed for want of it.
 *
 * The bug: only the page cache and the buffer cache shrank, each
 * for itself, when they wanted a page.  Anonymous memory had no way to ask
 * them, so once the free lists were empty a page fault killed the process
 * (SIGKILL, "out of memory") while megabytes of clean cache sat idle -- as
 * xv6's usertests show after a test has filled the disk.
 *
 * The test writes a file, syncs it and keeps it open, so both caches are
 * full of clean pages, then has a child touch more anonymous memory than
 * is free: half the caches more, through mmap and then through sbrk.  The
 * child must exit 0.  The file must read back intact afterwards (dropped
 * pages come back from the disk), and also while a child holds all that
 * memory: then the page cache, which reads under the filesystem's lock
 * and so may not call the filesystem's reclaim, must make room by
 * dropping clean pages of its own.
 *
 * Run in a small machine (tools/testplan.py gives it 24 MiB).  On a host
 * with much memory free the caches are never needed; the checks still run,
 * on at most MAX_TOUCH bytes.
 */
#include "vmlib.h"

#define MIB		(1024 * 1024)
#define MAX_FILE	(8 * MIB)	/* fills a small machine's caches */
#define MAX_TOUCH	(64 * MIB)	/* a big host cannot show the bug */
#define CHUNK		(64 * 1024)

static size_t smaller(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Field label (e.g. "MemFree:") of /proc/meminfo in bytes, or 0. */
static size_t meminfo(const char *label)
{
	static char text[4096];
	unsigned long kb;
	ssize_t n;
	char *at;
	int fd = open("/proc/meminfo", O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	at = strstr(text, label);
	if (!at || sscanf(at + strlen(label), " %lu", &kb) != 1)
		return 0;
	return (size_t)kb * 1024;
}

/* The word at byte offset off of the file: its own offset, scrambled. */
static uint32_t file_word(size_t off)
{
	return (uint32_t)off * 2654435761u ^ 0x5a5a5a5au;
}

static void fill_chunk(uint32_t *w, size_t off)
{
	for (size_t i = 0; i < CHUNK / 4; i++)
		w[i] = file_word(off + i * 4);
}

/* Write len bytes of file_word to fd and sync them: both caches now hold
 * the file's data, clean (the page cache for as long as the file is
 * open).  Returns 0 or -1. */
static int write_file(int fd, size_t len)
{
	static uint32_t buf[CHUNK / 4];
	int ok = fd >= 0;

	for (size_t off = 0; ok && off < len; off += CHUNK) {
		fill_chunk(buf, off);
		ok = write(fd, buf, CHUNK) == CHUNK;
	}
	return ok && fsync(fd) == 0 ? 0 : -1;
}

/* Does the file hold len bytes of file_word?  Reading also puts its pages
 * back in the cache for the next round. */
static int file_intact(int fd, size_t len)
{
	static uint32_t buf[CHUNK / 4], want[CHUNK / 4];
	int ok = 1;
	ssize_t got = 0;
	size_t off;

	errno = 0;
	for (off = 0; ok && off < len; off += CHUNK) {
		fill_chunk(want, off);
		got = pread(fd, buf, CHUNK, (off_t)off);
		ok = got == CHUNK && memcmp(buf, want, CHUNK) == 0;
	}
	if (!ok)
		note("file_intact: at %zu of %zu: read %zd (%s)%s", off - CHUNK, len, got,
		     strerror(errno), got == CHUNK ? ", bytes differ" : "");
	return ok;
}

/* More than is free: the free memory and half of what the caches hold. */
static size_t beyond_free(void)
{
	size_t want = meminfo("MemFree:") +
		      (meminfo("Cached:") + meminfo("Buffers:")) / 2;

	note("free %zu KiB, cached %zu KiB, buffers %zu KiB: touching %zu KiB",
	     meminfo("MemFree:") / 1024, meminfo("Cached:") / 1024,
	     meminfo("Buffers:") / 1024, smaller(want, MAX_TOUCH) / 1024);
	return smaller(want, MAX_TOUCH);
}

static void touch(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PG)
		p[i] = (char)(i / PG);
}

/* In a child: touch len bytes of a fresh anonymous mapping. */
static int touch_mapping(void *len_p)
{
	size_t len = *(size_t *)len_p;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 2;
	touch(p, len);
	return 0;
}

static int read_fd = -1;
static size_t read_len;

/* In a child: touch len bytes, keep them, and read the whole file. */
static int touch_then_read(void *len_p)
{
	int status = touch_mapping(len_p);

	return status ? status : file_intact(read_fd, read_len) ? 0 : 3;
}

/* In a child: grow the heap by len bytes with sbrk and touch them. */
static int touch_heap(void *len_p)
{
	size_t len = *(size_t *)len_p;
	char *p = sbrk((intptr_t)len);

	if (p == (void *)-1)
		return 2;
	touch(p, len);
	return 0;
}

int main(void)
{
	size_t file_len = smaller(meminfo("MemTotal:") / 3 / CHUNK * CHUNK,
				  MAX_FILE), len;
	char path[128];
	int fd;

	scratch_path(path, sizeof(path), "oom-cache");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (require("vm_oom_despite_clean_cache_setup",
		    file_len > 0 && write_file(fd, file_len) == 0)) {
		len = beyond_free();
		expect_exit("vm_oom_despite_clean_cache_anon_fault",
			    spawn(touch_mapping, &len), 0);
		check("vm_oom_despite_clean_cache_file_reads_back",
		      file_intact(fd, file_len), "the file's bytes changed");
		len = beyond_free();
		expect_exit("vm_oom_despite_clean_cache_brk",
			    spawn(touch_heap, &len), 0);
		read_fd = fd;
		read_len = file_len;
		len = beyond_free();
		expect_exit("vm_oom_despite_clean_cache_read_while_memory_held",
			    spawn(touch_then_read, &len), 0);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
	return test_exit_code();
}
