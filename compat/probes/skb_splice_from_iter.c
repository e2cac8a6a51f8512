// SPDX-License-Identifier: GPL-2.0
/* MSG_SPLICE_PAGES (6.5) replaces kernel_sendpage() for zero-copy sends. */
#include <linux/module.h>
#include <linux/socket.h>
int nto_probe(void);
int nto_probe(void)
{
	return MSG_SPLICE_PAGES;
}
MODULE_LICENSE("GPL");
