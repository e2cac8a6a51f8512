// SPDX-License-Identifier: GPL-2.0
/*
 * Controller life cycle, as nvme-tcp runs it:
 *
 *   create -> CONNECTING -> setup (admin queue, I/O queues) -> LIVE
 *   LIVE --(queue error, timeout)--> RESETTING -> teardown -> CONNECTING
 *        -> reconnect after reconnect_delay ... until ctrl_loss_tmo -> delete
 *   LIVE --(nvme reset)--> RESETTING -> teardown -> CONNECTING -> setup
 *   any  --(delete)--> DELETING -> teardown with shutdown
 *
 * An association is one connected set of queues; the vendor's setup_ctrl
 * and release_ctrl bracket each association.  Teardown steps are idempotent
 * so every path can run them whatever state the association is in.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "ofld.h"

void nvme_tcp_ofld_error_recovery(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				  int qid, int err)
{
	/* only a live controller recovers; the state change happens once */
	if (!nvme_change_ctrl_state(&ctrl->nctrl, NVME_CTRL_RESETTING))
		return;
	atomic64_inc(&ctrl->recoveries);
	dev_warn(ctrl->nctrl.device,
		 "queue %d failed (%d): starting error recovery\n", qid, err);
	queue_work(nvme_reset_wq, &ctrl->err_work);
}

void nvme_tcp_ofld_report_queue_err(struct nvme_tcp_ofld_queue *queue, int err)
{
	struct nvme_tcp_ofld_q *q = to_ofld_q(queue);

	atomic64_inc(&q->stats.errors);
	nvme_tcp_ofld_error_recovery(q->ctrl, queue->qid, err);
}
EXPORT_SYMBOL_GPL(nvme_tcp_ofld_report_queue_err);

static int nvme_tcp_ofld_setup_assoc(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	int ret;

	/* the target tells the real count later; this is the upper bound */
	ctrl->ofld.nr_queues = ctrl->max_queues;
	ctrl->ofld.sqsize = ctrl->nctrl.sqsize + 1;
	ret = ctrl_ops(ctrl)->setup_ctrl(&ctrl->ofld);
	if (ret) {
		dev_err(ctrl->nctrl.device, "%s: setup_ctrl failed: %d\n",
			ctrl->ofld.dev->ops->name, ret);
		return ret;
	}
	ctrl->assoc = true;
	return 0;
}

static void nvme_tcp_ofld_release_assoc(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	if (!ctrl->assoc)
		return;
	ctrl->assoc = false;
	ctrl_ops(ctrl)->release_ctrl(&ctrl->ofld);
}

static void nvme_tcp_ofld_destroy_admin_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					      bool remove)
{
	nvme_tcp_ofld_stop_queue(ctrl, 0);
	if (remove)
		nvme_remove_admin_tag_set(&ctrl->nctrl);
	nvme_tcp_ofld_free_queue(ctrl, 0);
}

static int nvme_tcp_ofld_configure_admin_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					       bool new)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	int ret;

	ret = nvme_tcp_ofld_alloc_queue(ctrl, 0);
	if (ret)
		return ret;

	if (new) {
		ret = nvme_alloc_admin_tag_set(nctrl, &ctrl->admin_tag_set,
					       &nvme_tcp_ofld_admin_mq_ops,
					       nvme_tcp_ofld_cmd_size(ctrl));
		if (ret)
			goto out_free_queue;
	}

	ret = nvme_tcp_ofld_start_queue(ctrl, 0);
	if (ret)
		goto out_remove_tagset;

	ret = nvme_enable_ctrl(nctrl);
	if (ret)
		goto out_stop_queue;

	nto_unquiesce_admin_queue(nctrl);

	ret = nto_init_ctrl_finish(nctrl);
	if (ret)
		goto out_quiesce_queue;
	return 0;

out_quiesce_queue:
	nto_quiesce_admin_queue(nctrl);
	blk_sync_queue(nctrl->admin_q);
out_stop_queue:
	nvme_tcp_ofld_stop_queue(ctrl, 0);
	nvme_cancel_admin_tagset(nctrl);
out_remove_tagset:
	if (new)
		nvme_remove_admin_tag_set(nctrl);
out_free_queue:
	nvme_tcp_ofld_free_queue(ctrl, 0);
	return ret;
}

static void nvme_tcp_ofld_teardown_admin_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					       bool remove)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;

	nto_quiesce_admin_queue(nctrl);
	blk_sync_queue(nctrl->admin_q);
	nvme_tcp_ofld_stop_queue(ctrl, 0);
	nvme_cancel_admin_tagset(nctrl);
	if (remove)
		nto_unquiesce_admin_queue(nctrl);
	nvme_tcp_ofld_destroy_admin_queue(ctrl, remove);
	nvme_tcp_ofld_release_assoc(ctrl);
}

