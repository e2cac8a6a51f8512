// SPDX-License-Identifier: GPL-2.0
/*
 * Software engine: creation on a netdev, the function-level operations
 * (device info, start/stop with the task context memory, port filters) and
 * the operations table clients call.
 */
#include <linux/cpumask.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "soft.h"

struct e5_nvmetcp_task_context *soft_task_ctx(struct soft_eng *se, u16 itid)
{
	return se->task_mem + (size_t)itid * se->task_size;
}

static int soft_fill_dev_info(struct qed_nvmetcp_engine *eng,
			      struct qed_dev_nvmetcp_info *info)
{
	struct soft_eng *se = to_soft(eng);

	memset(info, 0, sizeof(*info));
	ether_addr_copy(info->common.hw_mac, eng->netdev->dev_addr);
	info->common.num_hwfns = 1;
	info->common.mtu = eng->netdev->mtu;
	info->port_id = 0;
	info->num_cqs = se->caps.num_vectors;
	return 0;
}

static void soft_get_caps(struct qed_nvmetcp_engine *eng,
			  struct qed_nvmetcp_engine_caps *caps)
{
	*caps = to_soft(eng)->caps;
}

static void soft_register_ops(struct qed_nvmetcp_engine *eng,
			      struct qed_nvmetcp_cb_ops *ops, void *cookie)
{
	struct soft_eng *se = to_soft(eng);

	se->cb_ops = ops;
	se->cb_cookie = cookie;
}

static int soft_start(struct qed_nvmetcp_engine *eng,
		      struct qed_nvmetcp_tid *tasks, void *event_context,
		      nvmetcp_event_cb_t async_event_cb)
{
	struct soft_eng *se = to_soft(eng);
	u32 i, nblocks;
	int rc = 0;

	if (!tasks || !async_event_cb)
		return -EINVAL;
	mutex_lock(&se->lock);
	if (se->started) {
		rc = -EALREADY;
		goto out;
	}
	se->task_size = sizeof(struct e5_nvmetcp_task_context);
	se->task_mem = vzalloc(array_size(se->caps.max_tasks, se->task_size));
	if (!se->task_mem) {
		rc = -ENOMEM;
		goto out;
	}
	se->tids_per_block = DIV_ROUND_UP(se->caps.max_tasks,
					  MAX_TID_BLOCKS_NVMETCP);
	nblocks = DIV_ROUND_UP(se->caps.max_tasks, se->tids_per_block);
	memset(tasks, 0, sizeof(*tasks));
	tasks->size = se->task_size;
	tasks->num_tids_per_block = se->tids_per_block;
	for (i = 0; i < nblocks; i++)
		tasks->blocks[i] = (u8 *)soft_task_ctx(se,
						       i * se->tids_per_block);
	se->event_ctx = event_context;
	se->event_cb = async_event_cb;
	se->started = true;
out:
	mutex_unlock(&se->lock);
	return rc;
}

static int soft_stop(struct qed_nvmetcp_engine *eng)
{
	struct soft_eng *se = to_soft(eng);
	int i, rc = 0;

	mutex_lock(&se->lock);
	for (i = 0; i < SOFT_MAX_CONNS; i++) {
		if (se->conns[i]) {
			pr_err("qed_nvmetcp: %s: stop with connection %d still acquired\n",
			       eng->name, i);
			rc = -EBUSY;
			goto out;
		}
	}
	if (se->started) {
		vfree(se->task_mem);
		se->task_mem = NULL;
		se->started = false;
		se->event_cb = NULL;
	}
out:
	mutex_unlock(&se->lock);
	return rc;
}

/*
 * Port filters steer a hardware function's TCP ports away from the host
 * stack.  The software engine uses the host stack itself, so there is
 * nothing to steer; reserve_port() is what keeps ports apart.
 */
static int soft_add_port_filter(struct qed_nvmetcp_engine *eng, u16 port)
{
	return 0;
}

static void soft_remove_port_filter(struct qed_nvmetcp_engine *eng, u16 port)
{
}

static void soft_clear_all_filters(struct qed_nvmetcp_engine *eng)
{
}

