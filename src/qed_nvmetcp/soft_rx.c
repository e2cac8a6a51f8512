// SPDX-License-Identifier: GPL-2.0
/*
 * Receive side of the software engine: rx_work reads PDUs from the socket
 * without blocking (tcp_read_sock() under the socket lock, parsing each
 * socket buffer in place; soft_poll.c runs the same reader from a poll
 * queue's poller), validates each header with nvmetcp_pdu.c, checks the
 * command id, transfer tag, data offset and length against the task it
 * names, and places C2HData payloads directly into the task's SGL.  Any
 * violation ends the connection with NVMETCP_EVENT_TYPE_NVMETCP_CONN_ERROR;
 * nothing from the wire is used before it has been checked.
 *
 * rx_work also notices the end of the TCP handshake and reports it with
 * NVMETCP_EVENT_TYPE_ASYN_CONNECT_COMPLETE.
 */
#include <linux/sched/mm.h>
#include <linux/uio.h>
#include <net/tcp.h>
#include <net/tcp_states.h>
#include <net/sock.h>
#include "soft.h"

#define SOFT_RX_VEC	16
#define SOFT_RX_PROTO	(-EPROTO)

void soft_rx_reset(struct soft_conn *conn)
{
	conn->rx_state = SOFT_RX_CH;
	conn->rx_need = NTP_CH_LEN;
	conn->rx_got = 0;
	conn->rx_task = NULL;
	conn->rxc.ic_done = false;
	conn->rxc.hdgst = false;
	conn->rxc.ddgst = false;
	conn->rxc.max_data = SOFT_MAX_C2H;
	conn->rxc.hpda = 0;
	conn->rx_skb = NULL;
	conn->rx_left = 0;
	conn->rx_err = 0;
	conn->rx_err_reported = false;
	conn->rx_owner = NULL;
	conn->rx_kick_pending = false;
}

static void soft_rx_next_pdu(struct soft_conn *conn)
{
	conn->rx_state = SOFT_RX_CH;
	conn->rx_need = NTP_CH_LEN;
	conn->rx_got = 0;
	conn->rx_task = NULL;
}

static int soft_rx_proto(struct soft_conn *conn, const char *why)
{
	pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: bad PDU from controller: %s\n",
			    conn->eng->pub.name, conn->handle, why);
	return SOFT_RX_PROTO;
}

static int soft_rx_icresp(struct soft_conn *conn)
{
	struct nvmetcp_icresp_mdata *md;
	struct soft_task *task;
	struct kvec vec[4];
	u32 mapped, i, off = 0;
	size_t nr;

	spin_lock_bh(&conn->lock);
	task = conn->ic_task;
	if (!task) {
		spin_unlock_bh(&conn->lock);
		return soft_rx_proto(conn, "ICResp without ICReq");
	}
	/* The driver may want the whole ICResp: copy it into its buffer. */
	nr = soft_sgl_kvec(task, 0, min_t(u32, task->xfer_len, NTP_IC_LEN),
			   vec, ARRAY_SIZE(vec), &mapped);
	for (i = 0; i < nr; i++) {
		memcpy(vec[i].iov_base, conn->rx_hdr + off, vec[i].iov_len);
		off += vec[i].iov_len;
	}
	soft_cqe_fill(conn, task, NVMETCP_FW_CQE_TYPE_NORMAL, NULL);
	md = &task->cqe.cqe_data.icresp_mdata;
	md->digest = conn->pdu.digest;
	md->cpda = conn->pdu.cpda;
	md->pfv = cpu_to_le16(conn->pdu.pfv);
	md->maxdata = cpu_to_le32(conn->pdu.maxdata);
	soft_task_forget(conn, task);
	soft_cq_queue_locked(conn, task);
	conn->rxc.ic_done = true;
	conn->maxh2cdata = conn->pdu.maxdata;
	conn->cpda = conn->pdu.cpda;
	spin_unlock_bh(&conn->lock);
	soft_cq_kick(conn);
	return 0;
}

static int soft_rx_r2t(struct soft_conn *conn)
{
	const struct ntp_pdu *pdu = &conn->pdu;
	struct soft_task *task;
	const char *bad = NULL;

	spin_lock_bh(&conn->lock);
	task = soft_cid_find(conn, pdu->cid);
	if (!task || task->type != NVMETCP_TASK_TYPE_HOST_WRITE)
		bad = "R2T for an unknown command";
	else if (pdu->offset != task->r2t_next ||
		 pdu->length > task->xfer_len - pdu->offset)
		bad = "R2T outside the command's data";
	else if (!list_empty(&task->r2t_entry))
		bad = "R2T limit exceeded";
	if (!bad) {
		task->r2t_off = pdu->offset;
		task->r2t_len = pdu->length;
		task->ttag = pdu->ttag;
		task->r2t_next += pdu->length;
		list_add_tail(&task->r2t_entry, &conn->r2t_list);
	}
	spin_unlock_bh(&conn->lock);
	if (bad)
		return soft_rx_proto(conn, bad);
	queue_work(conn->wq, &conn->tx_work);
	return 0;
}

