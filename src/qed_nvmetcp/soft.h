/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State of the emulated FastLinQ NVMeTCP function ("software engine").
 *
 * The hardware model: the driver (qedn) owns the SQ rings, the FW CQ rings,
 * status blocks, SGLs and data buffers; the engine owns the task context
 * memory handed out by start() and the per-connection TCP socket.  Every
 * "DMA address" the driver gives the software engine is the physical
 * address of direct-mapped kernel memory (virt_to_phys()/sg_phys()); the
 * engine turns it back with phys_to_virt() after a sanity check and never
 * maps anything.
 *
 * Execution model: two WQ_MEM_RECLAIM workqueues for the module.  A
 * connection's work items run on conn->wq: soft_conn_wq (normal priority)
 * unless the driver polls its completions, then soft_wq (WQ_HIGHPRI), which
 * also carries the vectors' "interrupts".  At normal priority a doorbell
 * does not preempt the submitter, which goes on queueing commands until it
 * waits, and tx_work then sends them in one run (at 4k QD32x2 under TCG
 * that halved the CPU per I/O); a poller never waits, so there the
 * engine's work must preempt it.
 *
 * Per connection, tx_work consumes the SQ up to the doorbell's producer;
 * on a poll queue's connection the pollers send the queued commands
 * themselves (soft_poll_tx(), one owner of the send side at a time) and
 * tx_work sends what they may not or did not come for.  rx_work
 * (kicked by sk_data_ready and sk_state_change) receives, and so does a
 * thread polling one of the driver's poll queues (soft_poll_conn(), like
 * a NAPI busy poll), one at a time under the socket lock; conn->lock is
 * therefore taken with bottom halves off, as it nests inside the socket
 * spinlock.  cq_work flushes completions that could not be posted at
 * once (CQ full, or delayed by fault injection).
 * Per vector, irq_work calls the driver's handler on the vector's CPU with
 * bottom halves disabled, which is what "interrupt context" means here.
 */
#ifndef QED_NVMETCP_SOFT_H
#define QED_NVMETCP_SOFT_H

#include <linux/bvec.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/hashtable.h>
#include <linux/net.h>
#include <linux/qed/qed_nvmetcp_if.h>
#include "qed_nvmetcp_engine.h"
#include "nvmetcp_pdu.h"
#include "taskbuild.h"

#define SOFT_MAX_CONNS		128
#define SOFT_MAX_TASKS		4096
#define SOFT_MAX_IO_SIZE	(1024 * 1024)
#define SOFT_MAX_SGES		256
#define SOFT_MAX_VECTORS	16
#define SOFT_SQ_DEPTH		4096
#define SOFT_CQ_DEPTH		16384
/* Receive steps (PDU pieces) per rx_work run or poll */
#define SOFT_RX_BUDGET		64
/* WQEs (or R2Ts) per tx_work run or poll */
#define SOFT_TX_BUDGET		64
/*
 * Bare command PDUs a poller sends with one call (soft_poll_tx.c): as
 * many as keep struct soft_conn in a 2 KiB allocation (2008 bytes on the
 * 6.1 and 6.12 distribution kernels)
 */
#define SOFT_POLL_TX_BATCH	6
/*
 * Buckets of a connection's cccid table: 64, two commands a bucket on a
 * full 128-deep queue.  A fixed table needs no allocation per command; an
 * xarray allocated and freed nodes as the cids (tag plus generation
 * counter, spread over 16 bits) moved on, 7 % of all samples in null mode.
 */
#define SOFT_CID_HASH_BITS	6
/*
 * Largest data in one H2CData PDU we ever send, whatever MAXH2CDATA says.
 * A whole I/O: Linux nvmet-tcp checks the data digest of an R2T's data over
 * the command's whole transfer, so splitting it below MAXH2CDATA breaks
 * data digests against that target.
 */
#define SOFT_MAX_H2C		SOFT_MAX_IO_SIZE
/* What the engine advertises as its own receive limit per C2HData */
#define SOFT_MAX_C2H		(1024 * 1024)

struct soft_eng;
struct soft_conn;

/* Where a task is in its life; see soft_task_*() in soft_sq.c */
enum soft_task_state {
	SOFT_TASK_IDLE,
	SOFT_TASK_ACTIVE,	/* WQE consumed, waiting for the controller */
};

