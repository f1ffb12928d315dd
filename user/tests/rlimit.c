/*
 * rlimit - resource limits: the four calls and their errors, inheritance
 * across fork and exec, and that each enforced limit holds: RLIMIT_NOFILE
 * (EMFILE), RLIMIT_NPROC (fork EAGAIN), RLIMIT_AS and RLIMIT_DATA (mmap
 * and brk ENOMEM), RLIMIT_STACK (deep recursion dies of SIGSEGV),
 * RLIMIT_MEMLOCK (mlock ENOMEM/EPERM, MAP_LOCKED EAGAIN); and the
 * overcommit heuristic (one request larger than all RAM fails at once).
 *
 * Every check that changes a limit runs in a child, so the next check
 * starts from the defaults.  The raw calls (getrlimit 76, ugetrlimit 191,
 * setrlimit 75, prlimit64 340) go through syscall(): glibc's wrappers copy
 * through locals and would fault in user space on a bad pointer.
 *
 * On Linux, root ignores RLIMIT_NPROC and RLIMIT_MEMLOCK; Walnut has only
 * root but holds a process that lowered them to its limit.  So the Linux
 * build drops to "nobody" in those children first (as proc_fork_bomb
 * does).  qemu-user (qemu-i386) keeps RLIMIT_AS, RLIMIT_DATA and
 * RLIMIT_STACK to itself and cannot exec an i386 program without
 * binfmt_misc: those checks note why and skip there, as the limit did not
 * take or the exec failed with ENOEXEC.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "testlib.h"

#define KIB		1024UL
#define MIB		(1024UL * 1024)
#define NOBODY		65534
#define BAD_PTR		((void *)1)

/* Linux's struct rlimit64, for prlimit64 (340) called directly. */
struct rlimit64_raw {
	uint64_t cur, max;
};

static char *self_path;

static int exit_code(int ok)
{
	return ok ? 0 : 1;
}

/* Runs fn in a child and checks it exits 0 (fn reports nothing itself). */
static void in_child(const char *name, int (*fn)(void *))
{
	expect_exit(name, spawn(fn, NULL), 0);
}

/* The soft limit to cur, or to the hard limit if cur is RLIM_SAVED_MAX. */
static int set_soft(int resource, rlim_t cur)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) != 0)
		return -1;
	rl.rlim_cur = cur == RLIM_SAVED_MAX ? rl.rlim_max : cur;
	return setrlimit(resource, &rl);
}

/* Did a limit take?  qemu-user ignores RLIMIT_AS/DATA/STACK. */
static int limit_took(int resource, rlim_t cur)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == 0 && rl.rlim_cur == cur)
		return 1;
	note("the limit %d did not take (qemu-user keeps it): skipping", resource);
	return 0;
}

/* Linux exempts root from RLIMIT_NPROC and RLIMIT_MEMLOCK; become nobody
 * there.  Walnut holds even root to a limit it lowered. */