static void nvme_tcp_ofld_destroy_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					   bool remove)
{
	nvme_tcp_ofld_stop_io_queues(ctrl);
	if (remove)
		nvme_remove_io_tag_set(&ctrl->nctrl);
	nvme_tcp_ofld_free_io_queues(ctrl);
}

static int nvme_tcp_ofld_configure_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					     bool new)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	int ret, nr_queues;

	ret = nvme_tcp_ofld_alloc_io_queues(ctrl);
	if (ret)
		return ret;

	if (new) {
		ret = nvme_alloc_io_tag_set(nctrl, &ctrl->tag_set,
					    &nvme_tcp_ofld_mq_ops,
					    nctrl->opts->nr_poll_queues ?
					    HCTX_MAX_TYPES : 2,
					    nvme_tcp_ofld_cmd_size(ctrl));
		if (ret)
			goto out_free_io_queues;
	}

	/*
	 * On a reconnect the target may grant a different number of queues:
	 * connect those the tag set knows now, resize it once I/O is frozen,
	 * then connect any new ones.
	 */
	nr_queues = min(nctrl->tagset->nr_hw_queues + 1, nctrl->queue_count);
	ret = nvme_tcp_ofld_start_io_queues(ctrl, 1, nr_queues);
	if (ret)
		goto out_cleanup_connect_q;

	if (!new) {
		nvme_start_freeze(nctrl);
		nto_unquiesce_io_queues(nctrl);
		if (!nvme_wait_freeze_timeout(nctrl, NVME_IO_TIMEOUT)) {
			/* stuck I/O: fail this attempt rather than hang */
			ret = -ENODEV;
			nvme_unfreeze(nctrl);
			goto out_wait_freeze_timed_out;
		}
		blk_mq_update_nr_hw_queues(nctrl->tagset,
					   nctrl->queue_count - 1);
		nvme_unfreeze(nctrl);
	}

	ret = nvme_tcp_ofld_start_io_queues(ctrl, nr_queues,
					    nctrl->tagset->nr_hw_queues + 1);
	if (ret)
		goto out_wait_freeze_timed_out;
	return 0;

out_wait_freeze_timed_out:
	nto_quiesce_io_queues(nctrl);
	nvme_sync_io_queues(nctrl);
	nvme_tcp_ofld_stop_io_queues(ctrl);
out_cleanup_connect_q:
	nvme_cancel_tagset(nctrl);
	if (new)
		nvme_remove_io_tag_set(nctrl);
out_free_io_queues:
	nvme_tcp_ofld_free_io_queues(ctrl);
	return ret;
}

static void nvme_tcp_ofld_teardown_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					     bool remove)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;

	if (nctrl->queue_count <= 1)
		return;
	nto_quiesce_admin_queue(nctrl);
	nto_quiesce_io_queues(nctrl);
	nvme_sync_io_queues(nctrl);
	nvme_tcp_ofld_stop_io_queues(ctrl);
	nvme_cancel_tagset(nctrl);
	if (remove)
		nto_unquiesce_io_queues(nctrl);
	nvme_tcp_ofld_destroy_io_queues(ctrl, remove);
}

/* Controller limits the transport must honour before going live. */
static int nvme_tcp_ofld_check_limits(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;

	if (nctrl->icdoff) {
		dev_err(nctrl->device, "icdoff is not supported\n");
		return -EOPNOTSUPP;
	}
	if (!nto_ctrl_sgl_supported(nctrl)) {
		dev_err(nctrl->device, "mandatory SGLs are not supported\n");
		return -EOPNOTSUPP;
	}
	if (nctrl->opts->queue_size > nctrl->sqsize + 1)
		dev_warn(nctrl->device,
			 "queue_size %zu > ctrl sqsize %u, clamping down\n",
			 nctrl->opts->queue_size, nctrl->sqsize + 1);
	if (nctrl->sqsize + 1 > nctrl->maxcmd) {
		dev_warn(nctrl->device,
			 "sqsize %u > ctrl maxcmd %u, clamping down\n",
			 nctrl->sqsize + 1, nctrl->maxcmd);
		nctrl->sqsize = nctrl->maxcmd - 1;
	}
	ctrl->ofld.sqsize = nctrl->sqsize + 1;
	return 0;
}

static int nvme_tcp_ofld_setup_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				    bool new)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	enum nvme_ctrl_state state;
	int ret;

	ret = nvme_tcp_ofld_setup_assoc(ctrl);
	if (ret)
		return ret;

	ret = nvme_tcp_ofld_configure_admin_queue(ctrl, new);
	if (ret) {
		nvme_tcp_ofld_release_assoc(ctrl);
		return ret;
	}

	ret = nvme_tcp_ofld_check_limits(ctrl);
	if (ret)
		goto destroy_admin;

	if (nctrl->queue_count > 1) {
		ret = nvme_tcp_ofld_configure_io_queues(ctrl, new);
		if (ret)
			goto destroy_admin;
	}

	if (!nvme_change_ctrl_state(nctrl, NVME_CTRL_LIVE)) {
		/* only a delete may have raced with us, never on creation */
		state = nto_ctrl_state(nctrl);
		WARN_ON_ONCE(state != NVME_CTRL_DELETING &&
			     state != NVME_CTRL_DELETING_NOIO);
		WARN_ON_ONCE(new);
		ret = -EINVAL;
		goto destroy_io;
	}

	nvme_start_ctrl(nctrl);
	return 0;

destroy_io:
	if (nctrl->queue_count > 1) {
		nto_quiesce_io_queues(nctrl);
		nvme_sync_io_queues(nctrl);
		nvme_tcp_ofld_stop_io_queues(ctrl);
		nvme_cancel_tagset(nctrl);
		nvme_tcp_ofld_destroy_io_queues(ctrl, new);
	}
destroy_admin:
	nvme_stop_keep_alive(nctrl);
	nvme_tcp_ofld_teardown_admin_queue(ctrl, new);
	return ret;
}

static void nvme_tcp_ofld_reconnect_or_remove(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					      int status)
{
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	enum nvme_ctrl_state state = nto_ctrl_state(nctrl);

	/* a reset or delete owns the controller now */
	if (state != NVME_CTRL_CONNECTING) {
		WARN_ON_ONCE(state == NVME_CTRL_NEW || state == NVME_CTRL_LIVE);
		return;
	}

	if (nto_should_reconnect(nctrl, status)) {
		dev_info(nctrl->device, "reconnecting in %d seconds\n",
			 nctrl->opts->reconnect_delay);
		queue_delayed_work(nvme_wq, &ctrl->connect_work,
				   nctrl->opts->reconnect_delay * HZ);
	} else {
		dev_info(nctrl->device, "removing controller (status %d)\n",
			 status);
		nvme_delete_ctrl(nctrl);
	}
}

static void nvme_tcp_ofld_reconnect_ctrl_work(struct work_struct *work)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl =
		container_of(to_delayed_work(work),
			     struct nvme_tcp_ofld_ctrl_priv, connect_work);
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	int ret;

	++nctrl->nr_reconnects;
	atomic64_inc(&ctrl->reconnects);
	ret = nvme_tcp_ofld_setup_ctrl(ctrl, false);
	if (ret) {
		dev_info(nctrl->device, "failed reconnect attempt %d/%d: %d\n",
			 nctrl->nr_reconnects, nctrl->opts->max_reconnects,
			 ret);
		nvme_tcp_ofld_reconnect_or_remove(ctrl, ret);
		return;
	}
	dev_info(nctrl->device, "reconnected (attempt %d/%d)\n",
		 nctrl->nr_reconnects, nctrl->opts->max_reconnects);
	nctrl->nr_reconnects = 0;
}

static void nvme_tcp_ofld_error_recovery_work(struct work_struct *work)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl =
		container_of(work, struct nvme_tcp_ofld_ctrl_priv, err_work);
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	enum nvme_ctrl_state state;

	nvme_stop_keep_alive(nctrl);
	flush_work(&nctrl->async_event_work);
	nvme_tcp_ofld_teardown_io_queues(ctrl, false);
	/* pending requests fail fast or wait in the requeue list */
	nto_unquiesce_io_queues(nctrl);
	nvme_tcp_ofld_teardown_admin_queue(ctrl, false);
	nto_unquiesce_admin_queue(nctrl);
	nto_auth_stop(nctrl);

	if (!nvme_change_ctrl_state(nctrl, NVME_CTRL_CONNECTING)) {
		state = nto_ctrl_state(nctrl);
		WARN_ON_ONCE(state != NVME_CTRL_DELETING &&
			     state != NVME_CTRL_DELETING_NOIO);
		return;
	}
	nvme_tcp_ofld_reconnect_or_remove(ctrl, 0);
}

