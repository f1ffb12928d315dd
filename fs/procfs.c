/*
 * fs/procfs.c - /proc: processes and memory as text files, made up on
 * demand from the kernel's own tables.
 *
 * Owns: the procfs superblock.  Nothing else: every name is looked up in
 * the process table (task_by_pid, for_each_task) when it is asked for, and
 * every file's text is generated from struct task, struct mm and the page
 * allocator when it is first read.
 *
 *   /proc/meminfo            MemTotal, MemFree, ... as Linux prints them
 *   /proc/vmstat             "pgfault N" ... lines: faults, pins, reclaim
 *                            (Linux's names where Linux has the counter)
 *   /proc/self               symlink to the reader's own pid
 *   /proc/<pid>/             one per live task (pid 0, the idle task, hidden)
 *   /proc/<pid>/stat         the 52 fields of proc(5), one line
 *   /proc/<pid>/status       "Name:\tsh" ... lines
 *   /proc/<pid>/maps         one line per VMA, Linux's format
 *   /proc/<pid>/mem          the task's memory, file offset = address, read
 *                            and written through the walker
 *                            (access_process_vm); any task may open it
 *                            (every process is root)
 *
 * Interface (include/procfs.h): procfs_create(), then vfs_mount on /proc.
 * A file's text is made by its show function (proc_files[]) into a
 * kmalloc'd proc_text at the first read of an open file, kept in
 * f->private and freed on release: however a reader splits its reads, it
 * sees one snapshot.  lseek moves within it.
 *
 * Inode numbers, stable per (pid, file): 1 the root, 2 self, 3 + i top-level
 * file i; PID_INO(pid, 0) a pid's directory, PID_INO(pid, 1 + i) its file i.
 *
 * Invariants: inodes hold no pointer to a task, only its pid: a task that
 * exits while its /proc inode is held makes reads fail with -ESRCH rather
 * than read freed memory.  A pid's directory exists while the task does
 * (zombies included).
 * Locks: none.  Task fields are read without locks: on one CPU with a
 * non-preemptible kernel nothing changes them while a show function runs
 * (it never sleeps; only the copy to user space afterwards may).
 */
#include <buf.h>
#include <devfs.h>
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <pagecache.h>
#include <proc.h>
#include <procfs.h>
#include <sched.h>
#include <string.h>
#include <trap.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>
#include <walk.h>

#define PROC_ROOT_INO	1
#define PROC_SELF_INO	2
#define PROC_TOP_INO	3		/* + index in top_files */
#define PROC_PID_BASE	0x1000u
#define PROC_PID_SLOTS	16		/* inode numbers per pid */
#define PID_INO(pid, slot) (PROC_PID_BASE + (uint32_t)(pid) * PROC_PID_SLOTS + (slot))
#define PROC_PID_POS	16		/* readdir *pos of pid p: this + p */
#define PROC_TEXT_SIZE	(4 * PAGE_SIZE - 16)	/* maps: ~60 bytes a VMA */
#define PID_MAX		32767		/* kernel/sched.c: pid_alloc wraps */

/* Directory-entry types as getdents64 reports them (Linux's DT_*). */
enum { DT_DIR = 4, DT_REG = 8, DT_LNK = 10 };

#define PROC_DEV	MKDEV(0, 4)	/* st_dev: an anonymous number */

/* A file's text, being written by a show function, then read. */
struct proc_text {
	size_t len;
	bool overflow;
	char buf[PROC_TEXT_SIZE];
};

static void __printf(2, 3) tprintf(struct proc_text *t, const char *fmt, ...)
{
	size_t room = sizeof(t->buf) - t->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		t->overflow = true;	/* a bug in a show function: -EFBIG */
		n = (int)room;
	}
	t->len += (size_t)n;
}

/* A generated file: its name and what writes its text (t is NULL for a
 * top-level file) -- or, for a file that is not text (mem), its own
 * file_ops and mode. */