/**
 * struct soft_task - engine-side state of one itid
 * @conn:	connection the task runs on while active
 * @state:	enum soft_task_state
 * @type:	enum nvmetcp_task_type read from the task context
 * @itid:	index in the engine's task table
 * @cccid:	NVMe command id the controller will echo
 * @sgl:	data SGL (kernel address of the driver's SGE array)
 * @num_sges:	SGEs in @sgl
 * @xfer_len:	expected data length of the command
 * @done:	bytes received (read) or sent (write) so far, in order
 * @opaque:	task_opaque echoed in the CQE
 * @r2t_off, @r2t_len, @ttag: a pending R2T, served by tx_work
 * @r2t_next:	offset the next R2T must start at (R2Ts come in order)
 * @r2t_entry:	on conn->r2t_list while the R2T waits
 * @tx_busy:	tx_work is sending data of this task right now
 * @rx_busy:	rx_work is placing data into this task right now
 * @cleanup_pending: a cleanup WQE arrived while @rx_busy
 * @comp_pending: the completion arrived while @tx_busy; @cqe holds it
 * @ddgst_err:	a data digest of this task did not verify
 * @cqe:	the FW CQE being posted
 * @cq_entry:	on conn->cq_backlog until copied into the FW CQ
 */
struct soft_task {
	struct soft_conn *conn;
	u8 state;
	u8 type;
	u16 itid;
	u16 cccid;
	const struct scsi_sge *sgl;
	u16 num_sges;
	u32 xfer_len;
	u32 done;
	u64 opaque;
	u32 r2t_off;
	u32 r2t_len;
	u16 ttag;
	u32 r2t_next;
	struct list_head r2t_entry;
	struct hlist_node cid_node;
	bool tx_busy;
	bool rx_busy;
	bool cleanup_pending;
	bool comp_pending;
	bool ddgst_err;
	struct nvmetcp_fw_cqe cqe;
	struct list_head cq_entry;
};

enum soft_conn_state {
	SOFT_CONN_ACQUIRED,
	SOFT_CONN_CONNECTING,
	SOFT_CONN_CONNECTED,
	SOFT_CONN_FAILED,	/* an error event was delivered */
	SOFT_CONN_TERMINATING,
	SOFT_CONN_TERMINATED,
};

/* States in which the SQ is consumed (see soft_tx_wqe_failed()). */
static inline bool soft_sq_consumable(enum soft_conn_state state)
{
	return state == SOFT_CONN_CONNECTED || state == SOFT_CONN_FAILED;
}

enum soft_rx_state {
	SOFT_RX_CH,
	SOFT_RX_HDR,
	SOFT_RX_DATA,
	SOFT_RX_DDGST,
};

/**
 * struct soft_conn - one offloaded connection
 * @lock:	protects tasks of this connection, @r2t_list, @cq_backlog,
 *		@cid_hash and @state transitions
 * @sq_prod:	last producer published by the doorbell
 * @sq_cons:	next WQE to send (whoever owns the send side, see @tx_flags)
 * @cid_hash:	cccid -> active struct soft_task (@cid_node)
 * @wq:		where the work items below run: soft_wq if sq.polled, else
 *		soft_conn_wq; set by offload, before any of them is queued
 * @rxc:	what rx accepts (digests, IC done, max data)
 * @rx_*:	receive state machine, run by whoever holds the socket lock:
 *		rx_work (lock_sock) or a poller (bh_lock_sock, not owned)
 * @rx_skb, @rx_off, @rx_left: the socket buffer range being parsed
 * @rx_err:	receive failed for good (sticky); reported once by rx_work
 * @rx_err_reported: rx_work has reported @rx_err
 * @rx_owner:	task running the state machine; its CQ kicks wait until
 *		it lets go of the socket (one kick per batch)
 * @rx_kick_pending: such a kick was deferred (rx owner only)
 * @rx_polled:	bytes a poller received (soft_poll_conn())
 * @rx_pollers:	pollers inside soft_poll_conn(): data_ready leaves the
 *		socket to them
 * @rx_missed:	data_ready left data to a poller (see soft_poll_conn())
 * @poll_ok:	pollers may receive: connected, not torn down
 * @poll_seen:	a poller came by; teardown waits for pollers to leave
 * @rcu:	freed after a grace period: pollers look it up locklessly
 * @maxh2cdata:	largest H2CData payload, from the ICResp
 * @cpda:	data alignment the controller wants, from the ICResp
 * @is_io:	the fabrics Connect sent on it named an I/O queue (null mode)
 * @tx_lent:	data bytes sent from the driver's pages without a copy
 * @tx_copied:	data bytes sent by copying (pages that may not be lent)
 * @tx_by_poller: a poll queue's: its pollers send its commands
 *		(soft_poll_tx()), the doorbell arms @tx_late
 * @tx_late:	tx_work for a @tx_by_poller connection nobody polled
 * @tx_late_runs: times @tx_late found WQEs waiting and woke tx_work
 * @tx_flags:	SOFT_TX_OWNED: tx_work or a poller owns the send side;
 *		SOFT_TX_KICK: tx_work found it owned (soft_poll_tx.c)
 * @tx_polled:	command PDUs sent by pollers (soft_poll_tx())
 * @tx_poll_calls: socket calls pollers made to send them (fewer than
 *		@tx_polled when pollers batch)
 * @tx_carry, @tx_carry_off, @tx_carry_len: the command PDUs a poller
 *		builds side by side and sends with one call; what the socket
 *		did not take waits there and tx_work sends it first
 *		(owner only)
 * @tx_poll_err, @tx_poll_itid: a poller could not start the task;
 *		tx_work reports it and fails the connection (owner only)
 */
