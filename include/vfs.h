/* include/vfs.h - the virtual file system: superblocks, inodes, path lookup
 * and file I/O on kernel buffers, independent of the on-disk format.
 *
 * Interface, in the order a caller meets it:
 *   sb = ext2_mount(bdev)              a filesystem (ERR_PTR on failure);
 *                                      sb->root is its root directory
 *   vfs_lookup(root, cwd, path, flags, &inode)     a path to a held inode
 *   vfs_lookup_parent(root, cwd, path, &dir, name) the directory holding the
 *                                      last component, and that component
 *   vfs_read / vfs_write / vfs_truncate            file data
 *   vfs_create / vfs_mkdir / vfs_rmdir / vfs_unlink / vfs_rename / vfs_link /
 *   vfs_symlink / vfs_readlink / vfs_readdir        namespace operations on
 *                                      (directory inode, component name)
 *   iput(inode)                        drop every inode a call handed back
 *   vfs_sync(sb) / vfs_umount(sb)      write back; unmount (every inode but
 *                                      the root put first)
 *
 * Inodes: one struct inode per (sb, ino) while anyone holds it (iget finds
 * it in a hash); refcount counts holders.  The last iput writes a dirty
 * inode back and frees it; an inode with no links left is deleted then
 * (blocks and inode freed), so an open-but-unlinked file keeps its data until
 * the last holder lets go.
 *
 * File data goes through ops->get_block(inode, file_block, create, &blockno)
 * and the buffer cache (fs/vfs.c: vfs_read, vfs_write); a filesystem supplies
 * only the block map.  The page cache will reuse get_block.
 *
 * Errors: negative errno (Linux values); pointer returns are ERR_PTR.
 * Locks: none yet -- there is one thread of control.  When processes come,
 * a per-inode sleeping lock will serialise changes to a directory or file,
 * and icache_lock (spin) guards the inode hash and refcounts.
 */
#ifndef WALNUT_VFS_H
#define WALNUT_VFS_H

#include <blkdev.h>
#include <list.h>
#include <mutex.h>
#include <types.h>

#define NAME_MAX	255
#define PATH_MAX	4096
#define MAXSYMLINKS	8	/* symlinks followed in one lookup */
#define VFS_EPOCH	1700000000u	/* boot time in Unix seconds, until an
					   RTC driver reads the real one */

/* File types in mode, Linux values (stat(2)); a host test may have them
 * from <sys/stat.h> already, with the same values. */
#ifndef S_IFMT
#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#endif

/* vfs_lookup flags. */
enum lookup_flag {
	LOOKUP_FOLLOW = 1 << 0,	/* follow a symlink in the last component */
};

struct inode;
struct super_block;
struct vma;

/* A filesystem's operations on a whole filesystem. */
struct super_ops {
	struct inode *(*alloc_inode)(struct super_block *sb);	/* zeroed */
	void (*destroy_inode)(struct inode *inode);
	int (*read_inode)(struct inode *inode);	/* fill from disk by ino */
	int (*write_inode)(struct inode *inode);
	void (*delete_inode)(struct inode *inode);	/* no links, last iput */
	int (*sync)(struct super_block *sb);
	void (*put_super)(struct super_block *sb);
};

/* readdir's callback: 0 to go on; 1 to stop after this entry; -1 to stop
 * without taking it (it comes first next time: getdents' full buffer).
 * type is a DT_* value as getdents64 reports it: (S_IFx >> 12), 0 unknown. */
typedef int (*filldir_t)(void *ctx, const char *name, size_t len,
			 uint32_t ino, unsigned int type);

/* A filesystem's operations on one inode; NULL where the type has none
 * (the VFS answers -ENOTDIR, -EISDIR, -EINVAL ...). */
struct inode_ops {
	int (*get_block)(struct inode *inode, uint32_t fblock, bool create,
			 uint32_t *blockno);	/* 0, *blockno 0 for a hole */
	int (*truncate_blocks)(struct inode *inode, uint64_t new_size);
	int (*lookup)(struct inode *dir, const char *name, size_t len,
		      uint32_t *ino);
	int (*create)(struct inode *dir, const char *name, size_t len,
		      uint16_t mode, struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, size_t len,
		     uint16_t mode, struct inode **out);
	int (*rmdir)(struct inode *dir, const char *name, size_t len);
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*link)(struct inode *dir, const char *name, size_t len,
		    struct inode *target);
	int (*symlink)(struct inode *dir, const char *name, size_t len,
		       const char *target, struct inode **out);
	int (*rename)(struct inode *odir, const char *oname, size_t olen,
		      struct inode *ndir, const char *nname, size_t nlen);
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	int (*readdir)(struct inode *dir, uint64_t *pos, filldir_t fn, void *ctx);
};