struct proc_file {
	const char *name;
	void (*show)(struct proc_text *out, struct task *t);
	const struct file_ops *fops;	/* NULL: text made by show */
	uint16_t mode;			/* permissions; 0: 0444 */
};

/* ---- /proc/meminfo ---- */

static void show_meminfo(struct proc_text *out, struct task *unused)
{
	struct buf_stats bs;
	struct pagecache_stats pc;
	size_t free_kb = nr_free_pages() * (PAGE_SIZE / 1024);
	size_t total_kb = nr_managed_pages() * (PAGE_SIZE / 1024);

	buf_get_stats(&bs);
	pagecache_stats(&pc);
	/* Labels padded to 16 columns, values to 8: Linux's show_val_kb.
	 * Cached is the page cache (mm/filemap.c).  Reclaim (mm/reclaim.c)
	 * can free buffers and clean cache pages, so they count as available
	 * -- an estimate, as Linux's is: a mapped page cannot go.  There is
	 * no swap yet. */
	size_t clean_kb = (pc.nr_pages - pc.nr_dirty) * (PAGE_SIZE / 1024);
	const struct { const char *label; size_t kb; } line[] = {
		{ "MemTotal:", total_kb },
		{ "MemFree:", free_kb },
		{ "MemAvailable:", free_kb + bs.bytes / 1024 + clean_kb },
		{ "Buffers:", bs.bytes / 1024 },
		{ "Cached:", pc.nr_pages * (PAGE_SIZE / 1024) },
		{ "SwapCached:", 0 },
		{ "SwapTotal:", 0 },
		{ "SwapFree:", 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(line); i++)
		tprintf(out, "%-16s%8zu kB\n", line[i].label, line[i].kb);
}

/* ---- /proc/<pid>/stat and status ---- */

static char state_letter(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:	return 'R';
	case TASK_SLEEPING:	return t->sleep_kind == SLEEP_INTERRUPTIBLE ? 'S' : 'D';
	case TASK_STOPPED:	return 'T';
	case TASK_ZOMBIE:	return 'Z';
	}
	return '?';
}

static const char *state_name(char letter)
{
	switch (letter) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	}
	return "? (unknown)";
}

/* What a task's address space amounts to, from its VMAs. */
struct mm_summary {
	uint32_t vsize;				/* bytes mapped */
	uint32_t rss;				/* pages present */
	uint32_t start_code, end_code;		/* the executable VMAs' span */
	uint32_t start_data, end_data;		/* the other writable ones' */
	uint32_t start_brk;
};

static void span(uint32_t *lo, uint32_t *hi, const struct vma *v)
{
	if (*hi == 0 || v->start < *lo)
		*lo = v->start;
	*hi = MAX(*hi, v->end);
}

static void summarise_mm(const struct mm *mm, struct mm_summary *s)
{
	const struct vma *v;

	memset(s, 0, sizeof(*s));
	if (!mm)
		return;		/* a kernel thread, or a zombie */
	s->rss = mm->nr_pages;
	s->start_brk = mm->brk_start;
	list_for_each_entry(v, &mm->vmas, node) {
		s->vsize += v->end - v->start;
		if (v->flags & VM_EXEC)
			span(&s->start_code, &s->end_code, v);
		else if ((v->flags & VM_WRITE) &&
			 !(v->flags & (VM_HEAP | VM_GROWSDOWN)))
			span(&s->start_data, &s->end_data, v);
	}
	/* The data VMA runs to the page after bss; the heap starts at the
	 * byte after bss, and Linux's end_data never passes start_brk. */
	if (s->start_brk && s->end_data > s->start_brk)
		s->end_data = MAX(s->start_brk, s->start_data);
}

static pid_t ppid_of(const struct task *t)
{
	return t->parent ? t->parent->pid : 0;
}

/* Signals 1..64 whose action is ignore (want_ign) or a handler. */
static sigset_t sigs_with(const struct task *t, bool want_ign)
{
	sigset_t set = 0;

	for (int sig = 1; sig <= NSIG; sig++) {
		uint32_t h = t->sigactions[sig - 1].handler;

		if (want_ign ? h == SIG_IGN : h > SIG_IGN)
			set |= sigmask(sig);
	}
	return set;
}

