/*
 * fs/procfs_ktest.c - self-tests of procfs (fs/procfs.c), read through
 * struct file as a process would (fs/ktest_files.h): meminfo's format, and
 * the files of a kernel thread made for the test, before and after it
 * exits.  The boot thread that runs the tests is pid 0, which /proc hides.
 */
#include <devfs.h>
#include <err.h>
#include <errno.h>
#include <ktest.h>
#include <proc.h>
#include <procfs.h>
#include <sched.h>
#include <string.h>
#include <trap.h>
#include <vfs.h>
#include <vm.h>
#include <wait.h>
#include "ktest_files.h"

/* Read all of path in sb into buf (NUL-terminated).  Return: its length,
 * or -errno. */
static long read_whole(struct super_block *sb, const struct user_window *w,
		       const char *path, char *buf, size_t size)
{
	struct file *f = kt_open(sb->root, path, O_RDONLY);
	size_t len = 0;
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while ((n = kt_read(f, w, buf + len, MIN(size - 1 - len, (size_t)100))) > 0)
		len += (size_t)n;	/* small reads: the window moves */
	file_put(f);
	buf[len] = '\0';
	return n < 0 ? n : (long)len;
}

/* The number after label in Linux's "%-16s%8lu kB" line format, or -1. */
static long meminfo_kb(const char *text, const char *label)
{
	const char *p = strstr(text, label);
	long kb = 0;

	if (!p || (p != text && p[-1] != '\n'))
		return -1;
	p += 16;
	if (p[-1] != ' ' || strncmp(p + 8, " kB\n", 4))
		return -1;
	for (; *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		kb = kb * 10 + (*p - '0');
	return kb;
}

KTEST(procfs_meminfo_in_linux_format)
{
	static char text[1024];
	struct super_block *sb = procfs_create();
	struct user_window w;
	long n, total, free;

	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(user_window_open(&w, PAGE_SIZE) == 0);
	n = read_whole(sb, &w, "/meminfo", text, sizeof(text));
	user_window_close(&w);
	KT_ASSERT(n > 0);
	total = meminfo_kb(text, "MemTotal:");
	free = meminfo_kb(text, "MemFree:");
	KT_ASSERT(total == (long)nr_managed_pages() * 4);
	KT_ASSERT(free > 0 && free <= total);
	KT_ASSERT(meminfo_kb(text, "MemAvailable:") >= free);
	KT_ASSERT(meminfo_kb(text, "Buffers:") >= 0);
	KT_ASSERT(meminfo_kb(text, "Cached:") == 0);
	KT_ASSERT(!strncmp(text, "MemTotal:       ", 16));
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

KTEST(procfs_self_and_names_that_are_not_there)
{
	struct super_block *sb = procfs_create();
	struct inode *inode;
	char link[16];

	KT_ASSERT(!IS_ERR(sb));
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "self", 0, &inode) == 0);
	KT_ASSERT(vfs_readlink(inode, link, sizeof(link)) == 1 && link[0] == '0');
	iput(inode);
	/* pid 0 is hidden, as on Linux; pids are plain decimal */
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "self", LOOKUP_FOLLOW, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/0", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/01", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/-1", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/99999", 0, &inode) == -ENOENT);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, "/meminfo/x", 0, &inode) == -ENOTDIR);
	KT_ASSERT(vfs_mkdir(sb->root, "x", 0755) == -EROFS);
	KT_ASSERT(vfs_umount(sb) == 0);
	return 0;
}

/* A kernel thread that sleeps (interruptibly: state S) until told to go. */
struct sleeper {
	struct wait_queue wq;
	bool stop, gone;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	wait_event_interruptible(&s->wq, s->stop);
	s->gone = true;		/* last: the test frees what we used */
	wake_up(&s->wq);
	return 0;
}

/* Two VMAs for the sleeper, so stat has sizes to show. */
#define TEXT_UVA	0x08048000u
#define DATA_UVA	0x0804a000u

static struct mm *sleeper_mm(void)
{
	struct mm *mm = mm_create();

