/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qedn: attaches NVMeTCP offload engines (qed_nvmetcp) to the tcp_offload
 * NVMe-oF host transport (nvme_tcp_offload).
 *
 * One qedn_dev per engine: it owns the engine's task context memory, its
 * completion vectors (FW CQ + status block each) and the itid allocator.
 * One qedn_conn per NVMe queue: an offloaded TCP connection with its own SQ,
 * CCCID->ITID table and task pool indexed by the command's tag.
 */
#ifndef QEDN_H
#define QEDN_H

#include <linux/completion.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "nvme_tcp_offload.h"
#include "qed_nvmetcp_engine.h"

/* nvme-core puts a generation counter in the top 4 bits of command ids. */
#define QEDN_CID_TAG_MASK	0xfff
/* The CCCID->ITID table covers every 16-bit command id the target echoes. */
#define QEDN_CCCID_ENTRIES	BIT(16)

struct qedn_dev;

/* Module parameters (qedn_main.c); documented in docs/qedn.md. */
extern unsigned int qedn_connect_timeout_ms;
extern unsigned int qedn_drain_timeout_ms;
extern unsigned int qedn_terminate_timeout_ms;
extern unsigned int qedn_cq_depth;
extern unsigned int qedn_max_vectors;
extern struct workqueue_struct *qedn_wq;

/**
 * struct qedn_vec - one completion vector of an engine
 * @fw:		what the engine sees (CQ ring, status block, handler)
 * @qdev:	owning device
 * @idx:	vector index in the engine
 * @cons:	next CQE to process (free running, masked with depth - 1)
 * @lock:	serializes CQE processing between the handler, the work and
 *		polling, and fences queue teardown against in-flight
 *		processing.  Taken with interrupts off, as the handler may
 *		run in hard interrupt context; except on the poll vector,
 *		whose polled bios from the bio alloc cache must complete with
 *		interrupts on and outside interrupt context (6.1 warns).
 * @work:	completion processing on fw.cpu, for @shared_with_poll
 * @stopping:	being released: the handler and the work must not
 *		re-enable the vector
 * @shared_with_poll: a poll queue completes here (no spare poll vector):
 *		the handler defers to @work, out of interrupt context
 * @polled:	the poll queues' vector: never enabled, reaped only by
 *		poll_queue() and by waits on its queues
 */
struct qedn_vec {
	struct qed_nvmetcp_vector fw;
	struct qedn_dev *qdev;
	u16 idx;
	u16 cons;
	spinlock_t lock;
	struct work_struct work;
	bool stopping;
	bool shared_with_poll;
	bool polled;
};

/**
 * struct qedn_dev - one engine registered with the ULP as one device
 * @ofld:	ULP device (first: the ULP hands it back to claim_dev)
 * @eng:	the engine
 * @caps:	engine limits
 * @tasks:	task context memory filled by the engine's start()
 * @vecs:	@nvecs interrupt-driven completion vectors, then the poll
 *		vector if the engine has one to spare
 * @npoll:	1 if there is such a poll vector, else 0
 * @poll_vec:	that poll vector, shared by every poll queue, or NULL
 * @conns:	fw_cid -> qedn_conn, for CQEs (RCU-safe lookups)
 * @itid_lock:	protects @itid_map
 * @itid_map:	allocated task ids
 */
struct qedn_dev {
	struct nvme_tcp_ofld_dev ofld;
	struct qed_nvmetcp_engine *eng;
	struct qed_nvmetcp_engine_caps caps;
	struct qed_nvmetcp_tid tasks;
	struct qedn_vec *vecs;
	u16 nvecs;
	u16 npoll;
	struct qedn_vec *poll_vec;
	struct xarray conns;
	spinlock_t itid_lock;
	unsigned long *itid_map;
};

/**
 * struct qedn_ctrl - vendor part of a controller
 * @ofld:	ULP controller (first)
 * @route:	route to the target, resolved by setup_ctrl
 */
