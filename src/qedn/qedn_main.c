// SPDX-License-Identifier: GPL-2.0
/*
 * qedn module: registers with qed_nvmetcp as its client and turns every
 * engine that appears into one tcp_offload device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "nto_compat.h"
#include "qedn.h"

/* Longest bound the writable timeouts take: ten minutes. */
#define QEDN_TIMEOUT_MS_MAX	600000

/* A timeout of 0 would fail every connect or skip every drain: refused. */
static int qedn_timeout_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;

	if (kstrtouint(val, 0, &ms) || !ms || ms > QEDN_TIMEOUT_MS_MAX) {
		pr_err("%s: '%.*s' is not a timeout of 1..%u ms\n", kp->name,
		       (int)strcspn(val, "\n"), val, QEDN_TIMEOUT_MS_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = ms;
	return 0;
}

static const struct kernel_param_ops qedn_timeout_ms_ops = {
	.set = qedn_timeout_ms_set,
	.get = param_get_uint,
};

unsigned int qedn_connect_timeout_ms = 5000;
module_param_cb(connect_timeout_ms, &qedn_timeout_ms_ops,
		&qedn_connect_timeout_ms, 0644);
MODULE_PARM_DESC(connect_timeout_ms,
		 "Bound on TCP connect and on the ICReq/ICResp exchange (ms, default 5000)");

unsigned int qedn_drain_timeout_ms = 2000;
module_param_cb(drain_timeout_ms, &qedn_timeout_ms_ops,
		&qedn_drain_timeout_ms, 0644);
MODULE_PARM_DESC(drain_timeout_ms,
		 "Bound on waiting for task cleanup completions when a queue stops (ms, default 2000)");

unsigned int qedn_terminate_timeout_ms = 2000;
module_param_cb(terminate_timeout_ms, &qedn_timeout_ms_ops,
		&qedn_terminate_timeout_ms, 0644);
MODULE_PARM_DESC(terminate_timeout_ms,
		 "Bound on waiting for connection termination (ms, default 2000)");

unsigned int qedn_cq_depth = 4096;
module_param_named(cq_depth, qedn_cq_depth, uint, 0444);
MODULE_PARM_DESC(cq_depth,
		 "FW CQ entries per vector, rounded down to a power of two and capped by the engine (default 4096)");

unsigned int qedn_max_vectors;
module_param_named(max_vectors, qedn_max_vectors, uint, 0444);
MODULE_PARM_DESC(max_vectors,
		 "Use at most this many completion vectors per engine; bounds I/O queues (0 = engine and CPU count)");

struct workqueue_struct *qedn_wq;

static const struct nvme_tcp_ofld_ops qedn_ofld_ops = {
	.name		= "qedn",
	/*
	 * No module reference per controller: rmmod qedn removes its devices
	 * in qedn_exit(), and nvme_tcp_ofld_unregister_dev() deletes their
	 * controllers and returns only when no callback can run any more.
	 */
	.module		= NULL,
	.required_opts	= 0,
	.allowed_opts	= NVME_TCP_OFLD_OPT_TRSVCID |
			  NVME_TCP_OFLD_OPT_HOST_TRADDR |
			  NVME_TCP_OFLD_OPT_HOST_IFACE |
			  NVME_TCP_OFLD_OPT_HDR_DIGEST |
			  NVME_TCP_OFLD_OPT_DATA_DIGEST |
			  NVME_TCP_OFLD_OPT_TOS |
			  NVME_TCP_OFLD_OPT_NR_WRITE_QUEUES |
			  NVME_TCP_OFLD_OPT_NR_POLL_QUEUES,
	.ctrl_size	= sizeof(struct qedn_ctrl),
	.queue_size	= sizeof(struct qedn_conn),
	.req_size	= sizeof(struct nvme_tcp_ofld_req),
	.claim_dev	= qedn_claim_dev,
	.setup_ctrl	= qedn_setup_ctrl,
	.release_ctrl	= qedn_release_ctrl,
	.create_queue	= qedn_create_queue,
	.drain_queue	= qedn_drain_queue,
	.destroy_queue	= qedn_destroy_queue,
	.poll_queue	= qedn_poll_queue,
	.send_req	= qedn_send_req,
};

/* Engine -> qedn_dev, for ->remove.  Only touched under the client calls. */
static DEFINE_XARRAY(qedn_devs);

static u16 qedn_num_vectors(struct qedn_dev *qdev, u8 num_cqs)
{
	unsigned int n = min_t(unsigned int, qdev->caps.num_vectors, num_cqs);

	n = min(n, num_online_cpus());
	if (qedn_max_vectors)
		n = min(n, qedn_max_vectors);
	return n;
}

static struct qedn_dev *qedn_dev_alloc(struct qed_nvmetcp_engine *eng)
{
	struct qed_dev_nvmetcp_info info = {};
	struct qedn_dev *qdev;
	int rc;

	qdev = kzalloc(sizeof(*qdev), GFP_KERNEL);
	if (!qdev)
		return ERR_PTR(-ENOMEM);
	qdev->eng = eng;
	eng->ops->get_caps(eng, &qdev->caps);
	rc = eng->ops->fill_dev_info(eng, &info);
	if (rc)
		goto err_free;
	qdev->nvecs = qedn_num_vectors(qdev, info.num_cqs);
	/* A vector to spare serves the poll queues, without interrupts. */
	qdev->npoll = min_t(unsigned int, qdev->caps.num_vectors,
			    info.num_cqs) > qdev->nvecs;
	if (!qdev->nvecs || !qdev->caps.max_tasks || !qdev->caps.max_sges ||
	    !qdev->caps.sq_depth || !qdev->caps.cq_depth) {
		pr_err("%s: engine reports no vectors, tasks, SGEs or queue depth\n",
		       eng->name);
		rc = -EINVAL;
		goto err_free;
	}
	qdev->itid_map = bitmap_zalloc(qdev->caps.max_tasks, GFP_KERNEL);
	if (!qdev->itid_map) {
		rc = -ENOMEM;
		goto err_free;
	}
	spin_lock_init(&qdev->itid_lock);
	xa_init(&qdev->conns);

	qdev->ofld.ndev = eng->netdev;
	qdev->ofld.ops = &qedn_ofld_ops;
	qdev->ofld.num_hw_vectors = qdev->nvecs;
	qdev->ofld.max_hw_sectors = qdev->caps.max_io_size >> SECTOR_SHIFT;
	qdev->ofld.max_segments = qdev->caps.max_sges;
	return qdev;

err_free:
	kfree(qdev);
	return ERR_PTR(rc);
}

static void qedn_dev_free(struct qedn_dev *qdev)
{
	WARN_ON(!xa_empty(&qdev->conns));
	xa_destroy(&qdev->conns);
	bitmap_free(qdev->itid_map);
	kfree(qdev);
}

static int qedn_add(struct qed_nvmetcp_client *client,
		    struct qed_nvmetcp_engine *eng)
{
	struct qedn_dev *qdev;
	int rc;

	/* Hardware engines need DMA mappings qedn does not do yet. */
	if (eng->dev) {
		pr_warn("%s: hardware engines are not supported yet, ignoring\n",
			eng->name);
		return -EOPNOTSUPP;
	}

	qdev = qedn_dev_alloc(eng);
	if (IS_ERR(qdev))
		return PTR_ERR(qdev);

	rc = eng->ops->start(eng, &qdev->tasks, qdev, qedn_event_cb);
	if (rc) {
		pr_err("%s: engine start failed: %d\n", eng->name, rc);
		goto err_free;
	}
	rc = qedn_vecs_start(qdev);
	if (rc)
		goto err_stop;
	rc = xa_insert(&qedn_devs, (unsigned long)eng, qdev, GFP_KERNEL);
	if (rc)
		goto err_vecs;
	rc = nvme_tcp_ofld_register_dev(&qdev->ofld);
	if (rc) {
		pr_err("%s: registering with tcp_offload failed: %d\n",
		       eng->name, rc);
		goto err_erase;
	}
	pr_info("%s: offload device on %s: %u vectors%s, %u tasks, max IO %u bytes, %u SGEs\n",
		eng->name, netdev_name(eng->netdev), qdev->nvecs,
		qdev->npoll ? " and a poll vector" : "",
		qdev->caps.max_tasks, qdev->caps.max_io_size,
		qdev->caps.max_sges);
	return 0;

err_erase:
	xa_erase(&qedn_devs, (unsigned long)eng);
err_vecs:
	qedn_vecs_stop(qdev);
err_stop:
	eng->ops->stop(eng);
err_free:
	qedn_dev_free(qdev);
	return rc;
}

static void qedn_remove(struct qed_nvmetcp_client *client,
			struct qed_nvmetcp_engine *eng)
{
	struct qedn_dev *qdev = xa_erase(&qedn_devs, (unsigned long)eng);

	if (!qdev)
		return;
	/* Deletes the controllers: every connection is destroyed first. */
	nvme_tcp_ofld_unregister_dev(&qdev->ofld);
	qedn_vecs_stop(qdev);
	eng->ops->stop(eng);
	qedn_dev_free(qdev);
	pr_info("%s: offload device removed\n", eng->name);
}

static struct qed_nvmetcp_client qedn_client = {
	.name	= "qedn",
	.add	= qedn_add,
	.remove	= qedn_remove,
};

static int __init qedn_init(void)
{
	int rc;

	/* Completion work runs on the vector's CPU and must not be starved. */
	qedn_wq = alloc_workqueue("qedn", WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!qedn_wq)
		return -ENOMEM;
	rc = qed_nvmetcp_register_client(&qedn_client);
	if (rc) {
		pr_err("cannot register with qed_nvmetcp: %d\n", rc);
		destroy_workqueue(qedn_wq);
	}
	return rc;
}

static void __exit qedn_exit(void)
{
	pr_info("unloading: deleting the controllers of every device\n");
	qed_nvmetcp_unregister_client(&qedn_client);
	destroy_workqueue(qedn_wq);
}

module_init(qedn_init);
module_exit(qedn_exit);
MODULE_DESCRIPTION("NVMe/TCP offload driver for qed_nvmetcp engines");
MODULE_LICENSE("GPL");
