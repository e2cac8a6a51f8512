/* SPDX-License-Identifier: GPL-2.0 */
/* NVMe-oF discovery log page (log identifier 0x70). */
#ifndef NTO_DISCOVERY_H
#define NTO_DISCOVERY_H

#include <stddef.h>
#include <stdint.h>

#define DISC_HDR_SIZE		1024
#define DISC_ENTRY_SIZE		1024

#define DISC_TRTYPE_RDMA	1
#define DISC_TRTYPE_FC		2
#define DISC_TRTYPE_TCP		3
#define DISC_TRTYPE_LOOP	254

#define DISC_SUBTYPE_REFERRAL	1	/* another discovery controller */
#define DISC_SUBTYPE_NVME	2	/* an NVM subsystem */
#define DISC_SUBTYPE_CURRENT	3	/* this discovery controller */

#define DISC_ADRFAM_IPV4	1
#define DISC_ADRFAM_IPV6	2

struct disc_entry {
	uint8_t trtype;
	uint8_t adrfam;
	uint8_t subtype;
	uint16_t portid;
	char trsvcid[33];
	char subnqn[257];
	char traddr[257];
};

/*
 * Decode @len bytes of a log page.  Entries that do not fit in @len are not
 * returned.  Returns the number of entries stored in @out (at most @max), or
 * -1 if the header itself is short.  *@numrec receives the count the target
 * announced.
 */
int disc_parse(const uint8_t *page, size_t len, struct disc_entry *out,
	       int max, uint64_t *numrec);

/* Fetch the log page from controller /dev/nvme@instance; malloc'd page. */
int disc_fetch(int instance, uint8_t **page, size_t *len);

const char *disc_trtype_name(uint8_t trtype);

#endif
