// SPDX-License-Identifier: GPL-2.0
/*
 * Discovery log page: header (generation counter, number of records, record
 * format) in the first 1024 bytes, then 1024-byte entries.  Fields are fixed
 * width and space/NUL padded; nothing in them is trusted to be terminated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "discovery.h"

#define NVME_ADMIN_GET_LOG_PAGE	0x02
#define NVME_LOG_DISC		0x70

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

/* Copy a fixed-width field, stopping at NUL and trimming trailing spaces. */
static void field(char *dst, size_t dstlen, const uint8_t *src, size_t srclen)
{
	size_t n = 0;

	while (n < srclen && n < dstlen - 1 && src[n])
		n++;
	memcpy(dst, src, n);
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

int disc_parse(const uint8_t *page, size_t len, struct disc_entry *out,
	       int max, uint64_t *numrec)
{
	uint64_t i, n;
	int stored = 0;

	if (len < DISC_HDR_SIZE)
		return -1;
	n = le64(page + 8);
	*numrec = n;
	for (i = 0; i < n && stored < max; i++) {
		const uint8_t *e = page + DISC_HDR_SIZE + i * DISC_ENTRY_SIZE;
		struct disc_entry *d = &out[stored];

		if ((size_t)(DISC_HDR_SIZE + (i + 1) * DISC_ENTRY_SIZE) > len)
			break;
		d->trtype = e[0];
		d->adrfam = e[1];
		d->subtype = e[2];
		d->portid = le16(e + 4);
		field(d->trsvcid, sizeof(d->trsvcid), e + 32, 32);
		field(d->subnqn, sizeof(d->subnqn), e + 256, 256);
		field(d->traddr, sizeof(d->traddr), e + 512, 256);
		stored++;
	}
	return stored;
}

static int get_log(int fd, void *buf, uint32_t len)
{
	struct nvme_admin_cmd cmd;
	uint32_t numd = len / 4 - 1;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = NVME_ADMIN_GET_LOG_PAGE;
	cmd.nsid = 0;
	cmd.addr = (uint64_t)(uintptr_t)buf;
	cmd.data_len = len;
	cmd.cdw10 = NVME_LOG_DISC | ((numd & 0xffff) << 16);
	cmd.cdw11 = numd >> 16;
	return ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd);
}

int disc_fetch(int instance, uint8_t **page, size_t *len)
{
	uint64_t numrec;
	uint8_t *buf;
	size_t size;
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/nvme%d", instance);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = calloc(1, DISC_HDR_SIZE);
	if (!buf || get_log(fd, buf, DISC_HDR_SIZE)) {
		fprintf(stderr, "%s: get discovery log header: %s\n", path,
			buf ? strerror(errno) : "out of memory");
		goto err;
	}
	numrec = le64(buf + 8);
	if (numrec > 1024) {
		fprintf(stderr, "%s: target announces %llu discovery records; refusing more than 1024\n",
			path, (unsigned long long)numrec);
		goto err;
	}
	size = DISC_HDR_SIZE + numrec * DISC_ENTRY_SIZE;
	free(buf);
	buf = calloc(1, size);
	ret = buf ? get_log(fd, buf, (uint32_t)size) : -1;
	if (ret) {
		fprintf(stderr, "%s: get discovery log: %s\n", path,
			ret < 0 ? strerror(errno) : "NVMe status error");
		goto err;
	}
	close(fd);
	*page = buf;
	*len = size;
	return 0;
err:
	free(buf);
	close(fd);
	return -1;
}

const char *disc_trtype_name(uint8_t trtype)
{
	switch (trtype) {
	case DISC_TRTYPE_RDMA: return "rdma";
	case DISC_TRTYPE_FC: return "fc";
	case DISC_TRTYPE_TCP: return "tcp";
	case DISC_TRTYPE_LOOP: return "loop";
	default: return "unknown";
	}
}
