// SPDX-License-Identifier: GPL-2.0
/*
 * sock::sk_use_task_frag (6.2): sockets used in the block I/O path must not
 * allocate from the task's page_frag.
 */
#include <linux/module.h>
#include <net/sock.h>
void nto_probe(struct sock *sk);
void nto_probe(struct sock *sk)
{
	sk->sk_use_task_frag = false;
}
MODULE_LICENSE("GPL");
