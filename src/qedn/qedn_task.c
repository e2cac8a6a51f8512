// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks: one slot per command tag of a queue, each with an engine task id
 * (itid) and the engine SGL its request is mapped into.  send_req turns a
 * request into a task, a WQE and a doorbell; the CQE turns it back into an
 * NVMe completion.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/slab.h>

#include "qedn.h"

#define QEDN_DIGEST_LEN		4

static int qedn_itid_get(struct qedn_dev *qdev)
{
	unsigned long itid;

	spin_lock(&qdev->itid_lock);
	itid = find_first_zero_bit(qdev->itid_map, qdev->caps.max_tasks);
	if (itid < qdev->caps.max_tasks)
		__set_bit(itid, qdev->itid_map);
	spin_unlock(&qdev->itid_lock);
	return itid < qdev->caps.max_tasks ? itid : -ENOSPC;
}

static void qedn_itid_put(struct qedn_dev *qdev, u16 itid)
{
	spin_lock(&qdev->itid_lock);
	__clear_bit(itid, qdev->itid_map);
	spin_unlock(&qdev->itid_lock);
}

static void *qedn_task_ctx(struct qedn_dev *qdev, u16 itid)
{
	struct qed_nvmetcp_tid *t = &qdev->tasks;

	return t->blocks[itid / t->num_tids_per_block] +
	       (itid % t->num_tids_per_block) * t->size;
}

/* The engine is done with the task: drop SGEs allocated for its request. */
static void qedn_task_put_sges(struct qedn_task *task)
{
	if (task->own && task->sges != task->own->sges)
		kfree(task->sges);
	task->sges = task->own ? task->own->sges : NULL;
}

static void qedn_task_free(struct qedn_dev *qdev, struct qedn_task *task)
{
	if (!task->own)
		return;
	qedn_task_put_sges(task);
	qedn_itid_put(qdev, task->itid);
	kfree(task->own);
	task->own = NULL;
}

/* ntasks slots plus the ICReq slot; the ICReq needs a tx and an rx SGE. */
int qedn_tasks_alloc(struct qedn_conn *conn)
{
	struct qedn_dev *qdev = conn->qdev;
	u32 i;
	int itid, rc = -ENOMEM;

	conn->tasks = kcalloc(conn->ntasks + 1, sizeof(*conn->tasks),
			      GFP_KERNEL);
	if (!conn->tasks)
		return -ENOMEM;
	for (i = 0; i <= conn->ntasks; i++) {
		struct qedn_task *task = &conn->tasks[i];

		itid = qedn_itid_get(qdev);
		if (itid < 0) {
			pr_err("%s: out of engine tasks (%u)\n",
			       qdev->eng->name, qdev->caps.max_tasks);
			rc = itid;
			goto err;
		}
		task->own = kmalloc(sizeof(*task->own), GFP_KERNEL);
		if (!task->own) {
			qedn_itid_put(qdev, itid);
			goto err;
		}
		task->itid = itid;
		task->sges = task->own->sges;
	}
	return 0;

err:
	conn->ntasks = i;
	qedn_tasks_free(conn);
	return rc;
}

/* Frees slots 0..ntasks (ntasks is the last slot after a partial alloc). */
void qedn_tasks_free(struct qedn_conn *conn)
{
	u32 i;

	if (!conn->tasks)
		return;
	for (i = 0; i <= conn->ntasks; i++)
		qedn_task_free(conn->qdev, &conn->tasks[i]);
	kfree(conn->tasks);
	conn->tasks = NULL;
}

void qedn_task_params(struct qedn_conn *conn, struct qedn_task *task,
		      struct nvmetcp_task_params *tp, struct nvmetcp_wqe *wqe)
{
	memset(tp, 0, sizeof(*tp));
	memset(wqe, 0, sizeof(*wqe));
	tp->context = qedn_task_ctx(conn->qdev, task->itid);
	tp->sqe = wqe;
	tp->conn_icid = conn->handle;
	tp->itid = task->itid;
	/* The CQE brings back the slot and the connection it belongs to. */
	tp->opq.lo = cpu_to_le32(task - conn->tasks);
	tp->opq.hi = cpu_to_le32(conn->fw_cid);
	tp->cq_rss_number = conn->vec->idx;
}

/*
 * Produce one WQE and ring the doorbell; @task, if any, is marked POSTED
 * under the same lock that drain stops the queue with.  @force posts on a
 * stopped queue (drain's cleanup WQEs); otherwise a stopped queue refuses.
 */
int qedn_post_wqe(struct qedn_conn *conn, const struct nvmetcp_wqe *wqe,
		  struct qedn_task *task, bool force)
{
	struct qed_nvmetcp_engine *eng = conn->qdev->eng;
	struct nvmetcp_db_data db = {};

