/*
 * mm/shmem.c - shared anonymous memory: mmap(MAP_SHARED | MAP_ANONYMOUS).
 *
 * Owns: struct shmem, the object behind such a mapping -- an array of pages
 * made on first touch, shared by every VMA that maps it (the original, the
 * halves of a split, the copies fork makes), so a store by any of them is
 * seen by all.  The object goes when its last VMA does.
 *
 * Interface: shmem_setup(v) (mm/internal.h) gives a fresh VMA its object
 * and shmem_vm_ops; the ops do the rest.
 *
 * Invariants: shm->users counts the VMAs pointing at it (v->private);
 * pages[i] is NULL or holds one reference of the object's own.
 *
 * Locks: none.  Only tasks touch it, from faults and VMA changes, and the
 * kernel does not preempt them; alloc_page does not sleep.
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <string.h>
#include <vm.h>
#include "internal.h"

struct shmem {
	int users;			/* VMAs that map it */
	uint32_t nr_pages;		/* its size */
	struct page *pages[];		/* by page offset; NULL until touched */
};

static void shmem_open(struct vma *v)
{
	struct shmem *shm = v->private;

	shm->users++;
}

static void shmem_close(struct vma *v)
{
	struct shmem *shm = v->private;

	if (--shm->users > 0)
		return;
	for (uint32_t i = 0; i < shm->nr_pages; i++)
		if (shm->pages[i])
			put_page(shm->pages[i]);
	kfree(shm);
}

/* The object's page at uva, made (zeroed) on first touch; a reference for
 * the caller.  Past the object (after a split of a bigger one, never in
 * practice) is SIGBUS. */
static struct page *shmem_nopage(struct vma *v, uint32_t uva, bool write)
{
	struct shmem *shm = v->private;
	uint32_t pgoff = v->pgoff + ((uva - v->start) >> PAGE_SHIFT);
	struct page *page;

	if (pgoff >= shm->nr_pages)
		return ERR_PTR(-EFAULT);
	page = shm->pages[pgoff];
	if (!page) {
		page = alloc_page(ALLOC_USER);
		if (!page)
			return ERR_PTR(-ENOMEM);
		clear_page(page_to_kva(page));
		shm->pages[pgoff] = page;
	}
	get_page(page);
	return page;
}

static const struct vm_ops shmem_vm_ops = {
	.open = shmem_open,
	.close = shmem_close,
	.nopage = shmem_nopage,
};

/**
 * shmem_setup - give v (not yet on a list, pgoff 0) a new object as big as
 * itself.  Return: 0 or -ENOMEM.
 */
int shmem_setup(struct vma *v)
{
	uint32_t nr_pages = (v->end - v->start) >> PAGE_SHIFT;
	struct shmem *shm = kzalloc(sizeof(*shm) +
				    nr_pages * sizeof(shm->pages[0]),
				    ALLOC_KERNEL);

	if (!shm)
		return -ENOMEM;
	shm->users = 1;
	shm->nr_pages = nr_pages;
	v->private = shm;
	v->pgoff = 0;
	v->ops = &shmem_vm_ops;
	return 0;
}
