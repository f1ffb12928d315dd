/*
 * fs/exec.c - execve: ELF32 executables into a fresh address space.
 *
 * Owns: the ELF checks, the initial user stack (argv, envp, auxv as the
 * SysV i386 ABI lays them out), the point of no return of execve.
 *
 *	do_execve(path, args)
 *	    look up path          -ENOENT, -EACCES (dir, not executable)
 *	    elf_load into new mm  -ENOEXEC (not ELF, wrong class/machine/type,
 *	                          truncated), -EINVAL (a segment outside user
 *	                          space), -ENOMEM, -EIO
 *	    build the stack       -E2BIG, -ENOMEM
 *	    --- point of no return: nothing can fail below ---
 *	    switch to the new mm, free the old, close O_CLOEXEC fds, reset
 *	    handlers, registers to the entry point
 *
 * A failure before the point of no return leaves the caller exactly as it
 * was.  Segments are private mappings of the file (vma_map_file), paged in
 * from the page cache on first touch; bss is zero-fill, and the bss bytes
 * sharing the last file page are zeroed in the process's copy of it.
 *
 * Locks: fs_lock around the path lookup and the final iput only: the
 * loader reads through vfs_read and writes the new mm through the walker,
 * which must not be entered holding it.  May sleep.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <proc.h>
#include <ptrace.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <timer.h>
#include <trap.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>
#include <walk.h>

/* ELF32 (the System V gABI, and the i386 psABI for EM_386). */
#define EI_NIDENT	16
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PT_INTERP	3	/* wants a dynamic linker: Walnut has none */
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define ELF_MAX_PHDRS	32

