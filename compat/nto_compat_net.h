/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket interfaces that differ between kernels, as used by the
 * qed_nvmetcp software engine.
 */
#ifndef NTO_COMPAT_NET_H
#define NTO_COMPAT_NET_H

#include <linux/bvec.h>
#include <linux/net.h>
#include <linux/uio.h>
#include <net/sock.h>
#include "nto_compat_config.h"

/*
 * Sockets on the block I/O path must not allocate from the task's
 * page_frag (sk_use_task_frag, 6.2 and stable backports); older kernels
 * have no task frag use in kernel sockets to turn off.
 */
static inline void nto_sk_no_task_frag(struct sock *sk)
{
#ifdef HAVE_SK_USE_TASK_FRAG
	sk->sk_use_task_frag = false;
#endif
}

/*
 * Lend @nr pages (@len bytes, each entry within one page, every page
 * sendpage_ok()) to a stream socket without copying them: the stack takes
 * a page reference per fragment.  Blocks until all is queued.  Returns 0
 * or -errno.  kernel_sendpage() did this until 6.5; since then sendmsg()
 * with MSG_SPLICE_PAGES does.
 */
static inline int nto_sock_lend_pages(struct socket *sock,
				      struct bio_vec *bv, size_t nr,
				      size_t len, int flags)
{
#if defined(HAVE_KERNEL_SENDPAGE)
	size_t i, off, left;
	int f, rc;

	for (i = 0; i < nr; i++) {
		off = bv[i].bv_offset;
		left = bv[i].bv_len;
		f = flags;
		if (i + 1 < nr)
			f |= MSG_MORE;
		if (f & MSG_MORE)
			f |= MSG_SENDPAGE_NOTLAST;
		while (left) {
			rc = kernel_sendpage(sock, bv[i].bv_page, off, left, f);
			if (rc <= 0)
				return rc ? rc : -EPIPE;
			off += rc;
			left -= rc;
		}
	}
	return 0;
#elif defined(HAVE_SKB_SPLICE_FROM_ITER)
	struct msghdr msg = { .msg_flags = flags | MSG_SPLICE_PAGES };
	int rc;

	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, nr, len);
	while (msg_data_left(&msg)) {
		rc = sock_sendmsg(sock, &msg);
		if (rc <= 0)
			return rc ? rc : -EPIPE;
	}
	return 0;
#else
#error "compat: neither kernel_sendpage() nor MSG_SPLICE_PAGES sends on this kernel"
#endif
}

#endif /* NTO_COMPAT_NET_H */