struct soft_conn {
	struct soft_eng *eng;
	u32 handle;
	spinlock_t lock;
	enum soft_conn_state state;
	struct qed_nvmetcp_params_offload params;
	struct qed_nvmetcp_conn_sq sq;
	void *event_ctx;
	u16 sq_prod;
	u16 sq_cons;

	struct socket *sock;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);

	struct workqueue_struct *wq;
	struct work_struct tx_work;
	struct delayed_work tx_late;
	u64 tx_late_runs;
	struct work_struct rx_work;
	struct delayed_work cq_work;
	struct work_struct term_work;
	bool abortive;

	DECLARE_HASHTABLE(cid_hash, SOFT_CID_HASH_BITS);
	struct list_head r2t_list;
	struct list_head cq_backlog;
	struct soft_task *ic_task;

	bool hdgst;
	bool ddgst;
	u32 maxh2cdata;
	u8 cpda;
	u32 max_send_pdu;
	bool is_io;
	u64 tx_lent;
	u64 tx_copied;
	bool tx_by_poller;
	unsigned long tx_flags;
	u64 tx_polled;
	u64 tx_poll_calls;
	u8 tx_carry[SOFT_POLL_TX_BATCH * NTP_TX_CMD_BARE];
	u16 tx_carry_off;
	u16 tx_carry_len;
	int tx_poll_err;
	u16 tx_poll_itid;
	u64 rx_polled;
	atomic_t rx_pollers;
	atomic_t rx_missed;
	bool poll_ok;
	bool poll_seen;
	struct rcu_head rcu;

	struct ntp_rx_conf rxc;
	struct ntp_pdu pdu;
	enum soft_rx_state rx_state;
	u32 rx_need;
	u32 rx_got;
	struct soft_task *rx_task;
	u32 rx_crc;
	u8 rx_hdr[NTP_HDR_BUF];
	struct sk_buff *rx_skb;
	u32 rx_off;
	u32 rx_left;
	int rx_err;
	bool rx_err_reported;
	struct task_struct *rx_owner;
	bool rx_kick_pending;
};

/* The connection's active task with @cccid, or NULL. */
static inline struct soft_task *soft_cid_find(struct soft_conn *conn,
					      u16 cccid)
{
	struct soft_task *task;

	lockdep_assert_held(&conn->lock);
	hash_for_each_possible(conn->cid_hash, task, cid_node, cccid)
		if (task->cccid == cccid)
			return task;
	return NULL;
}

/**
 * struct soft_vec - a completion vector: the driver's FW CQ + status block
 * @lock:	serialises producers (connections on the vector)
 * @prod:	next CQE index the engine writes
 * @enabled:	"interrupt" armed; cleared before the handler is called
 * @irq:	runs the handler on the vector's CPU when it is not called
 *		inline (soft_vec_call())
 */
struct soft_vec {
	struct soft_eng *eng;
	u16 idx;
	bool attached;
	spinlock_t lock;
	struct qed_nvmetcp_vector v;
	u16 prod;
	atomic_t enabled;
	struct work_struct irq;
};

/* What a stall_sq or stall_rx debugfs file acts on (faults.c) */
struct soft_stall_file {
	struct soft_eng *se;
	bool rx;
};

