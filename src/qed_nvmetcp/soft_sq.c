// SPDX-License-Identifier: GPL-2.0
/*
 * Send side of the software engine: tx_work consumes WQEs from the SQ up
 * to the doorbell's producer, turns each task context into PDUs (ICReq,
 * command capsule with optional in-capsule data) and serves R2Ts with
 * H2CData PDUs split by the controller's MAXH2CDATA.  tx_work shares the
 * socket only with a poll queue's pollers (soft_poll_tx.c), one owner at a
 * time, so PDUs never interleave.
 */
#include <linux/nvme.h>
#include <linux/sched/mm.h>
#include <linux/uio.h>
#include "soft.h"

#define SOFT_TX_VEC	16
#define SOFT_TX_PAGES	32

static u64 soft_ctx_opaque(const struct e5_nvmetcp_task_context *ctx)
{
	return ((u64)le32_to_cpu(ctx->ustorm_st_context.nvme_tcp_opaque_hi) << 32) |
	       le32_to_cpu(ctx->ustorm_st_context.nvme_tcp_opaque_lo);
}

void soft_cqe_fill(struct soft_conn *conn, struct soft_task *task,
			  u8 type, const void *nvme_cqe)
{
	struct nvmetcp_fw_cqe *cqe = &task->cqe;

	memset(cqe, 0, sizeof(*cqe));
	cqe->conn_id = cpu_to_le16(conn->handle);
	cqe->cqe_type = type;
	if (task->ddgst_err)
		cqe->cqe_error_status_bits =
			1 << CQE_ERROR_BITMAP_DATA_DIGEST_ERR_SHIFT;
	cqe->itid = cpu_to_le16(task->itid);
	cqe->task_type = task->type;
	cqe->task_opaque.lo = cpu_to_le32(lower_32_bits(task->opaque));
	cqe->task_opaque.hi = cpu_to_le32(upper_32_bits(task->opaque));
	if (nvme_cqe)
		memcpy(&cqe->cqe_data.nvme_cqe, nvme_cqe, NTP_CQE_LEN);
}

/* Called with conn->lock held: the task leaves the connection. */
void soft_task_forget(struct soft_conn *conn, struct soft_task *task)
{
	if (!hlist_unhashed(&task->cid_node))
		hash_del(&task->cid_node);
	list_del_init(&task->r2t_entry);
	if (conn->ic_task == task)
		conn->ic_task = NULL;
	task->state = SOFT_TASK_IDLE;
	task->conn = NULL;
	task->tx_busy = false;
	task->rx_busy = false;
	task->cleanup_pending = false;
	task->comp_pending = false;
}

/*
 * The controller finished the task (@nvme_cqe is its 16-byte NVMe CQE).
 * If tx_work is still sending its data the CQE waits for tx to finish:
 * the driver may free the buffers as soon as it sees the CQE.
 */
void soft_task_complete(struct soft_conn *conn, struct soft_task *task,
			const void *nvme_cqe)
{
	spin_lock_bh(&conn->lock);
	/* A cleanup may have raced with the controller's answer. */
	if (task->state != SOFT_TASK_ACTIVE || task->conn != conn ||
	    task->comp_pending) {
		spin_unlock_bh(&conn->lock);
		return;
	}
	soft_cqe_fill(conn, task, NVMETCP_FW_CQE_TYPE_NORMAL, nvme_cqe);
	if (task->tx_busy) {
		task->comp_pending = true;
		spin_unlock_bh(&conn->lock);
		return;
	}
	soft_task_forget(conn, task);
	soft_cq_queue_locked(conn, task);
	spin_unlock_bh(&conn->lock);
	soft_cq_kick(conn);
}

static void soft_tx_done(struct soft_conn *conn, struct soft_task *task)
{
	bool post;

	spin_lock_bh(&conn->lock);
	task->tx_busy = false;
	post = task->comp_pending;
	if (post) {
		soft_task_forget(conn, task);
		soft_cq_queue_locked(conn, task);
	}
	spin_unlock_bh(&conn->lock);
	if (post)
		soft_cq_kick(conn);
}

/*
 * Send [off, off + len) of the task's buffer, then its digest if any.  The
 * pages are lent to the socket, as a NIC would DMA them, unless one of a
 * range is not lendable: that range is copied.
 */
