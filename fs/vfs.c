/*
 * fs/vfs.c - the inode cache, path lookup and namespace operations.
 *
 * Owns: the inode hash (icache), which finds the one in-memory inode of a
 * (sb, ino) while someone holds it.
 *
 * Interface (include/vfs.h): iget/ihold/iput; vfs_lookup, vfs_lookup_parent;
 * vfs_create ... vfs_readdir check the arguments a filesystem should not
 * have to (name length, ".", "..", file types) and call its inode_ops;
 * vfs_mount / vfs_umount attach a filesystem to a directory and detach it.
 *
 * Invariants:
 *   - An inode is in the hash iff its refcount > 0; sb->nr_inodes counts
 *     them.  The last iput writes its dirty pages to the buffer cache and
 *     drops them (filemap_evict_inode), writes the inode back (or deletes it
 *     when nlink is 0) and frees it.
 *   - Every inode handed to a caller is held; the caller iputs it.
 *   - A lookup follows at most MAXSYMLINKS symlinks in all (-ELOOP past it).
 *   - Mounts: dir->mounted == sb iff sb->covered == dir, and then dir is
 *     held by the mount.  Lookup never hands back a covered directory: a
 *     step onto one continues at mounted->root (cross_mounts), and ".." from
 *     the root of a mounted filesystem is ".." of the directory it covers.
 *
 * Locks: none yet (one thread of control; include/vfs.h says what comes).
 * Everything here may sleep (disk reads through the buffer cache).
 */
#include <err.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <mutex.h>
#include <pagecache.h>
#include <string.h>
#include <timer.h>
#include <vfs.h>

#define ICACHE_SIZE	64

static struct list_head icache[ICACHE_SIZE];
static bool icache_ready;

uint32_t vfs_time(void)
{
	return VFS_EPOCH + (uint32_t)(jiffies_read() / HZ);
}

static struct list_head *ichain(struct super_block *sb, uint32_t ino)
{
	if (!icache_ready) {
		for (unsigned int i = 0; i < ICACHE_SIZE; i++)
			list_init(&icache[i]);
		icache_ready = true;
	}
	return &icache[(((uintptr_t)sb >> 4) ^ ino) % ICACHE_SIZE];
}

/**
 * iget - the in-memory inode for (sb, ino), read from the disk if need be.
 * Return: the inode, held; ERR_PTR(-ENOMEM), or the filesystem's error
 * (-EIO, -EINVAL for an inode number out of range or a damaged inode).
 */
struct inode *iget(struct super_block *sb, uint32_t ino)
{
	struct list_head *chain = ichain(sb, ino);
	struct inode *inode;
	int err;

	list_for_each_entry(inode, chain, hash) {
		if (inode->sb == sb && inode->ino == ino) {
			inode->refcount++;
			return inode;
		}
	}
	inode = sb->ops->alloc_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->sb = sb;
	inode->ino = ino;
	inode->refcount = 1;
	list_init(&inode->pages);
	inode->write_lock = (struct mutex)MUTEX_INIT(inode->write_lock, "write_lock",
						     false);
	err = sb->ops->read_inode(inode);
	if (err) {
		sb->ops->destroy_inode(inode);
		return ERR_PTR(err);
	}
	list_add(&inode->hash, chain);
	sb->nr_inodes++;
	return inode;
}

void ihold(struct inode *inode)
{
	assert(inode->refcount > 0 && "ihold of an inode nobody holds");
	inode->refcount++;
}

void mark_inode_dirty(struct inode *inode)
{
	inode->dirty = true;
}

/* Drop a reference; the last one writes back or deletes, then frees. */
void iput(struct inode *inode)
{
	struct super_block *sb = inode->sb;

	assert(inode->refcount > 0 && "iput of an inode nobody holds");
	if (--inode->refcount > 0)
		return;
	filemap_evict_inode(inode);	/* before its blocks may be freed */
	if (inode->nlink == 0 && !sb->read_only)
		sb->ops->delete_inode(inode);
	else if (inode->dirty && !sb->read_only)
		sb->ops->write_inode(inode);	/* an -EIO was already printed */
	list_del(&inode->hash);
	sb->nr_inodes--;
	sb->ops->destroy_inode(inode);
}

