/* sync - ask the kernel to write every dirty buffer to disk.  No options. */
#include <unistd.h>

int main(void)
{
	sync();
	return 0;
}
