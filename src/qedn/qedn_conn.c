// SPDX-License-Identifier: GPL-2.0
/*
 * Connection slow path: one offloaded TCP connection per NVMe queue.
 *
 *   create: reserve port -> acquire_conn -> offload_conn -> CONNECT_COMPLETE
 *           -> ICReq task -> ICResp checks -> update_conn -> live
 *   drain:  stop sends -> cleanup task per outstanding task -> cleanup CQEs
 *   destroy: clear_sq -> destroy_conn -> TERMINATE_DONE -> release
 *
 * Every wait is bounded by a module parameter; a connection that failed or
 * did not drain is terminated abortively.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>

#include "qedn.h"

/* TCP settings handed to the engine (the firmware's own defaults). */
#define QEDN_TCP_TTL			64
#define QEDN_TCP_TS_OPTION_LEN		12
#define QEDN_TCP_KA_TIMEOUT_MS		7200000
#define QEDN_TCP_KA_INTERVAL_MS		10000
#define QEDN_TCP_KA_MAX_PROBES		10
#define QEDN_TCP_MAX_RT_TIME_MS		1200
#define QEDN_TCP_INIT_CWND_SEGS		10
#define QEDN_TCP_RCV_WND_SCALE		2

/* ICResp MAXH2CDATA lower bound and alignment (NVMe/TCP 1.0). */
#define QEDN_MIN_MAXH2CDATA		4096

static const char *qedn_qname(struct qedn_conn *conn)
{
	return conn->qdev->eng->name;
}

/*
 * The engine reported the connection unusable.  Wakes create_queue's waits
 * and, for a live queue, asks the ULP for error recovery (once).
 */
void qedn_conn_error(struct qedn_conn *conn, int err)
{
	if (test_and_set_bit(QEDN_CONN_FAILED, &conn->flags))
		return;
	complete(&conn->connect_done);
	complete(&conn->ic_done);
	if (test_bit(QEDN_CONN_LIVE, &conn->flags) &&
	    !test_bit(QEDN_CONN_STOPPED, &conn->flags))
		nvme_tcp_ofld_report_queue_err(&conn->ofld, err);
}

int qedn_event_cb(void *context, u8 fw_event_code, void *fw_handle)
{
	struct qedn_conn *conn = fw_handle;

	if (!conn)
		return -EINVAL;

	switch (fw_event_code) {
	case NVMETCP_EVENT_TYPE_ASYN_CONNECT_COMPLETE:
		set_bit(QEDN_CONN_CONNECTED, &conn->flags);
		complete(&conn->connect_done);
		break;
	case NVMETCP_EVENT_TYPE_ASYN_TERMINATE_DONE:
		set_bit(QEDN_CONN_TERMINATED, &conn->flags);
		complete(&conn->terminate_done);
		break;
	default:
		if (fw_event_code <= NVMETCP_EVENT_TYPE_START_OF_ERROR_TYPES)
			break;
		/*
		 * create_queue reports its own failures, and a FIN/RST after
		 * teardown started is expected: log live connections only.
		 */
		if (test_bit(QEDN_CONN_LIVE, &conn->flags) &&
		    !test_bit(QEDN_CONN_STOPPED, &conn->flags))
			pr_warn("%s: queue %u: connection error event %u\n",
				qedn_qname(conn), conn->ofld.qid,
				fw_event_code);
		qedn_conn_error(conn, -ECONNRESET);
	}
	return 0;
}

static u32 qedn_ntasks(struct nvme_tcp_ofld_queue *queue)
{
	/* The admin queue also carries the AER, whose id follows the tags. */
	if (!queue->qid)
		return max_t(u32, queue->depth, NVME_AQ_DEPTH);
	return queue->depth;
}

static void qedn_conn_free(struct qedn_conn *conn)
{
	qedn_tasks_free(conn);
	if (conn->cccid)
		free_pages_exact(conn->cccid,
				 QEDN_CCCID_ENTRIES * sizeof(*conn->cccid));
	conn->cccid = NULL;
	kfree(conn->sq.wqes);
	conn->sq.wqes = NULL;
	kfree(conn->icreq);
	conn->icreq = NULL;
	kfree(conn->icresp);
	conn->icresp = NULL;
}

