/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qed_nvmetcp engine interface: what qed_nvmetcp.ko offers qedn.ko.
 *
 * An "engine" is one NVMeTCP offload function: a FastLinQ PCI function served
 * through the kernel's qed (hardware backend, where qed exports
 * qed_get_nvmetcp_ops), or a software engine that emulates the offload
 * firmware on any netdev.  qedn sees both through the same operations, which
 * keep the shape of struct qed_nvmetcp_ops from <linux/qed/qed_nvmetcp_if.h>
 * (same names, same HSI parameter structures), with the engine in place of
 * struct qed_dev and the memory shared with the firmware (SQ, CQ, status
 * block, doorbell) described by plain kernel pointers.
 *
 * Data structures exchanged with the "firmware" are the public HSI ones:
 * struct nvmetcp_wqe on the SQ, struct e5_nvmetcp_task_context written by
 * the task builders, struct nvmetcp_fw_cqe on the CQ, struct nvmetcp_db_data
 * through the doorbell, and enum nvmetcp_eqe_opcode for async events.
 */
#ifndef QED_NVMETCP_ENGINE_H
#define QED_NVMETCP_ENGINE_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/socket.h>
#include <linux/qed/qed_nvmetcp_if.h>

struct net_device;
struct qed_nvmetcp_engine;

/**
 * struct qed_nvmetcp_engine_caps - limits an engine enforces
 * @max_conns:		connections (offloaded queues) at once
 * @max_tasks:		tasks (outstanding commands) over all connections;
 *			task ids (itid) are 0..max_tasks-1
 * @max_io_size:	largest data transfer of one task, bytes
 * @max_sges:		SGEs in one task's SGL
 * @num_vectors:	completion vectors (FW CQ + status block each)
 * @sq_depth:		largest SQ (WQE entries) per connection
 * @cq_depth:		largest FW CQ (entries) per vector
 * @software:		true for the software engine
 */
struct qed_nvmetcp_engine_caps {
	u32 max_conns;
	u32 max_tasks;
	u32 max_io_size;
	u16 max_sges;
	u16 num_vectors;
	u32 sq_depth;
	u32 cq_depth;
	bool software;
};

/**
 * struct qed_nvmetcp_sb - a status block shared with the engine
 * @cq_prod:	FW CQ producer index, written by the engine after the CQEs
 * @cq_cons:	consumer index, written by the driver after processing
 */
struct qed_nvmetcp_sb {
	__le16 cq_prod;
	__le16 cq_cons;
};

/**
 * struct qed_nvmetcp_vector - one completion vector (FW CQ + status block)
 * @cqes:	ring of @depth FW CQEs, allocated by the driver
 * @depth:	entries in @cqes, a power of two <= caps.cq_depth
 * @sb:		status block, allocated by the driver
 * @handler:	"MSI-X" handler.  The engine calls it after advancing
 *		sb->cq_prod while the vector is enabled, in atomic context
 *		(hard or soft irq), on @cpu if that CPU is online.  The engine
 *		disables the vector before calling; the driver re-enables it
 *		with vector_enable() once it has caught up.
 * @arg:	argument for @handler
 * @cpu:	CPU the completions of this vector should be handled on
 */
struct qed_nvmetcp_vector {
	struct nvmetcp_fw_cqe *cqes;
	u32 depth;
	struct qed_nvmetcp_sb *sb;
	void (*handler)(void *arg);
	void *arg;
	int cpu;
};

/**
 * struct qed_nvmetcp_conn_sq - a connection's send queue
 * @wqes:	ring of @depth WQEs, allocated by the driver
 * @depth:	entries in @wqes, a power of two <= caps.sq_depth
 * @polled:	the driver reaps this connection's completions by polling
 *		(a blk-mq poll queue), not from its vector's interrupt.  An
 *		engine whose "firmware" runs on the host's CPUs gives such
 *		a connection's work precedence over the spinning poller;
 *		hardware ignores it.
 */
struct qed_nvmetcp_conn_sq {
	struct nvmetcp_wqe *wqes;
	u32 depth;
	bool polled;
};

/**
 * struct qed_nvmetcp_route - how to reach a target through an engine
 * @family:	AF_INET or AF_INET6
 * @src:	local address to use (IPv4 in the first 4 bytes)
 * @dst:	target address
 * @src_mac:	engine netdev MAC
 * @dst_mac:	next hop's MAC (resolved neighbour)
 * @vlan_id:	VLAN id when the route leaves through a VLAN on top of the
 *		engine's netdev, 0 otherwise
 * @mtu:	path MTU
 */
