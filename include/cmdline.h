/* include/cmdline.h - the kernel command line, as key=value options.
 *
 * The boot loader passes one string (the image path, then the options the
 * user typed); cmdline_parse() splits the options on spaces.  An option
 * without '=' has an empty value.  Options in use:
 *   ktest=NAME[,NAME...]|all   run kernel self-tests, then power off
 *   panic=exit                 leave QEMU (status EXIT_PANIC) on a panic
 *   loglevel=N                 show messages of level < N on the console
 *   mem=SIZE[K|M|G]            use no memory above SIZE
 *   ata=pio                    IDE disks by PIO instead of bus-master DMA
 *   bench=blk                  run a benchmark (include/bench.h), power off
 *   testdisk                   storage self-tests: the test disks are attached
 *   (later: init=, root=)
 */
#ifndef WALNUT_CMDLINE_H
#define WALNUT_CMDLINE_H

#include <types.h>
#include <string.h>

#define CMDLINE_MAX	512
#define CMDLINE_MAX_OPTS 32
#define CMDLINE_MAX_INIT_ARGS 16

/* Exit statuses given to power_off(). */
#define EXIT_OK		0
#define EXIT_TESTS_FAILED 1
#define EXIT_PANIC	3

void cmdline_parse(const char *raw);
const char *cmdline_raw(void);		/* the options, as given */
const char *cmdline_get(const char *key);	/* NULL if absent */
bool cmdline_has(const char *key);
int cmdline_get_uint(const char *key, uint32_t *out);
int parse_size(const char *s, uint64_t *out);
unsigned int cmdline_init_args(const char *const **args);	/* after "--" */

#endif
