// SPDX-License-Identifier: GPL-2.0
/*
 * Sending from a poller: on a poll queue's connection the thread that
 * polls for completions (soft_poll_conn()) also sends the command PDUs
 * the doorbells queued since its last pass, as a NAPI busy poll both
 * receives and completes transmits.  Without it every doorbell woke
 * tx_work, which has to preempt a poller that never sleeps: one context
 * switch per command, and commands waiting for the switch (the polled
 * 4k QD32 tail in docs/performance.md).  A doorbell that publishes such a
 * command only arms a fallback (tx_late, the next timer tick or so) for
 * the case nobody polls; any other WQE (ICReq, in-capsule data, cleanup)
 * wakes tx_work at once, as nobody may be polling for it.
 *
 * A poller must not sleep (blk-mq polls inside an RCU read-side section),
 * so lock_sock() is out: the send takes the socket spinlock by trylock,
 * and only if no task owns the socket calls tcp_sendmsg_locked(), whose
 * callers normally own the socket.  Holding just the spinlock is enough
 * here because nothing in that call may sleep or release the socket:
 * MSG_DONTWAIT makes a full send buffer return at once instead of waiting
 * (which would release_sock() a socket we do not own), the backlog is
 * empty while no task owns the socket (so flushing it does nothing), and
 * the socket allocates atomically (soft_tcp.c).  MSG_NOSIGNAL keeps a
 * broken connection from signalling the polling task.  Only command PDUs
 * without data go this way (reads, writes whose data waits for an R2T),
 * one small header each, built side by side and handed to the socket
 * with one call per SOFT_POLL_TX_BATCH (one segment on the wire instead
 * of one per command); the first WQE that needs more, and whatever the
 * socket does not take, are tx_work's, which sends the rest before
 * anything else.
 *
 * Exclusion: tx_work and a poller own the send side through SOFT_TX_OWNED,
 * so a poller never lands between the parts of a PDU tx_work is sending.
 * A tx_work that finds it taken leaves SOFT_TX_KICK and the owner queues
 * tx_work again when it lets go.  Lifetime: that of the pollers
 * (soft_poll.c).
 */
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "soft.h"

static bool soft_tx_claim(struct soft_conn *conn)
{
	return !test_and_set_bit_lock(SOFT_TX_OWNED, &conn->tx_flags);
}

/* Let go of the send side; run tx_work if it came by meanwhile. */
void soft_tx_release(struct soft_conn *conn)
{
	clear_bit_unlock(SOFT_TX_OWNED, &conn->tx_flags);
	/* Pairs with the barrier in soft_tx_enter(). */
	smp_mb__after_atomic();
	if (test_bit(SOFT_TX_KICK, &conn->tx_flags) &&
	    test_and_clear_bit(SOFT_TX_KICK, &conn->tx_flags))
		queue_work(conn->wq, &conn->tx_work);
}

/* tx_work's way in: false if a poller owns the send side (it will requeue). */
bool soft_tx_enter(struct soft_conn *conn)
{
	if (soft_tx_claim(conn))
		return true;
	set_bit(SOFT_TX_KICK, &conn->tx_flags);
	/* Either the owner sees SOFT_TX_KICK or we see it gone. */
	smp_mb__after_atomic();
	if (!soft_tx_claim(conn))
		return false;
	clear_bit(SOFT_TX_KICK, &conn->tx_flags);
	return true;
}

/* A command a poller may send: no data goes with the PDU. */
static bool soft_poll_tx_ok(struct soft_eng *se, const struct nvmetcp_wqe *wqe)
{
	u16 itid = le16_to_cpu(wqe->task_id);
	const struct e5_nvmetcp_task_context *ctx;

	if (soft_wqe_type(wqe) == NVMETCP_WQE_TYPE_TASK_CLEANUP ||
	    itid >= se->caps.max_tasks)
		return false;
	ctx = soft_task_ctx(se, itid);
	switch (ctx->ustorm_st_context.task_type) {
	case NVMETCP_TASK_TYPE_HOST_READ:
		return true;
	case NVMETCP_TASK_TYPE_HOST_WRITE:
		return !soft_wqe_incap(wqe);
	default:
		return false;
	}
}

