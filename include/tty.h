/* include/tty.h - the console terminal (drivers/tty.c, branch tty).
 * Stand-in with the same two declarations until that branch is merged. */
#ifndef WALNUT_TTY_H
#define WALNUT_TTY_H

#include <vfs.h>

extern const struct file_ops tty_file_ops;
void tty_init(void);

#endif
