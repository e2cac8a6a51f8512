// SPDX-License-Identifier: GPL-2.0
/*
 * Completion side of the software engine: FW CQ rings and status blocks
 * (the driver's memory), the "MSI-X" of each vector, and async events.
 *
 * A CQE is written into the ring, then the status block producer is
 * published with release ordering, then the vector's handler runs if the
 * vector is armed.  The engine never overwrites an entry the driver has
 * not consumed (sb->cq_cons); a full ring leaves the CQE on the
 * connection's backlog, retried from cq_work.
 */
#include <linux/bottom_half.h>
#include <linux/cpumask.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include "soft.h"

/* The vector's CPU can run its handler (else: any CPU will do). */
static bool soft_vec_cpu_usable(int cpu)
{
	return cpu >= 0 && cpu < nr_cpu_ids && cpu_online(cpu);
}

/* The vector's handler and argument, or NULL once the vector is released. */
static void (*soft_vec_handler(struct soft_vec *vec, void **arg))(void *)
{
	void (*handler)(void *arg) = NULL;
	unsigned long flags;

	spin_lock_irqsave(&vec->lock, flags);
	if (vec->attached) {
		handler = vec->v.handler;
		*arg = vec->v.arg;
	}
	spin_unlock_irqrestore(&vec->lock, flags);
	return handler;
}

/*
 * Fire the "interrupt" right here instead of through vec->irq, saving a
 * work item hop per completion batch.  Only for the engine's own work
 * items (rx_work, tx_work, cq_work), which hold no lock at this point:
 * the handler is the driver's code and may take the driver's locks.
 * Same contract as soft_vec_irq(): bottom halves off, on the vector's
 * CPU if that CPU is online; false if we are elsewhere.
 *
 * Release: the handler is looked up under vec->lock and called inside an
 * RCU read-side section.  soft_vector_release() clears vec->attached
 * under vec->lock, then waits with synchronize_rcu().  A call that took
 * vec->lock after that clearing finds no handler; one that took it
 * before entered its read-side section earlier, so the grace period
 * waits for it to return.
 */
static bool soft_vec_call(struct soft_vec *vec, int cpu)
{
	void (*handler)(void *arg);
	void *arg = NULL;

	local_bh_disable();
	if (cpu != smp_processor_id() && soft_vec_cpu_usable(cpu)) {
		local_bh_enable();
		return false;
	}
	rcu_read_lock();
	handler = soft_vec_handler(vec, &arg);
	if (handler)
		handler(arg);
	rcu_read_unlock();
	local_bh_enable();
	return true;
}

/*
 * @may_call: the caller is one of the engine's work items and holds no
 * lock, so the handler may run inline.  vector_enable() can be called by
 * the driver in any context, with its own locks held: there the handler
 * always goes through vec->irq, like a real interrupt would be deferred.
 */
static void soft_vec_kick(struct soft_vec *vec, bool may_call)
{
	int cpu = vec->v.cpu;

	if (!atomic_xchg(&vec->enabled, 0))
		return;
	if (may_call && soft_vec_call(vec, cpu))
		return;
	if (soft_vec_cpu_usable(cpu))
		queue_work_on(cpu, soft_wq, &vec->irq);
	else
		queue_work(soft_wq, &vec->irq);
}

/* The "interrupt": the handler runs with bottom halves off, as in softirq. */
void soft_vec_irq(struct work_struct *work)
{
	struct soft_vec *vec = container_of(work, struct soft_vec, irq);
	void (*handler)(void *arg);
	void *arg = NULL;

	handler = soft_vec_handler(vec, &arg);
	if (!handler)
		return;
	local_bh_disable();
	handler(arg);
	local_bh_enable();
}

static u16 soft_vec_cons(struct soft_vec *vec)
{
	return le16_to_cpu(READ_ONCE(vec->v.sb->cq_cons));
}

/* Copy as much of the backlog as fits; true if something was posted. */
static bool soft_cq_flush(struct soft_conn *conn, bool *full)
{
	struct soft_vec *vec = &conn->eng->vecs[conn->params.default_cq];
	struct soft_task *task;
	unsigned long flags;
	bool posted = false;
	u32 mask;

	*full = false;
	spin_lock_bh(&conn->lock);
	spin_lock_irqsave(&vec->lock, flags);
	if (!vec->attached) {
		*full = !list_empty(&conn->cq_backlog);
		goto out;
	}
	mask = vec->v.depth - 1;
	while (!list_empty(&conn->cq_backlog)) {
		if ((u16)(vec->prod - soft_vec_cons(vec)) >= vec->v.depth) {
			*full = true;
			break;
		}
		task = list_first_entry(&conn->cq_backlog, struct soft_task,
					cq_entry);
		list_del_init(&task->cq_entry);
		vec->v.cqes[vec->prod & mask] = task->cqe;
		vec->prod++;
		posted = true;
	}
	if (posted) {
		/* CQE contents before the producer that exposes them. */
		smp_wmb();
		WRITE_ONCE(vec->v.sb->cq_prod, cpu_to_le16(vec->prod));
	}
out:
	spin_unlock_irqrestore(&vec->lock, flags);
	spin_unlock_bh(&conn->lock);
	if (posted)
		soft_vec_kick(vec, true);
	return posted;
}

