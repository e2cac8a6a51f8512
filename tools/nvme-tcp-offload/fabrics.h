/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the kernel: /dev/nvme-fabrics, sysfs and the kernel log. */
#ifndef NTO_FABRICS_H
#define NTO_FABRICS_H

#include <stddef.h>

/*
 * Write @opts to /dev/nvme-fabrics.  On success the controller instance
 * (N of /dev/nvmeN) is returned.  On failure -1 is returned after printing
 * the errno text and the kernel's own messages about the attempt.
 */
int fabrics_connect(const char *opts);

/* Delete controller nvme@instance through sysfs.  0 or -1 (message printed). */
int fabrics_disconnect(int instance);

/* Read a sysfs attribute of /sys/class/nvme/@ctrl into @buf, newline cut. */
int sysfs_ctrl_attr(const char *ctrl, const char *attr, char *buf, size_t len);

#endif
