/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVMe/TCP offload ULP: the interface between the vendor-agnostic
 * "tcp_offload" NVMe-oF host transport (nvme_tcp_offload.ko) and the offload
 * drivers that move the TCP work onto a device (qedn.ko, ...).
 *
 * The ULP keeps all NVMe controller logic (admin/I/O queues, keep-alive,
 * reset, error recovery, reconnect).  A vendor driver only moves whole NVMe
 * commands over a connection it runs on its device.  Nothing in this
 * interface depends on the kernel-private nvme types: vendor drivers include
 * only public headers.
 *
 * Object model.  The ULP allocates the controller, queue and request objects,
 * with the sizes the vendor declares in its ops (ctrl_size, queue_size,
 * req_size).  The vendor's own structure must begin with the public one, e.g.
 *
 *	struct qedn_ctrl {
 *		struct nvme_tcp_ofld_ctrl ofld;		(must be first)
 *		...
 *	};
 *
 * and goes back from the public object with container_of().  The memory past
 * the public part is zeroed when the object is created and belongs to the
 * vendor.
 */
#ifndef NVME_TCP_OFFLOAD_H
#define NVME_TCP_OFFLOAD_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/socket.h>
#include <linux/if.h>
#include <linux/nvme.h>

struct blk_mq_tag_set;
struct device;
struct module;
struct net_device;
struct request;

struct nvme_tcp_ofld_ops;

/*
 * Connection options of a controller, parsed and validated by the ULP.  The
 * vendor reads them in claim_dev() and create_queue().  Addresses are full
 * socket addresses; routing, neighbour and VLAN resolution are the vendor's
 * business and never appear in this interface.
 */
struct nvme_tcp_ofld_conn_params {
	struct sockaddr_storage remote;	/* traddr + trsvcid (default 4420) */
	struct sockaddr_storage local;	/* host_traddr; AF_UNSPEC if unset */
	char host_iface[IFNAMSIZ];	/* host_iface; "" if unset */
	int tos;			/* IP TOS byte, or -1 for the default */
	bool hdr_digest;
	bool data_digest;
};

/* Option bits a vendor can narrow the transport to (ops->allowed_opts). */
#define NVME_TCP_OFLD_OPT_TRSVCID		BIT(0)
#define NVME_TCP_OFLD_OPT_HOST_TRADDR		BIT(1)
#define NVME_TCP_OFLD_OPT_HOST_IFACE		BIT(2)
#define NVME_TCP_OFLD_OPT_HDR_DIGEST		BIT(3)
#define NVME_TCP_OFLD_OPT_DATA_DIGEST		BIT(4)
#define NVME_TCP_OFLD_OPT_TOS			BIT(5)
#define NVME_TCP_OFLD_OPT_NR_WRITE_QUEUES	BIT(6)
#define NVME_TCP_OFLD_OPT_NR_POLL_QUEUES	BIT(7)
#define NVME_TCP_OFLD_OPT_ALL			(BIT(8) - 1)

/**
 * struct nvme_tcp_ofld_dev - one offload device (e.g. one engine or PCI function)
 * @entry:		ULP-private list linkage; do not touch
 * @ndev:		the netdev the device sends through (for logging/limits)
 * @ops:		vendor operations, constant for the device's lifetime
 * @num_hw_vectors:	completion vectors; bounds the number of I/O queues
 *			that complete by interrupt (poll queues come on top)
 * @max_hw_sectors:	largest I/O in 512-byte sectors the device accepts
 *			(the engine's task buffer and SGE limits decide it)
 * @max_segments:	most scatter/gather segments in one I/O
 */
struct nvme_tcp_ofld_dev {
	struct list_head entry;
	struct net_device *ndev;
	const struct nvme_tcp_ofld_ops *ops;
	u32 num_hw_vectors;
	u32 max_hw_sectors;
	u16 max_segments;
};

/**
 * struct nvme_tcp_ofld_ctrl - the vendor's view of one NVMe controller
 * @dev:	device that claimed the controller (set before setup_ctrl)
 * @conn:	connection options
 * @device:	the nvme controller's struct device, for dev_*() logging
 * @nr_queues:	admin + I/O queues in the current association
 * @sqsize:	I/O queue depth (entries) negotiated for this association
 */
struct nvme_tcp_ofld_ctrl {
	struct nvme_tcp_ofld_dev *dev;
	struct nvme_tcp_ofld_conn_params conn;
	struct device *device;
	u32 nr_queues;
	u32 sqsize;
};

/**
 * struct nvme_tcp_ofld_queue - one NVMe queue (admin is qid 0)
 * @ctrl:		owning controller
 * @qid:		NVMe queue id
 * @depth:		number of commands that can be outstanding
 * @cmnd_capsule_len:	command capsule size: SQE + in-capsule data allowed
 *			by the target (IOCCSZ * 16 for I/O; for admin SQE +
 *			8 KiB, NVME_TCP_ADMIN_CCSZ, as NVMe/TCP defines it)
 * @poll:		a blk-mq poll queue: whoever waits for one of its
 *			commands, the fabrics Connect included, reaps through
 *			poll_queue(), and the timeout handler reaps before it
 *			calls a command late, so the device need not
 *			interrupt for its completions (it may)
 * @ulp_flags:		ULP-private state bits; do not touch
 */
struct nvme_tcp_ofld_queue {
	struct nvme_tcp_ofld_ctrl *ctrl;
	u16 qid;
	u32 depth;
	u32 cmnd_capsule_len;
	bool poll;
	unsigned long ulp_flags;
};

