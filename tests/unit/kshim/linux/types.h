/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel headers that the qed HSI headers and
 * <linux/nvme.h> include, so that taskbuild.c and the real HSI definitions
 * compile in the unit tests.  Little-endian hosts only (x86-64).
 */
#ifndef KSHIM_LINUX_TYPES_H
#define KSHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the task builder unit tests assume a little-endian host"
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;
typedef uint64_t dma_addr_t;

typedef struct {
	__u8 b[16];
} uuid_t;

#endif /* KSHIM_LINUX_TYPES_H */
