// SPDX-License-Identifier: GPL-2.0
/*
 * Busy polling of a software engine connection: poll_conn() lets the
 * thread that polls one of the driver's poll queues run the engine's
 * receive path itself, as NAPI busy polling lets a thread run a NIC's
 * receive.  The engine's "firmware" is host CPU time, and without this
 * every PDU for a polled queue would wait for rx_work to be scheduled
 * while the poller spins on the same CPUs.  After receiving, the poller
 * also sends what the doorbells queued (soft_poll_tx.c).
 *
 * The poller runs where blk-mq polls: inside an RCU read-side section,
 * where lock_sock() must not be called.  It tries the socket spinlock
 * instead and receives only if no task owns the socket (rx_work, or
 * tx_work while it sends); otherwise it leaves the data to the owner.
 * While pollers are inside, sk_data_ready does not queue rx_work (see
 * soft_sk_leave_to_poller()); the last one out queues it if data it was
 * told about is still unread.
 *
 * Lifetime: pollers look the connection up without a lock, inside an RCU
 * read-side section; connections are freed with kfree_rcu(), and teardown
 * forbids polling (poll_ok) and waits for a grace period before it
 * closes the socket, if a poller ever came by.
 */
#include <linux/rcupdate.h>
#include <net/sock.h>
#include "soft.h"

/* The handshake is over and the socket is set: pollers may receive. */
void soft_poll_allow(struct soft_conn *conn)
{
	WRITE_ONCE(conn->poll_ok, true);
}

/* Teardown, before the socket goes: no poller is inside after return. */
void soft_poll_stop(struct soft_conn *conn)
{
	WRITE_ONCE(conn->poll_ok, false);
	/* Pairs with the barrier in soft_poll_enter(). */
	smp_mb();
	if (READ_ONCE(conn->poll_seen))
		synchronize_rcu();
}

static bool soft_poll_enter(struct soft_conn *conn)
{
	if (!READ_ONCE(conn->poll_seen))
		WRITE_ONCE(conn->poll_seen, true);
	/* Either teardown sees poll_seen or we see poll_ok cleared. */
	smp_mb();
	return READ_ONCE(conn->poll_ok);
}

/*
 * Receive under the socket spinlock if it is free and nobody owns the
 * socket.  Busy elsewhere means someone is receiving or about to: the
 * softirq queueing a segment (sk_data_ready follows), another poller,
 * rx_work, or tx_work sending (its release_sock() runs sk_data_ready for
 * what arrived meanwhile).
 */
static int soft_poll_rx(struct soft_conn *conn, struct sock *sk)
{
	struct soft_rx_out out = { };
	int n = 0;

	if (!spin_trylock_bh(&sk->sk_lock.slock))
		return 0;
	if (!sock_owned_by_user(sk))
		n = soft_rx_locked(conn, sk, SOFT_RX_BUDGET, &out);
	if (n > 0)
		conn->rx_polled += n;
	spin_unlock_bh(&sk->sk_lock.slock);
	if (out.kick)
		soft_cq_kick(conn);
	return n;
}

void soft_poll_conn(struct qed_nvmetcp_engine *eng, u32 handle)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;
	struct sock *sk;
	bool missed;
	int n;

	if (handle >= SOFT_MAX_CONNS)
		return;
	rcu_read_lock();
	conn = READ_ONCE(se->conns[handle]);
	if (!conn || !soft_poll_enter(conn))
		goto out;
	sk = conn->sock->sk;
	atomic_inc(&conn->rx_pollers);
	/* Seen by sk_data_ready before we look at the socket. */
	smp_mb__after_atomic();
	n = soft_poll_rx(conn, sk);
	/* A receive error fails the connection: nothing more to send. */
	if (n >= 0)
		soft_poll_tx(conn);
	atomic_dec(&conn->rx_pollers);
	/* Pairs with soft_sk_leave_to_poller(). */
	smp_mb__after_atomic();
	missed = atomic_xchg(&conn->rx_missed, 0);
	/*
	 * A failure is reported by rx_work.  Data that sk_data_ready left to
	 * the pollers and that is still queued is left to rx_work too; data
	 * still in the socket's backlog is not queued yet: its owner's
	 * release_sock() calls sk_data_ready again.
	 */
	if (n < 0 || (missed && !skb_queue_empty_lockless(&sk->sk_receive_queue)))
		queue_work(conn->wq, &conn->rx_work);
out:
	rcu_read_unlock();
}