static void nvme_tcp_ofld_teardown_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl,
					bool shutdown)
{
	nvme_tcp_ofld_teardown_io_queues(ctrl, shutdown);
	nto_quiesce_admin_queue(&ctrl->nctrl);
	nto_disable_ctrl(&ctrl->nctrl, shutdown);
	nvme_tcp_ofld_teardown_admin_queue(ctrl, shutdown);
}

static void nvme_tcp_ofld_reset_ctrl_work(struct work_struct *work)
{
	struct nvme_ctrl *nctrl = container_of(work, struct nvme_ctrl,
					       reset_work);
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(nctrl);
	enum nvme_ctrl_state state;
	int ret;

	nvme_stop_ctrl(nctrl);
	nvme_tcp_ofld_teardown_ctrl(ctrl, false);

	if (!nvme_change_ctrl_state(nctrl, NVME_CTRL_CONNECTING)) {
		state = nto_ctrl_state(nctrl);
		WARN_ON_ONCE(state != NVME_CTRL_DELETING &&
			     state != NVME_CTRL_DELETING_NOIO);
		return;
	}

	ret = nvme_tcp_ofld_setup_ctrl(ctrl, false);
	if (ret) {
		++nctrl->nr_reconnects;
		dev_info(nctrl->device, "reset failed: %d\n", ret);
		nvme_tcp_ofld_reconnect_or_remove(ctrl, ret);
		return;
	}
	dev_info(nctrl->device, "reset done\n");
}

static void nvme_tcp_ofld_delete_ctrl(struct nvme_ctrl *nctrl)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(nctrl);

	nvme_tcp_ofld_teardown_ctrl(ctrl, true);
	nvme_tcp_ofld_debugfs_del_ctrl(ctrl);
	/* no vendor callback after this: unregister_dev may proceed */
	nvme_tcp_ofld_release_dev(ctrl);
}

static void nvme_tcp_ofld_stop_ctrl(struct nvme_ctrl *nctrl)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(nctrl);

	flush_work(&ctrl->err_work);
	cancel_delayed_work_sync(&ctrl->connect_work);
}

static void nvme_tcp_ofld_free_objects(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	u32 i;

	if (ctrl->queues) {
		for (i = 0; i < ctrl->max_queues; i++)
			kfree(ctrl->queues[i]);
		kfree(ctrl->queues);
	}
	kfree(ctrl->async_req);
}

static void nvme_tcp_ofld_free_ctrl(struct nvme_ctrl *nctrl)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = to_ofld_ctrl(nctrl);

	nvme_tcp_ofld_debugfs_del_ctrl(ctrl);
	/* on the list only once created: else nvme-fabrics owns the opts */
	if (!list_empty(&ctrl->list)) {
		mutex_lock(&nvme_tcp_ofld_mutex);
		list_del(&ctrl->list);
		mutex_unlock(&nvme_tcp_ofld_mutex);
		nvmf_free_options(nctrl->opts);
	}
	nvme_tcp_ofld_release_dev(ctrl);
	nvme_tcp_ofld_free_objects(ctrl);
	kfree(ctrl);
}

static const struct nvme_ctrl_ops nvme_tcp_ofld_ctrl_ops = {
	.name			= NVME_TCP_OFLD_NAME,
	.module			= THIS_MODULE,
	.flags			= NVME_F_FABRICS,
	.reg_read32		= nvmf_reg_read32,
	.reg_read64		= nvmf_reg_read64,
	.reg_write32		= nvmf_reg_write32,
	.subsystem_reset	= nvmf_subsystem_reset,
	.free_ctrl		= nvme_tcp_ofld_free_ctrl,
	.submit_async_event	= nvme_tcp_ofld_submit_async_event,
	.delete_ctrl		= nvme_tcp_ofld_delete_ctrl,
	.get_address		= nvmf_get_address,
	.stop_ctrl		= nvme_tcp_ofld_stop_ctrl,
};

/* Per-queue objects and the async event request, with the vendor's sizes. */
static int nvme_tcp_ofld_alloc_objects(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	const struct nvme_tcp_ofld_ops *ops = ctrl_ops(ctrl);
	struct nvme_tcp_ofld_q *q;
	u32 i;

	ctrl->queues = kcalloc(ctrl->max_queues, sizeof(*ctrl->queues),
			       GFP_KERNEL);
	if (!ctrl->queues)
		return -ENOMEM;
	for (i = 0; i < ctrl->max_queues; i++) {
		q = kzalloc(offsetof(struct nvme_tcp_ofld_q, ofld) +
			    ops->queue_size, GFP_KERNEL);
		if (!q)
			return -ENOMEM;
		q->ctrl = ctrl;
		q->ofld.ctrl = &ctrl->ofld;
		q->ofld.qid = i;
		mutex_init(&q->stop_lock);
		ctrl->queues[i] = q;
	}
	ctrl->async_req = kzalloc(ops->req_size, GFP_KERNEL);
	return ctrl->async_req ? 0 : -ENOMEM;
}