struct super_block {
	struct block_device *bdev;	/* [I] */
	uint32_t block_size;		/* [I] bytes */
	bool read_only;			/* [I] */
	const struct super_ops *ops;	/* [I] */
	struct inode *root;		/* [I] held for the mount's life */
	void *fs_info;			/* [I] the filesystem's own */
	unsigned int nr_inodes;		/* in memory, for unmount's check */
	struct inode *covered;		/* the directory it is mounted on, held;
					   NULL for the root filesystem */
	const char *type;		/* [I] "ext2", "proc", "devfs" */
	uint32_t dev;			/* [I] st_dev: the device's number, or
					   an anonymous one (0 if unset) */
};

struct inode {
	struct super_block *sb;		/* [I] */
	uint32_t ino;			/* [I] */
	int refcount;			/* holders */
	bool dirty;			/* fields below newer than the disk */
	uint16_t mode;			/* S_IF* | permissions */
	uint16_t nlink;
	uint32_t uid, gid;
	uint64_t size;			/* bytes */
	uint32_t atime, mtime, ctime;	/* seconds since 1970 */
	uint32_t rdev;			/* device number, for S_IFCHR/S_IFBLK */
	const struct inode_ops *ops;	/* by file type */
	const struct file_ops *fops;	/* what open() gives; NULL: generic */
	struct super_block *mounted;	/* a filesystem mounted here, or NULL */
	void *private;			/* the filesystem's own (synthetic fs) */
	struct list_head hash;		/* icache chain */
	/* The page cache (mm/filemap.c), [f] fs_lock: */
	struct list_head pages;		/* its cached pages (page->list) */
	uint32_t nr_pages;
	struct list_head cached_node;	/* on the list of inodes with pages */
	struct mutex write_lock;	/* one write(2) at a time: taken before
					   mmap_lock (a write may fault) */
	/* [f] fs_lock: */
	int writecount;			/* > 0: files open for writing; < 0:
					   programs running from it, which
					   deny writing (-ETXTBSY) */
	struct pipe *pipe;		/* a FIFO's pipe while it is open */
};

/* fs/vfs.c: inodes */
struct inode *iget(struct super_block *sb, uint32_t ino);
void ihold(struct inode *inode);
void iput(struct inode *inode);
void mark_inode_dirty(struct inode *inode);
uint32_t vfs_time(void);

/* fs/vfs.c: writers against running programs (-ETXTBSY); fs_lock held */
int get_write_access(struct inode *inode);	/* open for writing, truncate */
void put_write_access(struct inode *inode);
int deny_write_access(struct inode *inode);	/* a program runs from it */
void allow_write_access(struct inode *inode);

/* fs/vfs.c: paths */
int vfs_lookup(struct inode *root, struct inode *cwd, const char *path,
	       unsigned int flags, struct inode **out);
int vfs_lookup_parent(struct inode *root, struct inode *cwd, const char *path,
		      struct inode **dir, char name[NAME_MAX + 1]);

/* fs/vfs.c: names of directories, and of files for /proc/<pid>/maps */
int vfs_dir_path(struct inode *root, struct inode *dir, char *buf, size_t size);

/* The name a file was opened or run by, as given, and the directory a
 * relative one started from: what /proc/<pid>/maps shows for a mapping of
 * the file.  Shared and immutable; the last put frees it. */
struct file_name {
	int refs;
	struct inode *base;		/* held; NULL for an absolute path */
	char path[];
};
struct file_name *file_name_new(struct inode *base, const char *path);
void file_name_get(struct file_name *n);
void file_name_put(struct file_name *n);
int file_name_path(const struct file_name *n, struct inode *root, char *buf,
		   size_t size);

/* fs/vfs.c: namespace, by (directory, name) */
int vfs_create(struct inode *dir, const char *name, uint16_t mode,
	       struct inode **out);
int vfs_mknod(struct inode *dir, const char *name, uint16_t mode, uint32_t rdev);
int vfs_mkdir(struct inode *dir, const char *name, uint16_t mode);
int vfs_rmdir(struct inode *dir, const char *name);
int vfs_unlink(struct inode *dir, const char *name);
int vfs_link(struct inode *target, struct inode *dir, const char *name);
int vfs_symlink(struct inode *dir, const char *name, const char *target);
int vfs_rename(struct inode *odir, const char *oname, struct inode *ndir,
	       const char *nname);
