/*
 * echo - print the arguments separated by spaces, then a newline.
 *
 *   echo [-n] [arg...]      -n: no newline at the end
 *
 * Backslash sequences are printed as they are (as GNU echo does without -e).
 * Any further leading "-n" is also taken as the option; anything else that
 * starts with '-' is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1, newline = 1;

	while (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	/* A full disk or a closed pipe must show in the exit status. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "echo: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
