/*
 * vm_force_write_after_fork - regression test for "a forced write leaks
 * into another process".
 *
 * ptrace's POKEDATA and a write to /proc/<pid>/mem may write memory the
 * process itself may not (a read-only mapping, program text): the kernel
 * writes a private copy of the page.  Walnut once took any present, dirty,
 * anonymous page to be that copy; but fork and mprotect keep the dirty bit
 * on pages a parent and child share, so a forced write into the child
 * landed in the parent too.  Each check here writes into one process and
 * checks that the other is unchanged:
 *   - mprotect then fork then poke, through /proc/<child>/mem and through
 *     ptrace(PTRACE_POKEDATA);
 *   - text poked (so the page is already a private copy) then fork, then
 *     the child's text poked, through the same two ways.
 * (The same holds on Linux since 2022: "mm/gup: fix FOLL_FORCE COW
 * security issue and remove FOLL_COW".  QEMU's user-mode emulator has no
 * ptrace and no /proc/<pid>/mem of its own: skipped there.)
 */
#define _LARGEFILE64_SOURCE 1
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include "testlib.h"

#define PG	4096

/* Never run: its first bytes are the text the tests poke. */
static void __attribute__((noinline, used)) poked_text(void)
{
	__asm__ volatile("nop; nop; nop; nop");
}

static volatile unsigned char *text_byte(void)
{
	return (volatile unsigned char *)(uintptr_t)&poked_text;
}

/* Write one byte at uva of pid through /proc/<pid>/mem (FORCE). */
static int mem_poke(pid_t pid, uintptr_t uva, unsigned char byte)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return 0;
	ok = lseek64(fd, (off64_t)uva, SEEK_SET) == (off64_t)uva &&
	     write(fd, &byte, 1) == 1;
	close(fd);
	return ok;
}

/* The child: wait for the go-ahead on fds[0], then report the byte at
 * uva on fds[1] and exit. */
static void child_reports(int go_fd, int report_fd, volatile unsigned char *p)
{
	unsigned char c;

	if (read(go_fd, &c, 1) != 1)
		_exit(2);
	c = *p;
	_exit(write(report_fd, &c, 1) == 1 ? 0 : 3);
}

/* Fork a child that reports *p when told; it stops itself first if
 * traced (PTRACE_TRACEME), so the parent can poke it.  Returns its pid. */
static pid_t fork_reporter(int go[2], int report[2], volatile unsigned char *p,
			   int traced)
{
	pid_t pid;

	if (pipe(go) != 0 || pipe(report) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (traced && (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0 ||
			       raise(SIGSTOP) != 0))
			_exit(4);
		child_reports(go[0], report[1], p);
	}
	return pid;
}

/* Let the child report, and return what it saw (or -1). */
static int child_saw(pid_t pid, int go[2], int report[2])
{
	unsigned char c = 0;
	int got = write(go[1], "g", 1) == 1 && read(report[0], &c, 1) == 1;

	wait_for(pid, &(int){ 0 });
	close(go[0]);
	close(go[1]);
	close(report[0]);
	close(report[1]);
	return got ? c : -1;
}

/* Poke the child: through /proc/<pid>/mem, or with PTRACE_POKEDATA (the
 * child stopped itself; it is resumed after). */
static int poke_child(pid_t pid, volatile unsigned char *p, unsigned char byte,
		      int traced)
{
	uintptr_t uva = (uintptr_t)p;
	int status, ok;
	long word;

	if (!traced)
		return mem_poke(pid, uva, byte);
	if (wait_for(pid, &status) != pid || !WIFSTOPPED(status))
		return 0;
	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, pid, (void *)uva, NULL);
	word = (word & ~0xffL) | byte;
	ok = errno == 0 && ptrace(PTRACE_POKEDATA, pid, (void *)uva, (void *)word) == 0;
	return ptrace(PTRACE_CONT, pid, NULL, NULL) == 0 && ok;
}

static void mprotect_then_fork_then_poke(int traced)
{
	const char *how = traced ? "ptrace" : "mem";
	int go[2], report[2], seen;
	char name[96];
	volatile unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (p == MAP_FAILED)
		return (void)check_errno("vm_force_write_setup", 0, "mmap");
	p[0] = 'P';			/* present, dirty, the parent's own */
	mprotect((void *)p, PG, PROT_READ);
	pid = fork_reporter(go, report, p, traced);
	snprintf(name, sizeof(name), "vm_force_write_mprotect_fork_poke_%s_child_written", how);
	check(name, pid > 0 && poke_child(pid, p, 'C', traced), "the poke failed");
	seen = child_saw(pid, go, report);
	snprintf(name, sizeof(name), "vm_force_write_mprotect_fork_poke_%s_parent_unchanged", how);
	check(name, p[0] == 'P', "the parent's page holds '%c'", p[0]);
	snprintf(name, sizeof(name), "vm_force_write_mprotect_fork_poke_%s_child_sees_it", how);
	check(name, seen == 'C', "the child saw %d", seen);
	munmap((void *)p, PG);
}

static void text_poke_after_fork(int traced)
{
	const char *how = traced ? "ptrace" : "mem";
	volatile unsigned char *t = text_byte();
	unsigned char original = *t;
	int go[2], report[2], seen;
	char name[96];
	pid_t pid;

	/* Our own text: now a private copy of the page, ours alone... */
	snprintf(name, sizeof(name), "vm_force_write_text_poke_%s_own_text", how);
	if (!check(name, mem_poke(getpid(), (uintptr_t)t, 0x90) && *t == 0x90,
		   "writing our own text failed"))
		return;
	/* ...until fork shares it; the child's poke must copy it again. */
	pid = fork_reporter(go, report, t, traced);
	snprintf(name, sizeof(name), "vm_force_write_text_poke_%s_child_written", how);
	check(name, pid > 0 && poke_child(pid, t, 0xcc, traced), "the poke failed");
	seen = child_saw(pid, go, report);
	snprintf(name, sizeof(name), "vm_force_write_text_poke_%s_parent_unchanged", how);
	check(name, *t == 0x90, "the parent's text holds %#x", *t);
	snprintf(name, sizeof(name), "vm_force_write_text_poke_%s_child_sees_it", how);
	check(name, seen == 0xcc, "the child saw %#x", seen);
	mem_poke(getpid(), (uintptr_t)t, original);
}

int main(void)
{
	if (skip_under_emulator("vm_force_write", "it has no ptrace, and its "
				"/proc/<pid>/mem is the host's"))
		return test_exit_code();
	mprotect_then_fork_then_poke(0);
	mprotect_then_fork_then_poke(1);
	text_poke_after_fork(0);
	text_poke_after_fork(1);
	return test_exit_code();
}
