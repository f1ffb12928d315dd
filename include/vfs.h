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
#include <types.h>

#define NAME_MAX	255
#define PATH_MAX	4096
#define MAXSYMLINKS	8	/* symlinks followed in one lookup */

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
#endif

/* vfs_lookup flags. */
enum lookup_flag {
	LOOKUP_FOLLOW = 1 << 0,	/* follow a symlink in the last component */
};

struct inode;
struct super_block;

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

/* readdir's callback: return non-zero to stop early. */
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
	const struct inode_ops *ops;	/* by file type */
	struct list_head hash;		/* icache chain */
};

/* fs/vfs.c: inodes */
struct inode *iget(struct super_block *sb, uint32_t ino);
void ihold(struct inode *inode);
void iput(struct inode *inode);
void mark_inode_dirty(struct inode *inode);
uint32_t vfs_time(void);

/* fs/vfs.c: paths */
int vfs_lookup(struct inode *root, struct inode *cwd, const char *path,
	       unsigned int flags, struct inode **out);
int vfs_lookup_parent(struct inode *root, struct inode *cwd, const char *path,
		      struct inode **dir, char name[NAME_MAX + 1]);

/* fs/vfs.c: namespace, by (directory, name) */
int vfs_create(struct inode *dir, const char *name, uint16_t mode,
	       struct inode **out);
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
int vfs_sync(struct super_block *sb);
int vfs_umount(struct super_block *sb);

#endif
