// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the module lands. */
#include <linux/module.h>
#include "nto_compat.h"

static int __init qedn_init(void)
{
	return 0;
}

static void __exit qedn_exit(void)
{
}

module_init(qedn_init);
module_exit(qedn_exit);
MODULE_LICENSE("GPL");
