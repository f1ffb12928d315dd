/* include/types.h - fixed-width types and the few macros every file uses. */
#ifndef WALNUT_TYPES_H
#define WALNUT_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint32_t pa_t;		/* a physical address */
typedef uint32_t pfn_t;		/* a physical page frame number: pa >> PAGE_SHIFT */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __section(s)	__attribute__((section(s)))
#define __packed	__attribute__((packed))
#define __user		/* a pointer into user space: copy it (uaccess.h), never
			   dereference it */

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif
