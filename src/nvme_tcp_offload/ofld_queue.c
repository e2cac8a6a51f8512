// SPDX-License-Identifier: GPL-2.0
/*
 * Queues of one association.  A queue is "allocated" once the vendor's
 * create_queue connected it (TCP + ICReq/ICResp) and "live" once the NVMe-oF
 * Connect command went through.  Stopping drains it in the vendor; freeing
 * destroys it there.  Each step is idempotent, so the error paths and the
 * teardown paths can call them without knowing how far setup went.
 */
#include <linux/nvme-tcp.h>
#include "ofld.h"

int nvme_tcp_ofld_alloc_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid)
{
	struct nvme_tcp_ofld_q *q = ctrl->queues[qid];
	struct nvme_tcp_ofld_queue *oq = &q->ofld;
	size_t vendor = ctrl_ops(ctrl)->queue_size - sizeof(*oq);
	int ret;

	/* the vendor part starts zeroed for every association */
	memset(oq + 1, 0, vendor);
	oq->ctrl = &ctrl->ofld;
	oq->qid = qid;
	oq->ulp_flags = 0;
	/* poll queues come last, after the default and read queues */
	oq->poll = ctrl->io_queues[HCTX_TYPE_POLL] &&
		   qid > ctrl->io_queues[HCTX_TYPE_DEFAULT] +
			 ctrl->io_queues[HCTX_TYPE_READ];
	if (qid) {
		oq->depth = ctrl->nctrl.sqsize + 1;
		oq->cmnd_capsule_len = ctrl->nctrl.ioccsz * 16;
	} else {
		oq->depth = NVME_AQ_DEPTH;
		/*
		 * As nvme-tcp: admin writes up to 8 KiB go in-capsule.  nvmet-tcp
		 * waits for in-capsule data (and sends no R2T) for any write
		 * that fits its inline size, so the Connect must go in-capsule.
		 */
		oq->cmnd_capsule_len = sizeof(struct nvme_command) + SZ_8K;
	}

	ret = ctrl_ops(ctrl)->create_queue(oq);
	if (ret) {
		dev_err(ctrl->nctrl.device, "%s: create_queue qid %d failed: %d\n",
			ctrl->ofld.dev->ops->name, qid, ret);
		atomic64_inc(&q->stats.errors);
		return ret;
	}
	set_bit(NVME_TCP_OFLD_Q_ALLOCATED, &oq->ulp_flags);
	return 0;
}

void nvme_tcp_ofld_free_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid)
{
	struct nvme_tcp_ofld_queue *oq = &ctrl->queues[qid]->ofld;

	if (test_and_clear_bit(NVME_TCP_OFLD_Q_ALLOCATED, &oq->ulp_flags))
		ctrl_ops(ctrl)->destroy_queue(oq);
}

void nvme_tcp_ofld_stop_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid)
{
	struct nvme_tcp_ofld_q *q = ctrl->queues[qid];

	/* the timeout handler and teardown may both stop a queue */
	mutex_lock(&q->stop_lock);
	clear_bit(NVME_TCP_OFLD_Q_LIVE, &q->ofld.ulp_flags);
	if (test_and_clear_bit(NVME_TCP_OFLD_Q_STARTED, &q->ofld.ulp_flags))
		ctrl_ops(ctrl)->drain_queue(&q->ofld);
	mutex_unlock(&q->stop_lock);
}

int nvme_tcp_ofld_start_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid)
{
	struct nvme_tcp_ofld_q *q = ctrl->queues[qid];
	int ret;

	/*
	 * Live only once the target has accepted Connect: until then
	 * queue_rq lets through nothing but Connect (and authentication),
	 * which the CONNECTING state admits by itself.  Set earlier, a
	 * request requeued by error recovery could reach the new
	 * connection ahead of its Connect.
	 */
	set_bit(NVME_TCP_OFLD_Q_STARTED, &q->ofld.ulp_flags);
	if (qid)
		ret = nvmf_connect_io_queue(&ctrl->nctrl, qid);
	else
		ret = nvmf_connect_admin_queue(&ctrl->nctrl);
	if (ret) {
		dev_err(ctrl->nctrl.device,
			"failed to connect queue %d: ret=%d\n", qid, ret);
		nvme_tcp_ofld_stop_queue(ctrl, qid);
		return ret;
	}
	set_bit(NVME_TCP_OFLD_Q_LIVE, &q->ofld.ulp_flags);
	return 0;
}

void nvme_tcp_ofld_free_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	int i;

	for (i = 1; i < ctrl->nctrl.queue_count; i++)
		nvme_tcp_ofld_free_queue(ctrl, i);
}

void nvme_tcp_ofld_stop_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	int i;

	for (i = 1; i < ctrl->nctrl.queue_count; i++)
		nvme_tcp_ofld_stop_queue(ctrl, i);
}

int nvme_tcp_ofld_start_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				  int first, int last)
{
	int i, ret;

	for (i = first; i < last; i++) {
		ret = nvme_tcp_ofld_start_queue(ctrl, i);
		if (ret)
			goto out_stop;
	}
	return 0;

out_stop:
	for (i--; i >= first; i--)
		nvme_tcp_ofld_stop_queue(ctrl, i);
	return ret;
}

/*
 * I/O queues the user asked for, each kind bounded by the CPUs (as
 * nvme-tcp does).  The device's completion vectors bound the queues that
 * complete by interrupt; poll queues come on top, since they are reaped by
 * polling and need no vector of their own.
 */