static void drop_root_on_linux(void)
{
#if defined(__GLIBC__)
	if (getuid() == 0 && (setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
		note("cannot drop root: %s", strerror(errno));
#endif
}

/* May we raise a hard limit?  Walnut: everyone is root.  Linux: with
 * CAP_SYS_RESOURCE (bit 24 of CapEff), which a container's root may lack. */
static int may_raise_hard(void)
{
#if defined(__GLIBC__)
	char buf[2048], *cap;
	unsigned long long eff = 0;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	cap = strstr(buf, "CapEff:");
	if (!cap || sscanf(cap, "CapEff: %llx", &eff) != 1 || !(eff & (1ULL << 24))) {
		note("no CAP_SYS_RESOURCE: cannot raise a hard limit; skipping");
		return 0;
	}
#endif
	return 1;
}

/* ---- the calls ---- */

static void calls_roundtrip(void)
{
	struct rlimit rl, got;
	int ok;

	ok = getrlimit(RLIMIT_NOFILE, &rl) == 0;
	check_errno("rlimit_getrlimit_nofile", ok && rl.rlim_cur <= rl.rlim_max,
		    "cur %llu max %llu", (unsigned long long)rl.rlim_cur,
		    (unsigned long long)rl.rlim_max);
	got = rl;
	got.rlim_cur = 32;
	ok = setrlimit(RLIMIT_NOFILE, &got) == 0 && getrlimit(RLIMIT_NOFILE, &got) == 0;
	check_errno("rlimit_setrlimit_then_getrlimit", ok && got.rlim_cur == 32 &&
		    got.rlim_max == rl.rlim_max, "cur %llu max %llu",
		    (unsigned long long)got.rlim_cur, (unsigned long long)got.rlim_max);
	setrlimit(RLIMIT_NOFILE, &rl);
}

static void calls_errors(void)
{
	struct rlimit rl = { 20, 10 };
	struct rlimit64_raw r64;

	expect_errno("rlimit_setrlimit_soft_above_hard_einval",
		     setrlimit(RLIMIT_CORE, &rl), EINVAL);
	expect_errno("rlimit_ugetrlimit_bad_resource_einval",
		     syscall(SYS_ugetrlimit, 99, &rl), EINVAL);
	expect_errno("rlimit_setrlimit_bad_resource_einval",
		     syscall(SYS_setrlimit, 99, &rl), EINVAL);
	expect_errno("rlimit_prlimit64_bad_resource_einval",
		     syscall(SYS_prlimit64, 0, 99, NULL, &r64), EINVAL);
	expect_errno("rlimit_ugetrlimit_bad_pointer_efault",
		     syscall(SYS_ugetrlimit, RLIMIT_NOFILE, BAD_PTR), EFAULT);
	expect_errno("rlimit_old_getrlimit_bad_pointer_efault",
		     syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD_PTR), EFAULT);
	expect_errno("rlimit_setrlimit_bad_pointer_efault",
		     syscall(SYS_setrlimit, RLIMIT_NOFILE, BAD_PTR), EFAULT);
	expect_errno("rlimit_prlimit64_bad_new_efault",
		     syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, BAD_PTR, NULL), EFAULT);
	expect_errno("rlimit_prlimit64_bad_old_efault",
		     syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD_PTR), EFAULT);
	rl = (struct rlimit){ 16, RLIM_INFINITY };
	expect_errno("rlimit_nofile_hard_above_nr_open_eperm",
		     setrlimit(RLIMIT_NOFILE, &rl), EPERM);
}

/* The old i386 getrlimit clamps to 0x7fffffff; ugetrlimit does not. */
static int child_old_getrlimit(void *unused UNUSED)
{
	struct rlimit inf = { RLIM_INFINITY, RLIM_INFINITY }, got;

	if (setrlimit(RLIMIT_CORE, &inf) != 0)
		return 2;
	if (syscall(SYS_getrlimit, RLIMIT_CORE, &got) != 0)
		return 3;
	if (got.rlim_cur != 0x7fffffffUL || got.rlim_max != 0x7fffffffUL)
		return 4;
	if (syscall(SYS_ugetrlimit, RLIMIT_CORE, &got) != 0)
		return 5;
	return exit_code(got.rlim_cur == RLIM_INFINITY);
}

/* As root, lowering then raising a hard limit works. */
static int child_raise_hard(void *unused UNUSED)
{
	struct rlimit low = { 0, 0 }, high = { 0, RLIM_INFINITY }, got;

	if (setrlimit(RLIMIT_CORE, &low) != 0 || setrlimit(RLIMIT_CORE, &high) != 0)
		return 2;
	return exit_code(getrlimit(RLIMIT_CORE, &got) == 0 &&
			 got.rlim_max == RLIM_INFINITY);
}

/* ---- prlimit64 on another process ---- */