struct qedn_ctrl {
	struct nvme_tcp_ofld_ctrl ofld;
	struct qed_nvmetcp_route route;
};

/* qedn_task.flags bits */
enum {
	QEDN_TASK_ACTIVE,	/* slot taken by send_req, completion pending */
	QEDN_TASK_POSTED,	/* its WQE is on the SQ: the engine has it */
	QEDN_TASK_CLEANUP,	/* cleanup WQE posted, cleanup CQE pending */
};

/*
 * Segments a task maps into storage of its own (64 KiB of 4 KiB pages);
 * a larger request gets arrays allocated for it while it is in flight,
 * as nvme-rdma chains SG tables beyond its inline entries.
 */
#define QEDN_INLINE_SGES	16

/**
 * struct qedn_task_sgl - a task's own mapping storage
 * @sg:		scatterlist the request's bios are mapped into
 * @sges:	the same as engine SGEs
 */
struct qedn_task_sgl {
	struct scatterlist sg[QEDN_INLINE_SGES];
	struct nvmetcp_sge sges[QEDN_INLINE_SGES];
};

/**
 * struct qedn_task - one command slot of a queue (indexed by tag)
 * @flags:	QEDN_TASK_* bits
 * @itid:	engine task id
 * @req:	request in flight, or NULL
 * @own:	the task's own mapping storage
 * @sges:	engine SGEs of the request in flight: @own->sges, or an array
 *		allocated for it, freed once the engine is done with the task
 *		(its NORMAL or CLEANUP CQE, else when the queue is destroyed)
 * @nents:	entries of @sges in use
 */
struct qedn_task {
	unsigned long flags;
	u16 itid;
	struct nvme_tcp_ofld_req *req;
	struct qedn_task_sgl *own;
	struct nvmetcp_sge *sges;
	int nents;
};

/* qedn_conn.flags bits */
enum {
	QEDN_CONN_OFFLOADED,	/* offload_conn accepted: destroy_conn needed */
	QEDN_CONN_CONNECTED,	/* ASYN_CONNECT_COMPLETE seen */
	QEDN_CONN_FAILED,	/* the engine reported a connection error */
	QEDN_CONN_LIVE,		/* ICResp accepted; commands may be sent */
	QEDN_CONN_STOPPED,	/* drain started: no more sends */
	QEDN_CONN_DRAINED,	/* no more request completions */
	QEDN_CONN_TERMINATED,	/* ASYN_TERMINATE_DONE seen */
};

/**
 * struct qedn_conn - vendor part of a queue: one offloaded connection
 * @ofld:	ULP queue (first)
 * @qdev:	device of the controller
 * @vec:	completion vector (default_cq)
 * @flags:	QEDN_CONN_* bits
 * @handle:	engine connection handle
 * @fw_cid:	id the engine's CQEs carry
 * @src_port:	reserved local TCP port (host order), 0 if none
 * @family:	address family of the connection
 * @sq_lock:	protects the SQ producer and the STOPPED check in send
 * @sq:		SQ ring given to the engine
 * @sq_prod:	free-running producer index
 * @cccid:	CCCID->ITID table read by the engine
 * @tasks:	@ntasks slots indexed by tag, plus one for the ICReq
 * @ntasks:	command slots (the ICReq slot is tasks[ntasks])
 * @cleanups:	cleanup CQEs still expected during drain
 * @icreq:	ICReq PDU sent by the IC task
 * @icresp:	ICResp PDU buffer for the IC task
 * @icresp_mdata: ICResp fields reported in the IC task's CQE
 * @connect_done: connect complete (or failure) event
 * @ic_done:	IC task completed (or the connection failed)
 * @terminate_done: terminate done event
 * @drain_wq:	drain waits here for @cleanups to reach 0
 * @maxh2cdata:	target's MAXH2CDATA
 */
struct qedn_conn {
	struct nvme_tcp_ofld_queue ofld;
	struct qedn_dev *qdev;
	struct qedn_vec *vec;
	unsigned long flags;
	u32 handle;
	u32 fw_cid;
	u16 src_port;
	sa_family_t family;