	if (mm && (vma_add(mm, TEXT_UVA, DATA_UVA, VM_READ | VM_EXEC) ||
		   vma_add(mm, DATA_UVA, DATA_UVA + 3 * PAGE_SIZE,
			   VM_READ | VM_WRITE))) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Count the space-separated fields of a stat line after "(comm)". */
static int fields_after_comm(const char *line)
{
	const char *p = strchr(line, ')');
	int n = 2;

	if (!p || p[1] != ' ')
		return -1;
	for (p++; *p && *p != '\n'; p++)
		n += *p == ' ';
	return *p == '\n' && p[1] == '\0' ? n : -1;
}

static int check_sleeper_files(struct super_block *sb, const struct user_window *w,
			       pid_t pid)
{
	static char text[1024];
	struct kt_names names = { .len = 0 };
	char path[32], want[64];
	uint64_t pos = 0;

	snprintf(path, sizeof(path), "/%d/stat", pid);
	KT_ASSERT(read_whole(sb, w, path, text, sizeof(text)) > 0);
	snprintf(want, sizeof(want), "%d (ktest-sleeper) S 0 0 0 0 -1 0 ", pid);
	KT_ASSERT(!strncmp(text, want, strlen(want)));
	KT_ASSERT(fields_after_comm(text) == 52);
	/* vsize, rss (no page touched), rsslim, startcode, endcode */
	KT_ASSERT(strstr(text, " 20480 0 4294967295 134512640 134520832 0 0 0 "));
	snprintf(path, sizeof(path), "/%d/status", pid);
	KT_ASSERT(read_whole(sb, w, path, text, sizeof(text)) > 0);
	snprintf(want, sizeof(want), "\nPid:\t%d\nPPid:\t0\n", pid);
	KT_ASSERT(!strncmp(text, "Name:\tktest-sleeper\n", 20));
	KT_ASSERT(strstr(text, "\nState:\tS (sleeping)\n") && strstr(text, want));
	KT_ASSERT(strstr(text, "\nVmSize:\t      20 kB\nVmRSS:\t       0 kB\n"));
	snprintf(path, sizeof(path), "%d", pid);
	KT_ASSERT(vfs_readdir(sb->root, &pos, kt_add_name, &names) == 0);
	KT_ASSERT(kt_lists(&names, path) && kt_lists(&names, "self") &&
		  kt_lists(&names, "meminfo") && !kt_lists(&names, "0"));
	return 0;
}

KTEST(procfs_pid_files_follow_a_task)
{
	struct sleeper s = { .stop = false, .gone = false };
	struct super_block *sb = procfs_create();
	struct mm *mm = sleeper_mm();
	struct user_window w;
	struct inode *inode;
	struct file *late;
	struct task *t;
	char path[32], c;
	pid_t pid;
	int rc;

	KT_ASSERT(!IS_ERR(sb) && mm);
	wait_queue_init(&s.wq);
	t = kthread_create(sleeper_fn, &s, "ktest-sleeper");
	KT_ASSERT(!IS_ERR(t));
	t->mm = mm;		/* only shown, never used: it touches no user page */
	pid = t->pid;		/* t is freed when it exits */
	sleep_ticks(2);		/* it runs, and sleeps */
	KT_ASSERT(user_window_open(&w, PAGE_SIZE) == 0);
	rc = check_sleeper_files(sb, &w, pid);
	snprintf(path, sizeof(path), "/%d/stat", pid);
	late = kt_open(sb->root, path, O_RDONLY);	/* read after it exits */
	s.stop = true;
	wake_up(&s.wq);
	wait_event(&s.wq, s.gone);	/* back here once it is reaped */
	KT_ASSERT(!task_by_pid(pid));
	KT_ASSERT(!IS_ERR(late) && kt_read(late, &w, &c, 1) == -ESRCH);
	file_put(late);
	KT_ASSERT(vfs_lookup(sb->root, sb->root, path, 0, &inode) == -ENOENT);
	user_window_close(&w);
	mmput(mm);
	KT_ASSERT(vfs_umount(sb) == 0);
	return rc;
}

/* ---- /proc/<pid>/maps, /proc/<pid>/mem, /proc/vmstat ---- */

#define HEAP_UVA	0x0804d000u
#define SHM_UVA		0x08050000u

/* What maps must say for sleeper_mm() plus a heap, a shared file page
 * (pgoff 1 of inode 12 on device 3:1), a stack and the vDSO: Linux i386's
 * format, names in column 49 (fs/proc/task_mmu.c: show_map_vma). */
static const char want_maps[] =
	"08048000-0804a000 r-xp 00000000 00:00 0 \n"
	"0804a000-0804d000 rw-p 00000000 00:00 0 \n"
	"0804d000-0804e000 rw-p 00000000 00:00 0          [heap]\n"
	"08050000-08051000 r--s 00001000 03:01 12 \n"
	"bfffe000-bffff000 rw-p 00000000 00:00 0          [stack]\n"
	"bffff000-c0000000 r-xp 00000000 00:00 0          [vdso]\n";

static struct super_block fake_sb = { .dev = MKDEV(3, 1) };
static struct inode fake_inode = { .sb = &fake_sb, .ino = 12 };

static int add_maps_vmas(struct mm *mm, struct page *vdso)
{
	struct vma *shm;

	KT_ASSERT(vma_add(mm, HEAP_UVA, HEAP_UVA + PAGE_SIZE,
			  VM_READ | VM_WRITE | VM_HEAP) == 0);
	KT_ASSERT(vma_add(mm, SHM_UVA, SHM_UVA + PAGE_SIZE,
			  VM_READ | VM_SHARED) == 0);
	shm = find_vma(mm, SHM_UVA);
	shm->inode = &fake_inode;	/* shown only; unset before mmput */
	shm->pgoff = 1;
	KT_ASSERT(vma_add(mm, USER_STACK_TOP - PAGE_SIZE, USER_STACK_TOP,
			  VM_READ | VM_WRITE | VM_GROWSDOWN) == 0);
	KT_ASSERT(vma_map_page(mm, VDSO_UVA, vdso, VM_READ | VM_EXEC) == 0);
	return 0;
}

/* The numbers of vmstat, by Linux's names, in its "name value" lines. */
static bool vmstat_has(const char *text, const char *name, unsigned long value)
{
	char line[64];

	snprintf(line, sizeof(line), "\n%s %lu\n", name, value);
	return strstr(text, line) != NULL;
}

static int check_maps_mem_vmstat(struct super_block *sb,
				 const struct user_window *w, pid_t pid)
{
	static char text[1024];
	char path[32];
	struct file *f;

	snprintf(path, sizeof(path), "/%d/maps", pid);
	KT_ASSERT(read_whole(sb, w, path, text, sizeof(text)) > 0);
	KT_ASSERT(!strcmp(text, want_maps));
	snprintf(path, sizeof(path), "/%d/mem", pid);	/* any task may: all root */
	f = kt_open(sb->root, path, O_RDONLY);
	KT_ASSERT(!IS_ERR(f));
	file_put(f);
	KT_ASSERT(read_whole(sb, w, "/vmstat", text, sizeof(text)) > 0);
	KT_ASSERT(!strncmp(text, "nr_free_pages ", 14));
	KT_ASSERT(vmstat_has(text, "nr_foll_pin_acquired", vm_counters.pins_taken));
	KT_ASSERT(vmstat_has(text, "nr_foll_pin_released", vm_counters.pins_released));
	KT_ASSERT(vmstat_has(text, "nr_pinned", 0));
	KT_ASSERT(vmstat_has(text, "pgfault", vm_counters.pgfault));
	KT_ASSERT(vmstat_has(text, "pgmajfault", vm_counters.pgmajfault));
	KT_ASSERT(vmstat_has(text, "cow_break", vm_counters.cow_break));
	return 0;
}

KTEST(procfs_maps_mem_and_vmstat_in_linux_format)
{
	struct sleeper s = { .stop = false, .gone = false };
	struct super_block *sb = procfs_create();
	struct mm *mm = sleeper_mm();
	struct page *vdso = alloc_page(ALLOC_KERNEL);
	struct user_window w;
	struct task *t;
	int rc;

	KT_ASSERT(!IS_ERR(sb) && mm && vdso);
	KT_ASSERT(add_maps_vmas(mm, vdso) == 0);
	wait_queue_init(&s.wq);
	t = kthread_create(sleeper_fn, &s, "ktest-sleeper");
	KT_ASSERT(!IS_ERR(t));
	t->mm = mm;		/* only shown, never used */
	KT_ASSERT(user_window_open(&w, PAGE_SIZE) == 0);
	rc = check_maps_mem_vmstat(sb, &w, t->pid);
	user_window_close(&w);
	s.stop = true;
	wake_up(&s.wq);
	wait_event(&s.wq, s.gone);
	find_vma(mm, SHM_UVA)->inode = NULL;
	mmput(mm);
	put_page(vdso);
	KT_ASSERT(vfs_umount(sb) == 0);
	return rc;
}