struct qed_nvmetcp_route {
	sa_family_t family;
	struct in6_addr src;
	struct in6_addr dst;
	u8 src_mac[ETH_ALEN];
	u8 dst_mac[ETH_ALEN];
	u16 vlan_id;
	u32 mtu;
};

/**
 * struct qed_nvmetcp_engine_ops - NVMeTCP offload operations of an engine
 *
 * The same members as struct qed_nvmetcp_ops, taking the engine.  Slow-path
 * operations sleep; ring_doorbell and vector_enable do not.
 *
 * @fill_dev_info:	device information (num_cqs = completion vectors)
 * @get_caps:		the engine's limits
 * @register_ops:	common callbacks (link changes, recovery)
 * @start:		bring the NVMeTCP function up: @tasks is filled with
 *			the task context memory (blocks of per-task contexts,
 *			indexed by itid), @async_event_cb receives
 *			enum nvmetcp_eqe_opcode events, called with
 *			@event_context and, as fw_handle, the per-connection
 *			event_context given to offload_conn.  Process or
 *			softirq context; must not sleep.
 * @stop:		bring it down; all connections must be released.
 * @vector_setup:	attach the driver's CQ/status block to vector @idx
 * @vector_release:	detach it; no handler call runs after return
 * @vector_enable:	(re-)enable the vector's "interrupt"; if CQEs are
 *			pending the handler fires again.  Any context.
 * @acquire_conn:	reserve a connection: *handle identifies it from now
 *			on, *fw_cid is the id CQEs carry in conn_id.
 * @release_conn:	free it (after destroy_conn, or if never offloaded)
 * @offload_conn:	establish the TCP connection described by @conn_info
 *			with @sq as its send queue; CQEs go to vector
 *			conn_info->default_cq.  Returns once the request is
 *			accepted; NVMETCP_EVENT_TYPE_ASYN_CONNECT_COMPLETE
 *			(or a connection error event) follows.
 * @update_conn:	digests and PDU limits after the ICResp
 * @destroy_conn:	terminate the connection, abortively (RST) if
 *			@abrt_conn; NVMETCP_EVENT_TYPE_ASYN_TERMINATE_DONE
 *			follows.
 * @clear_sq:		discard WQEs not yet consumed; no CQE for them
 * @ring_doorbell:	publish @db (the SQ producer) to the engine.  The
 *			driver writes WQEs first; ordering is the engine's job.
 * @poll_conn:		optional, for engines whose "firmware" runs on the
 *			host's CPUs (the software engine): let the caller's
 *			thread do the connection's receive processing now,
 *			as NAPI busy polling does for a NIC, so that a poll
 *			queue's completions reach its CQ without waiting for
 *			the engine to be scheduled.  Called by the thread
 *			polling the queue, in atomic context (inside an RCU
 *			read-side section), holding none of the driver's
 *			locks: the vector's handler may run from here.  Only
 *			between offload_conn and destroy_conn.  NULL on
 *			hardware, whose firmware needs no CPU to receive.
 * @add_src_tcp_port_filter ... @clear_all_filters: as in qed
 * @init_read_io ... @init_task_cleanup: the firmware task builders; pure
 *			functions of their parameters (no engine argument),
 *			filling task_params->context and task_params->sqe.
 * @get_route:		resolve the route and neighbour to @dst (honouring
 *			@src if its family is set and @ifname if not empty)
 *			through this engine's netdev; -ENETUNREACH if the
 *			route does not leave through it.  May sleep (waits
 *			for neighbour resolution up to a bound).
 * @reserve_port:	reserve a local TCP port for @family (0 = any) that
 *			the host stack will not hand out until release_port;
 *			returns the port in host order.
 * @release_port:	release it
 */
struct qed_nvmetcp_engine_ops {
	int (*fill_dev_info)(struct qed_nvmetcp_engine *eng,
			     struct qed_dev_nvmetcp_info *info);
	void (*get_caps)(struct qed_nvmetcp_engine *eng,
			 struct qed_nvmetcp_engine_caps *caps);
	void (*register_ops)(struct qed_nvmetcp_engine *eng,
			     struct qed_nvmetcp_cb_ops *ops, void *cookie);
	int (*start)(struct qed_nvmetcp_engine *eng,
		     struct qed_nvmetcp_tid *tasks,
		     void *event_context, nvmetcp_event_cb_t async_event_cb);
	int (*stop)(struct qed_nvmetcp_engine *eng);

	int (*vector_setup)(struct qed_nvmetcp_engine *eng, u16 idx,
			    struct qed_nvmetcp_vector *vec);
	void (*vector_release)(struct qed_nvmetcp_engine *eng, u16 idx);
	void (*vector_enable)(struct qed_nvmetcp_engine *eng, u16 idx);

