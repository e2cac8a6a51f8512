/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/qed/qed_if.h>: qed_nvmetcp_if.h only embeds
 * or points at these; the task builders use none of them.
 */
#ifndef KSHIM_LINUX_QED_QED_IF_H
#define KSHIM_LINUX_QED_QED_IF_H

#include <linux/kernel.h>
#include <linux/qed/common_hsi.h>

#define ETH_ALEN	6
#define __iomem

struct qed_dev;
struct qed_common_ops;
struct qed_ll2_ops;

struct qed_dev_info {
	int unused;
};

struct qed_common_cb_ops {
	int unused;
};

#endif
