/*
 * kernel/sigframe.c - the signal frames on the user stack, Linux i386's
 * layout, and sigreturn/rt_sigreturn, which undo them.
 *
 * What setup_signal_frame leaves on the user stack, top (old esp) down:
 *
 *	| ... interrupted stack ...          |
 *	| fxsave image, 512 bytes, 16-aligned | <- sigcontext.fpstate
 *	| rt frame:  retcode[8]              |    "mov $173,%eax; int $0x80"
 *	|            ucontext: uc_sigmask    |    the mask to restore
 *	|                      sigcontext    |    every register
 *	|            siginfo (128 bytes)     |
 *	|            puc, pinfo, sig         |    the handler's arguments
 *	|            pretcode                | <- esp at handler entry:
 *	                                          its return address, the
 *	                                          restorer (or retcode)
 *
 * Without SA_SIGINFO Linux pushes the older, smaller frame (sig, then the
 * sigcontext directly, then extramask), returned from through sigreturn
 * (119); both share fill_sigcontext / restore_sigcontext.  Linux also
 * keeps a legacy FPU area inside the old frame; Walnut leaves it out.
 */
#include <errno.h>
#include <kernel.h>
#include <sched.h>
#include <signals.h>
#include <string.h>
#include <syscall.h>
#include <trap.h>
#include <uaccess.h>

#define EFLAGS_USER_MASK	0x00040DD5u	/* CF PF AF ZF SF TF DF OF AC RF */
#define EFLAGS_TF		0x00000100u
#define EFLAGS_DF		0x00000400u
#define MXCSR_OFFSET		24	/* in the fxsave image (SDM vol. 1 §10.5.1) */
#define MXCSR_MASK_OFFSET	28
#define MXCSR_DEFAULT_MASK	0x0000FFBFu
#define SI_KERNEL		0x80	/* siginfo si_code: sent by the kernel */
#define UNBLOCKABLE		(sigmask(SIGKILL) | sigmask(SIGSTOP))

struct sigcontext {			/* asm/sigcontext.h, i386 */
	uint16_t gs, __gsh, fs, __fsh, es, __esh, ds, __dsh;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t trapno, err, eip;
	uint16_t cs, __csh;
	uint32_t eflags, esp_at_signal;
	uint16_t ss, __ssh;
	uint32_t fpstate;		/* uva of the fxsave image, or 0 */
	uint32_t oldmask, cr2;
};

struct siginfo {
	int32_t si_signo, si_errno, si_code;
	uint32_t si_addr;		/* the faulting address, for SIGSEGV */
	uint8_t pad[128 - 16];
};

struct ucontext {
	uint32_t uc_flags, uc_link;
	uint32_t ss_sp;
	int32_t ss_flags;
	uint32_t ss_size;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask;
};

struct rt_sigframe {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo, puc;
	struct siginfo info;
	struct ucontext uc;
	uint8_t retcode[8];
};

struct sigframe {
	uint32_t pretcode;
	int32_t sig;
	struct sigcontext sc;
	uint32_t extramask;		/* the high half of the old mask */
	uint8_t retcode[8];
};

/* "movl $173, %eax; int $0x80" and "popl %eax; movl $119, %eax; int $0x80" */
static const uint8_t rt_retcode[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
static const uint8_t old_retcode[8] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };

static void fill_sigcontext(struct sigcontext *sc, const struct trapframe *tf,
			    uint32_t fpstate, sigset_t mask)
{
	*sc = (struct sigcontext){
		.gs = tf->gs, .fs = tf->fs, .es = tf->es, .ds = tf->ds,
		.edi = tf->edi, .esi = tf->esi, .ebp = tf->ebp,
		.esp = tf->user_esp, .ebx = tf->ebx, .edx = tf->edx,
		.ecx = tf->ecx, .eax = tf->eax, .trapno = tf->vector,
		.err = tf->error, .eip = tf->eip, .cs = tf->cs,
		.eflags = tf->eflags, .esp_at_signal = tf->user_esp,
		.ss = tf->user_ss, .fpstate = fpstate,
		.oldmask = (uint32_t)mask, .cr2 = current->fault.uva,
	};
}

