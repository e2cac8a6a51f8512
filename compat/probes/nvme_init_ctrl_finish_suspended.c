// SPDX-License-Identifier: GPL-2.0
/* nvme_init_ctrl_finish() gained the was_suspended argument in 6.3. */
#include <linux/module.h>
#include <linux/blk-mq.h>
#include "nvme_private.h"
int nto_probe(struct nvme_ctrl *ctrl);
int nto_probe(struct nvme_ctrl *ctrl)
{
	return nvme_init_ctrl_finish(ctrl, false);
}
MODULE_LICENSE("GPL");