/* Fault injection knobs (debugfs), see docs/engine.md */
struct soft_faults {
	bool null_mode;
	bool stall_sq;
	bool stall_rx;
	bool no_poll_tx;
	struct soft_stall_file stall_files[2];
	u32 delay_ms;
	atomic_t corrupt_ddgst;
	atomic_t fail_icreq;
	atomic_t dup_cccid;
};

/**
 * struct soft_eng - a software engine
 * @pub:	what clients see
 * @lock:	slow path: start/stop, vectors, connection table
 */
struct soft_eng {
	struct qed_nvmetcp_engine pub;
	struct qed_nvmetcp_engine_caps caps;
	struct mutex lock;
	bool started;
	void *event_ctx;
	nvmetcp_event_cb_t event_cb;
	struct qed_nvmetcp_cb_ops *cb_ops;
	void *cb_cookie;

	void *task_mem;
	u32 task_size;
	u32 tids_per_block;
	struct soft_task *tasks;

	struct soft_vec vecs[SOFT_MAX_VECTORS];
	struct soft_conn *conns[SOFT_MAX_CONNS];
	struct list_head ports;

	struct soft_faults faults;
	struct dentry *debugfs;
};

static inline struct soft_eng *to_soft(struct qed_nvmetcp_engine *eng)
{
	return container_of(eng, struct soft_eng, pub);
}

extern struct workqueue_struct *soft_wq;
extern struct workqueue_struct *soft_conn_wq;
extern unsigned int soft_vectors;
extern const struct qed_nvmetcp_engine_ops soft_eng_ops;

/* soft_eng.c */
struct qed_nvmetcp_engine *soft_eng_create(struct net_device *netdev);
void soft_eng_destroy(struct qed_nvmetcp_engine *eng);
struct e5_nvmetcp_task_context *soft_task_ctx(struct soft_eng *se, u16 itid);

/* soft_conn.c */
int soft_acquire_conn(struct qed_nvmetcp_engine *eng, u32 *handle,
		      u32 *fw_cid);
int soft_release_conn(struct qed_nvmetcp_engine *eng, u32 handle);
int soft_offload_conn(struct qed_nvmetcp_engine *eng, u32 handle,
		      struct qed_nvmetcp_params_offload *p,
		      struct qed_nvmetcp_conn_sq *sq, void *event_context);
int soft_update_conn(struct qed_nvmetcp_engine *eng, u32 handle,
		     struct qed_nvmetcp_params_update *p);
int soft_destroy_conn(struct qed_nvmetcp_engine *eng, u32 handle,
		      u8 abrt_conn);
int soft_clear_sq(struct qed_nvmetcp_engine *eng, u32 handle);
void soft_ring_doorbell(struct qed_nvmetcp_engine *eng, u32 handle,
			const struct nvmetcp_db_data *db);
void soft_conn_kill_all(struct soft_eng *se);
void soft_conn_fail(struct soft_conn *conn, u8 event, const char *why);

/* soft_tcp.c */
int soft_tcp_connect(struct soft_conn *conn);
void soft_tcp_detach(struct soft_conn *conn);
void soft_tcp_close(struct soft_conn *conn);
int soft_tcp_send(struct soft_conn *conn, struct kvec *vec, size_t nr,
		  size_t len, bool more);
int soft_tcp_lend(struct soft_conn *conn, struct bio_vec *bv, size_t nr,
		  size_t len, bool more);
int soft_tcp_recv(struct soft_conn *conn, struct kvec *vec, size_t nr,
		  size_t len);
void soft_tcp_reset(struct soft_conn *conn);
void soft_tcp_unblock(struct soft_conn *conn);

/* soft_sgl.c */
const struct scsi_sge *soft_sgl_resolve(const struct scsi_sgl_params *p,
					const struct scsi_cached_sges *cache,
					u16 max_sges, u32 *total, u16 *num);
size_t soft_sgl_kvec(const struct soft_task *task, u32 off, u32 len,
		     struct kvec *vec, size_t max_vec, u32 *mapped);
size_t soft_sgl_bvec(const struct soft_task *task, u32 off, u32 len,
		     struct bio_vec *bv, size_t max_bv, u32 *mapped,
		     bool *lendable);
u32 soft_sgl_crc(const struct soft_task *task, u32 crc, u32 off, u32 len);

/* soft_sq.c (WQE consumption and transmit) */
void soft_tx_work(struct work_struct *work);
void soft_task_forget(struct soft_conn *conn, struct soft_task *task);
void soft_task_cleanup(struct soft_conn *conn, struct soft_task *task);
void soft_cqe_fill(struct soft_conn *conn, struct soft_task *task, u8 type,
		   const void *nvme_cqe);
