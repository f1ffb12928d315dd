/*
 * vm_proc - what /proc shows of memory: /proc/self/maps lists one line per
 * VMA (munmap of the middle page of three leaves two), /proc/<pid>/mem reads
 * another process's memory at its addresses (a child's, as Linux lets a
 * parent of the same user, and a traced child's), and /proc/vmstat carries
 * Linux's fault counters and, at rest, balanced pin counters.
 *
 * /proc/<pid>/mem is read at offset = address.  Stack addresses are above
 * 2 GiB (on Walnut, and for i386 programs on a 64-bit Linux), past a 32-bit
 * off_t, so the reads use lseek64; _LARGEFILE64_SOURCE declares it in glibc,
 * user/include/unistd.h in Walnut's C library.
 */
#define _LARGEFILE64_SOURCE 1
#include <sys/ptrace.h>
#include "vmlib.h"

/* --- /proc/self/maps ------------------------------------------------------ */

struct range_query {
	uintptr_t lo, hi;		/* [lo, hi) */
	const char *perms;		/* first 3 chars, e.g. "rw-" */
};

/* The line that covers all of [lo, hi), with those permissions. */
static int covers(const struct maps_line *m, void *arg)
{
	const struct range_query *q = arg;

	return m->start <= q->lo && q->hi <= m->end && !strncmp(m->perms, q->perms, 3);
}

/* Any line that overlaps [lo, hi). */
static int overlaps(const struct maps_line *m, void *arg)
{
	const struct range_query *q = arg;

	return m->start < q->hi && q->lo < m->end;
}

/* A line that ends exactly at hi / starts exactly at lo. */
static int ends_at(const struct maps_line *m, void *arg)
{
	return m->end == ((struct range_query *)arg)->hi;
}

static int starts_at(const struct maps_line *m, void *arg)
{
	return m->start == ((struct range_query *)arg)->lo;
}

static int maps_has(int (*fn)(const struct maps_line *, void *), uintptr_t lo, uintptr_t hi,
		    const char *perms)
{
	struct range_query q = { lo, hi, perms };

	return for_each_map(fn, &q) == 1;
}

/*
 * Three pages are one VMA; unmapping the middle one leaves a VMA ending at
 * the hole and one starting after it.  Neighbouring mappings may merge into
 * either, so only the edges at the hole are pinned down.
 */
static void munmap_middle_splits(void)
{
	struct range_query nothing = { 0, 0, "" };
	char *p = map_anon(3);
	uintptr_t a = (uintptr_t)p;

	if (!check("vm_proc_maps_readable", p && for_each_map(overlaps, &nothing) == 0,
		   "cannot read or parse /proc/self/maps"))
		return;
	check("vm_proc_maps_three_pages_one_line", maps_has(covers, a, a + 3 * PG, "rw-"),
	      "no rw- line covers %#lx-%#lx", (unsigned long)a, (unsigned long)(a + 3 * PG));
	munmap(p + PG, PG);
	check("vm_proc_maps_munmap_middle_leaves_hole", !maps_has(overlaps, a + PG, a + 2 * PG, ""),
	      "a line still overlaps the hole");
	check("vm_proc_maps_munmap_middle_first_part",
	      maps_has(covers, a, a + PG, "rw-") && maps_has(ends_at, 0, a + PG, ""),
	      "no line ends at %#lx", (unsigned long)(a + PG));
	check("vm_proc_maps_munmap_middle_last_part",
	      maps_has(covers, a + 2 * PG, a + 3 * PG, "rw-") && maps_has(starts_at, a + 2 * PG, 0, ""),
	      "no line starts at %#lx", (unsigned long)(a + 2 * PG));
	munmap(p, PG);
	munmap(p + 2 * PG, PG);
	check("vm_proc_maps_munmap_all_gone", !maps_has(overlaps, a, a + 3 * PG, ""),
	      "lines remain");
}

