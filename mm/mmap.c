/*
 * mm/mmap.c - the mapping calls: mmap, munmap, mprotect, mlock, madvise
 * (msync lives with them), with Linux's argument checks and errnos.
 *
 * Owns: where a new mapping goes (find_free_area), and every change a
 * system call makes to a process's VMA list.
 *
 * Interface: do_mmap / do_munmap (include/vm.h) for the kernel;
 * vma_map_file for exec; the system calls mmap (old, 6 words in memory),
 * mmap2, munmap, mprotect, mlock, munlock, mlockall, munlockall, msync,
 * madvise.
 *
 *	mmap(addr, len, prot, flags, fd, off)
 *	    check the arguments            -EBADF -EINVAL -ENOMEM -EOVERFLOW
 *	    pick the place                 hint, MAP_FIXED (old maps go, but
 *	                                   only once the new one is made), or
 *	                                   the highest gap below the stack
 *	    check the file                 -EACCES -ENODEV
 *	    make the VMA: file -> f->ops->mmap sets v->ops; shared anonymous
 *	    -> shmem_setup; private anonymous -> no ops (zero-fill)
 *	    MAP_LOCKED / MAP_POPULATE / mlockall(MCL_FUTURE) -> fault it all
 *	    in now through the walker (make_pages_present)
 *
 * A call that changes part of a VMA first splits it at the range's edges
 * (vma_split); afterwards neighbours that became alike merge again
 * (vma_try_merge).  Bounds are checked overflow-safe: len > max ||
 * start > max - len.
 *
 * Locks: each call takes current's mm->mmap_lock for its whole length
 * (the walker may be reading the list for ptrace or /proc/<pid>/mem), and
 * the page-table lock through mm_set_pte and zap_range.  fs_lock comes
 * after mmap_lock (a file's mmap op, iput, write-back).
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <pagecache.h>
#include <proc.h>
#include <resource.h>
#include <sched.h>
#include <syscall.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>
#include <walk.h>
#include <x86.h>
#include "internal.h"

/* Mappings without MAP_FIXED go below the stack's reserve, highest first
 * (Linux's top-down layout); a guard page keeps them off the stack. */
#define MMAP_TOP	(USER_STACK_TOP - USER_STACK_LIMIT - PAGE_SIZE)