/**
 * struct nvme_tcp_ofld_req - one NVMe command handed to the vendor
 * @cmd:	the SQE, fully built by the ULP (command id included)
 * @rq:		the block request carrying the data (its bios describe the
 *		buffer; blk_rq_payload_bytes() its length), or NULL for the
 *		asynchronous event request, which has no data
 * @queue:	queue the command goes on
 * @data_len:	bytes of data to transfer (0 if none)
 */
struct nvme_tcp_ofld_req {
	struct nvme_command cmd;
	struct request *rq;
	struct nvme_tcp_ofld_queue *queue;
	u32 data_len;
};

/**
 * struct nvme_tcp_ofld_ops - what an offload driver implements
 *
 * All callbacks are mandatory except @poll_queue (needed only if the device
 * advertises poll queues).  Unless stated, they are called in process context
 * and may sleep; the ULP serializes controller setup/teardown per controller.
 *
 * @name:		driver name, for messages and sysfs
 * @module:		THIS_MODULE; pinned while a controller uses the device
 * @required_opts:	NVME_TCP_OFLD_OPT_* the user must give
 * @allowed_opts:	NVME_TCP_OFLD_OPT_* the device supports
 * @ctrl_size:		size of the vendor controller object (>= public struct)
 * @queue_size:		size of the vendor queue object (>= public struct)
 * @req_size:		size of the vendor request object (>= public struct)
 * @claim_dev:		may this device reach ctrl->conn.remote (honouring
 *			local/host_iface)?  Return 0 to claim the controller,
 *			-ENETUNREACH/-EHOSTUNREACH/-ENODEV if not.  No side
 *			effects: a device that is not chosen is not told.
 * @setup_ctrl:		per-controller resources, once per association.
 * @release_ctrl:	undoes setup_ctrl.
 * @create_queue:	connect queue->qid (TCP connect, ICReq/ICResp, digests)
 *			and return once the queue can carry commands.  On
 *			error nothing is left to destroy.
 * @drain_queue:	stop the queue: after return the vendor completes no
 *			further request on it and has released every request
 *			it held (the ULP then cancels those requests itself).
 * @destroy_queue:	release what create_queue allocated; after drain.
 * @poll_queue:		reap completions of a poll queue; returns the number
 *			reaped.  Called from blk-mq polling and the timeout
 *			handler, from the moment the queue's Connect is sent
 *			until the queue is stopped; must not sleep.
 * @send_req:		hand one command to the device.  Called from
 *			->queue_rq, must not sleep.  0 or an errno; -EAGAIN /
 *			-ENOMEM mean "retry later" (the ULP requeues), any
 *			other error fails the request.
 */
struct nvme_tcp_ofld_ops {
	const char *name;
	struct module *module;
	u32 required_opts;
	u32 allowed_opts;
	size_t ctrl_size;
	size_t queue_size;
	size_t req_size;

	int (*claim_dev)(struct nvme_tcp_ofld_dev *dev,
			 struct nvme_tcp_ofld_ctrl *ctrl);
	int (*setup_ctrl)(struct nvme_tcp_ofld_ctrl *ctrl);
	void (*release_ctrl)(struct nvme_tcp_ofld_ctrl *ctrl);
	int (*create_queue)(struct nvme_tcp_ofld_queue *queue);
	void (*drain_queue)(struct nvme_tcp_ofld_queue *queue);
	void (*destroy_queue)(struct nvme_tcp_ofld_queue *queue);
	int (*poll_queue)(struct nvme_tcp_ofld_queue *queue);
	int (*send_req)(struct nvme_tcp_ofld_req *req);
};

/**
 * nvme_tcp_ofld_register_dev() - make a device available to new controllers
 *
 * Fails with -EINVAL (and a message naming the gap) if the ops table is
 * incomplete or the object sizes are smaller than the public structures.
 */
int nvme_tcp_ofld_register_dev(struct nvme_tcp_ofld_dev *dev);

/**
 * nvme_tcp_ofld_unregister_dev() - withdraw a device
 *
 * Deletes every controller that uses @dev and waits until they are gone;
 * after return no callback runs on @dev.  May sleep.
 */
void nvme_tcp_ofld_unregister_dev(struct nvme_tcp_ofld_dev *dev);

/**
 * nvme_tcp_ofld_req_done() - the device finished a command
 * @req:	the request handed over in send_req
 * @cqe:	the completion entry the target sent (status, result and
 *		command id are taken from it verbatim)
 *
 * Any context.  Each request is completed exactly once; after drain_queue
 * returns, the vendor no longer calls this for that queue.
 */
void nvme_tcp_ofld_req_done(struct nvme_tcp_ofld_req *req,
			    const struct nvme_completion *cqe);

/**
 * nvme_tcp_ofld_report_queue_err() - the queue's connection is unusable
 * @queue:	the failed queue
 * @err:	negative errno describing the cause, for the log
 *
 * Any context, any number of times.  Defined effect: the ULP starts error
 * recovery of the whole controller (as nvme-tcp does on a socket error):
 * it stops all queues, drains them through drain_queue, fails or requeues
 * the outstanding requests and reconnects after reconnect_delay.  The
 * vendor keeps the queue's resources until destroy_queue.
 */
void nvme_tcp_ofld_report_queue_err(struct nvme_tcp_ofld_queue *queue, int err);

/**
 * nvme_tcp_ofld_inline_data_size() - in-capsule data the queue may carry
 */
u32 nvme_tcp_ofld_inline_data_size(struct nvme_tcp_ofld_queue *queue);

#endif /* NVME_TCP_OFFLOAD_H */