/* stat(5)'s old signal fields: the first 31 signals only, as Linux. */
static unsigned long low_sigs(sigset_t set)
{
	return (unsigned long)(set & 0x7fffffffu);
}

/*
 * One line of proc(5)'s 52 fields, in Linux's format (fs/proc/array.c:
 * do_task_stat).  Where Walnut keeps nothing the field is 0, or what
 * Linux shows for the same fact: tpgid -1 (no terminal), priority 20 and
 * nice 0 (everyone has the same), one thread, rsslim unlimited, exit
 * signal SIGCHLD, CPU 0.  Times are in clock ticks: HZ is USER_HZ, 100.
 */
static void show_stat(struct proc_text *out, struct task *t)
{
	struct mm_summary m;
	char state = state_letter(t);

	summarise_mm(t->mm, &m);
	tprintf(out, "%d (%s) %c %d %d %d 0 -1 0 %lu 0 %lu 0 ",
		t->pid, t->comm, state, ppid_of(t), t->pgid, t->sid,
		t->min_flt, t->maj_flt);
	tprintf(out, "%llu %llu %llu %llu 20 0 1 0 %llu %u %u 4294967295 ",
		(unsigned long long)t->utime, (unsigned long long)t->stime,
		(unsigned long long)t->cutime, (unsigned long long)t->cstime,
		(unsigned long long)t->start_jiffies, m.vsize, m.rss);
	tprintf(out, "%u %u 0 0 0 %lu %lu %lu %lu %d 0 0 %d 0 0 0 0 0 0 ",
		m.start_code, m.end_code, low_sigs(t->pending),
		low_sigs(t->blocked), low_sigs(sigs_with(t, true)),
		low_sigs(sigs_with(t, false)), state != 'R', SIGCHLD);
	tprintf(out, "%u %u %u 0 0 0 0 %d\n", m.start_data, m.end_data,
		m.start_brk, state == 'Z' ? t->exit_status : 0);
}

/* The first lines of Linux's /proc/<pid>/status, same names and layout;
 * Vm lines only for a task with an address space, as Linux. */
static void show_status(struct proc_text *out, struct task *t)
{
	struct mm_summary m;

	summarise_mm(t->mm, &m);
	tprintf(out, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", t->comm,
		(unsigned int)t->umask, state_name(state_letter(t)));
	tprintf(out, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n",
		t->pid, t->pid, ppid_of(t), t->tracer ? t->tracer->pid : 0);
	tprintf(out, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n",
		NR_OPEN);
	if (t->mm)
		tprintf(out, "VmSize:\t%8u kB\nVmRSS:\t%8u kB\n", m.vsize / 1024,
			m.rss * (PAGE_SIZE / 1024));
	tprintf(out, "Threads:\t1\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n",
		(unsigned long long)t->pending, 0ull);
	tprintf(out, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		(unsigned long long)t->blocked,
		(unsigned long long)sigs_with(t, true),
		(unsigned long long)sigs_with(t, false));
}

/* ---- /proc/vmstat ---- */

/* Linux's names (mm/vmstat.c: vmstat_text) where Linux has the counter;
 * cow_break and nr_pinned are Walnut's (pins held right now).  Linux
 * counts allocstall per zone (allocstall_normal ...) and pgsteal_direct in
 * LRU pages only; Walnut has one zone, and its pgsteal_direct counts every
 * page reclaim freed, buffers' included. */