/* Save the live FPU registers to the user stack below sp.  Return the uva
 * of the image, or 0 if the stack is bad. */
static uint32_t save_fpu(uint32_t sp)
{
	uint32_t fp = ALIGN_DOWN(sp - sizeof(struct fpu_state), 16);

	__asm__ volatile("fxsave %0" : "=m"(current->fpu));
	if (copy_to_user((void *)fp, &current->fpu, sizeof(current->fpu)))
		return 0;
	return fp;
}

/* Point the registers at the handler: esp at the frame, arguments as i386
 * Linux passes them (eax = sig, edx = &info, ecx = &uc for SA_SIGINFO). */
static void enter_handler(struct trapframe *tf, const struct k_sigaction *a,
			  int sig, uint32_t frame, uint32_t pinfo, uint32_t puc)
{
	tf->user_esp = frame;
	tf->eip = a->handler;
	tf->eax = (uint32_t)sig;
	tf->edx = pinfo;
	tf->ecx = puc;
	tf->cs = USER_CS;
	tf->ds = tf->es = tf->user_ss = USER_DS;
	tf->eflags &= ~(EFLAGS_TF | EFLAGS_DF);
}

/* The mask to restore on sigreturn: sigsuspend's, if it is waiting. */
static sigset_t mask_to_restore(void)
{
	if (current->restore_blocked) {
		current->restore_blocked = false;
		return current->saved_blocked;
	}
	return current->blocked;
}

static int push_rt_frame(int sig, const struct k_sigaction *a,
			 struct trapframe *tf, uint32_t fp, sigset_t mask)
{
	uint32_t uva = ALIGN_DOWN(fp - sizeof(struct rt_sigframe), 16) - 4;
	struct rt_sigframe *f = kzalloc(sizeof(*f), ALLOC_KERNEL);
	int err;

	if (!f)
		return -ENOMEM;
	f->sig = sig;
	f->pinfo = uva + offsetof(struct rt_sigframe, info);
	f->puc = uva + offsetof(struct rt_sigframe, uc);
	f->info = (struct siginfo){ .si_signo = sig, .si_code = SI_KERNEL,
				    .si_addr = current->fault.uva };
	fill_sigcontext(&f->uc.uc_mcontext, tf, fp, mask);
	f->uc.uc_sigmask = mask;
	memcpy(f->retcode, rt_retcode, sizeof(f->retcode));
	f->pretcode = a->flags & SA_RESTORER ? a->restorer
			: uva + offsetof(struct rt_sigframe, retcode);
	err = copy_to_user((void *)uva, f, sizeof(*f));
	if (!err)
		enter_handler(tf, a, sig, uva, f->pinfo, f->puc);
	kfree(f);
	return err;
}

static int push_old_frame(int sig, const struct k_sigaction *a,
			  struct trapframe *tf, uint32_t fp, sigset_t mask)
{
	uint32_t uva = ALIGN_DOWN(fp - sizeof(struct sigframe), 16) - 4;
	struct sigframe f = { .sig = sig, .extramask = (uint32_t)(mask >> 32) };

	fill_sigcontext(&f.sc, tf, fp, mask);
	memcpy(f.retcode, old_retcode, sizeof(f.retcode));
	f.pretcode = a->flags & SA_RESTORER ? a->restorer
			: uva + offsetof(struct sigframe, retcode);
	if (copy_to_user((void *)uva, &f, sizeof(f)))
		return -EFAULT;
	enter_handler(tf, a, sig, uva, 0, 0);
	return 0;
}

/**
 * setup_signal_frame - push a frame for handler a of sig and point tf at
 * the handler; block a->mask (and sig unless SA_NODEFER) while it runs.
 * Return: 0, or -EFAULT if the user stack cannot take the frame.
 */