u32 nvme_tcp_ofld_max_io_queues(struct nvmf_ctrl_options *opts,
				struct nvme_tcp_ofld_dev *dev)
{
	u32 cpus = num_online_cpus();
	u32 irq = min(opts->nr_io_queues, cpus) +
		  min(opts->nr_write_queues, cpus);

	return min(irq, dev->num_hw_vectors) + min(opts->nr_poll_queues, cpus);
}

#ifdef HAVE_NVMF_SET_IO_QUEUES
#define nvme_tcp_ofld_set_io_queues	nvmf_set_io_queues
#else
/*
 * Split @nr_io_queues between the queue types: dedicated read queues
 * first when write queues were asked for, then default, then poll with
 * whatever is left.
 */
static void nvme_tcp_ofld_set_io_queues(struct nvmf_ctrl_options *opts,
					u32 nr_io_queues,
					u32 io_queues[HCTX_MAX_TYPES])
{
	if (opts->nr_write_queues && opts->nr_io_queues < nr_io_queues) {
		io_queues[HCTX_TYPE_READ] = opts->nr_io_queues;
		nr_io_queues -= io_queues[HCTX_TYPE_READ];
		io_queues[HCTX_TYPE_DEFAULT] =
			min(opts->nr_write_queues, nr_io_queues);
		nr_io_queues -= io_queues[HCTX_TYPE_DEFAULT];
	} else {
		io_queues[HCTX_TYPE_DEFAULT] =
			min(opts->nr_io_queues, nr_io_queues);
		nr_io_queues -= io_queues[HCTX_TYPE_DEFAULT];
	}
	if (opts->nr_poll_queues && nr_io_queues)
		io_queues[HCTX_TYPE_POLL] =
			min(opts->nr_poll_queues, nr_io_queues);
}
#endif

#ifdef HAVE_NVMF_MAP_QUEUES
#define nvme_tcp_ofld_map_io_queues	nvmf_map_queues
#else
/* Default, read and poll maps laid out one after the other. */
static void nvme_tcp_ofld_map_io_queues(struct blk_mq_tag_set *set,
					struct nvme_ctrl *ctrl,
					u32 io_queues[HCTX_MAX_TYPES])
{
	struct blk_mq_queue_map *def = &set->map[HCTX_TYPE_DEFAULT];
	struct blk_mq_queue_map *read = &set->map[HCTX_TYPE_READ];
	struct blk_mq_queue_map *poll = &set->map[HCTX_TYPE_POLL];

	def->nr_queues = io_queues[HCTX_TYPE_DEFAULT];
	def->queue_offset = 0;
	if (io_queues[HCTX_TYPE_READ]) {
		/* reads get their own queues after the default ones */
		read->nr_queues = io_queues[HCTX_TYPE_READ];
		read->queue_offset = io_queues[HCTX_TYPE_DEFAULT];
	} else {
		read->nr_queues = io_queues[HCTX_TYPE_DEFAULT];
		read->queue_offset = 0;
	}
	blk_mq_map_queues(def);
	blk_mq_map_queues(read);

	if (set->nr_maps > HCTX_TYPE_POLL && io_queues[HCTX_TYPE_POLL]) {
		poll->nr_queues = io_queues[HCTX_TYPE_POLL];
		poll->queue_offset = io_queues[HCTX_TYPE_DEFAULT] +
				     io_queues[HCTX_TYPE_READ];
		blk_mq_map_queues(poll);
	}
	dev_info(ctrl->device, "mapped %d/%d/%d default/read/poll queues.\n",
		 io_queues[HCTX_TYPE_DEFAULT], io_queues[HCTX_TYPE_READ],
		 io_queues[HCTX_TYPE_POLL]);
}
#endif

void nvme_tcp_ofld_map_queues(struct blk_mq_tag_set *set)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(set->driver_data);

	nvme_tcp_ofld_map_io_queues(set, &ctrl->nctrl, ctrl->io_queues);
}

int nvme_tcp_ofld_alloc_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	unsigned int nr_io_queues;
	int i, ret;

	nr_io_queues = nvme_tcp_ofld_max_io_queues(nctrl->opts,
						   ctrl->ofld.dev);
	ret = nvme_set_queue_count(nctrl, &nr_io_queues);
	if (ret)
		return ret;
	if (!nr_io_queues) {
		dev_err(nctrl->device, "unable to set any I/O queues\n");
		return -ENOMEM;
	}
	/* the controller may grant fewer, never more than asked */
	nr_io_queues = min(nr_io_queues, ctrl->max_queues - 1);

	nctrl->queue_count = nr_io_queues + 1;
	ctrl->ofld.nr_queues = nctrl->queue_count;
	dev_info(nctrl->device, "creating %d I/O queues.\n", nr_io_queues);

	memset(ctrl->io_queues, 0, sizeof(ctrl->io_queues));
	nvme_tcp_ofld_set_io_queues(nctrl->opts, nr_io_queues,
				    ctrl->io_queues);

	for (i = 1; i < nctrl->queue_count; i++) {
		ret = nvme_tcp_ofld_alloc_queue(ctrl, i);
		if (ret)
			goto out_free;
	}
	return 0;

out_free:
	for (i--; i >= 1; i--)
		nvme_tcp_ofld_free_queue(ctrl, i);
	return ret;
}
