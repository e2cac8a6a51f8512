/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private state of the tcp_offload transport.  Every public object of
 * nvme_tcp_offload.h is the last member of a ULP object here, so that the
 * vendor can extend it (it is allocated with the vendor's size) and both
 * sides get back to their own view with container_of().
 */
#ifndef NVME_TCP_OFLD_PRIV_H
#define NVME_TCP_OFLD_PRIV_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/wait.h>
#include "nto_compat_nvme.h"
#include "nvme_tcp_offload.h"

#define NVME_TCP_OFLD_NAME	"tcp_offload"

/* Bits of nvme_tcp_ofld_queue.ulp_flags */
enum {
	NVME_TCP_OFLD_Q_ALLOCATED,	/* create_queue succeeded */
	NVME_TCP_OFLD_Q_STARTED,	/* Connect sent: stopping must drain */
	NVME_TCP_OFLD_Q_LIVE,		/* fabrics connect done, not drained */
};

/* A registered device and the ULP's bookkeeping about it. */
struct nvme_tcp_ofld_devent {
	struct list_head node;
	struct nvme_tcp_ofld_dev *dev;
	unsigned int nr_ctrls;		/* controllers holding the device */
	bool dying;			/* unregistering: no new claims */
};

struct nvme_tcp_ofld_qstats {
	atomic64_t cmds;
	atomic64_t bytes;
	atomic64_t errors;
	atomic64_t timeouts;
	/* completions poll_queue() reported (may be other queues' too) */
	atomic64_t polled;
};

struct nvme_tcp_ofld_q {
	struct nvme_tcp_ofld_ctrl_priv *ctrl;
	struct mutex stop_lock;		/* timeout handler vs teardown */
	struct nvme_tcp_ofld_qstats stats;
	struct nvme_tcp_ofld_queue ofld;	/* vendor extends: keep last */
};

struct nvme_tcp_ofld_ctrl_priv {
	struct nvme_ctrl nctrl;
	struct list_head list;		/* nvme_tcp_ofld_ctrls, once created */
	struct nvme_tcp_ofld_devent *devent;
	bool dev_held;			/* counted in devent->nr_ctrls */
	bool assoc;			/* vendor setup_ctrl done */

	struct blk_mq_tag_set admin_tag_set;
	struct blk_mq_tag_set tag_set;
	struct nvme_tcp_ofld_q **queues;
	u32 max_queues;			/* slots in queues[] */
	u32 io_queues[HCTX_MAX_TYPES];

	struct work_struct err_work;
	struct delayed_work connect_work;
	struct nvme_tcp_ofld_req *async_req;

	atomic64_t recoveries;
	atomic64_t reconnects;
	struct dentry *dbg_dir;

	struct nvme_tcp_ofld_ctrl ofld;	/* vendor extends: keep last */
};

/*
 * blk-mq pdu of every request: nvme-core's nvme_request must come first
 * (nvme_req() is blk_mq_rq_to_pdu()), the vendor's request object last.
 */
struct nvme_tcp_ofld_pdu {
	struct nvme_request nreq;
	struct nvme_tcp_ofld_req req __aligned(8);
};

static inline struct nvme_tcp_ofld_ctrl_priv *
to_ofld_ctrl(struct nvme_ctrl *nctrl)
{
	return container_of(nctrl, struct nvme_tcp_ofld_ctrl_priv, nctrl);
}

static inline struct nvme_tcp_ofld_ctrl_priv *
ofld_to_priv(struct nvme_tcp_ofld_ctrl *ofld)
{
	return container_of(ofld, struct nvme_tcp_ofld_ctrl_priv, ofld);
}

static inline struct nvme_tcp_ofld_q *to_ofld_q(struct nvme_tcp_ofld_queue *q)
{
	return container_of(q, struct nvme_tcp_ofld_q, ofld);
}

static inline const struct nvme_tcp_ofld_ops *
ctrl_ops(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	return ctrl->ofld.dev->ops;
}

/* ofld_main.c */
extern struct mutex nvme_tcp_ofld_mutex;	/* devices and controllers */
extern struct list_head nvme_tcp_ofld_ctrls;

/* ofld_dev.c */
struct nvme_tcp_ofld_ctrl_priv *
nvme_tcp_ofld_claim(unsigned int user_mask,
		    const struct nvme_tcp_ofld_conn_params *conn);
void nvme_tcp_ofld_release_dev(struct nvme_tcp_ofld_ctrl_priv *ctrl);

/* ofld_opts.c */
int nvme_tcp_ofld_parse_conn(struct nvmf_ctrl_options *opts,
			     struct nvme_tcp_ofld_conn_params *conn);
bool nvme_tcp_ofld_existing_ctrl(struct nvmf_ctrl_options *opts);
u32 nvme_tcp_ofld_opts_to_dev_opts(unsigned int mask);
const char *nvme_tcp_ofld_dev_opt_name(u32 bit);

/* ofld_ctrl.c */
struct nvme_ctrl *nvme_tcp_ofld_create_ctrl(struct device *dev,
					    struct nvmf_ctrl_options *opts);
void nvme_tcp_ofld_error_recovery(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				  int qid, int err);

/* ofld_queue.c */
int nvme_tcp_ofld_alloc_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid);
void nvme_tcp_ofld_free_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid);
int nvme_tcp_ofld_start_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid);
void nvme_tcp_ofld_stop_queue(struct nvme_tcp_ofld_ctrl_priv *ctrl, int qid);
int nvme_tcp_ofld_alloc_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl);
void nvme_tcp_ofld_free_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl);
int nvme_tcp_ofld_start_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl,
				  int first, int last);
void nvme_tcp_ofld_stop_io_queues(struct nvme_tcp_ofld_ctrl_priv *ctrl);
u32 nvme_tcp_ofld_max_io_queues(struct nvmf_ctrl_options *opts,
				struct nvme_tcp_ofld_dev *dev);
void nvme_tcp_ofld_map_queues(struct blk_mq_tag_set *set);

/* ofld_mq.c */
extern const struct blk_mq_ops nvme_tcp_ofld_admin_mq_ops;
extern const struct blk_mq_ops nvme_tcp_ofld_mq_ops;
void nvme_tcp_ofld_submit_async_event(struct nvme_ctrl *nctrl);
unsigned int nvme_tcp_ofld_cmd_size(struct nvme_tcp_ofld_ctrl_priv *ctrl);

/* ofld_debugfs.c */
int nvme_tcp_ofld_debugfs_init(void);
void nvme_tcp_ofld_debugfs_exit(void);
void nvme_tcp_ofld_debugfs_add_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl);
void nvme_tcp_ofld_debugfs_del_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl);

#endif /* NVME_TCP_OFLD_PRIV_H */
