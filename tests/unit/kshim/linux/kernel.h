/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the few kernel helpers taskbuild.c and the HSI use. */
#ifndef KSHIM_LINUX_KERNEL_H
#define KSHIM_LINUX_KERNEL_H

#include <assert.h>
#include <string.h>
#include "types.h"

#define cpu_to_le16(x)	((__le16)(u16)(x))
#define cpu_to_le32(x)	((__le32)(u32)(x))
#define cpu_to_le64(x)	((__le64)(u64)(x))
#define le16_to_cpu(x)	((u16)(x))
#define le32_to_cpu(x)	((u32)(x))
#define le64_to_cpu(x)	((u64)(x))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((u64)(n)) >> 32))

#define BIT(n)		(1UL << (n))
#define GENMASK(h, l)	(((~0UL) << (l)) & (~0UL >> (63 - (h))))

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* <linux/stddef.h>: the members both anonymously and as a named struct. */
#define struct_group(NAME, ...)					\
	union {							\
		struct { __VA_ARGS__ };				\
		struct { __VA_ARGS__ } NAME;			\
	}

#define __packed	__attribute__((packed))

#endif /* KSHIM_LINUX_KERNEL_H */