const struct qed_nvmetcp_engine_ops soft_eng_ops = {
	.fill_dev_info = soft_fill_dev_info,
	.get_caps = soft_get_caps,
	.register_ops = soft_register_ops,
	.start = soft_start,
	.stop = soft_stop,
	.vector_setup = soft_vector_setup,
	.vector_release = soft_vector_release,
	.vector_enable = soft_vector_enable,
	.acquire_conn = soft_acquire_conn,
	.release_conn = soft_release_conn,
	.offload_conn = soft_offload_conn,
	.update_conn = soft_update_conn,
	.destroy_conn = soft_destroy_conn,
	.clear_sq = soft_clear_sq,
	.ring_doorbell = soft_ring_doorbell,
	.poll_conn = soft_poll_conn,
	.add_src_tcp_port_filter = soft_add_port_filter,
	.remove_src_tcp_port_filter = soft_remove_port_filter,
	.add_dst_tcp_port_filter = soft_add_port_filter,
	.remove_dst_tcp_port_filter = soft_remove_port_filter,
	.clear_all_filters = soft_clear_all_filters,
	.init_read_io = nvmetcp_init_read_io,
	.init_write_io = nvmetcp_init_write_io,
	.init_icreq_exchange = nvmetcp_init_icreq_exchange,
	.init_task_cleanup = nvmetcp_init_task_cleanup,
	.get_route = soft_get_route,
	.reserve_port = soft_reserve_port,
	.release_port = soft_release_port,
};

struct qed_nvmetcp_engine *soft_eng_create(struct net_device *netdev)
{
	struct soft_eng *se;
	int i;

	se = kzalloc(sizeof(*se), GFP_KERNEL);
	if (!se)
		return ERR_PTR(-ENOMEM);
	se->tasks = kvcalloc(SOFT_MAX_TASKS, sizeof(*se->tasks), GFP_KERNEL);
	if (!se->tasks) {
		kfree(se);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&se->lock);
	INIT_LIST_HEAD(&se->ports);
	se->caps = (struct qed_nvmetcp_engine_caps) {
		.max_conns = SOFT_MAX_CONNS,
		.max_tasks = SOFT_MAX_TASKS,
		.max_io_size = SOFT_MAX_IO_SIZE,
		.max_sges = SOFT_MAX_SGES,
		/* one per CPU, and one a driver may keep for poll queues */
		.num_vectors = soft_vectors ?:
			       min_t(u32, num_online_cpus() + 1,
				     SOFT_MAX_VECTORS),
		.sq_depth = SOFT_SQ_DEPTH,
		.cq_depth = SOFT_CQ_DEPTH,
		.software = true,
	};
	for (i = 0; i < SOFT_MAX_TASKS; i++) {
		se->tasks[i].itid = i;
		INIT_LIST_HEAD(&se->tasks[i].r2t_entry);
		INIT_LIST_HEAD(&se->tasks[i].cq_entry);
		INIT_HLIST_NODE(&se->tasks[i].cid_node);
	}
	for (i = 0; i < SOFT_MAX_VECTORS; i++) {
		se->vecs[i].eng = se;
		se->vecs[i].idx = i;
		spin_lock_init(&se->vecs[i].lock);
		INIT_WORK(&se->vecs[i].irq, soft_vec_irq);
	}
	se->pub.ops = &soft_eng_ops;
	se->pub.netdev = netdev;
	dev_hold(netdev);
	snprintf(se->pub.name, sizeof(se->pub.name), "soft-%s",
		 netdev_name(netdev));
	return &se->pub;
}

/*
 * The client has let go (or never had the engine); anything it left
 * behind is torn down here so that nothing outlives the engine.
 */
void soft_eng_destroy(struct qed_nvmetcp_engine *eng)
{
	struct soft_eng *se = to_soft(eng);
	int i;

	soft_faults_remove(se);
	soft_conn_kill_all(se);
	for (i = 0; i < SOFT_MAX_VECTORS; i++)
		soft_vector_release(eng, i);
	soft_release_all_ports(se);
	if (se->started)
		soft_stop(eng);
	dev_put(eng->netdev);
	kvfree(se->tasks);
	kfree(se);
}
