/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: everything needed is in kernel.h. */
#ifndef KSHIM_LINUX_STRING_H
#define KSHIM_LINUX_STRING_H
#include <linux/kernel.h>
#endif
