// SPDX-License-Identifier: GPL-2.0
/* nvmf_should_reconnect() gained the completion status argument in 6.10. */
#include <linux/module.h>
#include <linux/blk-mq.h>
#include "nvme_private.h"
bool nto_probe(struct nvme_ctrl *ctrl);
bool nto_probe(struct nvme_ctrl *ctrl)
{
	return nvmf_should_reconnect(ctrl, 0);
}
MODULE_LICENSE("GPL");
