// SPDX-License-Identifier: GPL-2.0
/* __nvme_check_ready() takes the controller state as an argument since 6.6. */
#include <linux/module.h>
#include <linux/blk-mq.h>
#include "nvme_private.h"
bool nto_probe(struct nvme_ctrl *ctrl, struct request *rq);
bool nto_probe(struct nvme_ctrl *ctrl, struct request *rq)
{
	return __nvme_check_ready(ctrl, rq, true, NVME_CTRL_LIVE);
}
MODULE_LICENSE("GPL");