enum soft_take {
	SOFT_TAKE_NONE,		/* nothing queued */
	SOFT_TAKE_WQE,		/* *wqe consumed: send it */
	SOFT_TAKE_OTHER,	/* tx_work's: not a bare command, or R2T/carry */
};

/* Consume the next WQE if it is a bare command and nothing else waits. */
static enum soft_take soft_poll_tx_take(struct soft_conn *conn,
					struct nvmetcp_wqe *wqe)
{
	enum soft_take got = SOFT_TAKE_NONE;
	u16 prod;

	spin_lock_bh(&conn->lock);
	/* Pairs with the doorbell's release: WQEs are visible up to prod. */
	prod = smp_load_acquire(&conn->sq_prod);
	if (conn->state != SOFT_CONN_CONNECTED || prod == conn->sq_cons)
		goto out;
	got = SOFT_TAKE_OTHER;
	if (conn->tx_carry_len || !list_empty(&conn->r2t_list))
		goto out;
	*wqe = conn->sq.wqes[conn->sq_cons & (conn->sq.depth - 1)];
	if (soft_poll_tx_ok(conn->eng, wqe)) {
		WRITE_ONCE(conn->sq_cons, conn->sq_cons + 1);
		got = SOFT_TAKE_WQE;
	}
out:
	spin_unlock_bh(&conn->lock);
	return got;
}

/*
 * Build the command PDU of @wqe at @hdr: its length, or 0 if the task
 * could not start (tx_work reports that).
 */
static u32 soft_poll_tx_build(struct soft_conn *conn,
			      const struct nvmetcp_wqe *wqe, u8 *hdr)
{
	struct soft_eng *se = conn->eng;
	u16 itid = le16_to_cpu(wqe->task_id);
	const struct e5_nvmetcp_task_context *ctx = soft_task_ctx(se, itid);
	int rc;

	rc = soft_tx_cmd_start(conn, &se->tasks[itid], ctx,
			       ctx->ustorm_st_context.task_type, hdr);
	if (rc) {
		conn->tx_poll_err = rc;
		conn->tx_poll_itid = itid;
		return 0;
	}
	return ntp_build_cmd(hdr, hdr + NTP_OFF_SQE, 0, conn->hdgst,
			     conn->ddgst, conn->cpda);
}

/*
 * Send the @nr command PDUs (@len bytes) built in tx_carry with one
 * call; what the socket does not take stays there for tx_work.  False
 * if some did.
 */
static bool soft_poll_tx_send(struct soft_conn *conn, struct sock *sk,
			      u32 len, u32 nr)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec v = { .iov_base = conn->tx_carry, .iov_len = len };
	int rc;

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &v, 1, len);
	lockdep_assert_held(&sk->sk_lock.slock);
	rc = tcp_sendmsg_locked(sk, &msg, len);
	WRITE_ONCE(conn->tx_poll_calls, conn->tx_poll_calls + 1);
	/* The PDUs are of one length: count those the socket took whole. */
	if (rc > 0)
		WRITE_ONCE(conn->tx_polled, conn->tx_polled + rc / (len / nr));
	if (rc == len)
		return true;
	/* Partly or not sent (socket full, or an error tx_work will see). */
	conn->tx_carry_off = rc > 0 ? rc : 0;
	conn->tx_carry_len = len;
	return false;
}

/*
 * Build the next bare commands side by side in tx_carry, as many as fit:
 * their bytes, and their number in *@nr.  *@stop once nothing more is
 * for a poller (SQ empty, or tx_work's turn: then kicked).
 */