static int soft_rx_c2h(struct soft_conn *conn)
{
	const struct ntp_pdu *pdu = &conn->pdu;
	struct soft_task *task;
	const char *bad = NULL;

	spin_lock_bh(&conn->lock);
	task = soft_cid_find(conn, pdu->cid);
	if (!task || task->type != NVMETCP_TASK_TYPE_HOST_READ)
		bad = "C2HData for an unknown command";
	else if (pdu->offset != task->done ||
		 pdu->length > task->xfer_len - task->done)
		bad = "C2HData outside the command's buffer";
	else
		task->rx_busy = true;
	spin_unlock_bh(&conn->lock);
	if (bad)
		return soft_rx_proto(conn, bad);
	conn->rx_task = task;
	conn->rx_state = SOFT_RX_DATA;
	conn->rx_need = pdu->length;
	conn->rx_got = 0;
	conn->rx_crc = NTP_CRC_INIT;
	return 0;
}

/* A whole header is in rx_hdr and valid: act on it. */
static int soft_rx_pdu(struct soft_conn *conn)
{
	struct soft_task *task;
	int rc = 0;

	switch (conn->pdu.type) {
	case NTP_ICRESP:
		rc = soft_rx_icresp(conn);
		break;
	case NTP_RSP:
		spin_lock_bh(&conn->lock);
		task = soft_cid_find(conn, conn->pdu.cid);
		spin_unlock_bh(&conn->lock);
		if (!task)
			return soft_rx_proto(conn, "response for an unknown command");
		soft_task_complete(conn, task, conn->rx_hdr + NTP_OFF_CQE);
		break;
	case NTP_R2T:
		rc = soft_rx_r2t(conn);
		break;
	case NTP_C2H_DATA:
		return soft_rx_c2h(conn);
	case NTP_C2H_TERM:
		pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: C2HTermReq, fes %u\n",
				    conn->eng->pub.name, conn->handle,
				    conn->pdu.fes);
		return SOFT_RX_PROTO;
	default:
		return soft_rx_proto(conn, "unexpected PDU");
	}
	soft_rx_next_pdu(conn);
	return rc;
}

static int soft_rx_header(struct soft_conn *conn)
{
	struct kvec v = {
		.iov_base = conn->rx_hdr + conn->rx_got,
		.iov_len = conn->rx_need - conn->rx_got,
	};
	enum ntp_err err;
	int n;

	n = soft_tcp_recv(conn, &v, 1, v.iov_len);
	if (n <= 0)
		return n ? n : -ESHUTDOWN;
	conn->rx_got += n;
	if (conn->rx_got < conn->rx_need)
		return 0;
	if (conn->rx_state == SOFT_RX_CH) {
		err = ntp_parse_ch(conn->rx_hdr, &conn->rxc, &conn->pdu);
		if (err)
			return soft_rx_proto(conn, ntp_err_str(err));
		if (NTP_CH_LEN + conn->pdu.hdr_len > sizeof(conn->rx_hdr))
			return soft_rx_proto(conn, "header too long");
		conn->rx_state = SOFT_RX_HDR;
		conn->rx_need = NTP_CH_LEN + conn->pdu.hdr_len;
		return 0;
	}
	err = ntp_parse_hdr(conn->rx_hdr, conn->rx_got, &conn->rxc, &conn->pdu);
	if (err)
		return soft_rx_proto(conn, ntp_err_str(err));
	return soft_rx_pdu(conn);
}

static void soft_rx_data_done(struct soft_conn *conn)
{
	struct soft_task *task = conn->rx_task;
	u8 cqe[NTP_CQE_LEN] = { 0 };
	bool cleanup;

	spin_lock_bh(&conn->lock);
	task->done += conn->pdu.length;
	task->rx_busy = false;
	cleanup = task->cleanup_pending;
	spin_unlock_bh(&conn->lock);
	soft_rx_next_pdu(conn);
	if (cleanup) {
		soft_task_cleanup(conn, task);
		return;
	}
	if (!(conn->pdu.flags & NTP_F_SUCCESS))
		return;
	/* SUCCESS stands for a CapsuleResp with status 0. */
	ntp_put16(cqe + NTP_OFF_CQE_CID - NTP_OFF_CQE, task->cccid);
	soft_task_complete(conn, task, cqe);
}