static int qedn_conn_alloc(struct qedn_conn *conn)
{
	u32 sq_max = rounddown_pow_of_two(conn->qdev->caps.sq_depth);
	u32 depth;
	int rc;

	/* Room for a WQE per task plus a cleanup WQE per task during drain. */
	depth = min(roundup_pow_of_two(2 * (conn->ntasks + 1)), sq_max);
	if (depth < conn->ntasks + 1) {
		pr_err("%s: queue %u: depth %u exceeds the engine's SQ depth %u\n",
		       qedn_qname(conn), conn->ofld.qid, conn->ntasks, sq_max);
		return -EINVAL;
	}
	conn->sq.depth = depth;
	conn->sq.polled = conn->ofld.poll;
	conn->sq.wqes = kcalloc(depth, sizeof(*conn->sq.wqes), GFP_KERNEL);
	conn->cccid = alloc_pages_exact(QEDN_CCCID_ENTRIES *
					sizeof(*conn->cccid), GFP_KERNEL);
	conn->icreq = kzalloc(sizeof(*conn->icreq), GFP_KERNEL);
	conn->icresp = kzalloc(sizeof(*conn->icresp), GFP_KERNEL);
	if (!conn->sq.wqes || !conn->cccid || !conn->icreq || !conn->icresp) {
		rc = -ENOMEM;
		goto err;
	}
	/* All ones: no task behind a command id. */
	memset(conn->cccid, 0xff, QEDN_CCCID_ENTRIES * sizeof(*conn->cccid));
	rc = qedn_tasks_alloc(conn);
	if (rc)
		goto err;
	return 0;

err:
	qedn_conn_free(conn);
	return rc;
}

static void qedn_fill_ip(u32 *ip, const struct in6_addr *a, sa_family_t family)
{
	int i;

	/* The engine takes addresses as host-order 32-bit words. */
	for (i = 0; i < (family == AF_INET ? 1 : 4); i++)
		ip[i] = ntohl(a->s6_addr32[i]);
}

static u16 qedn_remote_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static int qedn_offload(struct qedn_conn *conn)
{
	struct nvme_tcp_ofld_ctrl *ctrl = conn->ofld.ctrl;
	const struct qed_nvmetcp_route *rt = &qedn_ctrl(ctrl)->route;
	struct qed_nvmetcp_engine *eng = conn->qdev->eng;
	struct qed_nvmetcp_params_offload p = {};
	u32 hdrs;

	ether_addr_copy(p.src.mac, rt->src_mac);
	ether_addr_copy(p.dst.mac, rt->dst_mac);
	p.vlan_id = rt->vlan_id;
	p.ip_version = rt->family == AF_INET ? TCP_IPV4 : TCP_IPV6;
	qedn_fill_ip(p.src.ip, &rt->src, rt->family);
	qedn_fill_ip(p.dst.ip, &rt->dst, rt->family);
	p.src.port = conn->src_port;
	p.dst.port = qedn_remote_port(&ctrl->conn.remote);

	p.timestamp_en = true;
	p.delayed_ack_en = true;
	p.tcp_keep_alive_en = true;
	p.ka_timeout = QEDN_TCP_KA_TIMEOUT_MS;
	p.ka_interval = QEDN_TCP_KA_INTERVAL_MS;
	p.ka_max_probe_cnt = QEDN_TCP_KA_MAX_PROBES;
	p.max_rt_time = QEDN_TCP_MAX_RT_TIME_MS;
	p.ttl = QEDN_TCP_TTL;
	p.tos_or_tc = ctrl->conn.tos >= 0 ? ctrl->conn.tos : 0;
	p.rcv_wnd_scale = QEDN_TCP_RCV_WND_SCALE;
	hdrs = (rt->family == AF_INET ? sizeof(struct iphdr) :
		sizeof(struct ipv6hdr)) + sizeof(struct tcphdr) +
	       QEDN_TCP_TS_OPTION_LEN;
	p.mss = rt->mtu > hdrs ? rt->mtu - hdrs : 536;
	p.cwnd = QEDN_TCP_INIT_CWND_SEGS * p.mss;

	p.sq_pbl_addr = qedn_phys(conn->sq.wqes);
	p.nvmetcp_cccid_itid_table_addr = qedn_phys(conn->cccid);
	p.nvmetcp_cccid_max_range = QEDN_CCCID_ENTRIES - 1;
	p.default_cq = conn->vec->idx;

	return eng->ops->offload_conn(eng, conn->handle, &p, &conn->sq, conn);
}

static bool qedn_try_completion(void *done)
{
	return try_wait_for_completion(done);
}