int setup_signal_frame(int sig, struct k_sigaction *a, struct trapframe *tf);
int setup_signal_frame(int sig, struct k_sigaction *a, struct trapframe *tf)
{
	uint32_t fp = save_fpu(tf->user_esp);
	sigset_t mask;
	int err;

	if (!fp)
		return -EFAULT;
	mask = mask_to_restore();
	err = a->flags & SA_SIGINFO ? push_rt_frame(sig, a, tf, fp, mask)
				    : push_old_frame(sig, a, tf, fp, mask);
	if (err)
		return err;
	current->blocked |= a->mask;
	if (!(a->flags & SA_NODEFER))
		current->blocked |= sigmask(sig);
	current->blocked &= ~UNBLOCKABLE;
	if (a->flags & SA_RESETHAND)
		*a = (struct k_sigaction){ .handler = SIG_DFL };
	return 0;
}

/* Load the FPU image at uva (checked: a bad MXCSR would fault fxrstor). */
static int restore_fpu(uint32_t uva)
{
	struct fpu_state *img = &current->fpu;
	uint32_t mxcsr, mask;

	if (copy_from_user(img, (void *)uva, sizeof(*img)))
		return -EFAULT;
	memcpy(&mxcsr, img->fxsave + MXCSR_OFFSET, 4);
	memcpy(&mask, img->fxsave + MXCSR_MASK_OFFSET, 4);
	mxcsr &= (mask ? mask : MXCSR_DEFAULT_MASK) & 0xFFFF;
	memcpy(img->fxsave + MXCSR_OFFSET, &mxcsr, 4);
	__asm__ volatile("fxrstor %0" : : "m"(*img));
	return 0;
}

/* Segment registers come back only as user selectors or null (fs, gs). */
static uint16_t user_selector(uint16_t sel, bool null_ok)
{
	return sel == USER_DS || (null_ok && sel == 0) ? sel : USER_DS;
}

/* Put back the registers a frame saved.  Return eax's saved value. */
static long restore_sigcontext(struct trapframe *tf, const struct sigcontext *sc)
{
	tf->gs = user_selector(sc->gs, true);
	tf->fs = user_selector(sc->fs, true);
	tf->es = user_selector(sc->es, false);
	tf->ds = user_selector(sc->ds, false);
	tf->edi = sc->edi;
	tf->esi = sc->esi;
	tf->ebp = sc->ebp;
	tf->user_esp = sc->esp;
	tf->ebx = sc->ebx;
	tf->edx = sc->edx;
	tf->ecx = sc->ecx;
	tf->eip = sc->eip;
	tf->cs = USER_CS;
	tf->user_ss = USER_DS;
	tf->eflags = (tf->eflags & ~EFLAGS_USER_MASK) | (sc->eflags & EFLAGS_USER_MASK);
	current->syscall_nr = -1;	/* no restart of sigreturn itself */
	if (sc->fpstate && restore_fpu(sc->fpstate))
		return -EFAULT;
	return (long)sc->eax;
}

static long bad_frame(void)
{
	force_fault_signal(SIGSEGV, current->tf->user_esp, "bad signal frame at",
			   current->tf);
	return 0;
}

static long sys_rt_sigreturn(void)
{
	struct trapframe *tf = current->tf;
	uint32_t uva = tf->user_esp - 4;	/* the handler popped pretcode */
	struct rt_sigframe *f = kmalloc(sizeof(*f), ALLOC_KERNEL);
	long ret;

	if (!f)
		return -ENOMEM;
	if (copy_from_user(f, (void *)uva, sizeof(*f))) {
		kfree(f);
		return bad_frame();
	}
	current->blocked = f->uc.uc_sigmask & ~UNBLOCKABLE;
	ret = restore_sigcontext(tf, &f->uc.uc_mcontext);
	kfree(f);
	return ret;
}
SYSCALL(__NR_rt_sigreturn, sys_rt_sigreturn);

static long sys_sigreturn(void)
{
	struct trapframe *tf = current->tf;
	uint32_t uva = tf->user_esp - 8;	/* pretcode and sig were popped */
	struct sigframe f;

	if (copy_from_user(&f, (void *)uva, sizeof(f)))
		return bad_frame();
	current->blocked = ((sigset_t)f.extramask << 32 | f.sc.oldmask) & ~UNBLOCKABLE;
	return restore_sigcontext(tf, &f.sc);
}
SYSCALL(__NR_sigreturn, sys_sigreturn);
