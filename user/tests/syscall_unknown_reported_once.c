/*
 * syscall_unknown_reported_once - an unknown system call is -1 with
 * errno ENOSYS, as on Linux, however often it is made; and Walnut's
 * console line about it comes once per process and number, not once per
 * call (a fuzz run printed 27,284 of them).  The harness counts the lines
 * (tools/testplan.py): one for 222, one for all numbers past the table.
 *
 * 222 and 223 have never been system calls on Linux i386.
 */
#include <sys/syscall.h>
#include "testlib.h"

#define NEVER_A_SYSCALL	222
#define PAST_ANY_TABLE	100000

int main(void)
{
	int enosys = 0;

	for (int i = 0; i < 200; i++) {
		errno = 0;
		enosys += syscall(NEVER_A_SYSCALL) == -1 && errno == ENOSYS;
		errno = 0;
		enosys += syscall(PAST_ANY_TABLE + i) == -1 && errno == ENOSYS;
	}
	check("syscall_unknown_is_enosys_every_time", enosys == 400,
	      "%d of 400 calls gave ENOSYS", enosys);
	expect_errno("syscall_negative_number_is_enosys", syscall(-1), ENOSYS);
	return test_exit_code();
}