int vfs_readlink(struct inode *inode, char *buf, size_t size);
int vfs_readdir(struct inode *dir, uint64_t *pos, filldir_t fn, void *ctx);

/* fs/file.c: data through get_block and the buffer cache */
long vfs_read(struct inode *inode, void *kbuf, size_t len, uint64_t off);
long vfs_write(struct inode *inode, const void *kbuf, size_t len, uint64_t off);
int vfs_truncate(struct inode *inode, uint64_t size);

/* mounting */
struct super_block *ext2_mount(struct block_device *bdev, bool read_only);
int vfs_mount(struct super_block *sb, struct inode *dir);	/* on dir */
int vfs_sync(struct super_block *sb);
int vfs_umount(struct super_block *sb);
extern struct super_block *root_sb;	/* [I] mounted by root= at boot */

/* ---- open files (fs/fd.c) ----
 *
 * A struct file is one open() of something: a position, the open flags, and
 * the operations for what was opened.  Descriptors in a task's files[] point
 * at it; dup() and fork() share it (refcount).  The last file_put() calls
 * ops->release and puts the inode.
 */

/* open(2) flags, Linux i386 values.  (Host unit tests get the host's from
 * <fcntl.h> instead; they do not use these.) */
#ifndef WALNUT_HOST
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_CLOEXEC	02000000

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#endif

struct file;
struct poll_table;

/* What an open file does; NULL where it cannot (the syscall answers
 * -EINVAL, -EBADF, -ESPIPE or -ENOTTY as Linux would).
 *
 * read and write move bytes at *pos and advance it by what they moved:
 * read(2) passes &f->pos, pread(2) a position of its own, so a file
 * without a position (a pipe, a terminal) ignores it.  Both return the
 * bytes moved, short if the user buffer goes bad part-way, or -errno if
 * nothing moved. */
struct file_ops {
	int (*open)(struct inode *inode, struct file *f);
	long (*read)(struct file *f, void __user *buf, size_t len, uint64_t *pos);
	long (*write)(struct file *f, const void __user *buf, size_t len,
		      uint64_t *pos);
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	long (*ioctl)(struct file *f, unsigned int cmd, uint32_t arg);
	void (*release)(struct file *f);
	/* mmap(2): fill in v->ops (and v->private) for this object; v->inode,
	 * v->pgoff and the flags are set.  It runs before v is on the mm's
	 * list and before a MAP_FIXED mapping's old pages are gone, so it
	 * must not touch page tables: pages come in through v->ops->fault.
	 * NULL: -ENODEV. */
	int (*mmap)(struct file *f, struct vma *v);
	/* poll(2), select(2): POLL* bits for what would not wait now, naming
	 * its wait queues to pt with poll_wait; interrupts off, must not
	 * sleep (include/poll.h).  NULL: always ready (DEFAULT_POLLMASK). */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
};

struct file {
	int refcount;			/* descriptors and other holders */
	unsigned int flags;		/* O_* given to open, less O_CREAT... */
	uint64_t pos;			/* for read/write/lseek */
	struct inode *inode;		/* held; NULL for a pipe */
	uint16_t anon_mode;		/* fstat's mode when inode is NULL */
	bool write_access;		/* holds get_write_access(inode) */
	struct file_name *name;		/* held: how it was opened; or NULL */
	unsigned int version;		/* the ops' own: a FIFO's read end keeps
					   the writer opens it has seen */
	const struct file_ops *ops;
	void *private;			/* the ops' own */
};

/* Linux's cap on the bytes of one read(2) or write(2): INT_MAX, page
 * aligned (0x7ffff000). */
#define MAX_RW_COUNT	0x7ffff000u

struct file *file_alloc(const struct file_ops *ops, unsigned int flags);
struct file *file_open_inode(struct inode *inode, unsigned int flags);
void file_get(struct file *f);
void file_put(struct file *f);
int fd_install(struct file *f, int min_fd, bool cloexec);	/* fd or -EMFILE */
struct file *fd_file(int fd);		/* not held; NULL if not open */
int fd_close(int fd);
extern const struct file_ops generic_file_ops;	/* regular files, dirs */
extern const struct file_ops fifo_file_ops;	/* fs/pipe.c: open a FIFO */
int fifo_wait_partner(struct file *f);	/* ... then wait, no locks held */
void init_special_inode(struct inode *inode);	/* fs/devfs.c: device files,
						   FIFOs, sockets */
extern struct mutex fs_lock;	/* fs/fd.c: serialises the disk filesystem */
int64_t generic_llseek(struct file *f, int64_t off, int whence);

#endif