static int qedn_wait(struct qedn_conn *conn, struct completion *done,
		     unsigned int ms, const char *what)
{
	bool ok;

	if (conn->vec->polled)
		ok = qedn_vec_wait(conn->vec, qedn_try_completion, done, ms);
	else
		ok = wait_for_completion_timeout(done, msecs_to_jiffies(ms));
	if (!ok) {
		pr_err("%s: queue %u: no %s within %u ms\n", qedn_qname(conn),
		       conn->ofld.qid, what, ms);
		return -ETIMEDOUT;
	}
	if (test_bit(QEDN_CONN_FAILED, &conn->flags)) {
		pr_err("%s: queue %u: connection failed while waiting for %s\n",
		       qedn_qname(conn), conn->ofld.qid, what);
		return -ECONNREFUSED;
	}
	return 0;
}

static void qedn_set_sge(struct nvmetcp_sge *sge, void *buf, u32 len)
{
	qedn_set_regpair(&sge->sge_addr, qedn_phys(buf));
	sge->sge_len = cpu_to_le32(len);
	sge->reserved = 0;
}

static int qedn_send_icreq(struct qedn_conn *conn)
{
	const struct nvme_tcp_ofld_conn_params *cp = &conn->ofld.ctrl->conn;
	struct qedn_task *task = &conn->tasks[conn->ntasks];
	struct nvme_tcp_icreq_pdu *icreq = conn->icreq;
	struct storage_sgl_task_params tx = {}, rx = {};
	struct nvmetcp_task_params tp;
	struct nvmetcp_wqe wqe;

	memset(icreq, 0, sizeof(*icreq));
	icreq->hdr.type = nvme_tcp_icreq;
	icreq->hdr.hlen = sizeof(*icreq);
	icreq->hdr.plen = cpu_to_le32(sizeof(*icreq));
	icreq->pfv = cpu_to_le16(NVME_TCP_PFV_1_0);
	icreq->maxr2t = 0;	/* 0's based: one outstanding R2T per command */
	icreq->hpda = 0;
	if (cp->hdr_digest)
		icreq->digest |= NVME_TCP_HDR_DIGEST_ENABLE;
	if (cp->data_digest)
		icreq->digest |= NVME_TCP_DATA_DIGEST_ENABLE;

	qedn_set_sge(&task->sges[0], icreq, sizeof(*icreq));
	tx.sgl = &task->sges[0];
	qedn_set_regpair(&tx.sgl_phys_addr, qedn_phys(&task->sges[0]));
	tx.total_buffer_size = sizeof(*icreq);
	tx.num_sges = 1;
	qedn_set_sge(&task->sges[1], conn->icresp, sizeof(*conn->icresp));
	rx.sgl = &task->sges[1];
	qedn_set_regpair(&rx.sgl_phys_addr, qedn_phys(&task->sges[1]));
	rx.total_buffer_size = sizeof(*conn->icresp);
	rx.num_sges = 1;

	qedn_task_params(conn, task, &tp, &wqe);
	tp.tx_io_size = sizeof(*icreq);
	tp.rx_io_size = sizeof(*conn->icresp);
	conn->qdev->eng->ops->init_icreq_exchange(&tp, icreq, &tx, &rx);
	return qedn_post_wqe(conn, &wqe, NULL, false);
}

static int qedn_check_icresp(struct qedn_conn *conn)
{
	const struct nvme_tcp_ofld_conn_params *cp = &conn->ofld.ctrl->conn;
	const struct nvmetcp_icresp_mdata *m = &conn->icresp_mdata;
	bool hdgst = m->digest & NVME_TCP_HDR_DIGEST_ENABLE;
	bool ddgst = m->digest & NVME_TCP_DATA_DIGEST_ENABLE;
	u32 maxdata = le32_to_cpu(m->maxdata);
	u16 pfv = le16_to_cpu(m->pfv);

	if (pfv != NVME_TCP_PFV_1_0) {
		pr_err("%s: queue %u: ICResp PFV %u not supported\n",
		       qedn_qname(conn), conn->ofld.qid, pfv);
		return -EPROTO;
	}
	/* CPDA is a 0's based dword count limited to 31 by the spec. */
	if (m->cpda > 31) {
		pr_err("%s: queue %u: ICResp CPDA %u invalid\n",
		       qedn_qname(conn), conn->ofld.qid, m->cpda);
		return -EPROTO;
	}
	if (hdgst != cp->hdr_digest || ddgst != cp->data_digest) {
		pr_err("%s: queue %u: digest mismatch: asked header %d data %d, target agreed header %d data %d\n",
		       qedn_qname(conn), conn->ofld.qid, cp->hdr_digest,
		       cp->data_digest, hdgst, ddgst);
		return -EPROTO;
	}
	if (maxdata < QEDN_MIN_MAXH2CDATA || maxdata % 4) {
		pr_err("%s: queue %u: ICResp MAXH2CDATA %u invalid\n",
		       qedn_qname(conn), conn->ofld.qid, maxdata);
		return -EPROTO;
	}
	conn->maxh2cdata = maxdata;
	return 0;
}