/* ---- writers and running programs (-ETXTBSY) ---- */

/*
 * inode->writecount counts files open for writing (> 0) or, negative,
 * programs running from the inode, which deny writing: a program demand-
 * paged from its file must not see that file change under it, so, as on
 * Linux, opening it for writing or truncating it is -ETXTBSY while it
 * runs, and running a file open for writing is -ETXTBSY too.
 * Context: fs_lock held (it guards writecount).
 */
int get_write_access(struct inode *inode)
{
	assert_mutex_held(&fs_lock);
	if (inode->writecount < 0)
		return -ETXTBSY;
	inode->writecount++;
	return 0;
}

void put_write_access(struct inode *inode)
{
	assert_mutex_held(&fs_lock);
	assert(inode->writecount > 0 && "put_write_access without a writer");
	inode->writecount--;
}

int deny_write_access(struct inode *inode)
{
	assert_mutex_held(&fs_lock);
	if (inode->writecount > 0)
		return -ETXTBSY;
	inode->writecount--;
	return 0;
}

void allow_write_access(struct inode *inode)
{
	assert_mutex_held(&fs_lock);
	assert(inode->writecount < 0 && "allow_write_access without a denial");
	inode->writecount++;
}

/* ---- path lookup ---- */

struct walk {
	struct inode *root;
	unsigned int links_left;	/* symlinks we may still follow */
};

static int walk_path(struct walk *w, struct inode *start, const char *path,
		     unsigned int flags, struct inode **out);

/* Follow the symlink 'link' found in directory 'dir': the inode it names. */
static int follow_link(struct walk *w, struct inode *dir, struct inode *link,
		       struct inode **out)
{
	char *target;
	int len;

	if (w->links_left == 0)
		return -ELOOP;
	w->links_left--;
	if (!link->ops->readlink)
		return -EINVAL;
	target = kmalloc(PATH_MAX, ALLOC_NOFS);
	if (!target)
		return -ENOMEM;
	len = link->ops->readlink(link, target, PATH_MAX - 1);
	if (len >= 0) {
		target[len] = '\0';
		len = walk_path(w, dir, target, LOOKUP_FOLLOW, out);
	}
	kfree(target);
	return len < 0 ? len : 0;
}

/* A directory with a filesystem mounted on it stands for that filesystem's
 * root; mounts may stack, so follow them all.  Replaces the held *cur. */
static void cross_mounts(struct inode **cur)
{
	while ((*cur)->mounted) {
		struct inode *root = (*cur)->mounted->root;

		ihold(root);
		iput(*cur);
		*cur = root;
	}
}

/* The directory whose ".." a walk at dir means: from the root of a mounted
 * filesystem, the ".." of the directory it covers, unless that is the
 * walk's root.  Not held anew: a mount holds what it covers, and the walk
 * holds dir, so nothing can be unmounted under us. */
static struct inode *dotdot_base(const struct walk *w, struct inode *dir)
{
	while (dir != w->root && dir == dir->sb->root && dir->sb->covered)
		dir = dir->sb->covered;
	return dir;
}

/* One step: the held inode for component (name, len) of directory *cur,
 * which it replaces (the old one is put). */
static int step(struct walk *w, struct inode **cur, const char *name,
		size_t len, bool follow)
{
	struct inode *dir = *cur, *next;
	uint32_t ino;
	int err;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		dir = dotdot_base(w, dir);
		if (dir == w->root) {
			next = dir;	/* ".." of the root is the root */
			ihold(next);
			goto out_cross;
		}
	}
	err = dir->ops->lookup(dir, name, len, &ino);
	if (err)
		return err;
	next = iget(dir->sb, ino);
	if (IS_ERR(next))
		return PTR_ERR(next);
	if (S_ISLNK(next->mode) && follow) {
		struct inode *target;

		err = follow_link(w, dir, next, &target);
		iput(next);
		if (err)
			return err;
		next = target;
	}
