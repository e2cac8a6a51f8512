// SPDX-License-Identifier: GPL-2.0
/*
 * Scatter-gather lists of tasks.  The task context names the SGL by
 * address and count (struct scsi_sgl_params) and caches the first SGEs;
 * the addresses are physical addresses of direct-mapped memory, turned
 * back into kernel pointers here after a sanity check, since a driver bug
 * must not become a wild write.
 */
#include <linux/bvec.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/uio.h>
#include "soft.h"

static u64 soft_regpair(const struct regpair *r)
{
	return ((u64)le32_to_cpu(r->hi) << 32) | le32_to_cpu(r->lo);
}

static bool soft_phys_ok(u64 addr, u64 len)
{
	if (!addr || !len || addr + len < addr)
		return false;
	return pfn_valid(PHYS_PFN(addr)) && pfn_valid(PHYS_PFN(addr + len - 1));
}

const struct scsi_sge *soft_sgl_resolve(const struct scsi_sgl_params *p,
					const struct scsi_cached_sges *cache,
					u16 max_sges, u32 *total, u16 *num)
{
	const struct scsi_sge *sgl;
	u64 addr = soft_regpair(&p->sgl_addr);
	u64 sum = 0;
	u16 i;

	*num = le16_to_cpu(p->sgl_num_sges);
	*total = le32_to_cpu(p->sgl_total_length);
	if (!*num || *num > max_sges)
		return NULL;
	if (addr) {
		if (!soft_phys_ok(addr, (u64)*num * sizeof(*sgl)))
			return NULL;
		sgl = phys_to_virt(addr);
	} else if (*num <= ARRAY_SIZE(cache->sge)) {
		sgl = cache->sge;
	} else {
		return NULL;
	}
	for (i = 0; i < *num; i++) {
		u32 len = le32_to_cpu(sgl[i].sge_len);

		if (!soft_phys_ok(soft_regpair(&sgl[i].sge_addr), len))
			return NULL;
		sum += len;
	}
	if (sum < *total)
		return NULL;
	return sgl;
}

/* The SGE holding byte @off of the task's buffer; @off becomes its offset in it. */
static u16 soft_sgl_seek(const struct soft_task *task, u32 *off)
{
	u16 i;

	for (i = 0; i < task->num_sges; i++) {
		u32 sl = le32_to_cpu(task->sgl[i].sge_len);

		if (*off < sl)
			break;
		*off -= sl;
	}
	return i;
}

/* Describe [off, off + len) of the task's buffer with up to @max_vec kvecs. */
size_t soft_sgl_kvec(const struct soft_task *task, u32 off, u32 len,
		     struct kvec *vec, size_t max_vec, u32 *mapped)
{
	size_t nr = 0;
	u16 i;

	*mapped = 0;
	for (i = soft_sgl_seek(task, &off);
	     i < task->num_sges && len && nr < max_vec; i++, off = 0) {
		u32 n = min(le32_to_cpu(task->sgl[i].sge_len) - off, len);

		vec[nr].iov_base = (u8 *)phys_to_virt(soft_regpair(&task->sgl[i].sge_addr)) + off;
		vec[nr].iov_len = n;
		nr++;
		*mapped += n;
		len -= n;
	}
	return nr;
}

/*
 * Describe [off, off + len) of the task's buffer page by page with up to
 * @max_bv entries, for lending the pages to the socket instead of copying
 * them.  *lendable turns false if a page may not be lent (slab memory, as
 * in the driver's own small buffers): the caller then copies that range.
 */
size_t soft_sgl_bvec(const struct soft_task *task, u32 off, u32 len,
		     struct bio_vec *bv, size_t max_bv, u32 *mapped,
		     bool *lendable)
{
	size_t nr = 0;
	u16 i;

	*mapped = 0;
	*lendable = true;
	for (i = soft_sgl_seek(task, &off);
	     i < task->num_sges && len && nr < max_bv; i++, off = 0) {
		u32 sl = le32_to_cpu(task->sgl[i].sge_len) - off;
		u64 addr = soft_regpair(&task->sgl[i].sge_addr) + off;

		while (sl && len && nr < max_bv) {
			u32 in_page = offset_in_page(addr);
			u32 n = min3(sl, len, (u32)PAGE_SIZE - in_page);
			struct page *page = pfn_to_page(PHYS_PFN(addr));

			if (!sendpage_ok(page))
				*lendable = false;
			bv[nr].bv_page = page;
			bv[nr].bv_offset = in_page;
			bv[nr].bv_len = n;
			nr++;
			*mapped += n;
			addr += n;
			sl -= n;
			len -= n;
		}
	}
	return nr;
}

u32 soft_sgl_crc(const struct soft_task *task, u32 crc, u32 off, u32 len)
{
	struct kvec vec[8];
	u32 mapped;
	size_t nr, i;

	while (len) {
		nr = soft_sgl_kvec(task, off, len, vec, ARRAY_SIZE(vec),
				   &mapped);
		if (!nr)
			break;
		for (i = 0; i < nr; i++)
			crc = ntp_crc32c_raw(crc, vec[i].iov_base,
					     vec[i].iov_len);
		off += mapped;
		len -= mapped;
	}
	return crc;
}
