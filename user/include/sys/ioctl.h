/*
 * <sys/ioctl.h> - ioctl() and Linux's terminal ioctl numbers
 * (asm-generic/ioctls.h).  Requests reach the kernel unchanged.
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define TCGETS		0x5401	/* struct termios * */
#define TCSETS		0x5402
#define TCSETSW		0x5403	/* after output drains */
#define TCSETSF		0x5404	/* after output drains, input flushed */
#define TCSBRK		0x5409
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F	/* pid_t * */
#define TIOCSPGRP	0x5410	/* const pid_t * */
#define TIOCOUTQ	0x5411
#define TIOCGWINSZ	0x5413	/* struct winsize * */
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B	/* int * */
#define TIOCINQ		FIONREAD
#define TIOCNOTTY	0x5422
#define FIONBIO		0x5421	/* const int * */
#define FIOCLEX		0x5451
#define FIONCLEX	0x5450
#define TIOCGSID	0x5429	/* pid_t * */

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#ifdef __cplusplus
extern "C" {
#endif

/* The third argument, if any, is an int or a pointer, as the request says. */
int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_IOCTL_H */