	spin_lock_bh(&conn->sq_lock);
	if (!force && test_bit(QEDN_CONN_STOPPED, &conn->flags)) {
		spin_unlock_bh(&conn->sq_lock);
		return -EAGAIN;
	}
	conn->sq.wqes[conn->sq_prod & (conn->sq.depth - 1)] = *wqe;
	conn->sq_prod++;
	if (task)
		set_bit(QEDN_TASK_POSTED, &task->flags);
	db.sq_prod = cpu_to_le16(conn->sq_prod);
	/* The WQE (and the task context) must be visible before the producer. */
	wmb();
	eng->ops->ring_doorbell(eng, conn->handle, &db);
	spin_unlock_bh(&conn->sq_lock);
	return 0;
}

static int qedn_map_data(struct qedn_conn *conn, struct qedn_task *task,
			 struct request *rq, struct storage_sgl_task_params *sgl)
{
	unsigned int nseg = blk_rq_nr_phys_segments(rq);
	struct scatterlist *sgt = task->own->sg, *sg;
	struct nvmetcp_sge *sges = task->own->sges;
	u32 total = 0;
	int i, rc = 0;

	if (!nseg || nseg > conn->qdev->caps.max_sges)
		return -EIO;
	if (nseg > QEDN_INLINE_SGES) {
		sgt = kmalloc_array(nseg, sizeof(*sgt), GFP_ATOMIC);
		sges = kmalloc_array(nseg, sizeof(*sges), GFP_ATOMIC);
		if (!sgt || !sges) {
			rc = -ENOMEM;	/* the ULP requeues the request */
			goto out;
		}
	}
	sg_init_table(sgt, nseg);
	task->nents = blk_rq_map_sg(rq->q, rq, sgt);
	if (task->nents <= 0 || task->nents > nseg) {
		rc = -EIO;
		goto out;
	}

	sgl->small_mid_sge = false;
	for_each_sg(sgt, sg, task->nents, i) {
		qedn_set_regpair(&sges[i].sge_addr, sg_phys(sg));
		sges[i].sge_len = cpu_to_le32(sg->length);
		sges[i].reserved = 0;
		total += sg->length;
		/* Short middle SGEs force the engine's slow SGL path. */
		if (i && i < task->nents - 1 && sg->length < PAGE_SIZE)
			sgl->small_mid_sge = true;
	}
	task->sges = sges;
	sgl->sgl = sges;
	qedn_set_regpair(&sgl->sgl_phys_addr, qedn_phys(sges));
	sgl->total_buffer_size = total;
	sgl->num_sges = task->nents;
out:
	/* The scatterlist only served to build the SGEs. */
	if (sgt != task->own->sg)
		kfree(sgt);
	if (rc && sges != task->own->sges)
		kfree(sges);
	return rc;
}

/* The SQE's data pointer: in-capsule offset, or a transport SGL for R2T/C2H. */
static void qedn_set_dptr(struct nvme_command *cmd, u32 len, bool incapsule)
{
	struct nvme_sgl_desc *sgl = &cmd->common.dptr.sgl;

	cmd->common.flags |= NVME_CMD_SGL_METABUF;
	sgl->addr = 0;
	sgl->length = cpu_to_le32(len);
	if (incapsule)
		sgl->type = (NVME_SGL_FMT_DATA_DESC << 4) | NVME_SGL_FMT_OFFSET;
	else
		sgl->type = NVME_TRANSPORT_SGL_DATA_DESC << 4;
}

static void qedn_build_pdu(struct qedn_conn *conn, struct nvme_tcp_cmd_pdu *pdu,
			   const struct nvme_command *cmd, u32 len,
			   bool incapsule)
{
	const struct nvme_tcp_ofld_conn_params *cp = &conn->ofld.ctrl->conn;
	u8 hdgst = cp->hdr_digest ? QEDN_DIGEST_LEN : 0;
	u8 ddgst = cp->data_digest ? QEDN_DIGEST_LEN : 0;
	u32 plen = sizeof(*pdu) + hdgst;

	memset(&pdu->hdr, 0, sizeof(pdu->hdr));
	pdu->hdr.type = nvme_tcp_cmd;
	pdu->hdr.hlen = sizeof(*pdu);
	if (hdgst)
		pdu->hdr.flags |= NVME_TCP_F_HDGST;
	if (incapsule) {
		pdu->hdr.pdo = sizeof(*pdu) + hdgst;
		plen += len + ddgst;
		if (ddgst)
			pdu->hdr.flags |= NVME_TCP_F_DDGST;
	}
	pdu->hdr.plen = cpu_to_le32(plen);
	pdu->cmd = *cmd;
	qedn_set_dptr(&pdu->cmd, len, incapsule);
}