static void prlimit_other(void)
{
	struct rlimit64_raw new64 = { 20, 40 }, old64 = { 0, 0 };
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	pid = spawn(child_wait_for_eof, fds);
	close(fds[0]);
	check_errno("rlimit_prlimit64_sets_child",
		    syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, &new64, &old64) == 0,
		    "prlimit64(%d)", (int)pid);
	check_errno("rlimit_prlimit64_reads_child",
		    syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &old64) == 0 &&
		    old64.cur == 20 && old64.max == 40, "got %llu/%llu",
		    (unsigned long long)old64.cur, (unsigned long long)old64.max);
	close(fds[1]);
	wait_for(pid, &status);
	expect_errno("rlimit_prlimit64_reaped_pid_esrch",
		     syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &old64), ESRCH);
	new64 = (struct rlimit64_raw){ ~0ULL, ~0ULL };
	check_errno("rlimit_prlimit64_self_reads_infinity_as_64bit",
		    syscall(SYS_prlimit64, 0, RLIMIT_RTTIME, NULL, &old64) == 0 &&
		    (old64.max == ~0ULL || old64.max < 0xffffffffULL),
		    "max %llu", (unsigned long long)old64.max);
}

/* ---- inheritance ---- */

static int child_reports_nofile_41(void *unused UNUSED)
{
	struct rlimit rl;

	return exit_code(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 41);
}