	spinlock_t sq_lock;
	struct qed_nvmetcp_conn_sq sq;
	u16 sq_prod;

	struct nvmetcp_host_cccid_itid_entry *cccid;
	struct qedn_task *tasks;
	u32 ntasks;
	atomic_t cleanups;

	struct nvme_tcp_icreq_pdu *icreq;
	struct nvme_tcp_icresp_pdu *icresp;
	struct nvmetcp_icresp_mdata icresp_mdata;
	struct completion connect_done;
	struct completion ic_done;
	struct completion terminate_done;
	wait_queue_head_t drain_wq;
	u32 maxh2cdata;
};

static inline struct qedn_conn *qedn_conn(struct nvme_tcp_ofld_queue *queue)
{
	return container_of(queue, struct qedn_conn, ofld);
}

static inline struct qedn_dev *qedn_dev(struct nvme_tcp_ofld_dev *dev)
{
	return container_of(dev, struct qedn_dev, ofld);
}

static inline struct qedn_ctrl *qedn_ctrl(struct nvme_tcp_ofld_ctrl *ctrl)
{
	return container_of(ctrl, struct qedn_ctrl, ofld);
}

/*
 * Addresses handed to the engine.  A software engine has no struct device
 * and reaches memory through physical addresses; qedn accepts only such
 * engines for now (see qedn_add()).
 */
static inline u64 qedn_phys(void *p)
{
	return virt_to_phys(p);
}

static inline void qedn_set_regpair(struct regpair *r, u64 v)
{
	r->lo = cpu_to_le32(lower_32_bits(v));
	r->hi = cpu_to_le32(upper_32_bits(v));
}

/* qedn_ctrl.c */
int qedn_claim_dev(struct nvme_tcp_ofld_dev *dev,
		   struct nvme_tcp_ofld_ctrl *ctrl);
int qedn_setup_ctrl(struct nvme_tcp_ofld_ctrl *ctrl);
void qedn_release_ctrl(struct nvme_tcp_ofld_ctrl *ctrl);

/* qedn_vec.c */
int qedn_vecs_start(struct qedn_dev *qdev);
void qedn_vecs_stop(struct qedn_dev *qdev);
int qedn_poll_queue(struct nvme_tcp_ofld_queue *queue);
void qedn_vec_fence(struct qedn_vec *vec);
void qedn_vec_add_poll_queue(struct qedn_vec *vec);
bool qedn_vec_wait(struct qedn_vec *vec, bool (*done)(void *arg), void *arg,
		   unsigned int ms);

/* qedn_conn.c */
int qedn_event_cb(void *context, u8 fw_event_code, void *fw_handle);
int qedn_create_queue(struct nvme_tcp_ofld_queue *queue);
void qedn_drain_queue(struct nvme_tcp_ofld_queue *queue);
void qedn_destroy_queue(struct nvme_tcp_ofld_queue *queue);
void qedn_conn_error(struct qedn_conn *conn, int err);

/* qedn_task.c */
int qedn_tasks_alloc(struct qedn_conn *conn);
void qedn_tasks_free(struct qedn_conn *conn);
void qedn_task_params(struct qedn_conn *conn, struct qedn_task *task,
		      struct nvmetcp_task_params *tp, struct nvmetcp_wqe *wqe);
int qedn_post_wqe(struct qedn_conn *conn, const struct nvmetcp_wqe *wqe,
		  struct qedn_task *task, bool force);
int qedn_send_req(struct nvme_tcp_ofld_req *req);
void qedn_task_complete(struct qedn_conn *conn, struct qedn_task *task,
			const struct nvmetcp_fw_cqe *cqe);
void qedn_task_cleaned(struct qedn_conn *conn, struct qedn_task *task);
void qedn_tasks_forget(struct qedn_conn *conn);

#endif /* QEDN_H */