out_cross:
	cross_mounts(&next);
	iput(*cur);
	*cur = next;
	return 0;
}

/* Walk path from start (or w->root if absolute); a held inode in *out. */
static int walk_path(struct walk *w, struct inode *start, const char *path,
		     unsigned int flags, struct inode **out)
{
	struct inode *cur = path[0] == '/' ? w->root : start;
	int err = 0;

	if (path[0] == '\0')
		return -ENOENT;
	ihold(cur);
	cross_mounts(&cur);	/* a caller may start at a covered directory */
	while (*path) {
		const char *name;
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		name = path;
		while (*path && *path != '/')
			path++;
		len = path - name;
		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		/* A symlink is followed unless it is the last component and
		 * the caller asked not to (a trailing '/' asks to). */
		err = step(w, &cur, name, len, *path || (flags & LOOKUP_FOLLOW));
		if (err)
			break;
	}
	if (!err && path[-1] == '/' && !S_ISDIR(cur->mode))
		err = -ENOTDIR;
	if (err) {
		iput(cur);
		return err;
	}
	*out = cur;
	return 0;
}

/**
 * vfs_lookup - the inode a path names.
 * @root: what "/" and ".." at the top mean; @cwd: where a relative path starts.
 * @flags: LOOKUP_FOLLOW to follow a symlink in the last component.
 * Return: 0 and a held inode in *out; -ENOENT, -ENOTDIR, -ENAMETOOLONG
 * (a component over NAME_MAX bytes), -ELOOP (more than MAXSYMLINKS symlinks),
 * -EIO, -ENOMEM.
 */
int vfs_lookup(struct inode *root, struct inode *cwd, const char *path,
	       unsigned int flags, struct inode **out)
{
	struct walk w = { root, MAXSYMLINKS };

	if (strnlen(path, PATH_MAX) == PATH_MAX)
		return -ENAMETOOLONG;
	return walk_path(&w, cwd, path, flags, out);
}

/**
 * vfs_lookup_parent - the directory a path's last component is in.
 * Return: 0, a held directory in *dir and the last component in name;
 * -EINVAL if the path ends in "." or ".." or names the root; as vfs_lookup.
 */
int vfs_lookup_parent(struct inode *root, struct inode *cwd, const char *path,
		      struct inode **dir, char name[NAME_MAX + 1])
{
	size_t n = strnlen(path, PATH_MAX), end, start;
	char *head;
	int err;

	if (n == PATH_MAX)
		return -ENAMETOOLONG;
	for (end = n; end > 0 && path[end - 1] == '/'; end--)
		;
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	if (end == start)
		return n ? -EINVAL : -ENOENT;	/* "/" or "" */
	if (end - start > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, path + start, end - start);
	name[end - start] = '\0';
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	head = kmalloc(start + 2, ALLOC_NOFS);
	if (!head)
		return -ENOMEM;
	memcpy(head, path, start);
	strlcpy(head + start, ".", 2);	/* "a/b/" + "." : the directory */
	err = vfs_lookup(root, cwd, head, LOOKUP_FOLLOW, dir);
	kfree(head);
	if (!err && !S_ISDIR((*dir)->mode)) {
		iput(*dir);
		err = -ENOTDIR;
	}
	return err;
}

/* ---- namespace operations ---- */

/* The checks every (dir, name) operation shares. */
static int check_name(struct inode *dir, const char *name, size_t *len)
{
	*len = strnlen(name, NAME_MAX + 1);
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (*len == 0)
		return -ENOENT;
	if (*len > NAME_MAX)
		return -ENAMETOOLONG;
	if (strchr(name, '/'))
		return -EINVAL;
	if (dir->sb->read_only)
		return -EROFS;
	return 0;
}

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* check_name, for a name about to be made: "." and ".." exist already. */
static int check_new_name(struct inode *dir, const char *name, size_t *len)
{
	int err = check_name(dir, name, len);

	return err ? err : is_dot(name) ? -EEXIST : 0;
}

