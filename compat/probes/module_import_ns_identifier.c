// SPDX-License-Identifier: GPL-2.0
/*
 * Older kernels take a bare identifier in MODULE_IMPORT_NS(); from 6.13 on
 * the argument is a string literal and an identifier no longer compiles.
 */
#include <linux/module.h>
MODULE_IMPORT_NS(NTO_PROBE_NAMESPACE);
MODULE_LICENSE("GPL");