static void show_vmstat(struct proc_text *out, struct task *unused)
{
	const struct vm_counters c = vm_counters;	/* one snapshot */
	const struct reclaim_counters r = reclaim_counters;
	const struct { const char *name; unsigned long value; } line[] = {
		{ "nr_free_pages", (unsigned long)nr_free_pages() },
		{ "nr_foll_pin_acquired", c.pins_taken },
		{ "nr_foll_pin_released", c.pins_released },
		{ "nr_pinned", c.pins_taken - c.pins_released },
		{ "pgfault", c.pgfault },
		{ "pgmajfault", c.pgmajfault },
		{ "cow_break", c.cow_break },
		{ "allocstall", r.allocstall },
		{ "pgsteal_direct", r.pgsteal_direct },
		{ "pgsteal_file", r.pgsteal_file },
	};

	for (size_t i = 0; i < ARRAY_SIZE(line); i++)
		tprintf(out, "%s %lu\n", line[i].name, line[i].value);
}

/* ---- /proc/<pid>/maps ---- */

/* Linux pads the fields to this column before a name (fs/proc/task_mmu.c:
 * show_map_vma, 25 + 6 * sizeof(void *) - 1 on i386), then one space. */
#define MAPS_NAME_COLUMN	48

/* The name Linux shows for v: the file's path (as it was opened or run,
 * made absolute from the reader's root: file_name_path), or a special
 * area's; NULL for none.  buf holds a path.  Context: fs_lock held. */
static const char *vma_name(const struct vma *v, char *buf, size_t size)
{
	if (v->name && file_name_path(v->name, current->root, buf, size) >= 0)
		return buf;
	if (v->start == VDSO_UVA)
		return "[vdso]";
	if (v->flags & VM_HEAP)
		return "[heap]";
	if (v->flags & VM_GROWSDOWN)
		return "[stack]";
	return NULL;
}

static void show_vmas(struct proc_text *out, struct mm *mm, char *path)
{
	const struct vma *v;

	list_for_each_entry(v, &mm->vmas, node) {
		uint32_t dev = v->inode ? v->inode->sb->dev : 0;
		const char *name = vma_name(v, path, PATH_MAX);
		size_t line_start = out->len;

		tprintf(out, "%08x-%08x %c%c%c%c %08x %02x:%02x %u ",
			v->start, v->end, v->flags & VM_READ ? 'r' : '-',
			v->flags & VM_WRITE ? 'w' : '-',
			v->flags & VM_EXEC ? 'x' : '-',
			v->flags & VM_SHARED ? 's' : 'p', v->pgoff << PAGE_SHIFT,
			MAJOR(dev), MINOR(dev), v->inode ? v->inode->ino : 0);
		if (name) {
			int pad = MAPS_NAME_COLUMN - (int)(out->len - line_start);

			tprintf(out, "%*s %s", pad > 0 ? pad : 0, "", name);
		}
		tprintf(out, "\n");
	}
}

/* Naming a file may read directories from the disk, so the task's VMAs
 * are held still by its mmap_lock meanwhile (mmap_lock before fs_lock,
 * include/vm.h). */
static void show_maps(struct proc_text *out, struct task *t)
{
	struct mm *mm = t->mm;
	char *path;

	if (!mm)
		return;		/* a kernel thread, or a zombie: empty */
	path = kmalloc(PATH_MAX, ALLOC_KERNEL);
	if (!path) {
		out->overflow = true;	/* the read fails (-EFBIG) */
		return;
	}
	mmget(mm);
	mutex_lock(&mm->mmap_lock);
	mutex_lock(&fs_lock);
	show_vmas(out, mm, path);
	mutex_unlock(&fs_lock);
	mutex_unlock(&mm->mmap_lock);
	mmput(mm);
	kfree(path);
}

/* ---- /proc/<pid>/mem ---- */

static struct task *proc_task(pid_t pid);
static pid_t ino_pid(uint32_t ino);

#define MEM_CHUNK	PAGE_SIZE	/* bounce buffer: one page at a time */

/* Linux lets a task open another's mem if it could ptrace-attach to it:
 * the same user, or root.  Every Walnut process runs as root (uid 0), so
 * any task may, as root may on Linux (and as a parent may read its child's
 * under Yama's default scope). */
static int mem_open(struct inode *inode, struct file *f)
{
	return proc_task(ino_pid(inode->ino)) ? 0 : -ESRCH;
}

