/*
 * kernel/sys.c - the small system calls about the machine and the process:
 * time, sleeping, identity, uname, brk, reboot.
 */
#include <buf.h>
#include <cmdline.h>
#include <errno.h>
#include <kernel.h>
#include <mutex.h>
#include <pagecache.h>
#include <proc.h>
#include <sched.h>
#include <string.h>
#include <syscall.h>
#include <timer.h>
#include <uaccess.h>
#include <vfs.h>
#include <vm.h>

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define NSEC_PER_SEC		1000000000u
#define LINUX_REBOOT_MAGIC1	0xfee1deadu
#define LINUX_REBOOT_MAGIC2	672274793u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDCu
#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_HALT	0xCDEF0123u

struct timespec32 { int32_t tv_sec, tv_nsec; };
struct timeval32 { int32_t tv_sec, tv_usec; };

static uint64_t monotonic_ns(void)
{
	return clock_monotonic_ns();
}

/* The wall clock: the VFS's epoch plus the time since boot, from one
 * reading (two could straddle a tick and step back a second). */
static uint64_t realtime_ns(void)
{
	return (uint64_t)VFS_EPOCH * NSEC_PER_SEC + monotonic_ns();
}

static long sys_clock_gettime(int clock, struct timespec32 __user *uts)
{
	uint64_t ns;
	struct timespec32 ts;

	if (clock == CLOCK_REALTIME)
		ns = realtime_ns();
	else if (clock == CLOCK_MONOTONIC)
		ns = monotonic_ns();
	else
		return -EINVAL;
	ts = (struct timespec32){ (int32_t)(ns / NSEC_PER_SEC),
				  (int32_t)(ns % NSEC_PER_SEC) };
	return copy_to_user(uts, &ts, sizeof(ts));
}
SYSCALL(__NR_clock_gettime, sys_clock_gettime);

/* Both clocks read the TSC between ticks (clock_monotonic_ns), so, as
 * Linux's high-resolution clocks, they answer to the nanosecond.  A NULL
 * res just checks the clock. */
static long sys_clock_getres(int clock, struct timespec32 __user *ures)
{
	static const struct timespec32 one_ns = { 0, 1 };

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return -EINVAL;
	return ures ? copy_to_user(ures, &one_ns, sizeof(one_ns)) : 0;
}
SYSCALL(__NR_clock_getres, sys_clock_getres);

static long sys_gettimeofday(struct timeval32 __user *utv, void __user *utz)
{
	uint64_t ns = realtime_ns();
	struct timeval32 tv = { (int32_t)(ns / NSEC_PER_SEC),
				(int32_t)(ns % NSEC_PER_SEC / 1000) };
	static const int32_t tz[2];	/* UTC, no DST */

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && copy_to_user(utz, tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}
SYSCALL(__NR_gettimeofday, sys_gettimeofday);

static long sys_time(int32_t __user *ut)
{
	int32_t t = (int32_t)vfs_time();

	if (ut && copy_to_user(ut, &t, sizeof(t)))
		return -EFAULT;
	return t;
}
SYSCALL(__NR_time, sys_time);

static long sys_nanosleep(const struct timespec32 __user *ureq,
			  struct timespec32 __user *urem)
{
	struct timespec32 req;
	uint64_t ns, ticks, start = jiffies_read();
	int err;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (int32_t)NSEC_PER_SEC)
		return -EINVAL;
	ns = (uint64_t)req.tv_sec * NSEC_PER_SEC + (uint64_t)req.tv_nsec;
	/* At least as long as asked: round up, plus the tick in progress. */
	ticks = (ns + NSEC_PER_TICK - 1) / NSEC_PER_TICK + (ns ? 1 : 0);
	err = sleep_ticks(ticks);
	if (err && urem) {
		uint64_t slept = (jiffies_read() - start) * NSEC_PER_TICK;
		uint64_t left = slept < ns ? ns - slept : 0;
		struct timespec32 rem = { (int32_t)(left / NSEC_PER_SEC),
					  (int32_t)(left % NSEC_PER_SEC) };

		if (copy_to_user(urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	return err ? -ERESTARTNOHAND : 0;	/* Linux: EINTR after a handler */
}
SYSCALL(__NR_nanosleep, sys_nanosleep);

struct tms32 { int32_t utime, stime, cutime, cstime; };

static long sys_times(struct tms32 __user *ubuf)
{
	struct tms32 t = { (int32_t)current->utime, (int32_t)current->stime,
			   (int32_t)current->cutime, (int32_t)current->cstime };

	if (ubuf && copy_to_user(ubuf, &t, sizeof(t)))
		return -EFAULT;
	return (long)jiffies_read();	/* clock ticks since boot (USER_HZ = HZ) */
}
SYSCALL(__NR_times, sys_times);

struct new_utsname { char sysname[65], nodename[65], release[65], version[65],
		     machine[65], domainname[65]; };

static long sys_uname(struct new_utsname __user *ubuf)
{
	static const struct new_utsname u = {
		"Walnut", "walnut", WALNUT_VERSION, "#1 teaching kernel", "i686",
		"(none)",
	};

	return copy_to_user(ubuf, &u, sizeof(u));
}
SYSCALL(__NR_uname, sys_uname);

/* Everyone is root (uid 0); the 16-bit and 32-bit calls agree. */
static long sys_getuid(void)
{
	return 0;
}
SYSCALL(__NR_getuid, sys_getuid);
SYSCALL(__NR_getuid32, sys_getuid);
SYSCALL(__NR_geteuid, sys_getuid);
SYSCALL(__NR_geteuid32, sys_getuid);
SYSCALL(__NR_getgid, sys_getuid);
SYSCALL(__NR_getgid32, sys_getuid);
SYSCALL(__NR_getegid, sys_getuid);
SYSCALL(__NR_getegid32, sys_getuid);

static long sys_brk(uint32_t new_brk)
{
	return (long)mm_set_brk(current->mm, new_brk);
}
SYSCALL(__NR_brk, sys_brk);

static long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd)
{
	extern struct mutex fs_lock;

	if (magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	if (cmd != LINUX_REBOOT_CMD_POWER_OFF && cmd != LINUX_REBOOT_CMD_HALT &&
	    cmd != LINUX_REBOOT_CMD_RESTART)
		return -EINVAL;
	mutex_lock(&fs_lock);
	filemap_sync_all();
	if (root_sb)
		vfs_sync(root_sb);
	bsync(NULL);
	printk("reboot: %s[%d] powers the machine off\n", current->comm, current->pid);
	power_off(EXIT_OK);
}
SYSCALL(__NR_reboot, sys_reboot);
