// SPDX-License-Identifier: GPL-2.0
/*
 * The data path: blk-mq operations, command building and completion.  The
 * ULP builds the whole SQE, including the SGL descriptor that tells the
 * target where the data comes from (in-capsule or by R2T/C2H transfer);
 * the vendor only moves the command and its data.
 */
#include <linux/blk-mq.h>
#include "ofld.h"

u32 nvme_tcp_ofld_inline_data_size(struct nvme_tcp_ofld_queue *queue)
{
	if (queue->cmnd_capsule_len <= sizeof(struct nvme_command))
		return 0;
	return queue->cmnd_capsule_len - sizeof(struct nvme_command);
}
EXPORT_SYMBOL_GPL(nvme_tcp_ofld_inline_data_size);

unsigned int nvme_tcp_ofld_cmd_size(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	return offsetof(struct nvme_tcp_ofld_pdu, req) + ctrl_ops(ctrl)->req_size;
}

/* Data moved by the transport (R2T/H2CData or C2HData), or none. */
static void nvme_tcp_ofld_set_sg_transport(struct nvme_command *c, u32 len)
{
	struct nvme_sgl_desc *sg = &c->common.dptr.sgl;

	sg->addr = 0;
	sg->length = cpu_to_le32(len);
	sg->type = (NVME_TRANSPORT_SGL_DATA_DESC << 4) |
		   NVME_SGL_FMT_TRANSPORT_A;
}

/* Data inside the command capsule, right after the SQE. */
static void nvme_tcp_ofld_set_sg_inline(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					struct nvme_command *c, u32 len)
{
	struct nvme_sgl_desc *sg = &c->common.dptr.sgl;

	sg->addr = cpu_to_le64(ctrl->nctrl.icdoff);
	sg->length = cpu_to_le32(len);
	sg->type = (NVME_SGL_FMT_DATA_DESC << 4) | NVME_SGL_FMT_OFFSET;
}

static void nvme_tcp_ofld_setup_data(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				     struct nvme_tcp_ofld_req *req)
{
	struct request *rq = req->rq;
	struct nvme_command *c = &req->cmd;

	req->data_len = blk_rq_nr_phys_segments(rq) ?
			blk_rq_payload_bytes(rq) : 0;
	c->common.flags |= NVME_CMD_SGL_METABUF;
	if (rq_data_dir(rq) == WRITE && req->data_len &&
	    req->data_len <= nvme_tcp_ofld_inline_data_size(req->queue))
		nvme_tcp_ofld_set_sg_inline(ctrl, c, req->data_len);
	else
		nvme_tcp_ofld_set_sg_transport(c, req->data_len);
}

static blk_status_t nvme_tcp_ofld_queue_rq(struct blk_mq_hw_ctx *hctx,
					   const struct blk_mq_queue_data *bd)
{
	struct nvme_tcp_ofld_q *q = hctx->driver_data;
	struct nvme_tcp_ofld_ctrl_priv *ctrl = q->ctrl;
	struct request *rq = bd->rq;
	struct nvme_tcp_ofld_pdu *pdu = blk_mq_rq_to_pdu(rq);
	struct nvme_tcp_ofld_req *req = &pdu->req;
	bool live = test_bit(NVME_TCP_OFLD_Q_LIVE, &q->ofld.ulp_flags);
	blk_status_t sts;
	int ret;

	if (!nto_check_ready(&ctrl->nctrl, rq, live))
		return nvme_fail_nonready_command(&ctrl->nctrl, rq);

	sts = nvme_setup_cmd(hctx->queue->queuedata, rq);
	if (unlikely(sts))
		return sts;

	req->rq = rq;
	req->queue = &q->ofld;
	nvme_tcp_ofld_setup_data(ctrl, req);
	/* Completed in interrupt context, unlike a poll queue's requests. */
	if (hctx->type != HCTX_TYPE_POLL)
		nto_rq_drop_bio_cache(rq);

	/* started first: the device may complete before send_req returns */
	nto_start_request(rq);
	ret = ctrl_ops(ctrl)->send_req(req);
	if (likely(!ret)) {
		atomic64_inc(&q->stats.cmds);
		atomic64_add(req->data_len, &q->stats.bytes);
		return BLK_STS_OK;
	}

	nvme_cleanup_cmd(rq);
	if (ret == -EAGAIN || ret == -ENOMEM)
		return BLK_STS_RESOURCE;
	atomic64_inc(&q->stats.errors);
	dev_err_ratelimited(ctrl->nctrl.device,
			    "send_req failed on queue %d: %d\n",
			    q->ofld.qid, ret);
	return ret == -EIO ? nvme_host_path_error(rq) : BLK_STS_IOERR;
}

