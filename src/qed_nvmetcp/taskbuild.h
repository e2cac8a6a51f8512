/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firmware task builders (taskbuild.c).  They depend on nothing but the HSI
 * headers, so the same file also builds in userspace for the unit tests
 * (tests/unit/test_taskbuild.c).
 */
#ifndef QED_NVMETCP_TASKBUILD_H
#define QED_NVMETCP_TASKBUILD_H

#include <linux/qed/qed_nvmetcp_if.h>

void nvmetcp_init_read_io(struct nvmetcp_task_params *tp,
			  struct nvme_tcp_cmd_pdu *hdr,
			  struct nvme_command *cmd,
			  struct storage_sgl_task_params *sgl);
void nvmetcp_init_write_io(struct nvmetcp_task_params *tp,
			   struct nvme_tcp_cmd_pdu *hdr,
			   struct nvme_command *cmd,
			   struct storage_sgl_task_params *sgl);
void nvmetcp_init_icreq_exchange(struct nvmetcp_task_params *tp,
				 struct nvme_tcp_icreq_pdu *hdr,
				 struct storage_sgl_task_params *tx,
				 struct storage_sgl_task_params *rx);
void nvmetcp_init_task_cleanup(struct nvmetcp_task_params *tp);
void nvmetcp_task_hdr_read(const struct e5_nvmetcp_task_context *ctx,
			   u8 *buf, size_t len);

#endif /* QED_NVMETCP_TASKBUILD_H */