static int soft_rx_data(struct soft_conn *conn)
{
	struct soft_task *task = conn->rx_task;
	u32 off = task->done + conn->rx_got;
	struct kvec vec[SOFT_RX_VEC];
	u32 mapped;
	size_t nr;
	int n;

	nr = soft_sgl_kvec(task, off, conn->rx_need - conn->rx_got, vec,
			   ARRAY_SIZE(vec), &mapped);
	if (!nr)
		return soft_rx_proto(conn, "data beyond the SGL");
	n = soft_tcp_recv(conn, vec, nr, mapped);
	if (n <= 0)
		return n ? n : -ESHUTDOWN;
	if (conn->pdu.ddgst)
		conn->rx_crc = soft_sgl_crc(task, conn->rx_crc, off, n);
	conn->rx_got += n;
	if (conn->rx_got < conn->rx_need)
		return 0;
	if (!conn->pdu.ddgst) {
		soft_rx_data_done(conn);
		return 0;
	}
	conn->rx_state = SOFT_RX_DDGST;
	conn->rx_need = NTP_DGST_LEN;
	conn->rx_got = 0;
	return 0;
}

static int soft_rx_ddgst(struct soft_conn *conn)
{
	struct kvec v = {
		.iov_base = conn->rx_hdr + conn->rx_got,
		.iov_len = conn->rx_need - conn->rx_got,
	};
	bool bad;
	int n;

	n = soft_tcp_recv(conn, &v, 1, v.iov_len);
	if (n <= 0)
		return n ? n : -ESHUTDOWN;
	conn->rx_got += n;
	if (conn->rx_got < conn->rx_need)
		return 0;
	bad = ntp_get32(conn->rx_hdr) != ntp_crc_final(conn->rx_crc);
	if (atomic_add_unless(&conn->eng->faults.corrupt_ddgst, -1, 0))
		bad = true;
	if (bad) {
		pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: data digest error, cid %u\n",
				    conn->eng->pub.name, conn->handle,
				    conn->rx_task->cccid);
		conn->rx_task->ddgst_err = true;
	}
	soft_rx_data_done(conn);
	return 0;
}

static int soft_rx_step(struct soft_conn *conn)
{
	switch (conn->rx_state) {
	case SOFT_RX_DATA:
		return soft_rx_data(conn);
	case SOFT_RX_DDGST:
		return soft_rx_ddgst(conn);
	default:
		return soft_rx_header(conn);
	}
}

/* Connecting: report the end of the handshake either way. */
static bool soft_rx_connecting(struct soft_conn *conn)
{
	struct sock *sk = conn->sock->sk;
	int state = READ_ONCE(sk->sk_state);
	bool up = false;

	if (state == TCP_ESTABLISHED) {
		spin_lock_bh(&conn->lock);
		up = conn->state == SOFT_CONN_CONNECTING;
		if (up)
			conn->state = SOFT_CONN_CONNECTED;
		spin_unlock_bh(&conn->lock);
		if (up) {
			soft_poll_allow(conn);
			soft_event(conn, NVMETCP_EVENT_TYPE_ASYN_CONNECT_COMPLETE);
			queue_work(conn->wq, &conn->tx_work);
		}
		return up;
	}
	if (state == TCP_CLOSE || READ_ONCE(sk->sk_err))
		soft_conn_fail(conn, NVMETCP_EVENT_TYPE_TCP_CONN_ERROR,
			       "TCP connect failed");
	return false;
}

/*
 * rx stops for good in the middle of a C2HData payload: the task it was
 * filling is no longer busy, and a cleanup that waited for rx is posted
 * now instead of never.
 */
static void soft_rx_drop_task(struct soft_conn *conn)
{
	struct soft_task *task = conn->rx_task;
	bool cleanup;

	if (!task)
		return;
	conn->rx_task = NULL;
	spin_lock_bh(&conn->lock);
	task->rx_busy = false;
	cleanup = task->cleanup_pending;
	task->cleanup_pending = false;
	spin_unlock_bh(&conn->lock);
	if (cleanup)
		soft_task_cleanup(conn, task);
}

static void soft_rx_error(struct soft_conn *conn, int rc)
{
	soft_rx_drop_task(conn);
	switch (rc) {
	case -ESHUTDOWN:
		soft_conn_fail(conn, NVMETCP_EVENT_TYPE_ASYN_CLOSE_RCVD,
			       "controller closed the connection");
		break;
	case -ECONNRESET:
	case -EPIPE:
		soft_conn_fail(conn, NVMETCP_EVENT_TYPE_ASYN_ABORT_RCVD,
			       "connection reset");
		break;
	case SOFT_RX_PROTO:
		soft_conn_fail(conn, NVMETCP_EVENT_TYPE_NVMETCP_CONN_ERROR,
			       "protocol error");
		break;
	default:
		soft_conn_fail(conn, NVMETCP_EVENT_TYPE_TCP_CONN_ERROR,
			       "receive failed");
		break;
	}
}

