// SPDX-License-Identifier: GPL-2.0
/*
 * Completion vectors: a FW CQ and a status block per vector.  The engine's
 * "MSI-X" handler walks the CQ from our consumer to the engine's producer,
 * completing each command to the ULP, then re-enables the vector: as
 * nvme-pci reaps in its interrupt handler.  The work per CQE is a lookup
 * and the completion; a work item in between would add a wake-up and a
 * context switch to every interrupt.
 *
 * The poll vector, if the engine has one to spare, is never enabled: the
 * poll queues' completions are reaped by the threads that poll for them
 * (as nvme-pci's poll queues have no interrupt), with nothing in between,
 * and by qedn's own waits on those queues.  Without a spare vector, poll
 * queues share interrupt-driven vectors, and those vectors complete from a
 * work item on their CPU: a polled bio may come from the per-CPU bio
 * cache, which 6.1 refuses to take back in interrupt context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "qedn.h"

/* Errors that make the connection unusable (data errors do not). */
static bool qedn_cqe_conn_err(const struct nvmetcp_fw_cqe *cqe)
{
	u8 bits = cqe->cqe_error_status_bits;

	return cqe->caused_conn_err ||
	       (bits & (CQE_ERROR_BITMAP_RCV_ON_INVALID_CONN_MASK <<
			CQE_ERROR_BITMAP_RCV_ON_INVALID_CONN_SHIFT));
}

static void qedn_cqe_process(struct qedn_vec *vec,
			     const struct nvmetcp_fw_cqe *cqe)
{
	struct qedn_conn *conn;
	struct qedn_task *task;
	u32 idx;

	if (cqe->cqe_type == NVMETCP_FW_CQE_TYPE_DUMMY)
		return;
	conn = xa_load(&vec->qdev->conns, le16_to_cpu(cqe->conn_id));
	idx = le32_to_cpu(cqe->task_opaque.lo);
	if (!conn || le32_to_cpu(cqe->task_opaque.hi) != conn->fw_cid ||
	    idx > conn->ntasks) {
		pr_warn_ratelimited("%s: CQE for unknown connection %u task %u, dropped\n",
				    vec->qdev->eng->name,
				    le16_to_cpu(cqe->conn_id), idx);
		return;
	}
	task = &conn->tasks[idx];

	switch (cqe->cqe_type) {
	case NVMETCP_FW_CQE_TYPE_NORMAL:
		if (qedn_cqe_conn_err(cqe) ||
		    (idx == conn->ntasks && cqe->cqe_error_status_bits)) {
			/* The task stays active: drain cleans it up. */
			pr_warn_ratelimited("%s: conn %u task %u: CQE error bits 0x%x%s\n",
					    vec->qdev->eng->name, conn->fw_cid,
					    idx, cqe->cqe_error_status_bits,
					    cqe->caused_conn_err ? ", connection error" : "");
			qedn_conn_error(conn, -EIO);
			if (idx == conn->ntasks)
				complete(&conn->ic_done);
			return;
		}
		if (idx == conn->ntasks) {
			conn->icresp_mdata = cqe->cqe_data.icresp_mdata;
			complete(&conn->ic_done);
			return;
		}
		qedn_task_complete(conn, task, cqe);
		break;
	case NVMETCP_FW_CQE_TYPE_CLEANUP:
		qedn_task_cleaned(conn, task);
		break;
	default:
		pr_warn_ratelimited("%s: conn %u: unknown CQE type %u\n",
				    vec->qdev->eng->name, conn->fw_cid,
				    cqe->cqe_type);
	}
}

/* Caller holds vec->lock. */
static int qedn_vec_process(struct qedn_vec *vec)
{
	struct qed_nvmetcp_sb *sb = vec->fw.sb;
	u16 mask = vec->fw.depth - 1;
	u16 prod;
	int n = 0;

	prod = le16_to_cpu(READ_ONCE(sb->cq_prod));
	/* The engine writes the CQEs before it advances the producer. */
	dma_rmb();
	while (vec->cons != prod) {
		qedn_cqe_process(vec, &vec->fw.cqes[vec->cons & mask]);
		vec->cons++;
		n++;
	}
	if (n)
		WRITE_ONCE(sb->cq_cons, cpu_to_le16(vec->cons));
	return n;
}

/* Catch up with the engine, then re-arm the vector. */
static void qedn_vec_service(struct qedn_vec *vec)
{
	struct qed_nvmetcp_engine *eng = vec->qdev->eng;
	unsigned long flags;

	spin_lock_irqsave(&vec->lock, flags);
	qedn_vec_process(vec);
	spin_unlock_irqrestore(&vec->lock, flags);
	/* Fires the handler again if CQEs arrived since the producer read. */
	if (!READ_ONCE(vec->stopping))
		eng->ops->vector_enable(eng, vec->idx);
}

static void qedn_vec_work(struct work_struct *work)
{
	qedn_vec_service(container_of(work, struct qedn_vec, work));
}

/* The engine's "MSI-X": atomic context, vector already disabled. */
static void qedn_vec_handler(void *arg)
{
	struct qedn_vec *vec = arg;
	int cpu = vec->fw.cpu;

	/* Armed by vector_setup, the poll vector fires once, then stays off. */
	if (vec->polled)
		return;
	if (!READ_ONCE(vec->shared_with_poll)) {
		qedn_vec_service(vec);
		return;
	}
	if (cpu_online(cpu))
		queue_work_on(cpu, qedn_wq, &vec->work);
	else
		queue_work(qedn_wq, &vec->work);
}