void soft_task_complete(struct soft_conn *conn, struct soft_task *task,
			const void *nvme_cqe);

int soft_tx_cmd_start(struct soft_conn *conn, struct soft_task *task,
		      const struct e5_nvmetcp_task_context *ctx, u8 type,
		      u8 *hdr);

/* The WQE's type (NVMETCP_WQE_TYPE_*) */
static inline u8 soft_wqe_type(const struct nvmetcp_wqe *wqe)
{
	return (wqe->flags >> NVMETCP_WQE_WQE_TYPE_SHIFT) &
	       NVMETCP_WQE_WQE_TYPE_MASK;
}

/* Bytes of in-capsule data a write WQE asks for */
static inline u32 soft_wqe_incap(const struct nvmetcp_wqe *wqe)
{
	return (le32_to_cpu(wqe->contlen_cdbsize) >>
		NVMETCP_WQE_CONT_LEN_SHIFT) & NVMETCP_WQE_CONT_LEN_MASK;
}

/* soft_poll_tx.c (sending from a poller) */
enum {
	SOFT_TX_OWNED,
	SOFT_TX_KICK,
};

/*
 * How long a poll queue's doorbell lets the pollers send before tx_work
 * does (rounded to timer ticks): a poller comes within microseconds;
 * this only bounds the wait if none does.
 */
#define SOFT_POLL_TX_DELAY	msecs_to_jiffies(2)

/* Its pollers send this connection's commands (not in null mode or stalled). */
static inline bool soft_poll_sends(const struct soft_conn *conn)
{
	return conn->tx_by_poller && !READ_ONCE(conn->eng->faults.null_mode) &&
	       !READ_ONCE(conn->eng->faults.stall_sq);
}

void soft_tx_release(struct soft_conn *conn);
bool soft_tx_enter(struct soft_conn *conn);
void soft_poll_tx(struct soft_conn *conn);
bool soft_poll_tx_wants(struct soft_conn *conn, u16 prod);
void soft_tx_late_work(struct work_struct *work);
int soft_tx_finish_poller(struct soft_conn *conn);

/* soft_rx.c */
void soft_rx_work(struct work_struct *work);
void soft_rx_reset(struct soft_conn *conn);
/* What soft_rx_locked() leaves its caller to do after the socket lock */
struct soft_rx_out {
	bool more;
	bool kick;
};

int soft_rx_locked(struct soft_conn *conn, struct sock *sk, int budget,
		   struct soft_rx_out *out);
bool soft_rx_defers_kick(struct soft_conn *conn);

/* soft_poll.c */
void soft_poll_allow(struct soft_conn *conn);
void soft_poll_stop(struct soft_conn *conn);
void soft_poll_conn(struct qed_nvmetcp_engine *eng, u32 handle);

/* soft_cq.c */
void soft_cq_queue_locked(struct soft_conn *conn, struct soft_task *task);
void soft_cq_kick(struct soft_conn *conn);
void soft_cq_work(struct work_struct *work);
void soft_cq_drop(struct soft_conn *conn);
void soft_event(struct soft_conn *conn, u8 code);
void soft_vec_irq(struct work_struct *work);
int soft_vector_setup(struct qed_nvmetcp_engine *eng, u16 idx,
		      struct qed_nvmetcp_vector *vec);
void soft_vector_release(struct qed_nvmetcp_engine *eng, u16 idx);
void soft_vector_enable(struct qed_nvmetcp_engine *eng, u16 idx);

/* ipsvc.c */
int soft_get_route(struct qed_nvmetcp_engine *eng,
		   const struct sockaddr_storage *dst,
		   const struct sockaddr_storage *src, const char *ifname,
		   struct qed_nvmetcp_route *route);
int soft_reserve_port(struct qed_nvmetcp_engine *eng, sa_family_t family,
		      u16 *port);
void soft_release_port(struct qed_nvmetcp_engine *eng, sa_family_t family,
		       u16 port);
void soft_release_all_ports(struct soft_eng *se);
int soft_conn_ifindex(struct qed_nvmetcp_engine *eng, u16 vlan_id);

/* faults.c */
void soft_faults_init(void);
void soft_faults_exit(void);
void soft_faults_add(struct soft_eng *se);
void soft_faults_remove(struct soft_eng *se);

#endif /* QED_NVMETCP_SOFT_H */