static int qedn_update(struct qedn_conn *conn)
{
	const struct nvme_tcp_ofld_conn_params *cp = &conn->ofld.ctrl->conn;
	struct qed_nvmetcp_engine *eng = conn->qdev->eng;
	struct qed_nvmetcp_params_update u = {
		.max_io_size = conn->qdev->caps.max_io_size,
		.max_recv_pdu_length = conn->qdev->caps.max_io_size,
		.max_send_pdu_length = conn->maxh2cdata,
		.hdr_digest_en = cp->hdr_digest,
		.data_digest_en = cp->data_digest,
	};

	return eng->ops->update_conn(eng, conn->handle, &u);
}

/* Connect and negotiate an acquired, registered connection. */
static int qedn_conn_establish(struct qedn_conn *conn)
{
	int rc;

	rc = qedn_offload(conn);
	if (rc) {
		pr_err("%s: queue %u: offload_conn failed: %d\n",
		       qedn_qname(conn), conn->ofld.qid, rc);
		return rc;
	}
	set_bit(QEDN_CONN_OFFLOADED, &conn->flags);
	rc = qedn_wait(conn, &conn->connect_done, qedn_connect_timeout_ms,
		       "TCP connect");
	if (rc)
		return rc;
	rc = qedn_send_icreq(conn);
	if (rc)
		return rc;
	rc = qedn_wait(conn, &conn->ic_done, qedn_connect_timeout_ms, "ICResp");
	if (rc)
		return rc;
	rc = qedn_check_icresp(conn);
	if (rc)
		return rc;
	rc = qedn_update(conn);
	if (rc)
		pr_err("%s: queue %u: update_conn failed: %d\n",
		       qedn_qname(conn), conn->ofld.qid, rc);
	return rc;
}

/* Terminate an offloaded connection; bounded wait for TERMINATE_DONE. */
static void qedn_conn_terminate(struct qedn_conn *conn)
{
	struct qed_nvmetcp_engine *eng = conn->qdev->eng;
	bool abortive = test_bit(QEDN_CONN_FAILED, &conn->flags);
	int rc;

	if (!test_and_clear_bit(QEDN_CONN_OFFLOADED, &conn->flags))
		return;
	rc = eng->ops->destroy_conn(eng, conn->handle, abortive);
	if (rc) {
		pr_warn("%s: queue %u: destroy_conn failed: %d\n",
			qedn_qname(conn), conn->ofld.qid, rc);
		return;
	}
	if (!wait_for_completion_timeout(&conn->terminate_done,
					 msecs_to_jiffies(qedn_terminate_timeout_ms)))
		pr_warn("%s: queue %u: no terminate done within %u ms\n",
			qedn_qname(conn), conn->ofld.qid,
			qedn_terminate_timeout_ms);
}

/* Forget the connection: no CQE or event reaches it after return. */
static void qedn_conn_release(struct qedn_conn *conn)
{
	struct qed_nvmetcp_engine *eng = conn->qdev->eng;

	xa_erase(&conn->qdev->conns, conn->fw_cid);
	qedn_vec_fence(conn->vec);
	eng->ops->release_conn(eng, conn->handle);
	eng->ops->release_port(eng, conn->family, conn->src_port);
	qedn_conn_free(conn);
}

static void qedn_conn_init(struct qedn_conn *conn)
{
	struct nvme_tcp_ofld_queue *queue = &conn->ofld;
	struct qedn_dev *qdev = qedn_dev(queue->ctrl->dev);

	/* The queue object may be reused across associations. */
	memset((char *)conn + sizeof(conn->ofld), 0,
	       sizeof(*conn) - sizeof(conn->ofld));
	conn->qdev = qdev;
	if (queue->poll && qdev->poll_vec)
		conn->vec = qdev->poll_vec;
	else
		conn->vec = &qdev->vecs[queue->qid ?
					(queue->qid - 1) % qdev->nvecs : 0];
	if (queue->poll && conn->vec != qdev->poll_vec)
		qedn_vec_add_poll_queue(conn->vec);
	conn->family = qedn_ctrl(queue->ctrl)->route.family;
	conn->ntasks = qedn_ntasks(queue);
	spin_lock_init(&conn->sq_lock);
	atomic_set(&conn->cleanups, 0);
	init_completion(&conn->connect_done);
	init_completion(&conn->ic_done);
	init_completion(&conn->terminate_done);
	init_waitqueue_head(&conn->drain_wq);
}