/* A poll queue without a poll vector of its own completes on @vec. */
void qedn_vec_add_poll_queue(struct qedn_vec *vec)
{
	WRITE_ONCE(vec->shared_with_poll, true);
}

static int qedn_vec_reap(struct qedn_vec *vec)
{
	unsigned long flags;
	int n;

	if (vec->polled) {
		/*
		 * Another poller: wait for it, our CQEs may be next.  Nothing
		 * else takes this vector's lock in interrupt context.
		 */
		spin_lock(&vec->lock);
		n = qedn_vec_process(vec);
		spin_unlock(&vec->lock);
		return n;
	}
	/* The handler or the work is at it already: nothing for us. */
	if (!spin_trylock_irqsave(&vec->lock, flags))
		return 0;
	n = qedn_vec_process(vec);
	spin_unlock_irqrestore(&vec->lock, flags);
	return n;
}

int qedn_poll_queue(struct nvme_tcp_ofld_queue *queue)
{
	struct qedn_conn *conn = qedn_conn(queue);
	struct qed_nvmetcp_engine *eng = conn->qdev->eng;

	/* A software engine receives in our thread, then we reap. */
	if (eng->ops->poll_conn && test_bit(QEDN_CONN_OFFLOADED, &conn->flags))
		eng->ops->poll_conn(eng, conn->handle);
	return qedn_vec_reap(conn->vec);
}

/*
 * Wait up to @ms for @done(@arg), which a CQE on @vec brings about.  A
 * poll queue's vector raises no interrupt: the waiter reaps it itself.
 */
bool qedn_vec_wait(struct qedn_vec *vec, bool (*done)(void *arg), void *arg,
		   unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	for (;;) {
		if (vec->polled)
			qedn_vec_reap(vec);
		if (done(arg))
			return true;
		if (time_after(jiffies, end))
			return false;
		usleep_range(200, 1000);
	}
}

/* After return, no CQE processing that started earlier is still running. */
void qedn_vec_fence(struct qedn_vec *vec)
{
	spin_lock_irq(&vec->lock);
	spin_unlock_irq(&vec->lock);
}

static void qedn_vec_free(struct qedn_vec *vec)
{
	kvfree(vec->fw.cqes);
	kfree(vec->fw.sb);
}

static int qedn_vec_init(struct qedn_dev *qdev, u16 idx)
{
	struct qedn_vec *vec = &qdev->vecs[idx];
	u32 depth = min(qedn_cq_depth, qdev->caps.cq_depth);

	depth = rounddown_pow_of_two(max(depth, 2U));
	vec->qdev = qdev;
	vec->idx = idx;
	spin_lock_init(&vec->lock);
	INIT_WORK(&vec->work, qedn_vec_work);
	vec->fw.depth = depth;
	vec->fw.cqes = kvcalloc(depth, sizeof(*vec->fw.cqes), GFP_KERNEL);
	vec->fw.sb = kzalloc(sizeof(*vec->fw.sb), GFP_KERNEL);
	if (!vec->fw.cqes || !vec->fw.sb) {
		qedn_vec_free(vec);
		return -ENOMEM;
	}
	vec->fw.handler = qedn_vec_handler;
	vec->fw.arg = vec;
	vec->fw.cpu = cpumask_local_spread(idx, NUMA_NO_NODE);
	return 0;
}

static void qedn_vec_release(struct qedn_dev *qdev, struct qedn_vec *vec)
{
	/* A running handler or work must not re-enable a vector being released. */
	WRITE_ONCE(vec->stopping, true);
	flush_work(&vec->work);
	qdev->eng->ops->vector_release(qdev->eng, vec->idx);
	cancel_work_sync(&vec->work);
	qedn_vec_free(vec);
}

int qedn_vecs_start(struct qedn_dev *qdev)
{
	struct qed_nvmetcp_engine *eng = qdev->eng;
	u16 i, n = qdev->nvecs + qdev->npoll;
	int rc;

	qdev->vecs = kcalloc(n, sizeof(*qdev->vecs), GFP_KERNEL);
	if (!qdev->vecs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		rc = qedn_vec_init(qdev, i);
		if (rc)
			goto err;
		qdev->vecs[i].polled = i >= qdev->nvecs;
		rc = eng->ops->vector_setup(eng, i, &qdev->vecs[i].fw);
		if (rc) {
			pr_err("%s: vector %u setup failed: %d\n",
			       eng->name, i, rc);
			qedn_vec_free(&qdev->vecs[i]);
			goto err;
		}
		if (!qdev->vecs[i].polled)
			eng->ops->vector_enable(eng, i);
	}
	qdev->poll_vec = qdev->npoll ? &qdev->vecs[qdev->nvecs] : NULL;
	return 0;

err:
	while (i--)
		qedn_vec_release(qdev, &qdev->vecs[i]);
	kfree(qdev->vecs);
	qdev->vecs = NULL;
	return rc;
}

void qedn_vecs_stop(struct qedn_dev *qdev)
{
	u16 i;

	for (i = 0; i < qdev->nvecs + qdev->npoll; i++)
		qedn_vec_release(qdev, &qdev->vecs[i]);
	kfree(qdev->vecs);
	qdev->vecs = NULL;
	qdev->poll_vec = NULL;
}
