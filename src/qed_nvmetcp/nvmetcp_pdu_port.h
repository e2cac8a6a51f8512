/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Portability shim for nvmetcp_pdu.c, which builds both inside the kernel
 * module and in the userspace unit tests and fuzzer.  Only fixed-width
 * types, errno values, memset/memcpy and CRC32C are needed.
 */
#ifndef NVMETCP_PDU_PORT_H
#define NVMETCP_PDU_PORT_H

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/crc32c.h>

static inline u32 ntp_crc32c_raw(u32 crc, const void *buf, size_t len)
{
	return crc32c(crc, buf, len);
}
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Reflected CRC32C (Castagnoli), no final inversion: same as crc32c(). */
u32 ntp_crc32c_raw(u32 crc, const void *buf, size_t len);
#endif

#endif /* NVMETCP_PDU_PORT_H */