static int child_forks_grandchild(void *unused UNUSED)
{
	int status;
	pid_t pid;

	if (set_soft(RLIMIT_NOFILE, 41) != 0)
		return 2;
	pid = spawn(child_reports_nofile_41, NULL);
	if (pid < 0 || wait_for(pid, &status) != pid)
		return 3;
	return exit_code(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Exits 0 if the exec'd image sees NOFILE 41, 1 if not, 100 if the exec
 * itself failed with ENOEXEC (qemu-user). */
static int child_execs_self(void *unused UNUSED)
{
	if (set_soft(RLIMIT_NOFILE, 41) != 0)
		return 2;
	execl(self_path, self_path, "--report-nofile", (char *)NULL);
	return errno == ENOEXEC ? 100 : 3;
}

static void inheritance(void)
{
	int status = 0;
	pid_t pid;

	in_child("rlimit_inherited_across_fork", child_forks_grandchild);
	pid = spawn(child_execs_self, NULL);
	wait_for(pid, &status);
#if !defined(__walnut__)
	if (WIFEXITED(status) && WEXITSTATUS(status) == 100) {
		note("cannot exec an i386 program here (qemu-user): skipping");
		return;
	}
#endif
	check("rlimit_inherited_across_exec",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", status_str(status));
}

/* ---- RLIMIT_NOFILE ---- */

static int child_nofile(void *unused UNUSED)
{
	int fds[2], last = -1, fd;

	for (fd = 3; fd < 64; fd++)
		close(fd);
	if (set_soft(RLIMIT_NOFILE, 8) != 0)
		return 2;
	while ((fd = dup(0)) >= 0)
		last = fd;
	if (errno != EMFILE || last != 7)
		return 3;
	if (pipe(fds) == 0 || errno != EMFILE)
		return 4;
	if (open("/dev/null", O_RDONLY) >= 0 || errno != EMFILE)
		return 5;
	if (dup2(0, 8) >= 0 || errno != EBADF)
		return 6;
	if (fcntl(0, F_DUPFD, 8) >= 0 || errno != EINVAL)
		return 7;
	close(7);
	return exit_code(dup(0) == 7);
}

/* ---- RLIMIT_NPROC ---- */

static int child_nproc(void *unused UNUSED)
{
	pid_t pid;
	int status;

	drop_root_on_linux();
	if (set_soft(RLIMIT_NPROC, 1) != 0)
		return 2;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		wait_for(pid, &status);
		return 3;		/* the limit let it through */
	}
	if (errno != EAGAIN)
		return 4;
	if (set_soft(RLIMIT_NPROC, RLIM_SAVED_MAX) != 0)
		return 5;
	return exit_code(wait_for(spawn(child_exit_zero, NULL), &status) > 0);
}

/* ---- RLIMIT_AS, RLIMIT_DATA ---- */

static void *map_anon(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
}

static int child_as(void *unused UNUSED)
{
	void *p;

	if (set_soft(RLIMIT_AS, 64 * MIB) != 0)
		return 2;
	if (!limit_took(RLIMIT_AS, 64 * MIB))
		return 0;
	if (map_anon(128 * MIB, PROT_READ, 0) != MAP_FAILED || errno != ENOMEM)
		return 3;
	if (sbrk(128 * MIB) != (void *)-1 || errno != ENOMEM)
		return 4;
	p = map_anon(1 * MIB, PROT_READ | PROT_WRITE, 0);
	if (p == MAP_FAILED)
		return 5;
	return exit_code(munmap(p, 1 * MIB) == 0);
}

static int child_data(void *unused UNUSED)
{
	void *p;

	if (set_soft(RLIMIT_DATA, 16 * MIB) != 0)
		return 2;
	if (!limit_took(RLIMIT_DATA, 16 * MIB))
		return 0;
	if (sbrk(32 * MIB) != (void *)-1 || errno != ENOMEM)
		return 3;
	if (map_anon(32 * MIB, PROT_READ | PROT_WRITE, 0) != MAP_FAILED ||
	    errno != ENOMEM)
		return 4;
	p = map_anon(32 * MIB, PROT_READ, 0);	/* not data: not counted */
	if (p == MAP_FAILED)
		return 5;
	munmap(p, 32 * MIB);
	p = mmap(NULL, 32 * MIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);	/* shared: not data */
	if (p == MAP_FAILED)
		return 6;
	munmap(p, 32 * MIB);
	return exit_code(sbrk(1 * MIB) != (void *)-1);
}

/* ---- RLIMIT_STACK ---- */

enum { FRAME = 1024 };

static uintptr_t stack_top;
static int progress_fd = -1;
static size_t deepest;		/* in units of 64 KiB */

/* Recurses for ever, touching every frame; one byte per 64 KiB to
 * progress_fd.  The sum keeps the compiler from making it a loop. */
static int descend(int depth)
{
	volatile char frame[FRAME];
	size_t used = stack_top - (uintptr_t)frame;

	frame[0] = frame[FRAME - 1] = (char)depth;
	if (used / (64 * KIB) > deepest) {
		deepest = used / (64 * KIB);
		if (write(progress_fd, "s", 1) != 1)
			return 0;
	}
	return descend(depth + 1) + frame[FRAME - 1];
}

/* Exits 100 if the limit did not take (qemu-user); else dies. */
static int child_stack(void *fd)
{
	volatile char here;

	progress_fd = (int)(intptr_t)fd;
	if (set_soft(RLIMIT_STACK, 1 * MIB) != 0)
		return 2;
	if (!limit_took(RLIMIT_STACK, 1 * MIB))
		return 100;
	stack_top = (uintptr_t)&here;
	return descend(0);
}

static void stack_limit(void)
{
	int fds[2], status = 0;
	char buf[256];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	pid = spawn(child_stack, (void *)(intptr_t)fds[1]);
	close(fds[1]);
	n = read_full(fds[0], buf, sizeof(buf));
	close(fds[0]);
	wait_for(pid, &status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 100)
		return;
	check("rlimit_stack_limit_sigsegv",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "%s, want killed by SIGSEGV", status_str(status));
	check("rlimit_stack_grew_to_near_limit", n >= 12 && n <= 16,
	      "died at %zd x 64 KiB, want 12-16 (1 MiB)", n);
}

/* ---- RLIMIT_MEMLOCK ---- */

static int child_memlock(void *unused UNUSED)
{
	struct rlimit rl = { 64 * KIB, 64 * KIB }, zero = { 0, 0 };
	char *p = map_anon(256 * KIB, PROT_READ | PROT_WRITE, 0);

	drop_root_on_linux();
	if (p == MAP_FAILED || setrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return 2;
	if (mlock(p, 32 * KIB) != 0)
		return 3;
	if (mlock(p + 32 * KIB, 64 * KIB) == 0 || errno != ENOMEM)
		return 4;
	if (mlock(p, 64 * KIB) != 0)		/* 32 KiB of it locked already */
		return 5;
	if (map_anon(128 * KIB, PROT_READ, MAP_LOCKED) != MAP_FAILED ||
	    errno != EAGAIN)
		return 6;
	if (mlockall(MCL_CURRENT) == 0 || errno != ENOMEM)
		return 7;
	if (munlock(p, 64 * KIB) != 0 || setrlimit(RLIMIT_MEMLOCK, &zero) != 0)
		return 8;
	return exit_code(mlock(p, 4 * KIB) != 0 && errno == EPERM);
}

/* ---- one allocation larger than all RAM ---- */

/* MemTotal in bytes, from /proc/meminfo (Linux's format on both). */
static unsigned long long mem_total(void)
{
	char buf[512];
	unsigned long long kb = 0;
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "MemTotal: %llu kB", &kb) != 1)
		return 0;
	return kb * 1024;
}

/* Linux's heuristic is the default overcommit mode, 0. */
static int overcommit_guess(void)
{
	char c = '0';
	int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '?';
		close(fd);
	}
	return c == '0';
}

