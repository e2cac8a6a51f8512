// SPDX-License-Identifier: GPL-2.0
/*
 * skb_splice_from_iter() (6.5) is what lets TCP honour MSG_SPLICE_PAGES.
 * The flag alone says nothing: Debian's 6.1 defines it (to keep it out of
 * user sendmsg) while its TCP still copies such a message.
 */
#include <linux/module.h>
#include <linux/skbuff.h>
ssize_t nto_probe(struct sk_buff *skb, struct iov_iter *iter);
ssize_t nto_probe(struct sk_buff *skb, struct iov_iter *iter)
{
	return skb_splice_from_iter(skb, iter, PAGE_SIZE, GFP_KERNEL);
}
MODULE_LICENSE("GPL");