static int soft_tx_data(struct soft_conn *conn, struct soft_task *task,
			u32 off, u32 len, bool ddgst)
{
	/* A range is either lent (bv) or copied (vec, built after bv). */
	union {
		struct bio_vec bv[SOFT_TX_PAGES];
		struct kvec vec[SOFT_TX_VEC];
	} v;
	u32 crc = NTP_CRC_INIT;
	u8 dg[NTP_DGST_LEN];
	struct kvec dv = { .iov_base = dg, .iov_len = sizeof(dg) };
	bool lendable, more;
	u64 *sent;
	u32 mapped;
	size_t nr;
	int rc;

	while (len) {
		nr = soft_sgl_bvec(task, off, len, v.bv, ARRAY_SIZE(v.bv),
				   &mapped, &lendable);
		/* A copied range may end earlier: it takes one kvec per SGE. */
		if (nr && !lendable)
			nr = soft_sgl_kvec(task, off, mapped, v.vec,
					   ARRAY_SIZE(v.vec), &mapped);
		if (!nr)
			return -EFAULT;
		if (ddgst)
			crc = soft_sgl_crc(task, crc, off, mapped);
		more = ddgst || mapped < len;
		if (lendable) {
			rc = soft_tcp_lend(conn, v.bv, nr, mapped, more);
			sent = &conn->tx_lent;
		} else {
			rc = soft_tcp_send(conn, v.vec, nr, mapped, more);
			sent = &conn->tx_copied;
		}
		if (rc)
			return rc;
		WRITE_ONCE(*sent, *sent + mapped);
		off += mapped;
		len -= mapped;
	}
	if (!ddgst)
		return 0;
	ntp_put32(dg, ntp_crc_final(crc));
	return soft_tcp_send(conn, &dv, 1, sizeof(dg), false);
}

/*
 * Called with conn->lock held: map @cccid to @task, unless it is in use.
 * Two commands with one id could not be told apart when the responses
 * come back, so the WQE is refused and the connection fails.
 */
static int soft_cid_add(struct soft_conn *conn, struct soft_task *task,
			u16 cccid)
{
	if (soft_cid_find(conn, cccid)) {
		pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: command id %#x is already in flight\n",
				    conn->eng->pub.name, conn->handle, cccid);
		return -EBUSY;
	}
	hash_add(conn->cid_hash, &task->cid_node, cccid);
	return 0;
}

/*
 * dup_cccid fault: an I/O command takes the id of a command in flight on
 * its connection, as from a driver that reused one.  conn->lock held.
 */
static u16 soft_fault_cccid(struct soft_conn *conn, u16 cccid)
{
	struct soft_task *busy;
	int bkt;

	if (!conn->is_io || !atomic_read(&conn->eng->faults.dup_cccid))
		return cccid;
	hash_for_each(conn->cid_hash, bkt, busy, cid_node) {
		if (atomic_add_unless(&conn->eng->faults.dup_cccid, -1, 0))
			cccid = busy->cccid;
		break;
	}
	return cccid;
}

/*
 * Read the task context into the engine's view of the task; the task must
 * be idle (its previous CQE posted) or the driver reused a busy itid.
 */
static int soft_task_start(struct soft_conn *conn, struct soft_task *task,
			   const struct e5_nvmetcp_task_context *ctx, u8 type)
{
	struct soft_eng *se = conn->eng;
	const struct scsi_sgl_params *sp;
	const struct scsi_cached_sges *cache;
	const struct scsi_sge *sgl = NULL;
	u16 cccid, num_sges = 0;
	u32 xfer_len, total = 0;
	int rc = 0;

	if (type == NVMETCP_TASK_TYPE_HOST_WRITE) {
		sp = &ctx->ystorm_st_context.state.sgl_params;
		cache = &ctx->ystorm_st_context.state.data_desc;
		xfer_len = le32_to_cpu(ctx->ustorm_st_context.exp_data_transfer_len);
	} else {
		sp = &ctx->mstorm_st_context.sgl_params;
		cache = &ctx->mstorm_st_context.data_desc;
		xfer_len = le32_to_cpu(ctx->mstorm_st_context.rem_task_size);
	}
	cccid = le16_to_cpu(ctx->ystorm_st_context.state.cccid);
	if (xfer_len > se->caps.max_io_size)
		return -EMSGSIZE;
	if (xfer_len) {
		sgl = soft_sgl_resolve(sp, cache, se->caps.max_sges, &total,
				       &num_sges);
		if (!sgl || total < xfer_len)
			return -EFAULT;
	}

	spin_lock_bh(&conn->lock);
	if (task->state != SOFT_TASK_IDLE || !list_empty(&task->cq_entry)) {
		rc = -EBUSY;
	} else if (type == NVMETCP_TASK_TYPE_INIT_CONN_REQUEST) {
		if (conn->ic_task || conn->rxc.ic_done)
			rc = -EPROTO;
		else
			conn->ic_task = task;
	} else {
		cccid = soft_fault_cccid(conn, cccid);
		rc = soft_cid_add(conn, task, cccid);
	}
	if (!rc) {
		task->conn = conn;
		task->state = SOFT_TASK_ACTIVE;
		task->type = type;
		task->cccid = cccid;
		task->opaque = soft_ctx_opaque(ctx);
		task->xfer_len = xfer_len;
		task->sgl = sgl;
		task->num_sges = num_sges;
		task->done = 0;
		task->r2t_next = 0;
		task->ddgst_err = false;
	}
	spin_unlock_bh(&conn->lock);
	return rc;
}

