/*
 * string.c - memcpy, memmove and memset for every Walnut program, in place of
 * newlib's (user/user.mk deletes those from libc.a: NEWLIB_REPLACED), and
 * the choice of how they run.  memchr, memcmp, strlen and strcmp, which
 * replace newlib's too, are in string_i386.c.
 *
 * Why: newlib's i386 versions are built on rep movsb/movsl, rep stosl and
 * repz cmpsl.  QEMU's TCG, which runs Walnut, runs any rep-prefixed
 * instruction one element per step, while SSE2 loops move 16 bytes an
 * instruction in the same QEMU.  docs/userspace.md ("The string routines")
 * has the figures.
 *
 * Two sets do the copying (strimpl.h): string_sse2.c, 16 bytes at a time,
 * and string_i386.c, 4 bytes at a time on any i686.  __walnut_string_init(),
 * which start.c calls before constructors and main, takes SSE2 if cpuid says
 * the CPU has it, unless the environment says WALNUT_STRING=i386.  Until
 * then, the i386 set serves.  Each public function below is one jump through
 * the chosen set's copy in `active`: gcc compiles the call to "jmp *active+N".
 *
 * This file is compiled with -fno-builtin (user/user.mk): it defines the
 * functions gcc would otherwise treat as its own.
 */
#include <cpuid.h>
#include <errno.h>
#include <string.h>
#include "glue.h"
#include "strimpl.h"

static const struct string_impl impls[] = {
	{ "i386", memcpy_i386, memmove_i386, memset_i386 },
	{ "sse2", memcpy_sse2, memmove_sse2, memset_sse2 },
};

static struct string_impl active = { "i386", memcpy_i386, memmove_i386, memset_i386 };

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	return active.memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	return active.memmove(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
	return active.memset(dst, c, n);
}

/* CPUID leaf 1, EDX bit 26.  (The kernel sets CR4.OSFXSR and saves the XMM
 * registers, so a CPU that has SSE2 may use it here.) */
static int cpu_has_sse2(void)
{
	unsigned eax, ebx, ecx, edx;

	return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (edx & bit_SSE2);
}

/* The set called `name` ("i386" or "sse2") if this CPU can run it, or NULL. */
static const struct string_impl *find_impl(const char *name)
{
	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (strcmp(impls[i].name, name) == 0)
			return impls[i].memcpy == memcpy_sse2 && !cpu_has_sse2() ?
				NULL : &impls[i];
	return NULL;
}

/*
 * Switches memcpy, memmove and memset to the set called `name`.  Returns 0,
 * or -1 with errno EINVAL for an unknown name or a set this CPU cannot run.
 * For the tests and the benchmark, which run both sets in one process.
 */
int __walnut_string_use(const char *name)
{
	const struct string_impl *impl = find_impl(name);

	if (!impl)
		return __walnut_fail(EINVAL);
	active = *impl;
	return 0;
}

/* The name of the set in use. */
const char *__walnut_string_impl(void)
{
	return active.name;
}

/* The value of WALNUT_STRING in envp, or NULL.  (environ is not set yet.) */
static const char *string_env(char **envp)
{
	static const char key[] = "WALNUT_STRING=";

	for (; *envp; envp++)
		if (strncmp(*envp, key, sizeof(key) - 1) == 0)
			return *envp + sizeof(key) - 1;
	return NULL;
}

/* Once, before anything else runs (start.c); errno stays untouched. */
void __walnut_string_init(char **envp)
{
	const char *want = string_env(envp);
	const struct string_impl *impl = want ? find_impl(want) : NULL;

	if (!impl && cpu_has_sse2())
		impl = find_impl("sse2");
	if (impl)
		active = *impl;
}