static int nvme_tcp_ofld_init_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				   struct device *dev,
				   struct nvmf_ctrl_options *opts)
{
	struct nvme_tcp_ofld_dev *odev = ctrl->ofld.dev;
	struct nvme_ctrl *nctrl = &ctrl->nctrl;
	int ret;

	nctrl->opts = opts;
	ctrl->max_queues = nvme_tcp_ofld_max_io_queues(opts, odev) + 1;
	nctrl->queue_count = ctrl->max_queues;
	nctrl->sqsize = opts->queue_size - 1;
	nctrl->kato = opts->kato;
	/* the device's task and SGE limits bound every I/O (see docs) */
	nctrl->max_hw_sectors = odev->max_hw_sectors;
	nctrl->max_segments = odev->max_segments;

	INIT_DELAYED_WORK(&ctrl->connect_work,
			  nvme_tcp_ofld_reconnect_ctrl_work);
	INIT_WORK(&ctrl->err_work, nvme_tcp_ofld_error_recovery_work);
	INIT_WORK(&nctrl->reset_work, nvme_tcp_ofld_reset_ctrl_work);

	ret = nvme_tcp_ofld_alloc_objects(ctrl);
	if (ret)
		return ret;
	ret = nvme_init_ctrl(nctrl, dev, &nvme_tcp_ofld_ctrl_ops, 0);
	if (ret)
		return ret;
	ctrl->ofld.device = nctrl->device;
	return 0;
}

struct nvme_ctrl *nvme_tcp_ofld_create_ctrl(struct device *dev,
					    struct nvmf_ctrl_options *opts)
{
	unsigned int user_mask = opts->mask;
	struct nvme_tcp_ofld_conn_params conn;
	struct nvme_tcp_ofld_ctrl_priv *ctrl;
	struct nvme_ctrl *nctrl;
	int ret;

	ret = nvme_tcp_ofld_parse_conn(opts, &conn);
	if (ret)
		return ERR_PTR(ret);

	if (!opts->duplicate_connect && nvme_tcp_ofld_existing_ctrl(opts)) {
		pr_err("%s: already connected to %s at %pISpc (use duplicate_connect)\n",
		       NVME_TCP_OFLD_NAME, opts->subsysnqn, &conn.remote);
		return ERR_PTR(-EALREADY);
	}

	ctrl = nvme_tcp_ofld_claim(user_mask, &conn);
	if (IS_ERR(ctrl))
		return ERR_CAST(ctrl);
	nctrl = &ctrl->nctrl;

	ret = nvme_tcp_ofld_init_ctrl(ctrl, dev, opts);
	if (ret) {
		/* nvme-core holds no reference yet: undo by hand */
		nvme_tcp_ofld_release_dev(ctrl);
		nvme_tcp_ofld_free_objects(ctrl);
		kfree(ctrl);
		return ERR_PTR(ret);
	}

	ret = nto_add_ctrl(nctrl);
	if (ret)
		goto out_put_ctrl;
	nvme_tcp_ofld_debugfs_add_ctrl(ctrl);

	if (!nvme_change_ctrl_state(nctrl, NVME_CTRL_CONNECTING)) {
		WARN_ON_ONCE(1);
		ret = -EINTR;
		goto out_uninit_ctrl;
	}

	ret = nvme_tcp_ofld_setup_ctrl(ctrl, true);
	if (ret)
		goto out_uninit_ctrl;

	dev_info(nctrl->device,
		 "new ctrl: NQN \"%s\", addr %pISpc, device %s, %u I/O queues\n",
		 opts->subsysnqn, &conn.remote, ctrl->ofld.dev->ops->name,
		 nctrl->queue_count - 1);

	mutex_lock(&nvme_tcp_ofld_mutex);
	list_add_tail(&ctrl->list, &nvme_tcp_ofld_ctrls);
	mutex_unlock(&nvme_tcp_ofld_mutex);
	return nctrl;

out_uninit_ctrl:
	nvme_uninit_ctrl(nctrl);
out_put_ctrl:
	/* the last reference frees the controller through free_ctrl */
	nto_put_ctrl(nctrl);
	if (ret > 0)
		ret = -EIO;
	return ERR_PTR(ret);
}
