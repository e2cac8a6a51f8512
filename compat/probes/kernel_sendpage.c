// SPDX-License-Identifier: GPL-2.0
/* kernel_sendpage() was removed in 6.5 in favour of MSG_SPLICE_PAGES. */
#include <linux/module.h>
#include <linux/net.h>
int nto_probe(struct socket *sock, struct page *page);
int nto_probe(struct socket *sock, struct page *page)
{
	return kernel_sendpage(sock, page, 0, PAGE_SIZE, 0);
}
MODULE_LICENSE("GPL");