static int nvme_tcp_ofld_poll(struct blk_mq_hw_ctx *hctx,
			      struct io_comp_batch *iob)
{
	struct nvme_tcp_ofld_q *q = hctx->driver_data;
	const struct nvme_tcp_ofld_ops *ops = ctrl_ops(q->ctrl);
	int n;

	/*
	 * From the moment Connect is sent, not only once the queue is live:
	 * the Connect of a poll queue completes through polling, and the
	 * device need not interrupt for a poll queue.
	 */
	if (!ops->poll_queue ||
	    !test_bit(NVME_TCP_OFLD_Q_STARTED, &q->ofld.ulp_flags))
		return 0;
	n = ops->poll_queue(&q->ofld);
	if (n > 0)
		atomic64_add(n, &q->stats.polled);
	return n;
}

/*
 * A poll queue's completion may simply be waiting for a poller (an
 * io_uring that does not reap for a while): reap it here before calling
 * it a timeout, as nvme-pci does for its poll queues.
 */
static bool nvme_tcp_ofld_timeout_polled(struct nvme_tcp_ofld_q *q,
					 struct request *rq)
{
	const struct nvme_tcp_ofld_ops *ops = ctrl_ops(q->ctrl);

	if (!q->ofld.poll || !ops->poll_queue ||
	    !test_bit(NVME_TCP_OFLD_Q_STARTED, &q->ofld.ulp_flags))
		return false;
	ops->poll_queue(&q->ofld);
	if (blk_mq_rq_state(rq) == MQ_RQ_IN_FLIGHT)
		return false;
	dev_warn(q->ctrl->nctrl.device,
		 "I/O tag %d QID %d timeout, completion polled\n",
		 rq->tag, q->ofld.qid);
	return true;
}

static enum blk_eh_timer_return nvme_tcp_ofld_timeout(struct request *rq)
{
	struct nvme_tcp_ofld_pdu *pdu = blk_mq_rq_to_pdu(rq);
	struct nvme_tcp_ofld_q *q = to_ofld_q(pdu->req.queue);
	struct nvme_tcp_ofld_ctrl_priv *ctrl = q->ctrl;
	int qid = q->ofld.qid;

	if (nvme_tcp_ofld_timeout_polled(q, rq))
		return BLK_EH_DONE;
	atomic64_inc(&q->stats.timeouts);
	dev_warn(ctrl->nctrl.device,
		 "I/O tag %d (%04x) opcode %#x QID %d timeout\n",
		 rq->tag, nto_nvme_cid(rq), pdu->req.cmd.common.opcode, qid);

	if (nto_ctrl_state(&ctrl->nctrl) != NVME_CTRL_LIVE) {
		/*
		 * Connecting, resetting or deleting: whoever waits for this
		 * command (connect, identify, shutdown, ...) must not wait
		 * for error recovery, which may be the one waiting.  Drain
		 * the queue so the device lets go of the command, then fail
		 * it as aborted by the host.
		 */
		nvme_tcp_ofld_stop_queue(ctrl, qid);
		nto_complete_timed_out(rq);
		return BLK_EH_DONE;
	}

	/* live: recovery cancels this request along with all others */
	nvme_tcp_ofld_error_recovery(ctrl, qid, -ETIMEDOUT);
	return BLK_EH_RESET_TIMER;
}

static int nvme_tcp_ofld_init_request(struct blk_mq_tag_set *set,
				      struct request *rq,
				      unsigned int hctx_idx,
				      unsigned int numa_node)
{
	struct nvme_ctrl *nctrl = set->driver_data;
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(nctrl);
	struct nvme_tcp_ofld_pdu *pdu = blk_mq_rq_to_pdu(rq);
	/* nctrl->tagset is not set yet while the I/O tag set is being built */
	int qid = set == &ctrl->tag_set ? hctx_idx + 1 : 0;

	memset(&pdu->req, 0, ctrl_ops(ctrl)->req_size);
	pdu->req.queue = &ctrl->queues[qid]->ofld;
	pdu->nreq.ctrl = nctrl;
	pdu->nreq.cmd = &pdu->req.cmd;
	return 0;
}

