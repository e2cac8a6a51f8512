/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: everything needed is in kernel.h. */
#ifndef KSHIM_LINUX_BITOPS_H
#define KSHIM_LINUX_BITOPS_H
#include <linux/kernel.h>
#endif