int qedn_send_req(struct nvme_tcp_ofld_req *req)
{
	struct qedn_conn *conn = qedn_conn(req->queue);
	const struct qed_nvmetcp_engine_ops *ops = conn->qdev->eng->ops;
	u16 cid = req->cmd.common.command_id;	/* opaque, never byte-swapped */
	struct storage_sgl_task_params sgl = {};
	struct nvmetcp_task_params tp;
	struct nvme_tcp_cmd_pdu pdu;
	struct nvmetcp_wqe wqe;
	u32 idx = cid & QEDN_CID_TAG_MASK;
	u32 len = req->rq ? req->data_len : 0;
	bool write = req->rq && rq_data_dir(req->rq) == WRITE;
	bool incapsule;
	struct qedn_task *task;
	int rc;

	if (!test_bit(QEDN_CONN_LIVE, &conn->flags) ||
	    test_bit(QEDN_CONN_STOPPED, &conn->flags))
		return -EAGAIN;
	if (idx >= conn->ntasks) {
		pr_err_ratelimited("queue %u: command id %#x beyond %u task slots\n",
				   conn->ofld.qid, cid, conn->ntasks);
		return -EINVAL;
	}
	task = &conn->tasks[idx];
	if (test_and_set_bit(QEDN_TASK_ACTIVE, &task->flags)) {
		pr_err_ratelimited("queue %u: command id %#x already in flight\n",
				   conn->ofld.qid, cid);
		return -EIO;
	}

	if (len) {
		rc = qedn_map_data(conn, task, req->rq, &sgl);
		if (rc)
			goto err_release;
	}
	incapsule = write && len &&
		    len <= nvme_tcp_ofld_inline_data_size(&conn->ofld);
	qedn_build_pdu(conn, &pdu, &req->cmd, len, incapsule);

	qedn_task_params(conn, task, &tp, &wqe);
	tp.tx_io_size = write ? len : 0;
	tp.rx_io_size = write ? 0 : len;
	tp.host_cccid = cid;
	tp.send_write_incapsule = incapsule;

	task->req = req;
	conn->cccid[cid].itid = cpu_to_le16(task->itid);
	if (write)
		ops->init_write_io(&tp, &pdu, &pdu.cmd, &sgl);
	else
		ops->init_read_io(&tp, &pdu, &pdu.cmd, &sgl);

	rc = qedn_post_wqe(conn, &wqe, task, false);
	if (rc) {
		task->req = NULL;
		goto err_release;
	}
	return 0;

err_release:
	qedn_task_put_sges(task);
	clear_bit_unlock(QEDN_TASK_ACTIVE, &task->flags);
	return rc;
}

/* A NORMAL CQE for a command slot; the caller holds the vector lock. */
void qedn_task_complete(struct qedn_conn *conn, struct qedn_task *task,
			const struct nvmetcp_fw_cqe *cqe)
{
	struct nvme_tcp_ofld_req *req = task->req;
	struct nvme_completion nvme_cqe;

	if (test_bit(QEDN_CONN_DRAINED, &conn->flags))
		return;
	if (!req || !test_bit(QEDN_TASK_ACTIVE, &task->flags)) {
		pr_warn_ratelimited("queue %u: completion for idle task %td\n",
				    conn->ofld.qid, task - conn->tasks);
		return;
	}
	memcpy(&nvme_cqe, &cqe->cqe_data.nvme_cqe, sizeof(nvme_cqe));
	/*
	 * Data that failed its digest (or DIF) check must not pass as good.
	 * As nvme-tcp does: a Data Transfer Error without DNR, which nvme-core
	 * retries; the connection itself is fine.
	 */
	if (cqe->cqe_error_status_bits) {
		pr_warn_ratelimited("%s: queue %u: command id %#x: data error (CQE bits %#x), failing it for retry\n",
				    conn->qdev->eng->name,
				    conn->ofld.qid, req->cmd.common.command_id,
				    cqe->cqe_error_status_bits);
		nvme_cqe.status = cpu_to_le16(NVME_SC_DATA_XFER_ERROR << 1);
	}
	/* The ULP may reuse the tag from inside req_done: free the slot first. */
	qedn_task_put_sges(task);
	task->req = NULL;
	clear_bit(QEDN_TASK_POSTED, &task->flags);
	clear_bit_unlock(QEDN_TASK_ACTIVE, &task->flags);
	nvme_tcp_ofld_req_done(req, &nvme_cqe);
}

/* A CLEANUP CQE; the caller holds the vector lock. */
void qedn_task_cleaned(struct qedn_conn *conn, struct qedn_task *task)
{
	/* Only the answer to drain's cleanup: the engine let go of the task. */
	if (!test_and_clear_bit(QEDN_TASK_CLEANUP, &task->flags))
		return;
	qedn_task_put_sges(task);
	if (atomic_dec_and_test(&conn->cleanups))
		wake_up(&conn->drain_wq);
}

/* End of drain: drop every request still held; the caller holds the lock. */
void qedn_tasks_forget(struct qedn_conn *conn)
{
	u32 i;

	set_bit(QEDN_CONN_DRAINED, &conn->flags);
	for (i = 0; i < conn->ntasks; i++) {
		conn->tasks[i].req = NULL;
		clear_bit(QEDN_TASK_CLEANUP, &conn->tasks[i].flags);
		clear_bit(QEDN_TASK_POSTED, &conn->tasks[i].flags);
		clear_bit(QEDN_TASK_ACTIVE, &conn->tasks[i].flags);
	}
}