static void soft_cq_run(struct soft_conn *conn)
{
	bool full;

	soft_cq_flush(conn, &full);
	if (full)
		mod_delayed_work(conn->wq, &conn->cq_work, 1);
}

void soft_cq_work(struct work_struct *work)
{
	struct soft_conn *conn = container_of(to_delayed_work(work),
					      struct soft_conn, cq_work);

	soft_cq_run(conn);
}

/*
 * Queue @task->cqe (already filled) for the connection's vector; the
 * caller holds conn->lock and has just made the task idle, so that no
 * other path can queue the same task.  soft_cq_kick() afterwards.
 */
void soft_cq_queue_locked(struct soft_conn *conn, struct soft_task *task)
{
	list_add_tail(&task->cq_entry, &conn->cq_backlog);
}

/*
 * Only from the engine's own work items or a poller, with no lock held:
 * the vector's handler may be called from here (soft_vec_call()).
 */
void soft_cq_kick(struct soft_conn *conn)
{
	u32 delay = READ_ONCE(conn->eng->faults.delay_ms);

	/* The receive batch in progress kicks once, at its end. */
	if (soft_rx_defers_kick(conn))
		return;

	if (delay)
		queue_delayed_work(conn->wq, &conn->cq_work,
				   msecs_to_jiffies(delay));
	else
		soft_cq_run(conn);
}

void soft_cq_drop(struct soft_conn *conn)
{
	struct soft_task *task, *tmp;

	spin_lock_bh(&conn->lock);
	list_for_each_entry_safe(task, tmp, &conn->cq_backlog, cq_entry)
		list_del_init(&task->cq_entry);
	spin_unlock_bh(&conn->lock);
}

void soft_event(struct soft_conn *conn, u8 code)
{
	struct soft_eng *se = conn->eng;
	nvmetcp_event_cb_t cb = READ_ONCE(se->event_cb);

	if (cb)
		cb(se->event_ctx, code, conn->event_ctx);
}

int soft_vector_setup(struct qed_nvmetcp_engine *eng, u16 idx,
		      struct qed_nvmetcp_vector *v)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_vec *vec;
	unsigned long flags;

	if (idx >= se->caps.num_vectors || !v || !v->cqes || !v->sb ||
	    !v->handler || !is_power_of_2(v->depth) ||
	    v->depth > se->caps.cq_depth) {
		pr_err("qed_nvmetcp: %s: bad vector %u setup\n", eng->name,
		       idx);
		return -EINVAL;
	}
	vec = &se->vecs[idx];
	spin_lock_irqsave(&vec->lock, flags);
	if (vec->attached) {
		spin_unlock_irqrestore(&vec->lock, flags);
		return -EBUSY;
	}
	vec->v = *v;
	vec->prod = le16_to_cpu(v->sb->cq_prod);
	vec->attached = true;
	atomic_set(&vec->enabled, 1);
	spin_unlock_irqrestore(&vec->lock, flags);
	return 0;
}

void soft_vector_release(struct qed_nvmetcp_engine *eng, u16 idx)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_vec *vec;
	unsigned long flags;
	bool was_attached;

	if (idx >= SOFT_MAX_VECTORS)
		return;
	vec = &se->vecs[idx];
	spin_lock_irqsave(&vec->lock, flags);
	was_attached = vec->attached;
	vec->attached = false;
	atomic_set(&vec->enabled, 0);
	spin_unlock_irqrestore(&vec->lock, flags);
	/* No inline handler call (soft_vec_call()) is left running... */
	if (was_attached)
		synchronize_rcu();
	/* ...nor one from the work item. */
	cancel_work_sync(&vec->irq);
}

void soft_vector_enable(struct qed_nvmetcp_engine *eng, u16 idx)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_vec *vec;
	unsigned long flags;
	bool pending;

	if (idx >= se->caps.num_vectors)
		return;
	vec = &se->vecs[idx];
	spin_lock_irqsave(&vec->lock, flags);
	atomic_set(&vec->enabled, vec->attached);
	pending = vec->attached && vec->prod != soft_vec_cons(vec);
	spin_unlock_irqrestore(&vec->lock, flags);
	/* Like a level-triggered line: unconsumed CQEs fire again. */
	if (pending)
		soft_vec_kick(vec, false);
}