static int nvme_tcp_ofld_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
				   unsigned int hctx_idx)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(data);

	hctx->driver_data = ctrl->queues[hctx_idx + 1];
	return 0;
}

static int nvme_tcp_ofld_init_admin_hctx(struct blk_mq_hw_ctx *hctx,
					 void *data, unsigned int hctx_idx)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(data);

	hctx->driver_data = ctrl->queues[0];
	return 0;
}

const struct blk_mq_ops nvme_tcp_ofld_mq_ops = {
	.queue_rq	= nvme_tcp_ofld_queue_rq,
	.complete	= nvme_complete_rq,
	.init_request	= nvme_tcp_ofld_init_request,
	.init_hctx	= nvme_tcp_ofld_init_hctx,
	.timeout	= nvme_tcp_ofld_timeout,
	.map_queues	= nvme_tcp_ofld_map_queues,
	.poll		= nvme_tcp_ofld_poll,
};

const struct blk_mq_ops nvme_tcp_ofld_admin_mq_ops = {
	.queue_rq	= nvme_tcp_ofld_queue_rq,
	.complete	= nvme_complete_rq,
	.init_request	= nvme_tcp_ofld_init_request,
	.init_hctx	= nvme_tcp_ofld_init_admin_hctx,
	.timeout	= nvme_tcp_ofld_timeout,
};

void nvme_tcp_ofld_submit_async_event(struct nvme_ctrl *nctrl)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(nctrl);
	struct nvme_tcp_ofld_q *q = ctrl->queues[0];
	struct nvme_tcp_ofld_req *req = ctrl->async_req;
	int ret;

	if (!test_bit(NVME_TCP_OFLD_Q_LIVE, &q->ofld.ulp_flags))
		return;

	memset(req, 0, ctrl_ops(ctrl)->req_size);
	req->queue = &q->ofld;
	req->cmd.common.opcode = nvme_admin_async_event;
	/* above every blk-mq tag of the admin queue: see nvme_is_aen_req() */
	req->cmd.common.command_id = NVME_AQ_BLK_MQ_DEPTH;
	req->cmd.common.flags |= NVME_CMD_SGL_METABUF;
	nvme_tcp_ofld_set_sg_transport(&req->cmd, 0);

	ret = ctrl_ops(ctrl)->send_req(req);
	if (ret) {
		atomic64_inc(&q->stats.errors);
		dev_warn(nctrl->device, "async event request not sent: %d\n",
			 ret);
		return;
	}
	atomic64_inc(&q->stats.cmds);
}

void nvme_tcp_ofld_req_done(struct nvme_tcp_ofld_req *req,
			    const struct nvme_completion *cqe)
{
	struct nvme_tcp_ofld_q *q = to_ofld_q(req->queue);
	struct nvme_tcp_ofld_ctrl_priv *ctrl = q->ctrl;
	struct request *rq = req->rq;
	union nvme_result result = cqe->result;

	if (cqe->status != cpu_to_le16(NVME_SC_SUCCESS << 1))
		atomic64_inc(&q->stats.errors);

	if (!rq) {
		nvme_complete_async_event(&ctrl->nctrl, cqe->status, &result);
		return;
	}

	/*
	 * A command id that is not the one sent means the device or the
	 * target mixed up commands: completing anything would risk data
	 * corruption, so reset the association instead.
	 */
	if (unlikely(cqe->command_id != req->cmd.common.command_id)) {
		dev_err(ctrl->nctrl.device,
			"queue %d: CQE command id %#x for request sent as %#x\n",
			q->ofld.qid, cqe->command_id,
			req->cmd.common.command_id);
		nvme_tcp_ofld_error_recovery(ctrl, q->ofld.qid, -EPROTO);
		return;
	}

	if (!nto_try_complete_req(rq, cqe->status, result))
		nvme_complete_rq(rq);
}
EXPORT_SYMBOL_GPL(nvme_tcp_ofld_req_done);

/* nvme-core finds its nvme_request at the start of the pdu */
static_assert(offsetof(struct nvme_tcp_ofld_pdu, nreq) == 0);