/* mprotect of the middle page shows as three lines with their permissions. */
static void mprotect_middle_splits(void)
{
	char *p = map_anon(3);
	uintptr_t a = (uintptr_t)p;

	if (!require("vm_proc_mprotect_setup", p != NULL))
		return;
	mprotect(p + PG, PG, PROT_READ);
	check("vm_proc_maps_mprotect_middle_read_only",
	      maps_has(covers, a + PG, a + 2 * PG, "r--") && maps_has(starts_at, a + PG, 0, "") &&
	      maps_has(ends_at, 0, a + 2 * PG, ""), "no r-- line for exactly the middle page");
	check("vm_proc_maps_mprotect_neighbours_keep_rw",
	      maps_has(covers, a, a + PG, "rw-") && maps_has(covers, a + 2 * PG, a + 3 * PG, "rw-"),
	      "neighbours changed");
	mprotect(p + PG, PG, PROT_READ | PROT_WRITE);
	check("vm_proc_maps_mprotect_back_merges", maps_has(covers, a, a + 3 * PG, "rw-"),
	      "still split after restoring the protection");
	munmap(p, 3 * PG);
}

/* --- /proc/<pid>/mem ------------------------------------------------------ */

static char global_buf[64] = "a global buffer in the data segment";

/* Reads n bytes at addr of pid's memory; the count read, or -1. */
static ssize_t read_mem(pid_t pid, uintptr_t addr, char *buf, size_t n)
{
	char path[64];
	ssize_t got = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (lseek64(fd, (off64_t)addr, SEEK_SET) == (off64_t)addr)
		got = read(fd, buf, n);
	close(fd);
	return got;
}

/* Holds a string on its stack, tells the parent where, waits for EOF. */
static void mem_child(int report_fd, int hold_fd)
{
	char on_stack[64] = "a child's stack buffer";
	uintptr_t where = (uintptr_t)on_stack;
	char c;

	strcpy(global_buf, "the child changed its global");
	write(report_fd, &where, sizeof(where));
	read(hold_fd, &c, 1);
	_exit(on_stack[0] == 'a' ? 0 : 1);
}

/*
 * The same read with the child stopped under ptrace: the one case every
 * policy allows, whoever may read the mem of a process that is not traced.
 */
static void mem_of_traced_child(pid_t pid, uintptr_t child_stack)
{
	char buf[64] = "";
	int status = 0;

	if (!require("vm_proc_mem_attach", ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0 &&
		     wait_for(pid, &status) == pid && WIFSTOPPED(status)))
		return;
	check_errno("vm_proc_mem_reads_traced_child_stack_above_2g",
		    read_mem(pid, child_stack, buf, 22) == 22 &&
		    !strcmp(buf, "a child's stack buffer"),
		    "at %#lx read \"%s\"", (unsigned long)child_stack, buf);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
}

static void proc_mem(void)
{
	char buf[64] = "";
	int report[2], hold[2];
	uintptr_t child_stack = 0;
	pid_t pid;

	if (skip_under_emulator("vm_proc_mem", "/proc/<pid>/mem is the host's memory, "
				"at the host's addresses, and there is no ptrace"))
		return;
	check_errno("vm_proc_self_mem_reads_own_global",
	      read_mem(getpid(), (uintptr_t)global_buf, buf, 16) == 16 &&
	      memcmp(buf, global_buf, 16) == 0, "read \"%.16s\"", buf);
	if (pipe(report) != 0 || pipe(hold) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(report[0]);
		close(hold[1]);
		mem_child(report[1], hold[0]);
	}
	close(report[1]);
	close(hold[0]);
	if (read(report[0], &child_stack, sizeof(child_stack)) == sizeof(child_stack)) {
		memset(buf, 0, sizeof(buf));
		check_errno("vm_proc_mem_reads_child_global",
		      read_mem(pid, (uintptr_t)global_buf, buf, 28) == 28 &&
		      !strcmp(buf, "the child changed its global"), "read \"%s\"", buf);
		memset(buf, 0, sizeof(buf));
		check_errno("vm_proc_mem_reads_child_stack_above_2g",
		      read_mem(pid, child_stack, buf, 22) == 22 &&
		      !strcmp(buf, "a child's stack buffer"),
		      "at %#lx read \"%s\"", (unsigned long)child_stack, buf);
		check("vm_proc_mem_parent_global_unchanged", global_buf[0] == 'a', "%s", global_buf);
		mem_of_traced_child(pid, child_stack);
	}
	close(hold[1]);
	close(report[0]);
	expect_exit("vm_proc_mem_child_exits", pid, 0);
}

/* --- /proc/vmstat ---------------------------------------------------------- */

