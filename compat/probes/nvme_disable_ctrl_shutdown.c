// SPDX-License-Identifier: GPL-2.0
/* nvme_disable_ctrl() absorbed nvme_shutdown_ctrl() as a flag in 6.4. */
#include <linux/module.h>
#include <linux/blk-mq.h>
#include "nvme_private.h"
int nto_probe(struct nvme_ctrl *ctrl);
int nto_probe(struct nvme_ctrl *ctrl)
{
	return nvme_disable_ctrl(ctrl, true);
}
MODULE_LICENSE("GPL");