static int soft_tx_icreq(struct soft_conn *conn, struct soft_task *task,
			 const struct e5_nvmetcp_task_context *ctx)
{
	u8 hdr[QED_NVMETCP_NON_IO_HDR_SIZE];
	u8 pdu[NTP_IC_LEN];
	struct kvec v = { .iov_base = pdu, .iov_len = sizeof(pdu) };
	int rc;

	rc = soft_task_start(conn, task, ctx,
			     NVMETCP_TASK_TYPE_INIT_CONN_REQUEST);
	if (rc)
		return rc;
	if (atomic_add_unless(&conn->eng->faults.fail_icreq, -1, 0)) {
		soft_conn_fail(conn, NVMETCP_EVENT_TYPE_NVMETCP_CONN_ERROR,
			       "ICReq failed by fault injection");
		return 0;
	}
	nvmetcp_task_hdr_read(ctx, hdr, sizeof(hdr));
	if (hdr[NTP_OFF_TYPE] != NTP_ICREQ)
		return -EPROTO;
	/* rx checks C2HData alignment against it once the ICResp is in. */
	conn->rxc.hpda = hdr[NTP_OFF_IC_PDA];
	ntp_build_icreq(pdu, ntp_get16(hdr + NTP_OFF_IC_PFV),
			hdr[NTP_OFF_IC_PDA], hdr[NTP_OFF_IC_DGST],
			ntp_get32(hdr + NTP_OFF_IC_MAX));
	return soft_tcp_send(conn, &v, 1, sizeof(pdu), false);
}

/* Fabrics Connect names the queue: only I/O queues take null mode. */
static void soft_snoop_connect(struct soft_conn *conn, const u8 *sqe)
{
	if (sqe[0] == nvme_fabrics_command &&
	    sqe[offsetof(struct nvmf_connect_command, fctype)] ==
	    nvme_fabrics_type_connect)
		conn->is_io = ntp_get16(sqe + offsetof(struct nvmf_connect_command,
						       qid)) != 0;
}

static bool soft_null_io(struct soft_conn *conn, struct soft_task *task,
			 const u8 *sqe)
{
	u8 cqe[NTP_CQE_LEN] = { 0 };

	if (!READ_ONCE(conn->eng->faults.null_mode) || !conn->is_io ||
	    (sqe[0] != nvme_cmd_read && sqe[0] != nvme_cmd_write))
		return false;
	ntp_put16(cqe + NTP_OFF_CQE_CID - NTP_OFF_CQE, task->cccid);
	task->done = task->xfer_len;
	soft_task_complete(conn, task, cqe);
	return true;
}

/*
 * Start a read or write task and read its command capsule into @hdr
 * (the first NTP_CMD_HLEN bytes), for tx_work and for a poller
 * (soft_poll_tx.c, whose batch slots hold NTP_TX_CMD_BARE bytes).
 */
int soft_tx_cmd_start(struct soft_conn *conn, struct soft_task *task,
		      const struct e5_nvmetcp_task_context *ctx, u8 type,
		      u8 *hdr)
{
	int rc;

	rc = soft_task_start(conn, task, ctx, type);
	if (rc)
		return rc;
	nvmetcp_task_hdr_read(ctx, hdr, NTP_CMD_HLEN);
	soft_snoop_connect(conn, hdr + NTP_OFF_SQE);
	return 0;
}