/* Is (dir, name) a directory with a filesystem mounted on it?  A mount holds
 * the directory it covers, so such an inode is always in the icache: look
 * there, without reading anything. */
static bool is_mount_point(struct inode *dir, const char *name, size_t len)
{
	struct inode *inode;
	uint32_t ino;

	if (dir->ops->lookup(dir, name, len, &ino))
		return false;
	list_for_each_entry(inode, ichain(dir->sb, ino), hash)
		if (inode->sb == dir->sb && inode->ino == ino)
			return inode->mounted != NULL;
	return false;
}

int vfs_create(struct inode *dir, const char *name, uint16_t mode,
	       struct inode **out)
{
	size_t len;
	int err = check_new_name(dir, name, &len);

	if (err)
		return err;
	return dir->ops->create(dir, name, len, S_IFREG | (mode & 07777), out);
}

/* mknod(2): a file of any type but a directory or a symlink (mode has
 * S_IFREG, S_IFIFO, S_IFCHR, S_IFBLK or S_IFSOCK); rdev is a device
 * file's number. */
int vfs_mknod(struct inode *dir, const char *name, uint16_t mode, uint32_t rdev)
{
	struct inode *inode;
	size_t len;
	int err = check_new_name(dir, name, &len);

	if (err)
		return err;
	err = dir->ops->create(dir, name, len, mode, &inode);
	if (err)
		return err;
	inode->rdev = rdev;
	mark_inode_dirty(inode);
	iput(inode);
	return 0;
}

int vfs_mkdir(struct inode *dir, const char *name, uint16_t mode)
{
	struct inode *child;
	size_t len;
	int err = check_new_name(dir, name, &len);

	if (err)
		return err;
	err = dir->ops->mkdir(dir, name, len, S_IFDIR | (mode & 07777), &child);
	if (!err)
		iput(child);
	return err;
}

int vfs_rmdir(struct inode *dir, const char *name)
{
	size_t len;
	int err = check_name(dir, name, &len);

	if (err)
		return err;
	if (!strcmp(name, "."))
		return -EINVAL;
	if (!strcmp(name, ".."))
		return -ENOTEMPTY;
	if (is_mount_point(dir, name, len))
		return -EBUSY;
	return dir->ops->rmdir(dir, name, len);
}

int vfs_unlink(struct inode *dir, const char *name)
{
	size_t len;
	int err = check_name(dir, name, &len);

	if (err)
		return err;
	if (is_dot(name))
		return -EISDIR;
	return dir->ops->unlink(dir, name, len);
}

int vfs_link(struct inode *target, struct inode *dir, const char *name)
{
	size_t len;
	int err = check_new_name(dir, name, &len);

	if (err)
		return err;
	if (S_ISDIR(target->mode))
		return -EPERM;
	if (target->sb != dir->sb)
		return -EXDEV;
	return dir->ops->link(dir, name, len, target);
}

int vfs_symlink(struct inode *dir, const char *name, const char *target)
{
	struct inode *link;
	size_t len, tlen = strnlen(target, PATH_MAX);
	int err = check_new_name(dir, name, &len);

	if (err)
		return err;
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= PATH_MAX)
		return -ENAMETOOLONG;
	err = dir->ops->symlink(dir, name, len, target, &link);
	if (!err)
		iput(link);
	return err;
}

int vfs_rename(struct inode *odir, const char *oname, struct inode *ndir,
	       const char *nname)
{
	size_t olen, nlen;
	int err = check_name(odir, oname, &olen);

	if (!err)
		err = check_name(ndir, nname, &nlen);
	if (err)
		return err;
	if (is_dot(oname) || is_dot(nname))
		return -EINVAL;
	if (odir->sb != ndir->sb)
		return -EXDEV;
	if (is_mount_point(odir, oname, olen) || is_mount_point(ndir, nname, nlen))
		return -EBUSY;
	return odir->ops->rename(odir, oname, olen, ndir, nname, nlen);
}

