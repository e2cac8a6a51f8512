// SPDX-License-Identifier: GPL-2.0
/*
 * Connection slow path of the software engine: acquire, offload (socket
 * and connect), update (digests, limits), destroy (graceful or abortive,
 * completed by NVMETCP_EVENT_TYPE_ASYN_TERMINATE_DONE), clear_sq, release,
 * and the doorbell.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "soft.h"

static void soft_term_work(struct work_struct *work);

static struct soft_conn *soft_conn_get(struct soft_eng *se, u32 handle)
{
	if (handle >= SOFT_MAX_CONNS)
		return NULL;
	return se->conns[handle];
}

int soft_acquire_conn(struct qed_nvmetcp_engine *eng, u32 *handle,
		      u32 *fw_cid)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;
	u32 i;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return -ENOMEM;
	conn->eng = se;
	conn->wq = soft_conn_wq;
	spin_lock_init(&conn->lock);
	INIT_WORK(&conn->tx_work, soft_tx_work);
	INIT_DELAYED_WORK(&conn->tx_late, soft_tx_late_work);
	INIT_WORK(&conn->rx_work, soft_rx_work);
	INIT_DELAYED_WORK(&conn->cq_work, soft_cq_work);
	INIT_WORK(&conn->term_work, soft_term_work);
	INIT_LIST_HEAD(&conn->r2t_list);
	INIT_LIST_HEAD(&conn->cq_backlog);
	hash_init(conn->cid_hash);
	conn->state = SOFT_CONN_ACQUIRED;

	mutex_lock(&se->lock);
	for (i = 0; i < se->caps.max_conns; i++)
		if (!se->conns[i])
			break;
	if (i == se->caps.max_conns) {
		mutex_unlock(&se->lock);
		kfree(conn);
		pr_err("qed_nvmetcp: %s: all %u connections in use\n",
		       eng->name, se->caps.max_conns);
		return -ENOSPC;
	}
	conn->handle = i;
	se->conns[i] = conn;
	mutex_unlock(&se->lock);
	*handle = i;
	*fw_cid = i;
	return 0;
}

static bool soft_conn_live(struct soft_conn *conn)
{
	return conn->state == SOFT_CONN_CONNECTING ||
	       conn->state == SOFT_CONN_CONNECTED ||
	       conn->state == SOFT_CONN_FAILED;
}

/* Forget every task of the connection: no CQE will ever report them. */
static void soft_conn_forget_all(struct soft_conn *conn)
{
	struct soft_eng *se = conn->eng;
	u32 i;

	soft_cq_drop(conn);
	spin_lock_bh(&conn->lock);
	for (i = 0; i < se->caps.max_tasks; i++)
		if (se->tasks[i].conn == conn)
			soft_task_forget(conn, &se->tasks[i]);
	conn->ic_task = NULL;
	conn->rx_task = NULL;
	WARN_ON_ONCE(!hash_empty(conn->cid_hash));
	spin_unlock_bh(&conn->lock);
}

static void soft_term_work(struct work_struct *work)
{
	struct soft_conn *conn = container_of(work, struct soft_conn,
					      term_work);

	soft_tcp_unblock(conn);
	soft_tcp_detach(conn);
	soft_poll_stop(conn);
	cancel_delayed_work_sync(&conn->tx_late);
	cancel_work_sync(&conn->tx_work);
	cancel_work_sync(&conn->rx_work);
	cancel_delayed_work_sync(&conn->cq_work);
	soft_tcp_close(conn);
	soft_conn_forget_all(conn);
	spin_lock_bh(&conn->lock);
	conn->state = SOFT_CONN_TERMINATED;
	spin_unlock_bh(&conn->lock);
	soft_event(conn, NVMETCP_EVENT_TYPE_ASYN_TERMINATE_DONE);
}