/* The value of line `name` in /proc/vmstat, or -1 if there is none. */
static long long vmstat(const char *name)
{
	static char text[16384];
	size_t len = strlen(name);
	ssize_t n, got = 0;
	int fd = open("/proc/vmstat", O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += n;
	close(fd);
	text[got] = '\0';
	for (char *line = text; *line; ) {
		char *end = strchr(line, '\n');

		if (!strncmp(line, name, len) && line[len] == ' ')
			return strtoll(line + len + 1, NULL, 10);
		if (!end)
			break;
		line = end + 1;
	}
	return -1;
}

enum { PIN_TRIES = 20 };

/* --- /proc/self/maps: the names of file mappings -------------------------- */

struct name_search {
	uintptr_t uva;		/* the line that covers it ... */
	const char *name;	/* ... has this name: an exact match */
	const char *suffix;	/* or, if name is NULL, an absolute one ending so */
};

static int name_matches(const struct maps_line *m, void *arg)
{
	const struct name_search *s = arg;
	size_t len = strlen(m->name), slen = s->suffix ? strlen(s->suffix) : 0;

	if (s->uva < m->start || s->uva >= m->end)
		return 0;
	if (s->name)
		return strcmp(m->name, s->name) == 0 ? 1 : 2;
	return m->name[0] == '/' && len >= slen &&
	       strcmp(m->name + len - slen, s->suffix) == 0 ? 1 : 2;
}

/* Linux shows a file mapping's path; Walnut used to show none.  The file
 * is opened by a relative name from its directory, so the path shown must
 * be made absolute; the program's own text shows the program's path. */
static void maps_names_files(void)
{
	char dir[128], path[160];
	struct name_search s;
	char *p;
	int fd;

	snprintf(dir, sizeof(dir), "%s/walnut-maps.%d", scratch_dir(), (int)getpid());
	snprintf(path, sizeof(path), "%s/./mapped", dir);
	if (mkdir(dir, 0755) != 0 || chdir(dir) != 0)
		return (void)check_errno("vm_proc_maps_name_setup", 0, "mkdir %s", dir);
	fd = open("mapped", O_RDWR | O_CREAT, 0644);
	p = fd >= 0 && ftruncate(fd, PG) == 0 ?
		mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
	snprintf(path, sizeof(path), "%s/mapped", dir);
	s = (struct name_search){ (uintptr_t)p, path, NULL };
	check("vm_proc_maps_names_a_file_by_its_absolute_path", p != MAP_FAILED &&
	      for_each_map(name_matches, &s) == 1, "no line named %s", path);
	s = (struct name_search){ (uintptr_t)&maps_names_files, NULL, "/vm_proc" };
	check("vm_proc_maps_names_the_program", for_each_map(name_matches, &s) == 1,
	      "the text's line is not named .../vm_proc");
	if (p != MAP_FAILED)
		munmap(p, PG);
	close(fd);
	unlink("mapped");
	if (chdir("/") == 0)
		rmdir(dir);
}

static void proc_vmstat(void)
{
	long long faults = vmstat("pgfault"), later;
	char *p = map_anon(4);
	int balanced = 0;

	check("vm_proc_vmstat_pgfault", faults > 0, "pgfault %lld", faults);
	check("vm_proc_vmstat_pgmajfault", vmstat("pgmajfault") >= 0, "no pgmajfault line");
	if (p) {
		for (int i = 0; i < 4; i++)
			p[i * PG] = 1;
		later = vmstat("pgfault");
		check("vm_proc_vmstat_pgfault_counts_our_faults", later >= faults + 4,
		      "%lld then %lld after 4 faults", faults, later);
		munmap(p, 4 * PG);
	}
	if (vmstat("nr_foll_pin_acquired") < 0) {
		note("no nr_foll_pin_* lines in /proc/vmstat");
		return;
	}
	/* Other processes may pin while we read (on Linux, O_DIRECT I/O): the
	 * two lines are read one after the other, so look for one calm moment. */
	for (int i = 0; i < PIN_TRIES && !balanced; i++) {
		balanced = vmstat("nr_foll_pin_acquired") == vmstat("nr_foll_pin_released");
		if (!balanced)
			sleep_ms(10);
	}
	check("vm_proc_vmstat_pins_balanced_at_rest", balanced, "acquired %lld released %lld",
	      vmstat("nr_foll_pin_acquired"), vmstat("nr_foll_pin_released"));
}

int main(void)
{
	munmap_middle_splits();
	mprotect_middle_splits();
	proc_mem();
	maps_names_files();
	proc_vmstat();
	return test_exit_code();
}
