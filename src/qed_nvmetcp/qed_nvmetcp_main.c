// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the module lands. */
#include <linux/module.h>
#include "nto_compat.h"

static int __init qed_nvmetcp_init(void)
{
	return 0;
}

static void __exit qed_nvmetcp_exit(void)
{
}

module_init(qed_nvmetcp_init);
module_exit(qed_nvmetcp_exit);
MODULE_LICENSE("GPL");