int soft_release_conn(struct qed_nvmetcp_engine *eng, u32 handle)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;

	mutex_lock(&se->lock);
	conn = soft_conn_get(se, handle);
	if (!conn) {
		mutex_unlock(&se->lock);
		return -ENOENT;
	}
	if (soft_conn_live(conn)) {
		mutex_unlock(&se->lock);
		pr_err("qed_nvmetcp: %s: release of conn %u before destroy\n",
		       eng->name, handle);
		return -EBUSY;
	}
	se->conns[handle] = NULL;
	mutex_unlock(&se->lock);
	flush_work(&conn->term_work);
	/* A poller may still be looking at it (soft_poll_conn()). */
	kfree_rcu(conn, rcu);
	return 0;
}

static int soft_offload_check(struct soft_eng *se,
			      const struct qed_nvmetcp_params_offload *p,
			      const struct qed_nvmetcp_conn_sq *sq)
{
	if (!se->started)
		return -EIO;
	if (p->default_cq >= se->caps.num_vectors ||
	    !se->vecs[p->default_cq].attached) {
		pr_err("qed_nvmetcp: %s: offload: vector %u not set up\n",
		       se->pub.name, p->default_cq);
		return -EINVAL;
	}
	if (!sq || !sq->wqes || !is_power_of_2(sq->depth) ||
	    sq->depth > se->caps.sq_depth) {
		pr_err("qed_nvmetcp: %s: offload: bad SQ\n", se->pub.name);
		return -EINVAL;
	}
	if (p->ip_version != TCP_IPV4 && p->ip_version != TCP_IPV6)
		return -EAFNOSUPPORT;
	return 0;
}

int soft_offload_conn(struct qed_nvmetcp_engine *eng, u32 handle,
		      struct qed_nvmetcp_params_offload *p,
		      struct qed_nvmetcp_conn_sq *sq, void *event_context)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;
	int rc;

	mutex_lock(&se->lock);
	conn = soft_conn_get(se, handle);
	rc = conn ? soft_offload_check(se, p, sq) : -ENOENT;
	if (!rc && conn->state != SOFT_CONN_ACQUIRED)
		rc = -EBUSY;
	if (rc)
		goto out;
	conn->params = *p;
	conn->sq = *sq;
	conn->wq = sq->polled ? soft_wq : soft_conn_wq;
	conn->tx_by_poller = sq->polled;
	conn->event_ctx = event_context;
	conn->sq_prod = 0;
	conn->sq_cons = 0;
	conn->hdgst = false;
	conn->ddgst = false;
	conn->maxh2cdata = NTP_MIN_MAXDATA;
	conn->cpda = 0;
	conn->max_send_pdu = 0;
	conn->is_io = false;
	conn->abortive = false;
	conn->tx_flags = 0;
	conn->tx_carry_len = 0;
	conn->tx_carry_off = 0;
	conn->tx_poll_err = 0;
	soft_rx_reset(conn);
	conn->state = SOFT_CONN_CONNECTING;
	rc = soft_tcp_connect(conn);
	if (rc) {
		conn->state = SOFT_CONN_ACQUIRED;
		goto out;
	}
	/* The handshake may already be over: look at the socket once. */
	queue_work(conn->wq, &conn->rx_work);
out:
	mutex_unlock(&se->lock);
	return rc;
}

int soft_update_conn(struct qed_nvmetcp_engine *eng, u32 handle,
		     struct qed_nvmetcp_params_update *p)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;
	int rc = 0;

	mutex_lock(&se->lock);
	conn = soft_conn_get(se, handle);
	if (!conn || !soft_conn_live(conn)) {
		rc = -ENOENT;
		goto out;
	}
	if (p->max_io_size > se->caps.max_io_size) {
		pr_err("qed_nvmetcp: %s: conn %u: max_io_size %u above %u\n",
		       eng->name, handle, p->max_io_size, se->caps.max_io_size);
		rc = -EINVAL;
		goto out;
	}
	spin_lock_bh(&conn->lock);
	conn->hdgst = p->hdr_digest_en;
	conn->ddgst = p->data_digest_en;
	conn->rxc.hdgst = p->hdr_digest_en;
	conn->rxc.ddgst = p->data_digest_en;
	conn->max_send_pdu = p->max_send_pdu_length;
	spin_unlock_bh(&conn->lock);