/* tcp_read_sock() actor: run the state machine over one buffer range. */
static int soft_rx_actor(read_descriptor_t *desc, struct sk_buff *skb,
			 unsigned int off, size_t len)
{
	struct soft_conn *conn = desc->arg.data;
	int rc = 0;

	if (!desc->count || conn->rx_err)
		return 0;
	conn->rx_skb = skb;
	conn->rx_off = off;
	conn->rx_left = len;
	while (conn->rx_left && desc->count) {
		if (READ_ONCE(conn->state) != SOFT_CONN_CONNECTED) {
			desc->count = 0;
			break;
		}
		rc = soft_rx_step(conn);
		if (rc)
			break;
		desc->count--;
	}
	if (rc && rc != -EAGAIN) {
		conn->rx_err = rc;
		desc->count = 0;
	}
	conn->rx_skb = NULL;
	return len - conn->rx_left;
}

/*
 * With everything queued read: what a receive would report now, in the
 * order tcp_recvmsg() checks it (end of stream, error, shutdown, closed).
 */
static int soft_rx_sock_end(struct sock *sk)
{
	if (sock_flag(sk, SOCK_DONE))
		return -ESHUTDOWN;
	if (READ_ONCE(sk->sk_err))
		return sock_error(sk);
	if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
		return -ESHUTDOWN;
	if (READ_ONCE(sk->sk_state) == TCP_CLOSE)
		return -ENOTCONN;
	return 0;
}

/*
 * Parse what the socket holds, at most @budget steps, with the socket
 * locked by the caller: owned (rx_work) or spin-locked and not owned (a
 * poller).  Returns bytes consumed, or a fatal error, which stays in
 * conn->rx_err.  @out->more: the budget ran out with data left;
 * @out->kick: completions were found, soft_cq_kick() once the socket
 * lock is dropped (their kicks waited, see soft_rx_defers_kick()).
 */
int soft_rx_locked(struct soft_conn *conn, struct sock *sk, int budget,
		   struct soft_rx_out *out)
{
	read_descriptor_t desc = { .arg.data = conn, .count = budget };
	int n;

	out->more = false;
	out->kick = false;
	if (conn->rx_err)
		return conn->rx_err;
	WRITE_ONCE(conn->rx_owner, current);
	n = tcp_read_sock(sk, &desc, soft_rx_actor);
	WRITE_ONCE(conn->rx_owner, NULL);
	out->kick = conn->rx_kick_pending;
	conn->rx_kick_pending = false;
	if (!conn->rx_err && n < 0)
		conn->rx_err = n;
	if (!conn->rx_err && desc.count)
		conn->rx_err = soft_rx_sock_end(sk);
	if (conn->rx_err)
		return conn->rx_err;
	out->more = !desc.count &&
		    READ_ONCE(conn->state) == SOFT_CONN_CONNECTED;
	return n;
}

/*
 * True while the state machine runs in this task, which then holds the
 * socket lock: the caller's CQ kick waits for the end of the batch.
 */
bool soft_rx_defers_kick(struct soft_conn *conn)
{
	if (READ_ONCE(conn->rx_owner) != current)
		return false;
	conn->rx_kick_pending = true;
	return true;
}

void soft_rx_work(struct work_struct *work)
{
	struct soft_conn *conn = container_of(work, struct soft_conn, rx_work);
	unsigned int noio = memalloc_noio_save();
	struct soft_rx_out out;
	struct sock *sk;
	bool report;
	int rc;

	if (!conn->sock)
		goto out;
	if (READ_ONCE(conn->state) == SOFT_CONN_CONNECTING &&
	    !soft_rx_connecting(conn))
		goto out;
	if (READ_ONCE(conn->state) != SOFT_CONN_CONNECTED ||
	    READ_ONCE(conn->eng->faults.stall_rx))
		goto out;
	sk = conn->sock->sk;
	lock_sock(sk);
	rc = soft_rx_locked(conn, sk, SOFT_RX_BUDGET, &out);
	report = rc < 0 && !conn->rx_err_reported;
	if (report)
		conn->rx_err_reported = true;
	release_sock(sk);
	if (out.kick)
		soft_cq_kick(conn);
	if (report)
		soft_rx_error(conn, rc);
	else if (out.more)
		queue_work(conn->wq, &conn->rx_work);
out:
	memalloc_noio_restore(noio);
}
