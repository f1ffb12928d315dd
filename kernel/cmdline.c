/*
 * kernel/cmdline.c - the kernel command line.
 *
 * Owns: a private copy of the options (the boot loader's copy lives in
 * memory the page allocator will reuse), split into key/value pairs.
 * A first word that is a path (QEMU's -kernel passes the image's) is
 * skipped.  Parsed once at boot, read-only after.
 */
#include <cmdline.h>
#include <errno.h>
#include <kernel.h>

static char raw_copy[CMDLINE_MAX];	/* options as given, for printing */
static char split[CMDLINE_MAX];		/* the same, NULs between the parts */
static struct { const char *key, *value; } opts[CMDLINE_MAX_OPTS];
static unsigned int nr_opts;
static const char *init_args[CMDLINE_MAX_INIT_ARGS];	/* the words after "--" */
static unsigned int nr_init_args;
static bool after_dashes;

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* Words after "--" are not options: they are init's arguments (Linux's
 * convention). */
static void add_init_arg(const char *word)
{
	if (!after_dashes) {
		after_dashes = true;
		return;
	}
	if (nr_init_args == CMDLINE_MAX_INIT_ARGS)
		printk(KERN_WARNING "cmdline: too many arguments for init; ignoring '%s'\n",
		       word);
	else
		init_args[nr_init_args++] = word;
}

void cmdline_parse(const char *raw)
{
	const char *s = skip_spaces(raw);
	char *p;

	/* QEMU's -kernel passes the image's path as the first word; GRUB 2's
	 * multiboot command does not.  A path starts with '/'; options don't. */
	if (*s == '/')
		while (*s && *s != ' ')
			s++;
	strlcpy(raw_copy, skip_spaces(s), sizeof(raw_copy));
	strlcpy(split, raw_copy, sizeof(split));
	nr_opts = 0;
	nr_init_args = 0;
	after_dashes = false;
	for (p = split; *p; ) {
		char *key = p, *eq;

		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		if (!*key)
			continue;
		if (after_dashes || strcmp(key, "--") == 0) {
			add_init_arg(key);
			continue;
		}
		if (nr_opts == CMDLINE_MAX_OPTS) {
			printk(KERN_WARNING "cmdline: more than %d options; ignoring '%s'\n",
			       CMDLINE_MAX_OPTS, key);
			continue;
		}
		eq = strchr(key, '=');
		if (eq)
			*eq = '\0';
		opts[nr_opts].key = key;
		opts[nr_opts].value = eq ? eq + 1 : "";
		nr_opts++;
	}
}

/* The words after "--", for init's argv; returns how many. */
unsigned int cmdline_init_args(const char *const **args)
{
	*args = init_args;
	return nr_init_args;
}

const char *cmdline_raw(void)
{
	return raw_copy;
}

/* The last occurrence wins, as in Linux. */
const char *cmdline_get(const char *key)
{
	for (unsigned int i = nr_opts; i-- > 0; )
		if (strcmp(opts[i].key, key) == 0)
			return opts[i].value;
	return NULL;
}

bool cmdline_has(const char *key)
{
	return cmdline_get(key) != NULL;
}

/* "123", "16K", "16M", "1G" -> bytes.  Returns 0 or -EINVAL. */
int parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > (1ull << 40))
			return -EINVAL;
	}
	switch (*s) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; s++; break;
	default: break;
	}
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

int cmdline_get_uint(const char *key, uint32_t *out)
{
	const char *v = cmdline_get(key);
	uint64_t n;

	if (!v)
		return -ENOENT;
	if (parse_size(v, &n) < 0 || n > UINT32_MAX) {
		printk(KERN_WARNING "cmdline: %s=%s is not a number\n", key, v);
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}