/* Return: the target's length (not terminated), or -EINVAL if no symlink. */
int vfs_readlink(struct inode *inode, char *buf, size_t size)
{
	if (!S_ISLNK(inode->mode) || !inode->ops->readlink)
		return -EINVAL;
	return inode->ops->readlink(inode, buf, size);
}

/* Call fn for each entry from *pos on; *pos is where to go on next time. */
int vfs_readdir(struct inode *dir, uint64_t *pos, filldir_t fn, void *ctx)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	return dir->ops->readdir(dir, pos, fn, ctx);
}

/* ---- names of directories and files ---- */

struct find_name {
	uint32_t ino;
	char *name;		/* NAME_MAX + 1 */
	bool found;
};

static int match_ino(void *arg, const char *name, size_t len, uint32_t ino,
		     unsigned int type)
{
	struct find_name *fn = arg;

	if (ino != fn->ino || (len <= 2 && name[0] == '.' && (len == 1 || name[1] == '.')))
		return 0;		/* "." and ".." name no child */
	memcpy(fn->name, name, len);
	fn->name[len] = '\0';
	fn->found = true;
	return 1;
}

/* Prepend "/<name of dir in its parent>" to the path ending at buf + *start
 * and replace *dir (held) with its parent.  Crosses mount points upward. */
static int prepend_parent(struct inode **dir, char *buf, size_t *start)
{
	struct inode *d = *dir, *parent;
	struct find_name fn;
	uint64_t pos = 0;
	uint32_t pino;
	size_t len;
	int err;

	while (d == d->sb->root && d->sb->covered)	/* leave the mount */
		d = d->sb->covered;
	err = d->ops->lookup(d, "..", 2, &pino);
	parent = err ? ERR_PTR(err) : iget(d->sb, pino);
	if (IS_ERR(parent))
		return (int)PTR_ERR(parent);
	fn = (struct find_name){ .ino = d->ino,
				 .name = kmalloc(NAME_MAX + 1, ALLOC_NOFS) };
	err = fn.name ? vfs_readdir(parent, &pos, match_ino, &fn) : -ENOMEM;
	if (!err && !fn.found)
		err = -ENOENT;		/* the directory was removed */
	len = err ? 0 : strlen(fn.name);
	if (!err && len + 1 > *start)
		err = -ERANGE;
	if (!err) {
		*start -= len + 1;
		buf[*start] = '/';
		memcpy(buf + *start + 1, fn.name, len);
	}
	kfree(fn.name);
	iput(*dir);
	*dir = parent;
	return err;
}

/**
 * vfs_dir_path - the absolute path of directory dir as seen from root
 * (getcwd): climb "..", naming each directory by finding its inode number
 * in its parent.  Each step adds at least "/" to the path, so the climb
 * ends: at root, or at -ERANGE.
 * Context: fs_lock held.
 * Return: the length (buf holds the path, NUL-terminated); -ERANGE if it
 * needs more than size bytes; -ENOENT if a directory on the way was
 * removed; -EIO, -ENOMEM.
 */
int vfs_dir_path(struct inode *root, struct inode *dir, char *buf, size_t size)
{
	size_t start = size - 1;
	int err = 0;

	assert_mutex_held(&fs_lock);
	if (size < 2)
		return -ERANGE;
	buf[start] = '\0';
	ihold(dir);
	while (!err && dir != root)
		err = prepend_parent(&dir, buf, &start);
	iput(dir);
	if (err)
		return err;
	if (start == size - 1)
		buf[--start] = '/';	/* the root itself */
	memmove(buf, buf + start, size - start);
	return (int)(size - 1 - start);
}

/* Take "." and ".." out of an absolute path, and repeated slashes, as
 * names: "/a/./b//../c" is "/a/c".  In place; never longer. */