static void overcommit(void)
{
	unsigned long long total = mem_total();
	size_t big;
	void *p;

	if (!total || total > 2048 * MIB || !overcommit_guess()) {
		note("RAM %llu MiB (or overcommit mode not 0): more than all of it "
		     "does not fit a 32-bit process; skipping", total / MIB);
		return;
	}
	big = (size_t)total + 16 * MIB;
	expect_errno("rlimit_overcommit_sbrk_past_ram_enomem", (long)sbrk(big), ENOMEM);
	p = map_anon(big, PROT_READ | PROT_WRITE, 0);
	expect_errno("rlimit_overcommit_mmap_past_ram_enomem",
		     p == MAP_FAILED ? -1 : 0, ENOMEM);
	p = map_anon(big, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	check_errno("rlimit_overcommit_noreserve_not_counted", p != MAP_FAILED,
		    "mmap(%lu MiB, MAP_NORESERVE)", (unsigned long)(big / MIB));
	if (p != MAP_FAILED)
		munmap(p, big);
	p = sbrk((intptr_t)(total / 2));
	check_errno("rlimit_overcommit_half_ram_promised", p != (void *)-1,
		    "sbrk(%llu MiB)", total / 2 / MIB);
	if (p != (void *)-1)
		sbrk(-(intptr_t)(total / 2));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--report-nofile") == 0)
		return child_reports_nofile_41(NULL);
	self_path = argv[0];
	calls_roundtrip();
	calls_errors();
	if (!skip_under_emulator("rlimit_old_getrlimit_clamps_to_0x7fffffff",
				 "it passes the host's 64-bit limit through unclamped"))
		in_child("rlimit_old_getrlimit_clamps_to_0x7fffffff", child_old_getrlimit);
	if (may_raise_hard())
		in_child("rlimit_root_raises_hard_limit", child_raise_hard);
	prlimit_other();
	inheritance();
	in_child("rlimit_nofile_emfile_ebadf_einval", child_nofile);
	in_child("rlimit_nproc_fork_eagain", child_nproc);
	in_child("rlimit_as_mmap_brk_enomem", child_as);
	in_child("rlimit_data_brk_and_private_writable_enomem", child_data);
	stack_limit();
	in_child("rlimit_memlock_mlock_enomem_eperm_map_locked_eagain", child_memlock);
	overcommit();
	return test_exit_code();
}