static u32 soft_poll_tx_fill(struct soft_conn *conn, u32 *nr, bool *stop)
{
	struct nvmetcp_wqe wqe;
	u32 len = 0, n;

	while (sizeof(conn->tx_carry) - len >= NTP_TX_CMD_BARE) {
		enum soft_take got = soft_poll_tx_take(conn, &wqe);

		if (got == SOFT_TAKE_NONE)
			goto stop;
		/* OTHER and a failed start are tx_work's to finish. */
		n = got == SOFT_TAKE_WQE ?
			soft_poll_tx_build(conn, &wqe, conn->tx_carry + len) : 0;
		if (!n) {
			set_bit(SOFT_TX_KICK, &conn->tx_flags);
			goto stop;
		}
		len += n;
		(*nr)++;
	}
	return len;
stop:
	*stop = true;
	return len;
}

/*
 * From a poller inside its RCU read-side section, polling allowed: send
 * the bare commands queued on a poll queue's connection, a batch per
 * socket call.  Anything else is left to tx_work; a socket or send side
 * that is busy is left to the next poll (or to tx_work, which is
 * sending).
 */
void soft_poll_tx(struct soft_conn *conn)
{
	int batches = SOFT_TX_BUDGET / SOFT_POLL_TX_BATCH;
	bool stop = false;
	struct sock *sk;

	/* Lockless first look: an empty SQ costs nothing. */
	if (READ_ONCE(conn->sq_prod) == READ_ONCE(conn->sq_cons) ||
	    READ_ONCE(conn->eng->faults.no_poll_tx) ||
	    !soft_poll_sends(conn) || !soft_tx_claim(conn))
		return;
	sk = conn->sock->sk;
	if (!spin_trylock_bh(&sk->sk_lock.slock))
		goto release;
	while (!stop && batches-- > 0 && !sock_owned_by_user(sk) &&
	       soft_poll_sends(conn)) {
		u32 nr = 0, len = soft_poll_tx_fill(conn, &nr, &stop);

		if (len && !soft_poll_tx_send(conn, sk, len, nr)) {
			set_bit(SOFT_TX_KICK, &conn->tx_flags);
			break;
		}
	}
	spin_unlock_bh(&sk->sk_lock.slock);
release:
	soft_tx_release(conn);
}

/*
 * From the doorbell of a poll queue's connection, @prod just published:
 * may the pollers send what it rang for?  Only a bare command; nobody
 * polls for an ICReq or a cleanup.
 */
bool soft_poll_tx_wants(struct soft_conn *conn, u16 prod)
{
	return soft_poll_sends(conn) &&
	       soft_poll_tx_ok(conn->eng, &conn->sq.wqes[(u16)(prod - 1) &
							 (conn->sq.depth - 1)]);
}

/*
 * The doorbell of a connection whose commands a poller sends: tx_work
 * runs if no poller came within SOFT_POLL_TX_DELAY and WQEs still wait
 * (under load the pollers sent them, and waking tx_work would preempt
 * one of them for nothing).
 */
void soft_tx_late_work(struct work_struct *work)
{
	struct soft_conn *conn = container_of(to_delayed_work(work),
					      struct soft_conn, tx_late);

	if (READ_ONCE(conn->sq_cons) == READ_ONCE(conn->sq_prod))
		return;
	WRITE_ONCE(conn->tx_late_runs, conn->tx_late_runs + 1);
	queue_work(conn->wq, &conn->tx_work);
}

/*
 * tx_work, owning the send side: report a poller's failed task start, then
 * send what a poller left over.  Nonzero if the connection must fail.
 */
int soft_tx_finish_poller(struct soft_conn *conn)
{
	struct kvec v;
	int rc;

	if (conn->tx_poll_err) {
		rc = conn->tx_poll_err;
		conn->tx_poll_err = 0;
		pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: WQE for itid %u failed: %d\n",
				    conn->eng->pub.name, conn->handle,
				    conn->tx_poll_itid, rc);
		return rc;
	}
	if (!conn->tx_carry_len)
		return 0;
	v.iov_base = conn->tx_carry + conn->tx_carry_off;
	v.iov_len = conn->tx_carry_len - conn->tx_carry_off;
	rc = soft_tcp_send(conn, &v, 1, v.iov_len, false);
	conn->tx_carry_len = 0;
	conn->tx_carry_off = 0;
	return rc;
}