static int soft_tx_cmd(struct soft_conn *conn, struct soft_task *task,
		       const struct e5_nvmetcp_task_context *ctx,
		       const struct nvmetcp_wqe *wqe, u8 type)
{
	u8 hdr[NTP_TX_HDR_MAX];
	struct kvec v = { .iov_base = hdr };
	u32 incap = 0;
	int rc;

	rc = soft_tx_cmd_start(conn, task, ctx, type, hdr);
	if (rc)
		return rc;
	if (soft_null_io(conn, task, hdr + NTP_OFF_SQE))
		return 0;

	if (type == NVMETCP_TASK_TYPE_HOST_WRITE)
		incap = soft_wqe_incap(wqe);
	if (incap && incap != task->xfer_len)
		return -EINVAL;
	v.iov_len = ntp_build_cmd(hdr, hdr + NTP_OFF_SQE, incap, conn->hdgst,
				  conn->ddgst, conn->cpda);
	if (!incap)
		return soft_tcp_send(conn, &v, 1, v.iov_len, false);

	spin_lock_bh(&conn->lock);
	task->tx_busy = true;
	task->r2t_next = incap;
	spin_unlock_bh(&conn->lock);
	rc = soft_tcp_send(conn, &v, 1, v.iov_len, true);
	if (!rc)
		rc = soft_tx_data(conn, task, 0, incap, conn->ddgst);
	task->done = incap;
	soft_tx_done(conn, task);
	return rc;
}

/* Serve one queued R2T with H2CData PDUs; false if none was queued. */
static int soft_tx_r2t(struct soft_conn *conn, bool *served)
{
	u8 hdr[NTP_TX_HDR_MAX];
	struct kvec v = { .iov_base = hdr };
	struct soft_task *task;
	u32 off, end, chunk, max;
	u16 ttag;
	int rc = 0;

	spin_lock_bh(&conn->lock);
	task = list_first_entry_or_null(&conn->r2t_list, struct soft_task,
					r2t_entry);
	if (task) {
		list_del_init(&task->r2t_entry);
		task->tx_busy = true;
		off = task->r2t_off;
		end = off + task->r2t_len;
		ttag = task->ttag;
	}
	spin_unlock_bh(&conn->lock);
	*served = task;
	if (!task)
		return 0;

	max = min_t(u32, conn->maxh2cdata, SOFT_MAX_H2C);
	if (conn->max_send_pdu)
		max = min(max, conn->max_send_pdu);
	while (off < end && !rc) {
		chunk = min(end - off, max);
		v.iov_len = ntp_build_h2c_data(hdr, task->cccid, ttag, off,
					       chunk, off + chunk == end,
					       conn->hdgst, conn->ddgst, conn->cpda);
		rc = soft_tcp_send(conn, &v, 1, v.iov_len, true);
		if (!rc)
			rc = soft_tx_data(conn, task, off, chunk, conn->ddgst);
		off += chunk;
	}
	task->done = off;
	soft_tx_done(conn, task);
	return rc;
}

void soft_task_cleanup(struct soft_conn *conn, struct soft_task *task)
{
	struct e5_nvmetcp_task_context *ctx = soft_task_ctx(conn->eng,
							    task->itid);

	spin_lock_bh(&conn->lock);
	if (!list_empty(&task->cq_entry)) {
		/* Completion not posted yet: it becomes the cleanup CQE. */
		task->cqe.cqe_type = NVMETCP_FW_CQE_TYPE_CLEANUP;
		spin_unlock_bh(&conn->lock);
		return;
	}
	if (task->state == SOFT_TASK_ACTIVE && task->rx_busy) {
		/* rx is writing its buffer; rx posts the cleanup CQE. */
		task->cleanup_pending = true;
		spin_unlock_bh(&conn->lock);
		return;
	}
	if (task->state == SOFT_TASK_IDLE)
		task->opaque = soft_ctx_opaque(ctx);
	else
		soft_task_forget(conn, task);
	task->ddgst_err = false;
	soft_cqe_fill(conn, task, NVMETCP_FW_CQE_TYPE_CLEANUP, NULL);
	soft_cq_queue_locked(conn, task);
	spin_unlock_bh(&conn->lock);
	soft_cq_kick(conn);
}