static void path_clean(char *path)
{
	char *out = path, *in = path;

	while (*in) {
		const char *name;
		size_t len;

		while (*in == '/')
			in++;
		name = in;
		while (*in && *in != '/')
			in++;
		len = (size_t)(in - name);
		if (len == 0 || (len == 1 && name[0] == '.'))
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, name, len);
		out += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/**
 * file_name_new - the name a file was opened or run by: path as given and,
 * if it is relative, the directory it started from (held).  Nothing is
 * looked up now: only /proc/<pid>/maps asks for the absolute form.
 * Context: fs_lock held (for the ihold).
 * Return: the name, with one reference; NULL if memory ran out.
 */
struct file_name *file_name_new(struct inode *base, const char *path)
{
	size_t len = strnlen(path, PATH_MAX - 1);
	struct file_name *n = kmalloc(sizeof(*n) + len + 1, ALLOC_NOFS);

	if (!n)
		return NULL;
	n->refs = 1;
	n->base = path[0] == '/' ? NULL : base;
	if (n->base)
		ihold(n->base);
	memcpy(n->path, path, len);
	n->path[len] = '\0';
	return n;
}

void file_name_get(struct file_name *n)
{
	assert(n->refs > 0 && "file_name_get of a freed name");
	n->refs++;
}

/* Context: takes fs_lock for the base directory's iput. */
void file_name_put(struct file_name *n)
{
	assert(n->refs > 0 && "file_name_put of a freed name");
	if (--n->refs > 0)
		return;
	if (n->base) {
		mutex_lock(&fs_lock);
		iput(n->base);
		mutex_unlock(&fs_lock);
	}
	kfree(n);
}

/**
 * file_name_path - n as an absolute path from root, with "." and ".." and
 * repeated slashes taken out (symlinks on the way are not resolved).
 * Context: fs_lock held.
 * Return: the length, or -errno as vfs_dir_path.
 */
int file_name_path(const struct file_name *n, struct inode *root, char *buf,
		   size_t size)
{
	size_t len = 0, plen = strlen(n->path);
	int err;

	if (n->base) {
		err = vfs_dir_path(root, n->base, buf, size);
		if (err < 0)
			return err;
		len = (size_t)err;
	}
	if (len + 1 + plen + 1 > size)
		return -ERANGE;
	buf[len] = '/';
	memcpy(buf + len + 1, n->path, plen + 1);
	path_clean(buf);
	return (int)strlen(buf);
}

/* ---- the filesystem as a whole ---- */

int vfs_sync(struct super_block *sb)
{
	return sb->read_only ? 0 : sb->ops->sync(sb);
}

/**
 * vfs_mount - mount sb on directory dir: a lookup that reaches dir goes on
 * at sb->root, and ".." from sb->root is ".." of dir.
 * The mount takes its own reference on dir (kept until vfs_umount); the
 * caller still puts the one it has.
 * Return: 0; -ENOTDIR if dir is no directory; -EBUSY if something is mounted
 * on dir already or sb is mounted somewhere; -EINVAL if dir is in sb itself.
 */
int vfs_mount(struct super_block *sb, struct inode *dir)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->mounted || sb->covered)
		return -EBUSY;
	if (dir->sb == sb)
		return -EINVAL;	/* its root would stand for itself */
	ihold(dir);
	dir->mounted = sb;
	sb->covered = dir;
	return 0;
}

/* Unmount: only the root may still be held (-EBUSY otherwise: an open file,
 * a working directory, or a filesystem mounted on one of its directories).
 * A mounted filesystem lets go of the directory it covered. */
int vfs_umount(struct super_block *sb)
{
	struct inode *covered = sb->covered;

	if (sb->nr_inodes != 1 || sb->root->refcount != 1) {
		printk(KERN_ERR "vfs: umount: %u inodes still in use\n",
		       sb->nr_inodes - 1);
		return -EBUSY;
	}
	iput(sb->root);
	sb->ops->put_super(sb);
	if (covered) {
		covered->mounted = NULL;
		iput(covered);
	}
	return 0;
}
