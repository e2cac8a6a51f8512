/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: everything needed is in kernel.h. */
#ifndef KSHIM_ASM_BYTEORDER_H
#define KSHIM_ASM_BYTEORDER_H
#include <linux/kernel.h>
#endif