	int (*acquire_conn)(struct qed_nvmetcp_engine *eng, u32 *handle,
			    u32 *fw_cid);
	int (*release_conn)(struct qed_nvmetcp_engine *eng, u32 handle);
	int (*offload_conn)(struct qed_nvmetcp_engine *eng, u32 handle,
			    struct qed_nvmetcp_params_offload *conn_info,
			    struct qed_nvmetcp_conn_sq *sq,
			    void *event_context);
	int (*update_conn)(struct qed_nvmetcp_engine *eng, u32 handle,
			   struct qed_nvmetcp_params_update *conn_info);
	int (*destroy_conn)(struct qed_nvmetcp_engine *eng, u32 handle,
			    u8 abrt_conn);
	int (*clear_sq)(struct qed_nvmetcp_engine *eng, u32 handle);
	void (*ring_doorbell)(struct qed_nvmetcp_engine *eng, u32 handle,
			      const struct nvmetcp_db_data *db);
	void (*poll_conn)(struct qed_nvmetcp_engine *eng, u32 handle);

	int (*add_src_tcp_port_filter)(struct qed_nvmetcp_engine *eng,
				       u16 src_port);
	void (*remove_src_tcp_port_filter)(struct qed_nvmetcp_engine *eng,
					   u16 src_port);
	int (*add_dst_tcp_port_filter)(struct qed_nvmetcp_engine *eng,
				       u16 dest_port);
	void (*remove_dst_tcp_port_filter)(struct qed_nvmetcp_engine *eng,
					   u16 dest_port);
	void (*clear_all_filters)(struct qed_nvmetcp_engine *eng);

	void (*init_read_io)(struct nvmetcp_task_params *task_params,
			     struct nvme_tcp_cmd_pdu *cmd_pdu_header,
			     struct nvme_command *nvme_cmd,
			     struct storage_sgl_task_params *sgl_task_params);
	void (*init_write_io)(struct nvmetcp_task_params *task_params,
			      struct nvme_tcp_cmd_pdu *cmd_pdu_header,
			      struct nvme_command *nvme_cmd,
			      struct storage_sgl_task_params *sgl_task_params);
	void (*init_icreq_exchange)(struct nvmetcp_task_params *task_params,
				    struct nvme_tcp_icreq_pdu *init_conn_req_pdu_hdr,
				    struct storage_sgl_task_params *tx_sgl_task_params,
				    struct storage_sgl_task_params *rx_sgl_task_params);
	void (*init_task_cleanup)(struct nvmetcp_task_params *task_params);

	int (*get_route)(struct qed_nvmetcp_engine *eng,
			 const struct sockaddr_storage *dst,
			 const struct sockaddr_storage *src,
			 const char *ifname,
			 struct qed_nvmetcp_route *route);
	int (*reserve_port)(struct qed_nvmetcp_engine *eng, sa_family_t family,
			    u16 *port);
	void (*release_port)(struct qed_nvmetcp_engine *eng, sa_family_t family,
			     u16 port);
};

/**
 * struct qed_nvmetcp_engine - public part of an engine
 * @ops:	its operations
 * @netdev:	the netdev it sends through (held while the engine exists)
 * @name:	unique name, e.g. "soft-lo" or the PCI address
 * @dev:	a struct device for DMA mapping and logging (NULL for
 *		software engines: their "DMA" addresses are kernel virtual
 *		addresses converted with virt_to_phys and never mapped)
 */
struct qed_nvmetcp_engine {
	const struct qed_nvmetcp_engine_ops *ops;
	struct net_device *netdev;
	char name[32];
	struct device *dev;
};

/**
 * struct qed_nvmetcp_client - a driver that uses engines (qedn)
 * @name:	for messages
 * @add:	an engine appeared (or existed at registration); process
 *		context.  A non-zero return is logged, the engine stays.
 * @remove:	the engine is going away (module unload, sysfs removal,
 *		its netdev unregistering).  The client must stop using it
 *		(destroy and release every connection, stop) before
 *		returning.  Process context, may sleep.
 */
struct qed_nvmetcp_client {
	const char *name;
	int (*add)(struct qed_nvmetcp_client *client,
		   struct qed_nvmetcp_engine *eng);
	void (*remove)(struct qed_nvmetcp_client *client,
		       struct qed_nvmetcp_engine *eng);
	struct list_head entry;		/* engine core's; do not touch */
};

/* Calls ->add for every existing engine.  One client at a time (-EBUSY). */
int qed_nvmetcp_register_client(struct qed_nvmetcp_client *client);
/* Calls ->remove for every engine the client has, then forgets it. */
void qed_nvmetcp_unregister_client(struct qed_nvmetcp_client *client);

#endif /* QED_NVMETCP_ENGINE_H */
