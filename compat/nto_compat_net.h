/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket interfaces that differ between kernels, as used by the
 * qed_nvmetcp software engine.
 */
#ifndef NTO_COMPAT_NET_H
#define NTO_COMPAT_NET_H

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

#endif /* NTO_COMPAT_NET_H */
