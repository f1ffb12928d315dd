/* fs/ext2.h - ext2 revision 1: on-disk structures and the private interface
 * between fs/ext2_super.c, fs/ext2_inode.c and fs/ext2_dir.c.  Nothing
 * outside fs/ext2_*.c and the host tests includes this file: the rest of the
 * kernel sees ext2 only through include/vfs.h (ext2_mount).
 *
 * On-disk integers are little-endian.  Walnut runs on i386 and its host
 * tests on x86-64, both little-endian, so the structures below are read and
 * written in place; a big-endian port would need le32_to_cpu() here.
 * Layout facts: the ext2 specification ("The Second Extended File System",
 * Poirier) and e2fsprogs' documentation of the format.  docs/ext2.md draws it.
 */
#ifndef WALNUT_FS_EXT2_H
#define WALNUT_FS_EXT2_H

#include <kernel.h>
#include <types.h>
#include <vfs.h>

#define EXT2_MAGIC		0xEF53
#define EXT2_SUPER_OFFSET	1024	/* bytes from the start of the device */
#define EXT2_DYNAMIC_REV	1
#define EXT2_ROOT_INO		2
#define EXT2_NDIR_BLOCKS	12	/* i_block[0..11]: direct */
#define EXT2_IND_BLOCK		12	/* i_block[12]: single indirect */
#define EXT2_DIND_BLOCK		13	/* i_block[13]: double indirect */
#define EXT2_TIND_BLOCK		14	/* i_block[14]: triple indirect */
#define EXT2_N_BLOCKS		15
#define EXT2_FAST_SYMLINK_MAX	59	/* target bytes that fit in i_block */
#define EXT2_NAME_LEN		255
#define EXT2_VALID_FS		1	/* s_state: cleanly unmounted */

/* Feature bits we know.  Anything else incompat: refuse to mount; anything
 * else ro_compat: mount read-only at most. */
#define EXT2_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE	0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX		0x0020
#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_INCOMPAT_SUPPORTED	EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				  EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

#define EXT2_INDEX_FL		0x00001000	/* i_flags: hashed directory */

/* The superblock: 1024 bytes at byte 1024 of the filesystem. */
struct ext2_super {
	uint32_t s_inodes_count;	/* 0 */
	uint32_t s_blocks_count;	/* 4 */
	uint32_t s_r_blocks_count;	/* 8 */
	uint32_t s_free_blocks_count;	/* 12 */
	uint32_t s_free_inodes_count;	/* 16 */
	uint32_t s_first_data_block;	/* 20: 1 for 1 KiB blocks, else 0 */
	uint32_t s_log_block_size;	/* 24: block size = 1024 << this */
	uint32_t s_log_frag_size;	/* 28 */
	uint32_t s_blocks_per_group;	/* 32 */
	uint32_t s_frags_per_group;	/* 36 */
	uint32_t s_inodes_per_group;	/* 40 */
	uint32_t s_mtime;		/* 44 */
	uint32_t s_wtime;		/* 48 */
	uint16_t s_mnt_count;		/* 52 */
	int16_t s_max_mnt_count;	/* 54 */
	uint16_t s_magic;		/* 56 */
	uint16_t s_state;		/* 58 */
	uint16_t s_errors;		/* 60 */
	uint16_t s_minor_rev_level;	/* 62 */
	uint32_t s_lastcheck;		/* 64 */
	uint32_t s_checkinterval;	/* 68 */
	uint32_t s_creator_os;		/* 72 */
	uint32_t s_rev_level;		/* 76 */
	uint16_t s_def_resuid;		/* 80 */
	uint16_t s_def_resgid;		/* 82 */
	uint32_t s_first_ino;		/* 84: first non-reserved inode */
	uint16_t s_inode_size;		/* 88 */
	uint16_t s_block_group_nr;	/* 90 */
	uint32_t s_feature_compat;	/* 92 */
	uint32_t s_feature_incompat;	/* 96 */
	uint32_t s_feature_ro_compat;	/* 100 */
	uint8_t s_uuid[16];		/* 104 */
	char s_volume_name[16];		/* 120 */
	char s_last_mounted[64];	/* 136 */
	uint32_t s_algo_bitmap;		/* 200 */
	uint8_t s_prealloc_blocks;	/* 204 */
	uint8_t s_prealloc_dir_blocks;	/* 205 */
	uint16_t s_reserved_gdt_blocks;	/* 206: resize_inode's reserve */
	uint8_t s_rest[1024 - 208];	/* journal, hash seed, ext4 fields */
};
BUILD_ASSERT(sizeof(struct ext2_super) == 1024);
BUILD_ASSERT(offsetof(struct ext2_super, s_magic) == 56);
BUILD_ASSERT(offsetof(struct ext2_super, s_feature_ro_compat) == 100);

/* A block group descriptor: 32 bytes each, in the blocks after the
 * superblock's. */
struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
};
BUILD_ASSERT(sizeof(struct ext2_group_desc) == 32);

/* The first 128 bytes of an on-disk inode (s_inode_size is 256: the rest,
 * starting with i_extra_isize, is kept as found). */
