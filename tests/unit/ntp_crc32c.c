// SPDX-License-Identifier: GPL-2.0
/* Userspace CRC32C for nvmetcp_pdu.c: reflected, polynomial 0x82F63B78. */
#include "nvmetcp_pdu_port.h"

static u32 crc_table[256];
static bool crc_ready;

static void crc_init(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? 0x82F63B78u : 0);
		crc_table[i] = c;
	}
	crc_ready = true;
}

u32 ntp_crc32c_raw(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!crc_ready)
		crc_init();
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}
