// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the module lands. */
#include <linux/module.h>
#include "nto_compat.h"

static int __init nvme_tcp_offload_init(void)
{
	return 0;
}

static void __exit nvme_tcp_offload_exit(void)
{
}

module_init(nvme_tcp_offload_init);
module_exit(nvme_tcp_offload_exit);
MODULE_LICENSE("GPL");