static uint32_t prot_to_vm(uint32_t prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* Is [start, start + len) free of VMAs? */
static bool area_is_free(struct mm *mm, uint32_t start, uint32_t len)
{
	struct vma *v = find_vma(mm, start);

	return !v || v->start >= start + len;
}

/* The highest gap of len bytes below MMAP_TOP, or 0. */
static uint32_t find_free_area(struct mm *mm, uint32_t len)
{
	uint32_t top = MMAP_TOP;
	struct vma *v;

	list_for_each_entry_reverse(v, &mm->vmas, node) {
		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			return top - len;
		top = MIN(top, v->start);
	}
	return top >= USER_MIN_ADDR + len ? top - len : 0;
}

/**
 * mmap_place - where a mapping of len bytes goes (Linux's
 * get_unmapped_area).  MAP_FIXED: exactly at addr, which must be aligned
 * and in user space.  Otherwise a free hint is taken as it is, else the
 * highest free gap.  Return: the address, or -errno.
 */
static long mmap_place(struct mm *mm, uint32_t addr, uint32_t len,
		       uint32_t flags)
{
	if (len > USER_TOP - USER_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr % PAGE_SIZE)
			return -EINVAL;
		if (addr > USER_TOP - len)
			return -ENOMEM;
		if (addr < USER_MIN_ADDR)
			return -EPERM;		/* mmap_min_addr */
		return addr;
	}
	addr = ALIGN_UP(addr, PAGE_SIZE);
	if (addr >= USER_MIN_ADDR && addr <= USER_TOP - len &&
	    area_is_free(mm, addr, len))
		return addr;
	addr = find_free_area(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

/* The VMA flags a file mapping may have, or -errno (Linux's checks in
 * do_mmap, in its order). */
static long file_vm_flags(struct file *f, uint32_t vm_flags, uint32_t flags)
{
	unsigned int mode = f->flags & O_ACCMODE;

	if ((flags & MAP_TYPE) == MAP_SHARED) {
		if ((vm_flags & VM_WRITE) && mode == O_RDONLY)
			return -EACCES;
		vm_flags |= VM_SHARED;
		if (mode == O_RDONLY)
			vm_flags &= ~VM_MAYWRITE;
	}
	if (mode == O_WRONLY)
		return -EACCES;
	if (!f->ops->mmap || !f->inode)
		return -ENODEV;
	return vm_flags;
}

/* Make the object behind a new VMA: the file's mmap op, or a shared
 * anonymous object.  On failure v holds nothing. */
static int vma_attach(struct vma *v, struct file *f)
{
	int err;

	if (f) {
		v->inode = f->inode;
		ihold(v->inode);
		err = f->ops->mmap(f, v);
		if (err) {
			mutex_lock(&fs_lock);
			iput(v->inode);
			mutex_unlock(&fs_lock);
			v->inode = NULL;
		} else if (f->name) {
			v->name = f->name;
			file_name_get(v->name);
		}
		return err;
	}
	return v->flags & VM_SHARED ? shmem_setup(v) : 0;
}

static int unmap_locked(struct mm *mm, uint32_t start, uint32_t end);

/* How many VMAs overlap [start, end)? */
static unsigned int vmas_in(struct mm *mm, uint32_t start, uint32_t end)
{
	unsigned int n = 0;
	struct vma *v;

	for (v = find_vma(mm, start); v && v->start < end; v = vma_next(mm, v))
		n++;
	return n;
}

/* Make room for one new VMA at [start, end) without taking anything away
 * yet: cut VMA edges at start and end, and check that the VMA count stays
 * within vm_max_map_count once the range is cleared.  On failure the
 * mappings are as they were: a cut already made is merged back where
 * vma_try_merge may (a heap or stack VMA stays in two, which changes
 * nothing the process sees).  Caller holds mmap_lock.
 * Return: 0 or -ENOMEM. */
static int reserve_range(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *first = find_vma(mm, start), *last = find_vma(mm, end - 1);
	bool cut_first = first && first->start < start;
	bool cut_last = last && last->start < end && last->end > end;
	unsigned int cuts = cut_first + cut_last;

	/* Each cut adds a VMA, the unmap takes those in the range away, and
	 * the new one comes last: all of it must fit. */
	if (mm->map_count + cuts + 1 - vmas_in(mm, start, end) > vm_max_map_count)
		return -ENOMEM;
	if (cut_first && !(first = vma_split(mm, first, start)))
		return -ENOMEM;
	last = find_vma(mm, end - 1);
	if (cut_last && !vma_split(mm, last, end)) {
		if (cut_first)
			vma_try_merge(mm, first);
		return -ENOMEM;
	}
	return 0;
}

/* Put a new VMA [addr, addr + len) in place, MAP_FIXED's way: the new VMA
 * and its object are made and the old VMAs' edges cut before anything is
 * unmapped, so a call that fails with -ENOMEM leaves the old mappings as
 * they were (Linux: mmap_region).  Caller holds mmap_lock.
 * Return: addr or -errno. */
static long mmap_region(struct mm *mm, uint32_t addr, uint32_t len,
			uint32_t vm_flags, struct file *f, uint32_t pgoff)
{
	struct vma *v = kzalloc(sizeof(*v), ALLOC_KERNEL);
	int err;

	if (!v)
		return -ENOMEM;
	*v = (struct vma){ .start = addr, .end = addr + len,
			   .flags = vm_flags, .pgoff = pgoff };
	err = vma_attach(v, f);	/* on failure v holds nothing */
	if (err) {
		kfree(v);
		return err;
	}
	err = reserve_range(mm, addr, addr + len);
	if (err) {
		vma_free(v);
		return err;
	}
	if (unmap_locked(mm, addr, addr + len) || vma_insert(mm, v))
		panic("mmap_region: the range reserve_range made room in is not free");
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	vma_try_merge(mm, v);
	return addr;
}

/* Would a mapping of len bytes at addr be a memory-sized promise?  Private
 * writable memory and shared anonymous memory may each need pages of their
 * own; MAP_NORESERVE opts out (Linux's accountable_mapping, and shmem's
 * accounting). */
static bool mmap_accountable(uint32_t vm_flags, const struct file *f,
			     uint32_t flags)
{
	if (flags & MAP_NORESERVE)
		return false;
	if (vm_flags & VM_SHARED)
		return !f;
	return vm_flags & VM_WRITE;
}

/* Linux's checks before a mapping is made (mmap_region): the address-space
 * limits -- what a MAP_FIXED mapping replaces is not new -- and the
 * overcommit heuristic.  Caller holds mmap_lock.  Return: 0 or -ENOMEM. */
static long mmap_charge(struct mm *mm, uint32_t addr, uint32_t len,
			uint32_t vm_flags, const struct file *f, uint32_t flags)
{
	uint32_t npages = len >> PAGE_SHIFT;

	if (!may_expand_vm(mm, vm_flags, npages) &&
	    !may_expand_vm(mm, vm_flags,
			   npages - mm_pages_in(mm, addr, addr + len, 0)))
		return -ENOMEM;
	if (mmap_accountable(vm_flags, f, flags) && vm_enough_memory(npages))
		return -ENOMEM;
	return 0;
}

/**
 * do_mmap - map len bytes for mmap(2) and mmap2(2); f is NULL for
 * MAP_ANONYMOUS (the caller has refused a bad fd with -EBADF already).
 * Return: the address, or -errno as Linux gives it.
 */
long do_mmap(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot,
	     uint32_t flags, struct file *f, uint32_t pgoff)
{
	uint32_t vm_flags = prot_to_vm(prot) | VM_MAYREAD | VM_MAYWRITE |
			    VM_MAYEXEC | mm->def_flags;
	long r;

	if (!len)
		return -EINVAL;
	if (len > ALIGN_DOWN(UINT32_MAX, PAGE_SIZE))
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (flags & MAP_LOCKED) {
		if (rlimit(RLIMIT_MEMLOCK) == 0)
			return -EPERM;		/* Linux's can_do_mlock */
		vm_flags |= VM_LOCKED;
	}
	mutex_lock(&mm->mmap_lock);
	r = mmap_place(mm, addr, len, flags);
	if (IS_ERR_VALUE(r))
		goto out;
	addr = (uint32_t)r;
	if (!mlock_future_ok(mm, vm_flags, len >> PAGE_SHIFT)) {
		r = -EAGAIN;
		goto out;
	}
	if ((flags & MAP_TYPE) != MAP_SHARED && (flags & MAP_TYPE) != MAP_PRIVATE) {
		r = -EINVAL;
		goto out;
	}
	if (f) {
		r = file_vm_flags(f, vm_flags, flags);
		if (IS_ERR_VALUE(r))
			goto out;
		vm_flags = (uint32_t)r;
	} else if ((flags & MAP_TYPE) == MAP_SHARED) {
		vm_flags |= VM_SHARED;
		pgoff = 0;
	}
	r = mmap_charge(mm, addr, len, vm_flags, f, flags);
	if (!r)
		r = mmap_region(mm, addr, len, vm_flags, f, f ? pgoff : 0);
	if (!IS_ERR_VALUE(r) && ((vm_flags & VM_LOCKED) || (flags & MAP_POPULATE)))
		make_pages_present(mm, addr, len);	/* errors: faults later */
out:
	mutex_unlock(&mm->mmap_lock);
	return r;
}

/* A private mapping of inode at [start, end) from page pgoff with flags,
 * named name for /proc/<pid>/maps.  Caller holds mmap_lock. */
static int vma_map_file(struct mm *mm, uint32_t start, uint32_t end,
			uint32_t flags, struct inode *inode,
			struct file_name *name, uint32_t pgoff)
{
	struct vma *v = kzalloc(sizeof(*v), ALLOC_KERNEL);
	int err;

	if (!v)
		return -ENOMEM;
	*v = (struct vma){ .start = start, .end = end, .pgoff = pgoff,
			   .flags = flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
			   .inode = inode, .name = name, .ops = &filemap_vm_ops };
	err = vma_insert(mm, v);
	if (err) {
		kfree(v);
		return err;
	}
	ihold(inode);
	if (name)
		file_name_get(name);
	return 0;
}

/* A segment may start in the page where the one mapped before it ends:
 * that page leaves the earlier VMA and joins this one, with both
 * segments' permissions (Linux maps it twice, the later mapping winning;
 * the bytes are the same file page either way).  *start and *flags are
 * this segment's, updated.  Return: 0, or -EINVAL if the two overlap by
 * more than that page. */
static int share_first_page(struct mm *mm, uint32_t *start, uint32_t end,
			    uint32_t *flags)
{
	struct vma *prev = find_vma(mm, *start);

	if (!prev || prev->start >= end)
		return 0;
	if (prev->start > *start || prev->end > *start + PAGE_SIZE)
		return -EINVAL;
	*flags |= prev->flags;
	if (prev->start == *start) {
		prev->flags = *flags;
		*start = prev->end;
	} else {
		prev->end = *start;
	}
	return 0;
}

/**
 * vma_map_segment - an ELF segment in a fresh address space (exec, before
 * it is anyone's): [start, file_end) a private mapping of inode from page
 * pgoff, named as the mm's program (mm->exe_name), then [file_end, end)
 * anonymous zero-fill, all with flags.
 * Context: takes mm->mmap_lock.
 * Return: 0, -EINVAL (overlaps an earlier segment by more than a page),
 * -ENOMEM.
 */
int vma_map_segment(struct mm *mm, uint32_t start, uint32_t file_end,
		    uint32_t end, uint32_t flags, struct inode *inode,
		    uint32_t pgoff)
{
	uint32_t first = start;
	int err;

	mutex_lock(&mm->mmap_lock);
	err = share_first_page(mm, &start, end, &flags);
	pgoff += (start - first) >> PAGE_SHIFT;
	file_end = MAX(file_end, start);
	if (!err && start < file_end)
		err = vma_map_file(mm, start, file_end, flags, inode, mm->exe_name,
				   pgoff);
	if (!err && file_end < end)
		err = vma_add_locked(mm, file_end, end, flags);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* ---- ranges of VMAs ---- */

/* Does [start, end) lie wholly inside VMAs? */
static bool range_is_mapped(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *v = find_vma(mm, start);

	for (; v && v->start <= start; v = find_vma(mm, start)) {
		start = v->end;
		if (start >= end)
			return true;
	}
	return false;
}

/* Make VMA edges at start and end, and check [start, end) has no hole.
 * Return: the first VMA of the range, or an ERR_PTR: -ENOMEM (a hole, or
 * no memory to split). */
static struct vma *split_range(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *first = find_vma(mm, start), *v;

	if (!range_is_mapped(mm, start, end))
		return ERR_PTR(-ENOMEM);
	if (first->start < start) {
		first = vma_split(mm, first, start);
		if (!first)
			return ERR_PTR(-ENOMEM);
	}
	v = find_vma(mm, end - 1);
	if (v->end > end && !vma_split(mm, v, end))
		return ERR_PTR(-ENOMEM);
	return first;
}

/* Each VMA that overlaps [start, end) (the list must not change). */
#define for_each_vma_overlapping(mm, v, start, end)			\
	for (v = find_vma(mm, start); v && v->start < (end); v = vma_next(mm, v))

/* Each VMA of [start, end), which split_range has cut to fit; v may be
 * removed inside the loop. */
#define for_each_vma_in(mm, v, tmp, first, end)				\
	for (v = (first), tmp = list_entry(v->node.next, struct vma, node); \
	     &v->node != &(mm)->vmas && v->start < (end);		\
	     v = tmp, tmp = list_entry(v->node.next, struct vma, node))

/* munmap's work; caller holds mmap_lock.  Unmapped parts are no error. */
static int unmap_locked(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *v = find_vma(mm, start), *tmp;

	if (!v || v->start >= end)
		return 0;
	if (v->start < start && !(v = vma_split(mm, v, start)))
		return -ENOMEM;
	for (; &v->node != &mm->vmas && v->start < end; v = tmp) {
		if (v->end > end && !vma_split(mm, v, end))
			return -ENOMEM;
		tmp = list_entry(v->node.next, struct vma, node);
		if (v->flags & VM_LOCKED)
			mm->locked_vm -= (v->end - v->start) >> PAGE_SHIFT;
		vma_unmap(mm, v);
	}
	return 0;
}

/**
 * do_munmap - unmap [start, start + len): munmap(2)'s checks and work.
 * Return: 0, -EINVAL (unaligned, empty, not user space), -ENOMEM (a VMA
 * could not be split).
 */
int do_munmap(struct mm *mm, uint32_t start, uint32_t len)
{
	int err;

	if (start % PAGE_SIZE || start > USER_TOP || len > USER_TOP - start)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	err = unmap_locked(mm, start, start + len);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* ---- protection ---- */

/* Change the flags in vm_mask of every VMA in [start, end) to vm_set,
 * after checking with check(v) (or NULL).  Caller holds mmap_lock.
 * Return: 0 or -errno; partial only if splitting ran out of memory. */
static int change_range(struct mm *mm, uint32_t start, uint32_t end,
			uint32_t vm_mask, uint32_t vm_set,
			int (*check)(const struct vma *v, uint32_t vm_set))
{
	struct vma *first, *v, *tmp;
	int err;

	if (check) {	/* check the whole range before changing any of it */
		for_each_vma_overlapping(mm, v, start, end) {
			err = check(v, vm_set);
			if (err)
				return err;
		}
	}
	first = split_range(mm, start, end);
	if (IS_ERR(first))
		return (int)PTR_ERR(first);
	for_each_vma_in(mm, v, tmp, first, end) {
		uint32_t pages = (v->end - v->start) >> PAGE_SHIFT;

		if (v->flags & VM_LOCKED)
			mm->locked_vm -= pages;
		v->flags = (v->flags & ~vm_mask) | vm_set;
		if (v->flags & VM_LOCKED)
			mm->locked_vm += pages;
		protect_range(mm, v);
	}
	for (v = find_vma(mm, start); v && v->start < end; v = tmp) {
		v = vma_try_merge(mm, v);
		tmp = vma_next(mm, v);
	}
	return 0;
}

/* mprotect may only turn on what the VMA's VM_MAY* bits allow. */
static int check_may(const struct vma *v, uint32_t vm_set)
{
	uint32_t rwx = VM_READ | VM_WRITE | VM_EXEC;

	return vm_set & ~(v->flags >> 4) & rwx ? -EACCES : 0;
}

static long sys_mprotect(uint32_t start, uint32_t len, uint32_t prot)
{
	struct mm *mm = current->mm;
	uint32_t end;
	int err;

	if (start % PAGE_SIZE)
		return -EINVAL;
	if (!len)
		return 0;
	if (len > USER_TOP)
		return -ENOMEM;
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	err = change_range(mm, start, end, VM_READ | VM_WRITE | VM_EXEC,
			   prot_to_vm(prot), check_may);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL(__NR_mprotect, sys_mprotect);

/* ---- mlock ---- */

/* mlock(2)'s errno for a populate that failed, as POSIX has it (Linux's
 * __mlock_posix_error_return): a page that cannot be had at all (a hole,
 * past the end of a file) is -ENOMEM, no memory for it is -EAGAIN. */
static int mlock_error(int populate_err)
{
	if (populate_err == -EFAULT)
		return -ENOMEM;
	if (populate_err == -ENOMEM)
		return -EAGAIN;
	return populate_err;
}

/* mlock/munlock's range: start rounded down, len rounded up to cover it. */
static int lock_range(uint32_t start, uint32_t len, bool lock)
{
	struct mm *mm = current->mm;
	uint32_t end, first = ALIGN_DOWN(start, PAGE_SIZE);
	int err;

	if (len > USER_TOP)
		return -ENOMEM;
	end = ALIGN_UP(start + len, PAGE_SIZE);
	if (end < first)
		return -EINVAL;
	if (end == first)
		return 0;
	mutex_lock(&mm->mmap_lock);
	err = lock ? mlock_limit_check(mm->locked_vm + ((end - first) >> PAGE_SHIFT) -
				       mm_pages_in(mm, first, end, VM_LOCKED)) : 0;
	if (!err)
		err = change_range(mm, first, end, VM_LOCKED,
				   lock ? VM_LOCKED : 0, NULL);
	if (!err && lock)
		err = mlock_error(make_pages_present(mm, first, end - first));
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static long sys_mlock(uint32_t start, uint32_t len)
{
	return lock_range(start, len, true);
}
SYSCALL(__NR_mlock, sys_mlock);

static long sys_munlock(uint32_t start, uint32_t len)
{
	return lock_range(start, len, false);
}
SYSCALL(__NR_munlock, sys_munlock);

/* Set or clear VM_LOCKED on every VMA (mlockall, munlockall). */
static void lock_all(struct mm *mm, bool lock)
{
	struct vma *v;

	mm->locked_vm = 0;
	list_for_each_entry(v, &mm->vmas, node) {
		v->flags = lock ? v->flags | VM_LOCKED : v->flags & ~VM_LOCKED;
		if (lock)
			mm->locked_vm += (v->end - v->start) >> PAGE_SHIFT;
	}
}

static long sys_mlockall(uint32_t flags)
{
	struct mm *mm = current->mm;
	struct vma *v;
	int err;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	err = mlock_limit_check(flags & MCL_CURRENT ?
				mm_pages_in(mm, 0, USER_TOP, 0) : 0);
	if (err) {
		mutex_unlock(&mm->mmap_lock);
		return err;
	}
	mm->def_flags = flags & MCL_FUTURE ? VM_LOCKED : 0;
	if (flags & MCL_CURRENT) {
		lock_all(mm, true);
		list_for_each_entry(v, &mm->vmas, node)
			if (!(flags & MCL_ONFAULT) && !(v->flags & VM_IO))
				make_pages_present(mm, v->start, v->end - v->start);
	}
	mutex_unlock(&mm->mmap_lock);
	return 0;
}
SYSCALL(__NR_mlockall, sys_mlockall);

static long sys_munlockall(void)
{
	struct mm *mm = current->mm;

	mutex_lock(&mm->mmap_lock);
	mm->def_flags = 0;
	lock_all(mm, false);
	mutex_unlock(&mm->mmap_lock);
	return 0;
}
SYSCALL(__NR_munlockall, sys_munlockall);

/* ---- msync ---- */

/* msync's work on one VMA's part [start, end): shared file mappings only. */
static int msync_vma(struct mm *mm, struct vma *v, uint32_t start,
		     uint32_t end, uint32_t flags)
{
	uint64_t off = ((uint64_t)v->pgoff << PAGE_SHIFT) + (start - v->start);
	int err;

	if ((flags & MS_INVALIDATE) && (v->flags & VM_LOCKED))
		return -EBUSY;
	if (!(v->flags & VM_SHARED) || !v->inode)
		return 0;
	clean_range(mm, v, start, end);
	if (!(flags & MS_SYNC))
		return 0;		/* MS_ASYNC: the flusher writes them */
	mutex_lock(&fs_lock);
	err = filemap_write_range(v->inode, off, off + (end - start));
	mutex_unlock(&fs_lock);
	return err;
}

static long sys_msync(uint32_t start, uint32_t len, uint32_t flags)
{
	struct mm *mm = current->mm;
	int err = 0, r;
	uint32_t end;
	struct vma *v;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start % PAGE_SIZE || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end < start)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	for (v = find_vma(mm, start); start < end; v = find_vma(mm, start)) {
		if (!v || v->start >= end) {
			err = -ENOMEM;		/* the rest is a hole */
			break;
		}
		if (v->start > start)
			err = -ENOMEM;		/* a hole: Linux goes on */
		r = msync_vma(mm, v, MAX(start, v->start), MIN(end, v->end), flags);
		if (r) {
			err = r;
			break;
		}
		start = v->end;
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL(__NR_msync, sys_msync);

/* ---- madvise ---- */

/* MADV_DONTNEED: drop the pages; the next touch gets zeros (private
 * anonymous) or the object's bytes again. */
static int dontneed_range(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *v;
	int err = 0;

	if (!find_vma(mm, start))
		return -ENOMEM;
	for_each_vma_overlapping(mm, v, start, end)
		if (v->flags & (VM_LOCKED | VM_IO))
			return -EINVAL;
	for_each_vma_overlapping(mm, v, start, end) {
		if (v->start > start)
			err = -ENOMEM;		/* a hole: Linux goes on */
		zap_range(mm, v, MAX(start, v->start), MIN(end, v->end));
		start = v->end;
	}
	return start < end ? -ENOMEM : err;
}

static long sys_madvise(uint32_t start, uint32_t len, int advice)
{
	struct mm *mm = current->mm;
	uint32_t end;
	int err = 0;

	if (advice < MADV_NORMAL || advice > MADV_DONTNEED)
		return -EINVAL;
	if (start % PAGE_SIZE)
		return -EINVAL;
	if (len > ALIGN_DOWN(UINT32_MAX, PAGE_SIZE))
		return -EINVAL;
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mutex_lock(&mm->mmap_lock);
	if (advice == MADV_DONTNEED)
		err = dontneed_range(mm, start, end);
	else if (!range_is_mapped(mm, start, end))
		err = -ENOMEM;		/* the rest is advice we may ignore */
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL(__NR_madvise, sys_madvise);

/* ---- truncate ---- */

struct unmap_req {
	struct inode *inode;
	uint32_t pgoff;			/* the first page to go */
};

static int unmap_inode_pages_of(struct task *t, void *arg)
{
	const struct unmap_req *r = arg;
	struct vma *v;

	if (!t->mm)
		return 0;
	list_for_each_entry(v, &t->mm->vmas, node) {
		uint32_t pages = (v->end - v->start) >> PAGE_SHIFT;

		if (v->inode != r->inode || v->pgoff + pages <= r->pgoff)
			continue;
		zap_range(t->mm, v, r->pgoff > v->pgoff
			  ? v->start + ((r->pgoff - v->pgoff) << PAGE_SHIFT)
			  : v->start, v->end);
	}
	return 0;
}

/**
 * unmap_mapping_range - a file shrank: take its pages from byte offset
 * from on out of every address space (private copies too, as Linux does),
 * so the next touch faults and gets SIGBUS.  Walnut keeps no reverse map,
 * so this visits every task's VMAs.
 * Context: fs_lock held (truncate); the mmap_locks are not taken -- that
 * would invert the lock order -- which is safe because zap_range does not
 * sleep and the kernel is not preempted, so no VMA list changes meanwhile.
 */
void unmap_mapping_range(struct inode *inode, uint64_t from)
{
	struct unmap_req r = { .inode = inode,
			       .pgoff = (uint32_t)(ALIGN_UP(from, PAGE_SIZE) >> PAGE_SHIFT) };

	for_each_task(unmap_inode_pages_of, &r);
}

/* ---- the mmap system calls ---- */

static long mmap_pgoff(uint32_t addr, uint32_t len, uint32_t prot,
		       uint32_t flags, int fd, uint32_t pgoff)
{
	struct file *f = NULL;

	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_file(fd);
		if (!f)
			return -EBADF;
	}
	return do_mmap(current->mm, addr, len, prot, flags, f, pgoff);
}

static long sys_mmap2(uint32_t addr, uint32_t len, uint32_t prot,
		      uint32_t flags, int fd, uint32_t pgoff)
{
	/* mmap2's offset is in 4096-byte units whatever the page size. */
	return mmap_pgoff(addr, len, prot, flags, fd, pgoff);
}
SYSCALL(__NR_mmap2, sys_mmap2);

/* The old mmap: its six arguments are in user memory (Linux's
 * struct mmap_arg_struct), the offset in bytes. */
static long sys_old_mmap(const uint32_t __user *uargs)
{
	uint32_t a[6];

	if (copy_from_user(a, uargs, sizeof(a)))
		return -EFAULT;
	if (a[5] % PAGE_SIZE)
		return -EINVAL;
	return mmap_pgoff(a[0], a[1], a[2], a[3], (int)a[4], a[5] >> PAGE_SHIFT);
}
SYSCALL(__NR_mmap, sys_old_mmap);

static long sys_munmap(uint32_t start, uint32_t len)
{
	return do_munmap(current->mm, start, len);
}
SYSCALL(__NR_munmap, sys_munmap);