/* Copy between the task's memory at *pos and ubuf, a page at a time
 * through a kernel bounce buffer: the walker holds the task's mmap_lock
 * while it copies, so user memory is touched only outside it.
 * Return: bytes moved; 0 if the task has no memory any more; -EIO if the
 * first byte is not mapped (Linux); -EFAULT; -ENOMEM. */
static long mem_rw(struct file *f, void __user *ubuf, size_t len,
		   uint64_t *pos, bool write)
{
	struct task *t = proc_task(ino_pid(f->inode->ino));
	uint8_t *kbuf;
	size_t done = 0;
	long n = 0;

	if (!t || !t->mm || *pos >= USER_TOP)
		return t && t->mm ? -EIO : 0;
	kbuf = kmalloc(MEM_CHUNK, ALLOC_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (done < len) {
		size_t chunk = MIN(len - done, (size_t)MEM_CHUNK);
		uint8_t __user *u = (uint8_t __user *)ubuf + done;

		if (write && copy_from_user(kbuf, u, chunk)) {
			n = -EFAULT;
			break;
		}
		n = access_process_vm(t, (uint32_t)*pos, kbuf, chunk,
				      WALK_FORCE | (write ? WALK_WRITE : 0));
		if (n <= 0) {
			n = -EIO;
			break;
		}
		if (!write && copy_to_user(u, kbuf, (size_t)n)) {
			n = -EFAULT;
			break;
		}
		done += (size_t)n;
		*pos += (uint64_t)n;
		if ((size_t)n < chunk)
			break;
	}
	kfree(kbuf);
	return done ? (long)done : n;
}

static long mem_read(struct file *f, void __user *buf, size_t len,
		     uint64_t *pos)
{
	return mem_rw(f, buf, len, pos, false);
}

static long mem_write(struct file *f, const void __user *buf, size_t len,
		      uint64_t *pos)
{
	return mem_rw(f, (void __user *)buf, len, pos, true);
}

/* Offsets are addresses: SEEK_SET and SEEK_CUR anywhere in the 32-bit
 * space (an address above 2 GiB comes from lseek as a negative off_t). */
static int64_t mem_llseek(struct file *f, int64_t off, int whence)
{
	uint64_t base = whence == SEEK_CUR ? f->pos : 0;

	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	f->pos = (uint32_t)(base + (uint64_t)off);
	return (int64_t)f->pos;
}

static const struct file_ops proc_mem_ops = {
	.open = mem_open,
	.read = mem_read,
	.write = mem_write,
	.llseek = mem_llseek,
};

static const struct proc_file top_files[] = {
	{ .name = "meminfo", .show = show_meminfo },
	{ .name = "vmstat", .show = show_vmstat },
};

static const struct proc_file pid_files[] = {
	{ .name = "stat", .show = show_stat },
	{ .name = "status", .show = show_status },
	{ .name = "maps", .show = show_maps },
	{ .name = "mem", .fops = &proc_mem_ops, .mode = 0600 },
};

/* Room in the numbering for the tables. */
BUILD_ASSERT(2 + ARRAY_SIZE(top_files) < PROC_PID_POS);
BUILD_ASSERT(PROC_TOP_INO + ARRAY_SIZE(top_files) <= PROC_PID_BASE);
BUILD_ASSERT(1 + ARRAY_SIZE(pid_files) <= PROC_PID_SLOTS);

/* ---- which inode is what ---- */

static bool is_pid_ino(uint32_t ino)
{
	return ino >= PROC_PID_BASE;
}

static pid_t ino_pid(uint32_t ino)
{
	return (pid_t)((ino - PROC_PID_BASE) / PROC_PID_SLOTS);
}

static unsigned int ino_slot(uint32_t ino)
{
	return (ino - PROC_PID_BASE) % PROC_PID_SLOTS;
}

/* A task /proc shows: any but the idle task, pid 0. */
static struct task *proc_task(pid_t pid)
{
	return pid > 0 ? task_by_pid(pid) : NULL;
}

/* The generated file an inode is, and its task (NULL for a top-level
 * file).  Return: 0, -ESRCH if the task is gone, -EISDIR otherwise. */
static int file_of(const struct inode *inode, const struct proc_file **pf,
		   struct task **t)
{
	uint32_t ino = inode->ino;

	*t = NULL;
	if (!is_pid_ino(ino)) {
		if (ino < PROC_TOP_INO || ino - PROC_TOP_INO >= ARRAY_SIZE(top_files))
			return -EISDIR;
		*pf = &top_files[ino - PROC_TOP_INO];
		return 0;
	}
	if (ino_slot(ino) == 0 || ino_slot(ino) > ARRAY_SIZE(pid_files))
		return -EISDIR;
	*pf = &pid_files[ino_slot(ino) - 1];
	*t = proc_task(ino_pid(ino));
	return *t ? 0 : -ESRCH;
}

/* ---- open files ---- */

/* Generate the text of the file inode is.  Return: it, or ERR_PTR. */
static struct proc_text *proc_generate(const struct inode *inode)
{
	const struct proc_file *pf;
	struct proc_text *text;
	struct task *t;
	int err = file_of(inode, &pf, &t);

	if (err)
		return ERR_PTR(err);
	text = kmalloc(sizeof(*text), ALLOC_KERNEL);
	if (!text)
		return ERR_PTR(-ENOMEM);
	text->len = 0;
	text->overflow = false;
	pf->show(text, t);
	if (text->overflow) {
		kfree(text);
		return ERR_PTR(-EFBIG);
	}
	return text;
}

static long proc_file_read(struct file *f, void __user *buf, size_t len,
			   uint64_t *pos)
{
	struct proc_text *text = f->private;
	size_t n;

	if (!text) {
		text = proc_generate(f->inode);
		if (IS_ERR(text))
			return PTR_ERR(text);
		f->private = text;
	}
	if (*pos >= text->len)
		return 0;
	n = MIN(len, text->len - (size_t)*pos);
	n = copy_to_user_partial(buf, text->buf + *pos, n);
	if (n == 0)
		return -EFAULT;
	*pos += n;
	return (long)n;
}

/* SEEK_SET and SEEK_CUR, as Linux's seq_lseek; the text has no end yet
 * before the first read, so no SEEK_END. */
static int64_t proc_file_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base = whence == SEEK_CUR ? (int64_t)f->pos : 0;

	if ((whence != SEEK_SET && whence != SEEK_CUR) || off < -base)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

static void proc_file_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops proc_file_ops = {
	.read = proc_file_read,
	.llseek = proc_file_llseek,
	.release = proc_file_release,
};

/* ---- directories ---- */

/* Find a proc_file by name in a table: its index, or -1. */
static int find_file(const struct proc_file *files, size_t nr,
		     const char *name, size_t len)
{
	for (size_t i = 0; i < nr; i++)
		if (strlen(files[i].name) == len && !memcmp(files[i].name, name, len))
			return (int)i;
	return -1;
}

/* A decimal pid with no sign, no leading zero: its value, or -1. */
static pid_t parse_pid(const char *name, size_t len)
{
	pid_t pid = 0;

	if (len == 0 || len > 5 || (name[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid <= PID_MAX ? pid : -1;
}

static bool is_dots(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

static int root_lookup(struct inode *dir, const char *name, size_t len,
		       uint32_t *ino)
{
	int i = find_file(top_files, ARRAY_SIZE(top_files), name, len);
	pid_t pid = parse_pid(name, len);

	if (is_dots(name, len))
		*ino = PROC_ROOT_INO;	/* the VFS climbs out of a mount */
	else if (len == 4 && !memcmp(name, "self", 4))
		*ino = PROC_SELF_INO;
	else if (i >= 0)
		*ino = PROC_TOP_INO + (uint32_t)i;
	else if (pid > 0 && proc_task(pid))
		*ino = PID_INO(pid, 0);
	else
		return -ENOENT;
	return 0;
}

static int next_pid_fn(struct task *t, void *arg)
{
	pid_t *want = arg;	/* [0] the least acceptable, [1] the best yet */

	if (t->pid > 0 && t->pid >= want[0] && (want[1] < 0 || t->pid < want[1]))
		want[1] = t->pid;
	return 0;
}

/* The smallest pid >= from that /proc shows, or -1. */
static pid_t next_pid(pid_t from)
{
	pid_t want[2] = { from, -1 };

	for_each_task(next_pid_fn, want);
	return want[1];
}

/* Offer one entry at *pos, which moves on past it if fn took it (fn's 0
 * or 1; -1 leaves it to be offered again).  Return: non-zero to stop. */
static int offer(uint64_t *pos, uint64_t next_pos, filldir_t fn, void *ctx,
		 const char *name, uint32_t ino, unsigned int type)
{
	int r = fn(ctx, name, strlen(name), ino, type);

	if (r >= 0)
		*pos = next_pos;
	return r;
}

/* A directory's fixed entries: ".", "..", then a table's files, each at
 * its *pos.  Return: non-zero if fn asked to stop. */
static int fixed_entries(uint64_t *pos, filldir_t fn, void *ctx,
			 uint32_t dot, uint32_t dotdot,
			 const struct proc_file *files, size_t nr,
			 uint32_t first_ino)
{
	static const char *const dots[2] = { ".", ".." };

	while (*pos < 2 + nr) {
		uint64_t i = *pos;
		int stop = i < 2 ?
			offer(pos, i + 1, fn, ctx, dots[i], i ? dotdot : dot, DT_DIR) :
			offer(pos, i + 1, fn, ctx, files[i - 2].name,
			      first_ino + (uint32_t)(i - 2), DT_REG);

		if (stop)
			return stop;
	}
	return 0;
}

/* ".", "..", the top-level files, "self", then a directory per pid in
 * increasing order; a pid's *pos is PROC_PID_POS + pid, so a listing
 * carries on right when tasks come and go between calls. */
static int root_readdir(struct inode *dir, uint64_t *pos, filldir_t fn,
			void *ctx)
{
	const uint64_t self_pos = 2 + ARRAY_SIZE(top_files);
	char name[12];
	pid_t pid;

	if (fixed_entries(pos, fn, ctx, PROC_ROOT_INO, PROC_ROOT_INO, top_files,
			  ARRAY_SIZE(top_files), PROC_TOP_INO))
		return 0;
	if (*pos == self_pos &&
	    offer(pos, PROC_PID_POS, fn, ctx, "self", PROC_SELF_INO, DT_LNK))
		return 0;
	*pos = MAX(*pos, (uint64_t)PROC_PID_POS);
	while ((pid = next_pid((pid_t)(*pos - PROC_PID_POS))) > 0) {
		snprintf(name, sizeof(name), "%d", pid);
		if (offer(pos, PROC_PID_POS + (uint64_t)pid + 1, fn, ctx, name,
			  PID_INO(pid, 0), DT_DIR))
			return 0;
	}
	*pos = PROC_PID_POS + PID_MAX + 1;	/* the end, even if pids come */
	return 0;
}

static int pid_lookup(struct inode *dir, const char *name, size_t len,
		      uint32_t *ino)
{
	pid_t pid = ino_pid(dir->ino);
	int i = find_file(pid_files, ARRAY_SIZE(pid_files), name, len);

	if (len == 1 && name[0] == '.')
		*ino = dir->ino;
	else if (is_dots(name, len))
		*ino = PROC_ROOT_INO;
	else if (i >= 0 && proc_task(pid))
		*ino = PID_INO(pid, 1 + (uint32_t)i);
	else
		return -ENOENT;
	return 0;
}

static int pid_readdir(struct inode *dir, uint64_t *pos, filldir_t fn,
		       void *ctx)
{
	pid_t pid = ino_pid(dir->ino);

	if (!proc_task(pid))
		return -ESRCH;
	fixed_entries(pos, fn, ctx, dir->ino, PROC_ROOT_INO, pid_files,
		      ARRAY_SIZE(pid_files), PID_INO(pid, 1));
	return 0;
}

/* /proc/self: the pid of whoever follows it. */
static int self_readlink(struct inode *inode, char *buf, size_t size)
{
	char pid[12];
	int len = snprintf(pid, sizeof(pid), "%d", current->pid);

	len = MIN(len, (int)size);
	memcpy(buf, pid, (size_t)len);
	return len;
}

static const struct inode_ops root_dir_ops = {
	.lookup = root_lookup, .readdir = root_readdir,
};
static const struct inode_ops pid_dir_ops = {
	.lookup = pid_lookup, .readdir = pid_readdir,
};
static const struct inode_ops self_link_ops = { .readlink = self_readlink };
static const struct inode_ops proc_file_iops;	/* no names, no blocks */

/* ---- the superblock ---- */

struct procfs {
	struct super_block sb;
	uint32_t made;			/* time of procfs_create: every inode's */
};

static struct inode *procfs_alloc_inode(struct super_block *sb)
{
	return kzalloc(sizeof(struct inode), ALLOC_NOFS);
}

static void procfs_destroy_inode(struct inode *inode)
{
	kfree(inode);
}

/* What the inode number says: a directory, self, or a generated file. */
static int procfs_read_inode(struct inode *inode)
{
	const struct proc_file *pf;
	struct task *t;
	uint32_t ino = inode->ino;
	int err;

	inode->atime = inode->mtime = inode->ctime =
		container_of(inode->sb, struct procfs, sb)->made;
	inode->nlink = 1;
	if (ino == PROC_ROOT_INO || (is_pid_ino(ino) && ino_slot(ino) == 0)) {
		if (ino != PROC_ROOT_INO && !proc_task(ino_pid(ino)))
			return -ENOENT;
		inode->mode = S_IFDIR | 0555;
		inode->nlink = 2;
		inode->ops = ino == PROC_ROOT_INO ? &root_dir_ops : &pid_dir_ops;
		return 0;
	}
	if (ino == PROC_SELF_INO) {
		inode->mode = S_IFLNK | 0777;
		inode->ops = &self_link_ops;
		return 0;
	}
	err = file_of(inode, &pf, &t);
	if (err)
		return err == -ESRCH ? -ENOENT : -EINVAL;
	inode->mode = S_IFREG | (pf->mode ? pf->mode : 0444);
	inode->ops = &proc_file_iops;
	inode->fops = pf->fops ? pf->fops : &proc_file_ops;
	return 0;
}

static int procfs_write_inode(struct inode *inode)
{
	return 0;	/* nothing to write to */
}

static int procfs_sync(struct super_block *sb)
{
	return 0;
}

static void procfs_put_super(struct super_block *sb)
{
	kfree(container_of(sb, struct procfs, sb));
}

static const struct super_ops procfs_super_ops = {
	.alloc_inode = procfs_alloc_inode,
	.destroy_inode = procfs_destroy_inode,
	.read_inode = procfs_read_inode,
	.write_inode = procfs_write_inode,
	.sync = procfs_sync,
	.put_super = procfs_put_super,
};

/**
 * procfs_create - a procfs superblock, to be mounted on /proc.
 * Return: the superblock (sb->root held), or ERR_PTR(-ENOMEM).
 */
struct super_block *procfs_create(void)
{
	struct procfs *p = kzalloc(sizeof(*p), ALLOC_NOFS);
	struct inode *root;

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->sb.block_size = PAGE_SIZE;
	p->sb.read_only = true;
	p->sb.ops = &procfs_super_ops;
	p->sb.type = "proc";
	p->sb.dev = PROC_DEV;
	p->sb.fs_info = p;
	p->made = vfs_time();
	root = iget(&p->sb, PROC_ROOT_INO);
	if (IS_ERR(root)) {
		kfree(p);
		return ERR_PTR(PTR_ERR(root));
	}
	p->sb.root = root;
	return &p->sb;
}
