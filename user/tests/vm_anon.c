/*
 * vm_anon - anonymous memory: zero-fill on first touch, copy-on-write after
 * fork in both directions, MAP_SHARED|MAP_ANONYMOUS shared across fork in
 * both directions, and what munmap and MAP_FIXED leave behind.
 *
 * Parent and child take turns through two pipes (a "go" byte each way), so
 * "the other side has written by now" is a fact, not a race.
 */
#include "vmlib.h"

enum { ZERO_PAGES = 16, COW_PAGES = 8 };

static int global_word = 1;		/* .data: COW'd like any private page */

/* Every byte of every page reads 0; reading first, then writing one page,
 * must not make another page (or a later mapping) non-zero: a read fault may
 * map one shared zero page, and the write must copy it, not scribble on it. */
static void zero_fill(void)
{
	char *p = map_anon(ZERO_PAGES), *q;
	int nonzero = 0;

	if (!check("vm_anon_mmap", p != NULL, "mmap failed"))
		return;
	for (size_t i = 0; i < ZERO_PAGES * PG; i++)
		nonzero |= p[i];
	check("vm_anon_zero_filled_on_read", nonzero == 0, "found non-zero bytes");
	p[PG + 5] = 'w';
	q = map_anon(1);
	check("vm_anon_write_after_read_leaves_other_pages_zero",
	      p[5] == 0 && p[2 * PG + 5] == 0 && p[PG + 5] == 'w' && q && q[5] == 0,
	      "p[5]=%d p[2PG+5]=%d q[5]=%d", p[5], p[2 * PG + 5], q ? q[5] : -1);
	munmap(q, PG);
	munmap(p, ZERO_PAGES * PG);
}

/* Pipes for taking turns: to_child[1] -> child, to_parent[1] -> parent. */
struct turns {
	int to_child[2], to_parent[2];
};

static int turns_open(struct turns *t)
{
	return pipe(t->to_child) == 0 && pipe(t->to_parent) == 0 ? 0 : -1;
}

/* After fork each side keeps only its own ends, so a side that dies gives
 * the other EOF instead of a wait forever. */
static void turns_take_side(struct turns *t, int is_child)
{
	if (is_child) {
		close(t->to_child[1]);
		close(t->to_parent[0]);
	} else {
		close(t->to_child[0]);
		close(t->to_parent[1]);
	}
}

static void turns_close(struct turns *t)
{
	close(t->to_child[1]);
	close(t->to_parent[0]);
}

static void go(int fd)
{
	write(fd, "g", 1);
}

static int wait_go(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

/*
 * The child writes every page of p and global_word, tells the parent, waits
 * for the parent to write too, and checks it still sees its own values.
 * Exit 0 if so.
 */
static int cow_child(struct turns *t, char *p)
{
	int bad = 0;

	for (int i = 0; i < COW_PAGES; i++)
		p[i * PG] = 'c';
	global_word = 2;
	go(t->to_parent[1]);
	if (wait_go(t->to_child[0]) != 0)
		return 2;
	for (int i = 0; i < COW_PAGES; i++)
		bad |= p[i * PG] != 'c';
	return bad || global_word != 2;
}

/* fork with pages written before; then each side writes and must see only
 * its own writes. */
static void cow_after_fork(void)
{
	char *p = map_anon(COW_PAGES);
	struct turns t;
	int bad = 0;
	pid_t pid;

	if (!p || turns_open(&t) != 0) {
		check("vm_anon_cow_setup", 0, "mmap or pipe failed");
		return;
	}
	for (int i = 0; i < COW_PAGES; i++)
		p[i * PG] = 'p';
	global_word = 1;
	pid = fork();
	turns_take_side(&t, pid == 0);
	if (pid == 0)
		_exit(cow_child(&t, p));
	wait_go(t.to_parent[0]);
	for (int i = 0; i < COW_PAGES; i++)
		bad |= p[i * PG] != 'p';
	check("vm_anon_cow_child_write_not_seen_by_parent", !bad && global_word == 1,
	      "page 0 '%c', global %d", p[0], global_word);
	for (int i = 0; i < COW_PAGES; i++)
		p[i * PG] = 'P';
	global_word = 3;
	go(t.to_child[1]);
	expect_exit("vm_anon_cow_parent_write_not_seen_by_child", pid, 0);
	check("vm_anon_cow_parent_keeps_its_write", p[0] == 'P' && global_word == 3,
	      "page 0 '%c'", p[0]);
	turns_close(&t);
	munmap(p, COW_PAGES * PG);
}

/* A page never touched before fork: the child's first touch must not give
 * the parent's later one the same page. */
static void cow_untouched_page(void)
{
	char *p = map_anon(1);
	pid_t pid;

	if (!require("vm_anon_cow_untouched_setup", p != NULL))
		return;
	pid = fork();
	if (pid == 0) {
		p[0] = 'c';
		_exit(p[0] == 'c' ? 0 : 1);
	}
	expect_exit("vm_anon_cow_untouched_child_writes", pid, 0);
	check("vm_anon_cow_untouched_parent_still_zero", p[0] == 0, "p[0]=%d", p[0]);
	munmap(p, PG);
}

static int shared_child(struct turns *t, volatile char *s)
{
	s[0] = 'c';
	s[PG] = 'c';
	go(t->to_parent[1]);
	if (wait_go(t->to_child[0]) != 0)
		return 2;
	return s[0] == 'P' && s[PG] == 'P' ? 0 : 1;
}

static void shared_anon_across_fork(void)
{
	volatile char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct turns t;
	pid_t pid;

	if (!check("vm_anon_shared_mmap", s != MAP_FAILED, "mmap failed") ||
	    !require("vm_anon_shared_pipes", turns_open(&t) == 0))
		return;
	s[0] = 'p';			/* page 1 is first touched by the child */
	pid = fork();
	turns_take_side(&t, pid == 0);
	if (pid == 0)
		_exit(shared_child(&t, s));
	wait_go(t.to_parent[0]);
	check("vm_anon_shared_child_write_seen_by_parent", s[0] == 'c' && s[PG] == 'c',
	      "saw '%c' '%c'", s[0], s[PG]);
	s[0] = 'P';
	s[PG] = 'P';
	go(t.to_child[1]);
	expect_exit("vm_anon_shared_parent_write_seen_by_child", pid, 0);
	turns_close(&t);
	munmap((void *)s, 2 * PG);
}

static int touch_first_byte(void *p)
{
	return *(volatile char *)p;
}

/* After munmap the range is gone: touching it is SIGSEGV.  MAP_FIXED over a
 * written mapping replaces it with fresh zeroes. */
static void unmap_and_fixed(void)
{
	char *p = map_anon(2), *q;

	if (!require("vm_anon_unmap_setup", p != NULL))
		return;
	p[0] = p[PG] = 'x';
	check("vm_anon_munmap", munmap(p + PG, PG) == 0, "munmap failed");
	expect_killed("vm_anon_touch_after_munmap_sigsegv", spawn(touch_first_byte, p + PG),
		      SIGSEGV);
	q = mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check("vm_anon_map_fixed_replaces_with_zeroes", q == p && p[0] == 0,
	      "got %p (wanted %p), p[0]=%d", (void *)q, (void *)p, q == p ? p[0] : -1);
	munmap(p, PG);
}

int main(void)
{
	zero_fill();
	cow_after_fork();
	cow_untouched_page();
	shared_anon_across_fork();
	unmap_and_fixed();
	return test_exit_code();
}