out:
	mutex_unlock(&se->lock);
	return rc;
}

/* Caller holds se->lock. */
static void soft_conn_terminate(struct soft_conn *conn, bool abortive)
{
	spin_lock_bh(&conn->lock);
	conn->abortive = abortive;
	conn->state = SOFT_CONN_TERMINATING;
	spin_unlock_bh(&conn->lock);
	queue_work(conn->wq, &conn->term_work);
}

int soft_destroy_conn(struct qed_nvmetcp_engine *eng, u32 handle,
		      u8 abrt_conn)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;
	int rc = 0;

	mutex_lock(&se->lock);
	conn = soft_conn_get(se, handle);
	if (!conn)
		rc = -ENOENT;
	else if (conn->state == SOFT_CONN_TERMINATING ||
		 conn->state == SOFT_CONN_TERMINATED)
		rc = -EALREADY;
	else
		soft_conn_terminate(conn, abrt_conn);
	mutex_unlock(&se->lock);
	return rc;
}

int soft_clear_sq(struct qed_nvmetcp_engine *eng, u32 handle)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_conn *conn;

	mutex_lock(&se->lock);
	conn = soft_conn_get(se, handle);
	if (conn) {
		spin_lock_bh(&conn->lock);
		/* Pairs with the doorbell's release, like tx_work. */
		WRITE_ONCE(conn->sq_cons, smp_load_acquire(&conn->sq_prod));
		spin_unlock_bh(&conn->lock);
	}
	mutex_unlock(&se->lock);
	return conn ? 0 : -ENOENT;
}

void soft_ring_doorbell(struct qed_nvmetcp_engine *eng, u32 handle,
			const struct nvmetcp_db_data *db)
{
	struct soft_conn *conn = soft_conn_get(to_soft(eng), handle);
	enum soft_conn_state state;

	if (unlikely(!conn))
		return;
	/* Pairs with the acquire in tx_work: WQEs before the producer. */
	smp_store_release(&conn->sq_prod, le16_to_cpu(db->sq_prod));
	state = READ_ONCE(conn->state);
	if (!soft_sq_consumable(state))
		return;
	/* A poller sends it (soft_poll_tx()); tx_work if none comes. */
	if (state == SOFT_CONN_CONNECTED && conn->tx_by_poller &&
	    soft_poll_tx_wants(conn, le16_to_cpu(db->sq_prod)))
		queue_delayed_work(conn->wq, &conn->tx_late,
				   SOFT_POLL_TX_DELAY);
	else
		queue_work(conn->wq, &conn->tx_work);
}

/* Report a fatal connection problem once; processing stops after it. */
void soft_conn_fail(struct soft_conn *conn, u8 event, const char *why)
{
	bool report;

	spin_lock_bh(&conn->lock);
	report = conn->state == SOFT_CONN_CONNECTING ||
		 conn->state == SOFT_CONN_CONNECTED;
	if (report)
		conn->state = SOFT_CONN_FAILED;
	spin_unlock_bh(&conn->lock);
	if (!report)
		return;
	pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: %s (event %u)\n",
			    conn->eng->pub.name, conn->handle, why, event);
	soft_event(conn, event);
}

/*
 * Engine teardown with connections left: abort them without events (the
 * client is gone) and free them.
 */
void soft_conn_kill_all(struct soft_eng *se)
{
	struct soft_conn *conn;
	u32 i;

	WRITE_ONCE(se->event_cb, NULL);
	for (i = 0; i < SOFT_MAX_CONNS; i++) {
		mutex_lock(&se->lock);
		conn = se->conns[i];
		if (conn && soft_conn_live(conn))
			soft_conn_terminate(conn, true);
		se->conns[i] = NULL;
		mutex_unlock(&se->lock);
		if (!conn)
			continue;
		pr_warn("qed_nvmetcp: %s: conn %u left behind by the client, aborted\n",
			se->pub.name, i);
		flush_work(&conn->term_work);
		kfree_rcu(conn, rcu);
	}
}