struct ext2_dinode {
	uint16_t i_mode;		/* 0 */
	uint16_t i_uid;			/* 2 */
	uint32_t i_size;		/* 4: low 32 bits */
	uint32_t i_atime;		/* 8 */
	uint32_t i_ctime;		/* 12 */
	uint32_t i_mtime;		/* 16 */
	uint32_t i_dtime;		/* 20 */
	uint16_t i_gid;			/* 24 */
	uint16_t i_links_count;		/* 26 */
	uint32_t i_blocks;		/* 28: 512-byte units, map blocks too */
	uint32_t i_flags;		/* 32 */
	uint32_t i_osd1;		/* 36 */
	uint32_t i_block[EXT2_N_BLOCKS]; /* 40 */
	uint32_t i_generation;		/* 100 */
	uint32_t i_file_acl;		/* 104: extended-attribute block */
	uint32_t i_size_high;		/* 108: large_file; i_dir_acl for dirs */
	uint32_t i_faddr;		/* 112 */
	uint16_t i_blocks_hi;		/* 116 */
	uint16_t i_file_acl_high;	/* 118 */
	uint16_t i_uid_high;		/* 120 */
	uint16_t i_gid_high;		/* 122 */
	uint32_t i_osd2_rest;		/* 124 */
};
BUILD_ASSERT(sizeof(struct ext2_dinode) == 128);
BUILD_ASSERT(offsetof(struct ext2_dinode, i_block) == 40);
#define EXT2_GOOD_OLD_INODE_SIZE	128

/* A directory entry: 8 bytes of header, then name_len bytes of name, the
 * whole padded so that rec_len is a multiple of 4. */
struct ext2_dirent {
	uint32_t inode;			/* 0: an unused entry */
	uint16_t rec_len;		/* to the next entry */
	uint8_t name_len;
	uint8_t file_type;		/* enum below (incompat filetype) */
	char name[];
};
BUILD_ASSERT(sizeof(struct ext2_dirent) == 8);
#define EXT2_DIRENT_LEN(name_len)	ALIGN_UP(8u + (name_len), 4u)

enum ext2_file_type {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK,
};

/* ---- in memory ---- */

/* One per mounted ext2 filesystem: sb->fs_info. */
struct ext2_sb_info {
	struct buf *sbuf;		/* holds the superblock, for the mount */
	struct ext2_super *es;		/* inside sbuf->data */
	struct buf **gd_bufs;		/* the group-descriptor blocks, held */
	uint32_t nr_gd_blocks;
	uint32_t nr_groups;
	uint32_t blocks_per_group, inodes_per_group;
	uint32_t inode_size;		/* on disk */
	uint32_t first_data_block, blocks_count, inodes_count, first_ino;
	uint32_t ptrs_per_block;	/* block numbers in one block */
};

/* The in-memory inode: the VFS part, then the ext2 part. */
struct ext2_inode {
	struct inode vfs;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_blocks;		/* 512-byte units */
	uint32_t i_flags;
	uint32_t i_file_acl;
	uint32_t i_dtime;
	uint32_t group;			/* where its blocks go first */
};

static inline struct ext2_inode *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode, vfs);
}

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb)
{
	return sb->fs_info;
}

static inline struct ext2_group_desc *ext2_gd(struct ext2_sb_info *sbi,
					      uint32_t group)
{
	uint32_t per_block = sbi->ptrs_per_block * 4 / sizeof(struct ext2_group_desc);

	return (struct ext2_group_desc *)sbi->gd_bufs[group / per_block]->data +
	       group % per_block;
}

/* ext2_super.c */
void ext2_dirty_super(struct super_block *sb);	/* counts changed */
void ext2_dirty_gd(struct super_block *sb, uint32_t group);
bool ext2_block_ok(struct super_block *sb, uint32_t blockno);

extern const struct super_ops ext2_super_ops;

/* ext2_inode.c */
struct inode *ext2_alloc_inode(struct super_block *sb);
void ext2_destroy_inode(struct inode *inode);
int ext2_read_inode(struct inode *inode);
int ext2_write_inode(struct inode *inode);
void ext2_delete_inode(struct inode *inode);
int ext2_block_path(uint32_t ptrs_per_block, uint32_t fblock,
		    uint32_t offsets[4]);	/* depth 1..4 or -EFBIG */
int ext2_get_block(struct inode *inode, uint32_t fblock, bool create,
		   uint32_t *blockno);
int ext2_truncate_blocks(struct inode *inode, uint64_t new_size);
int ext2_alloc_block(struct super_block *sb, uint32_t goal, uint32_t *blockno);
void ext2_free_block(struct super_block *sb, uint32_t blockno);
struct inode *ext2_new_inode(struct inode *dir, uint16_t mode);
int ext2_fast_symlink_set(struct inode *inode, const char *target, size_t len);
int ext2_readlink(struct inode *inode, char *buf, size_t size);

/* ext2_dir.c */
extern const struct inode_ops ext2_dir_ops;
extern const struct inode_ops ext2_file_ops;
extern const struct inode_ops ext2_symlink_ops;

#endif