struct elf32_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* Auxiliary vector types (SysV ABI, Linux's numbers). */
enum {
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
	AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
	AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_SYSINFO = 32,
};

static int read_exact(struct inode *inode, void *kbuf, size_t len, uint64_t off)
{
	long n = vfs_read(inode, kbuf, len, off);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -ENOEXEC;	/* truncated */
}

static int check_ehdr(const struct elf32_ehdr *eh, uint64_t file_size)
{
	if (memcmp(eh->ident, "\177ELF", 4) || eh->ident[4] != ELFCLASS32 ||
	    eh->ident[5] != ELFDATA2LSB || eh->ident[6] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->type != ET_EXEC || eh->machine != EM_386 ||
	    eh->phentsize != sizeof(struct elf32_phdr) ||
	    eh->phnum == 0 || eh->phnum > ELF_MAX_PHDRS)
		return -ENOEXEC;
	if (eh->phoff > file_size ||
	    (uint64_t)eh->phnum * sizeof(struct elf32_phdr) > file_size - eh->phoff)
		return -ENOEXEC;
	return 0;
}

/* A loadable segment must lie in the file, in user space below the stack's
 * reserve, and keep file offset and address congruent modulo a page. */
static int check_segment(const struct elf32_phdr *ph, uint64_t file_size)
{
	const uint32_t top = USER_STACK_TOP - USER_STACK_LIMIT;

	if (ph->filesz > ph->memsz || ph->offset > file_size ||
	    ph->filesz > file_size - ph->offset)
		return -ENOEXEC;
	if (ph->vaddr < USER_MIN_ADDR || ph->memsz > top ||
	    ph->vaddr > top - ph->memsz)
		return -EINVAL;
	if ((ph->vaddr - ph->offset) % PAGE_SIZE)
		return -EINVAL;
	return 0;
}

static uint32_t vma_flags(uint32_t pf)
{
	return (pf & PF_R ? VM_READ : 0) | (pf & PF_W ? VM_WRITE : 0) |
	       (pf & PF_X ? VM_EXEC | VM_READ : 0);
}

/* The file page shown at uva of a segment (offset and vaddr are congruent
 * modulo a page: check_segment). */
static uint32_t segment_pgoff(const struct elf32_phdr *ph, uint32_t uva)
{
	return (ph->offset - (ph->vaddr - uva)) >> PAGE_SHIFT;
}

/* A segment's pages, as the VMAs of the new image (mm/mmap.c:
 * vma_map_segment): file pages demand-paged from the page cache, then
 * anonymous zero-fill for the bss. */
static int map_segment(struct inode *inode, struct mm *mm,
		       const struct elf32_phdr *ph)
{
	uint32_t start = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
	uint32_t end = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
	uint32_t file_end = ph->filesz ? ALIGN_UP(ph->vaddr + ph->filesz, PAGE_SIZE) : start;

	return vma_map_segment(mm, start, file_end, end, vma_flags(ph->flags),
			       inode, segment_pgoff(ph, start));
}

/* The bytes of the last file page past filesz belong to the bss, not the
 * file: zero them in the process's private copy of the page.  The new mm is
 * not current's, so through the walker (WALK_FORCE: a read-only segment
 * gets its private copy too).  Context: no fs_lock (the walker's rule). */
static int zero_segment_tail(struct mm *mm, const struct elf32_phdr *ph)
{
	uint32_t from = ph->vaddr + ph->filesz;
	uint32_t to = MIN(ALIGN_UP(from, PAGE_SIZE), ph->vaddr + ph->memsz);
	struct page *page;
	long n;

	if (ph->filesz == 0 || from >= to)
		return 0;
	n = get_user_pages(mm, ALIGN_DOWN(from, PAGE_SIZE), 1,
			   WALK_WRITE | WALK_FORCE, &page);
	if (n < 0)
		return n == -EFAULT ? -ENOEXEC : (int)n;
	memset((char *)page_to_kva(page) + from % PAGE_SIZE, 0, to - from);
	unpin_user_page(page);
	return 0;
}

/* Check the program headers and map every PT_LOAD segment. */
static int map_segments(struct inode *inode, struct mm *mm,
			const struct elf32_ehdr *eh, const struct elf32_phdr *ph,
			struct elf_image *img)
{
	uint32_t end = 0;
	int err = 0;

	for (unsigned int i = 0; !err && i < eh->phnum; i++) {
		if (ph[i].type == PT_INTERP)
			err = -ENOEXEC;
		if (ph[i].type != PT_LOAD)
			continue;
		err = check_segment(&ph[i], inode->size);
		if (!err)
			err = map_segment(inode, mm, &ph[i]);
		if (!err && eh->phoff >= ph[i].offset &&
		    eh->phoff < ph[i].offset + ph[i].filesz)
			img->phdr_uva = ph[i].vaddr + (eh->phoff - ph[i].offset);
		end = MAX(end, ph[i].vaddr + ph[i].memsz);
	}
	if (!err && (end == 0 || !find_vma(mm, eh->entry) ||
		     find_vma(mm, eh->entry)->start > eh->entry))
		err = -ENOEXEC;		/* no segment, or entry outside them */
	img->brk_start = end;
	return err;
}

/**
 * elf_load - check inode's ELF headers and map its PT_LOAD segments into
 * mm (a fresh one): private file mappings, paged in from the page cache on
 * first touch, and zero-fill for bss.
 * Context: inode held; no fs_lock (vfs_read takes it; the walker may not
 * be entered with it).
 * Return: 0 and img filled in, or -errno (see the top).
 */
int elf_load(struct inode *inode, struct mm *mm, struct elf_image *img)
{
	struct elf32_ehdr eh;
	struct elf32_phdr *ph;
	int err = read_exact(inode, &eh, sizeof(eh), 0);

	if (!err)
		err = check_ehdr(&eh, inode->size);
	if (err)
		return err;
	ph = kmalloc(eh.phnum * sizeof(*ph), ALLOC_KERNEL);
	if (!ph)
		return -ENOMEM;
	err = read_exact(inode, ph, eh.phnum * sizeof(*ph), eh.phoff);
	*img = (struct elf_image){ .entry = eh.entry, .phnum = eh.phnum,
				   .phent = eh.phentsize };
	if (!err)
		err = map_segments(inode, mm, &eh, ph, img);
	for (unsigned int i = 0; !err && i < eh.phnum; i++)
		if (ph[i].type == PT_LOAD)
			err = zero_segment_tail(mm, &ph[i]);
	kfree(ph);
	return err;
}

/* ---- arguments and the initial stack ---- */

/* argv and envp strings gathered before the old image goes away: the
 * strings back to back, NUL-terminated, argv's first. */
struct exec_args {
	char *buf;		/* ARG_MAX bytes */
	size_t len;
	unsigned int argc, envc;
};

static int args_add(struct exec_args *a, const char *s, bool user)
{
	long n;

	if (user) {
		n = strncpy_from_user(a->buf + a->len, s, ARG_MAX - a->len);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
	} else {
		n = (long)strnlen(s, ARG_MAX - a->len);
		if ((size_t)n == ARG_MAX - a->len)
			return -E2BIG;
		memcpy(a->buf + a->len, s, (size_t)n + 1);
	}
	if (n < 0)
		return (int)n;
	a->len += (size_t)n + 1;
	return 0;
}

/* Append the NULL-terminated vector vec (user or kernel); count it. */
static int args_add_vector(struct exec_args *a, const char *const *vec,
			   bool user, unsigned int *count)
{
	for (*count = 0; vec; (*count)++) {
		const char *s;
		int err;

		if (user) {
			if (copy_from_user(&s, &vec[*count], sizeof(s)))
				return -EFAULT;
		} else {
			s = vec[*count];
		}
		if (!s)
			break;
		err = args_add(a, s, user);
		if (err)
			return err;
	}
	return 0;
}

/* Copy len bytes to uva in mm (not current's), through the walker: a
 * FORCE write, so it reaches pages the new program may not write. */
static int copy_to_mm(struct mm *mm, uint32_t uva, const void *src, size_t len)
{
	long n = access_remote_vm(mm, uva, (void *)src, len, WALK_WRITE | WALK_FORCE);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EFAULT;
}

/* The words below the strings: argc, argv[], NULL, envp[], NULL, auxv. */
static size_t stack_words(const struct exec_args *a)
{
	return 3 + a->argc + a->envc + 2 * 14;
}

/*
 * The stack at entry (SysV i386 ABI §3-28, Linux's order), sp 16-aligned:
 *
 *	USER_STACK_TOP -> | 16 random bytes (AT_RANDOM) |
 *	                  | argv and envp strings       |
 *	                  | auxv pairs, AT_NULL last    |
 *	                  | envp[], NULL                |
 *	                  | argv[], NULL                |
 *	           sp ->  | argc                        |
 */
static int build_stack(struct mm *mm, const struct exec_args *a,
		       const struct elf_image *img, uint32_t *sp_out)
{
	uint32_t random_uva = USER_STACK_TOP - 16;
	uint32_t strings = random_uva - (uint32_t)a->len;
	uint32_t nwords = (uint32_t)stack_words(a), *w, *p;
	uint32_t sp = ALIGN_DOWN(strings - nwords * 4, 16);
	uint32_t random[4] = { (uint32_t)rdtsc(), 0x9e3779b9u * current->pid,
			       (uint32_t)jiffies_read(), 0x57a1u };
	uint32_t s = strings;
	int err;

	err = vma_add(mm, ALIGN_DOWN(sp, PAGE_SIZE), USER_STACK_TOP,
		      VM_READ | VM_WRITE | VM_GROWSDOWN);
	if (err)
		return err;
	w = p = kmalloc(nwords * 4, ALLOC_KERNEL);
	if (!w)
		return -ENOMEM;
	*p++ = a->argc;
	for (unsigned int i = 0; i < a->argc + a->envc + 2; i++) {
		if (i == a->argc || i == a->argc + a->envc + 1) {
			*p++ = 0;
			continue;
		}
		*p++ = s;
		s += (uint32_t)strlen(a->buf + (s - strings)) + 1;
	}
	const uint32_t auxv[] = {
		AT_PHDR, img->phdr_uva, AT_PHENT, img->phent, AT_PHNUM, img->phnum,
		AT_PAGESZ, PAGE_SIZE, AT_ENTRY, img->entry, AT_UID, 0, AT_EUID, 0,
		AT_GID, 0, AT_EGID, 0, AT_CLKTCK, HZ, AT_SECURE, 0,
		AT_RANDOM, random_uva,
		/* the vDSO's entry; without SYSENTER, int $0x80 is the way */
		sysenter_enabled ? AT_SYSINFO : AT_NULL, VDSO_UVA,
		AT_NULL, 0,
	};
	_Static_assert(sizeof(auxv) <= 2 * 14 * 4, "stack_words counts auxv");
	memcpy(p, auxv, sizeof(auxv));
	p += ARRAY_SIZE(auxv);
	err = copy_to_mm(mm, sp, w, (size_t)(p - w) * 4);
	if (!err)
		err = copy_to_mm(mm, strings, a->buf, a->len);
	if (!err)
		err = copy_to_mm(mm, random_uva, random, sizeof(random));
	kfree(w);
	*sp_out = sp;
	return err;
}

/* ---- execve ---- */

static int open_executable(const char *path, struct inode **out)
{
	struct inode *inode;
	int err = vfs_lookup(current->root, current->cwd, path, LOOKUP_FOLLOW,
			     &inode);

	if (err)
		return err;
	if (!S_ISREG(inode->mode) || !(inode->mode & 0111)) {
		iput(inode);
		return -EACCES;
	}
	*out = inode;
	return 0;
}

/* After the point of no return: current becomes the new program. */
static void commit_exec(struct mm *mm, const char *path,
			const struct elf_image *img, uint32_t sp)
{
	struct mm *old = current->mm;
	struct trapframe *tf = current->tf;
	const char *base = strrchr(path, '/');

	rusage_leave_mm(current);	/* ru_maxrss outlives the old mm */
	current->mm = mm;
	mm_activate(mm);
	if (old)
		mmput(old);
	mm->brk_start = mm->brk = img->brk_start;
	for (int fd = 0; fd < NR_OPEN; fd++)
		if (current->cloexec & (1ull << fd))
			fd_close(fd);
	signal_reset_on_exec(current);
	ptrace_exec_notify();	/* a traced task stops with SIGTRAP */
	strlcpy(current->comm, base ? base + 1 : path, sizeof(current->comm));
	fpu_reset();
	*tf = (struct trapframe){
		.gs = USER_DS, .fs = USER_DS, .es = USER_DS, .ds = USER_DS,
		.eip = img->entry, .cs = USER_CS, .eflags = EFLAGS_IF | 0x2,
		.user_esp = sp, .user_ss = USER_DS,
	};
}

/**
 * do_execve - run the program at path with the gathered arguments.
 * Return: 0 (current now runs the new program from its entry point), or
 * -errno with current untouched.
 */
static int do_execve(const char *path, const struct exec_args *args)
{
	struct file_name *name;
	struct elf_image img;
	struct inode *inode;
	struct mm *mm;
	uint32_t sp;
	int err;

	mm = mm_create();
	if (!mm)
		return -ENOMEM;
	mutex_lock(&fs_lock);
	err = open_executable(path, &inode);
	name = err ? NULL : file_name_new(current->cwd, path);
	if (!err && !name) {
		iput(inode);
		err = -ENOMEM;
	}
	mutex_unlock(&fs_lock);
	if (!err) {
		err = mm_set_exe(mm, inode, name);	/* -ETXTBSY: open for writing */
		if (!err)
			err = elf_load(inode, mm, &img);
		file_name_put(name);			/* the mm holds them now */
		mutex_lock(&fs_lock);
		iput(inode);
		mutex_unlock(&fs_lock);
	}
	if (!err)
		err = build_stack(mm, args, &img, &sp);
	if (!err)
		err = vma_map_page(mm, VDSO_UVA, vdso_page, VM_READ | VM_EXEC);
	if (err) {
		mmput(mm);
		return err;
	}
	commit_exec(mm, path, &img, sp);
	return 0;
}

static int args_alloc(struct exec_args *a)
{
	*a = (struct exec_args){ .buf = kmalloc(ARG_MAX, ALLOC_KERNEL) };
	return a->buf ? 0 : -ENOMEM;
}

static long sys_execve(const char __user *upath, const char *const __user *uargv,
		       const char *const __user *uenvp)
{
	struct exec_args a;
	char *path = getname(upath);
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	err = args_alloc(&a);
	if (!err)
		err = args_add_vector(&a, uargv, true, &a.argc);
	if (!err)
		err = args_add_vector(&a, uenvp, true, &a.envc);
	if (!err)
		err = do_execve(path, &a);
	kfree(a.buf);
	kfree(path);
	return err;
}
SYSCALL(__NR_execve, sys_execve);

/* For pid 1: argv from the kernel, and a minimal environment. */
int exec_kernel_argv(const char *path, char *const argv[])
{
	static const char *const envp[] = { "HOME=/", "PATH=/bin:/sbin",
					    "TERM=vt100", NULL };
	struct exec_args a;
	int err = args_alloc(&a);

	if (!err)
		err = args_add_vector(&a, (const char *const *)argv, false, &a.argc);
	if (!err)
		err = args_add_vector(&a, envp, false, &a.envc);
	if (!err)
		err = do_execve(path, &a);
	kfree(a.buf);
	return err;
}