static int soft_tx_wqe(struct soft_conn *conn, const struct nvmetcp_wqe *wqe)
{
	struct soft_eng *se = conn->eng;
	u16 itid = le16_to_cpu(wqe->task_id);
	const struct e5_nvmetcp_task_context *ctx;
	struct soft_task *task;
	u8 type;

	if (itid >= se->caps.max_tasks)
		return -ERANGE;
	task = &se->tasks[itid];
	type = soft_wqe_type(wqe);
	if (type == NVMETCP_WQE_TYPE_TASK_CLEANUP) {
		soft_task_cleanup(conn, task);
		return 0;
	}
	ctx = soft_task_ctx(se, itid);
	switch (ctx->ustorm_st_context.task_type) {
	case NVMETCP_TASK_TYPE_INIT_CONN_REQUEST:
		return soft_tx_icreq(conn, task, ctx);
	case NVMETCP_TASK_TYPE_HOST_READ:
	case NVMETCP_TASK_TYPE_HOST_WRITE:
		return soft_tx_cmd(conn, task, ctx, wqe,
				   ctx->ustorm_st_context.task_type);
	default:
		return -EINVAL;
	}
}

/*
 * After a connection error nothing goes on the wire, but the firmware still
 * answers task cleanups: the driver's drain waits for their CQEs.  Other
 * WQEs are dropped; their tasks are cleaned up by the drain that follows.
 */
static void soft_tx_wqe_failed(struct soft_conn *conn,
			       const struct nvmetcp_wqe *wqe)
{
	u16 itid = le16_to_cpu(wqe->task_id);
	u8 type = soft_wqe_type(wqe);

	if (type == NVMETCP_WQE_TYPE_TASK_CLEANUP &&
	    itid < conn->eng->caps.max_tasks)
		soft_task_cleanup(conn, &conn->eng->tasks[itid]);
}

static bool soft_tx_next(struct soft_conn *conn, struct nvmetcp_wqe *wqe)
{
	bool got = false;
	u16 prod;

	spin_lock_bh(&conn->lock);
	/* Pairs with the doorbell's release: WQEs are visible up to prod. */
	prod = smp_load_acquire(&conn->sq_prod);
	if (soft_sq_consumable(conn->state) && conn->sq_cons != prod) {
		*wqe = conn->sq.wqes[conn->sq_cons & (conn->sq.depth - 1)];
		WRITE_ONCE(conn->sq_cons, conn->sq_cons + 1);
		got = true;
	}
	spin_unlock_bh(&conn->lock);
	return got;
}

void soft_tx_work(struct work_struct *work)
{
	struct soft_conn *conn = container_of(work, struct soft_conn, tx_work);
	struct nvmetcp_wqe wqe;
	unsigned int noio = memalloc_noio_save();
	int budget = SOFT_TX_BUDGET;
	bool served;
	int rc;

	if (!soft_tx_enter(conn))
		goto out;
	while (budget-- > 0) {
		if (READ_ONCE(conn->state) == SOFT_CONN_FAILED) {
			if (!soft_tx_next(conn, &wqe))
				break;
			soft_tx_wqe_failed(conn, &wqe);
			continue;
		}
		if (READ_ONCE(conn->state) != SOFT_CONN_CONNECTED)
			break;
		served = false;
		rc = soft_tx_finish_poller(conn);
		if (!rc)
			rc = soft_tx_r2t(conn, &served);
		if (!rc && !served) {
			if (READ_ONCE(conn->eng->faults.stall_sq) ||
			    !soft_tx_next(conn, &wqe))
				break;
			rc = soft_tx_wqe(conn, &wqe);
			if (rc)
				pr_warn_ratelimited("qed_nvmetcp: %s: conn %u: WQE for itid %u failed: %d\n",
						    conn->eng->pub.name,
						    conn->handle,
						    le16_to_cpu(wqe.task_id),
						    rc);
		}
		if (rc) {
			soft_conn_fail(conn, rc == -EPIPE || rc == -ECONNRESET ?
				       NVMETCP_EVENT_TYPE_ASYN_ABORT_RCVD :
				       NVMETCP_EVENT_TYPE_NVMETCP_CONN_ERROR,
				       "transmit failed");
			break;
		}
	}
	soft_tx_release(conn);
	if (budget < 0)
		queue_work(conn->wq, &conn->tx_work);
out:
	memalloc_noio_restore(noio);
}