int qedn_create_queue(struct nvme_tcp_ofld_queue *queue)
{
	struct qedn_conn *conn = qedn_conn(queue);
	struct qed_nvmetcp_engine *eng;
	int rc;

	qedn_conn_init(conn);
	eng = conn->qdev->eng;
	rc = qedn_conn_alloc(conn);
	if (rc)
		return rc;
	rc = eng->ops->reserve_port(eng, conn->family, &conn->src_port);
	if (rc) {
		pr_err("%s: queue %u: no local TCP port: %d\n",
		       eng->name, queue->qid, rc);
		goto err_free;
	}
	rc = eng->ops->acquire_conn(eng, &conn->handle, &conn->fw_cid);
	if (rc) {
		pr_err("%s: queue %u: acquire_conn failed: %d\n",
		       eng->name, queue->qid, rc);
		goto err_port;
	}
	rc = xa_insert(&conn->qdev->conns, conn->fw_cid, conn, GFP_KERNEL);
	if (rc)
		goto err_conn;

	rc = qedn_conn_establish(conn);
	if (rc) {
		/* Whatever the engine holds, tear it down without a FIN. */
		set_bit(QEDN_CONN_FAILED, &conn->flags);
		qedn_conn_terminate(conn);
		qedn_conn_release(conn);
		return rc;
	}
	set_bit(QEDN_CONN_LIVE, &conn->flags);
	return 0;

err_conn:
	eng->ops->release_conn(eng, conn->handle);
err_port:
	eng->ops->release_port(eng, conn->family, conn->src_port);
err_free:
	qedn_conn_free(conn);
	return rc;
}

static void qedn_post_cleanup(struct qedn_conn *conn, struct qedn_task *task)
{
	struct nvmetcp_task_params tp;
	struct nvmetcp_wqe wqe;

	set_bit(QEDN_TASK_CLEANUP, &task->flags);
	atomic_inc(&conn->cleanups);
	qedn_task_params(conn, task, &tp, &wqe);
	conn->qdev->eng->ops->init_task_cleanup(&tp);
	qedn_post_wqe(conn, &wqe, NULL, true);
}

static bool qedn_cleanups_done(void *conn)
{
	return !atomic_read(&((struct qedn_conn *)conn)->cleanups);
}

static bool qedn_drain_wait(struct qedn_conn *conn, unsigned int ms)
{
	if (conn->vec->polled)
		return qedn_vec_wait(conn->vec, qedn_cleanups_done, conn, ms);
	return wait_event_timeout(conn->drain_wq,
				  !atomic_read(&conn->cleanups),
				  msecs_to_jiffies(ms));
}

void qedn_drain_queue(struct nvme_tcp_ofld_queue *queue)
{
	struct qedn_conn *conn = qedn_conn(queue);
	unsigned int ms = qedn_drain_timeout_ms;
	u32 i;

	if (!conn->tasks || test_bit(QEDN_CONN_DRAINED, &conn->flags))
		return;

	/* Under the SQ lock: no send is half-way through after this. */
	spin_lock_bh(&conn->sq_lock);
	set_bit(QEDN_CONN_STOPPED, &conn->flags);
	spin_unlock_bh(&conn->sq_lock);

	/*
	 * Only tasks whose WQE the engine has: a send_req still on its way
	 * (the timeout handler drains without quiescing) finds the queue
	 * stopped and releases its task itself.
	 */
	for (i = 0; i < conn->ntasks; i++)
		if (test_bit(QEDN_TASK_POSTED, &conn->tasks[i].flags))
			qedn_post_cleanup(conn, &conn->tasks[i]);

	if (!qedn_drain_wait(conn, ms)) {
		pr_warn("%s: queue %u: %d task cleanups not done within %u ms, aborting the connection\n",
			qedn_qname(conn), queue->qid,
			atomic_read(&conn->cleanups), ms);
		set_bit(QEDN_CONN_FAILED, &conn->flags);
	}

	spin_lock(&conn->vec->lock);
	qedn_tasks_forget(conn);
	spin_unlock(&conn->vec->lock);
}

void qedn_destroy_queue(struct nvme_tcp_ofld_queue *queue)
{
	struct qedn_conn *conn = qedn_conn(queue);
	struct qed_nvmetcp_engine *eng;

	if (!conn->tasks)
		return;
	eng = conn->qdev->eng;
	qedn_drain_queue(queue);
	eng->ops->clear_sq(eng, conn->handle);
	qedn_conn_terminate(conn);
	qedn_conn_release(conn);
	clear_bit(QEDN_CONN_LIVE, &conn->flags);
}
