/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme-core / nvme-fabrics as one stable internal API for the ULP.
 *
 * The kernel-private types come from nvme_private.h, generated from the
 * target kernel's BTF.  BTF carries no macros and no inline functions, so the
 * few inline helpers of drivers/nvme/host/nvme.h and fabrics.h the ULP needs
 * are re-implemented here with the same semantics (checked against the 6.1
 * and 6.12 sources), and interfaces whose signature changed between kernels
 * are wrapped according to the HAVE_* results of compat/configure.
 */
#ifndef NTO_COMPAT_NVME_H
#define NTO_COMPAT_NVME_H

#include <linux/blk-mq.h>
#include <linux/blk_types.h>
#include <linux/device.h>
#include <linux/nvme.h>
#include "nto_compat.h"
#include "nvme_private.h"

/* Module parameters and workqueues nvme-core exports as variables. */
extern unsigned int nvme_io_timeout;
extern struct workqueue_struct *nvme_wq;
extern struct workqueue_struct *nvme_reset_wq;
extern struct workqueue_struct *nvme_delete_wq;

/* Stable values of nvme.h macros, used only if nothing defined them. */
#ifndef NVME_F_FABRICS
#define NVME_F_FABRICS			(1 << 0)
#endif
#ifndef NVME_IO_TIMEOUT
#define NVME_IO_TIMEOUT			(nvme_io_timeout * HZ)
#endif
#ifndef REQ_NVME_MPATH
#define REQ_NVME_MPATH			REQ_DRV
#endif

/*
 * NVME_QUIRK_SKIP_CID_GEN of enum nvme_quirks: no type in nvme-core uses the
 * enum, so BTF does not carry it.  Bit 17 in every kernel from 5.15 to 6.12.
 */
#define NTO_QUIRK_SKIP_CID_GEN		(1UL << 17)

/* Command id = 4-bit generation counter above a 12-bit blk-mq tag. */
#define NTO_CID_TAG_MASK		0xfff
#define NTO_CID_GENCTR_SHIFT		12
#define NTO_CID_GENCTR_MASK		0xf

static inline struct nvme_request *nto_nvme_req(struct request *rq)
{
	/* nvme-core keeps its per-request state at the start of the pdu */
	return blk_mq_rq_to_pdu(rq);
}

static inline u16 nto_nvme_cid(struct request *rq)
{
	return ((nto_nvme_req(rq)->genctr & NTO_CID_GENCTR_MASK) <<
		NTO_CID_GENCTR_SHIFT) | rq->tag;
}

static inline enum nvme_ctrl_state nto_ctrl_state(struct nvme_ctrl *ctrl)
{
	return READ_ONCE(ctrl->state);
}

static inline void nto_get_ctrl(struct nvme_ctrl *ctrl)
{
	get_device(ctrl->device);
}

static inline void nto_put_ctrl(struct nvme_ctrl *ctrl)
{
	put_device(ctrl->device);
}

/* nvme_check_ready(): may this request go to a not (yet) live controller? */
static inline bool nto_check_ready(struct nvme_ctrl *ctrl, struct request *rq,
				   bool queue_live)
{
	enum nvme_ctrl_state state = nto_ctrl_state(ctrl);

	if (likely(state == NVME_CTRL_LIVE))
		return true;
	if ((ctrl->ops->flags & NVME_F_FABRICS) && state == NVME_CTRL_DELETING)
		return queue_live;
#ifdef HAVE_NVME_CHECK_READY_STATE
	return __nvme_check_ready(ctrl, rq, queue_live, state);
#else
	return __nvme_check_ready(ctrl, rq, queue_live);
#endif
}

/* nvme_start_request(): multipath I/O accounting exists since 6.3. */
static inline void nto_start_request(struct request *rq)
{
#ifdef HAVE_NVME_MPATH_START_REQUEST
	if (rq->cmd_flags & REQ_NVME_MPATH)
		nvme_mpath_start_request(rq);
#endif
	blk_mq_start_request(rq);
}

/*
 * A bio from the per-CPU bio cache (REQ_ALLOC_CACHE, io_uring's polled
 * I/O) can reach a queue that is not polled: nvme multipath fails polled
 * bios over to the head's requeue list clearing REQ_POLLED only, and they
 * are then submitted as ordinary I/O.  Such a queue completes in interrupt
 * context, where bio_put() of some kernels (Debian's 6.1) refuses the
 * cache with a warning.  Without the flag the bio goes back to its bio_set
 * like any other, which is what bio_clear_polled() does at submission.
 */
static inline void nto_rq_drop_bio_cache(struct request *rq)
{
#ifdef REQ_ALLOC_CACHE
	struct bio *bio;

	__rq_for_each_bio(bio, rq)
		bio->bi_opf &= ~REQ_ALLOC_CACHE;
#endif
}

/*
 * nvme_try_complete_req(): record the CQE in the nvme_request and complete
 * the request on its submitting CPU if blk-mq wants that.  Returns false when
 * the caller has to complete it itself.  nvme-core's fault injection hook is
 * not reachable from outside the core and is left out.
 */
static inline bool nto_try_complete_req(struct request *rq, __le16 status,
					union nvme_result result)
{
	struct nvme_request *nreq = nto_nvme_req(rq);

	if (!(nreq->ctrl->quirks & NTO_QUIRK_SKIP_CID_GEN))
		nreq->genctr++;
	nreq->status = le16_to_cpu(status) >> 1;
	nreq->result = result;
	if (unlikely(blk_should_fake_timeout(rq->q)))
		return true;
	return blk_mq_complete_request_remote(rq);
}

/* nvmf_complete_timed_out_request() */
static inline void nto_complete_timed_out(struct request *rq)
{
	if (blk_mq_request_started(rq) && !blk_mq_request_completed(rq)) {
		nto_nvme_req(rq)->status = NVME_SC_HOST_ABORTED_CMD;
		blk_mq_complete_request(rq);
	}
}

/* nvme_ctrl_sgl_supported(): SGLS bits 0-1 say SGLs are supported */
static inline bool nto_ctrl_sgl_supported(struct nvme_ctrl *ctrl)
{
	return ctrl->sgls & 0x3;
}

/* Queue quiescing was renamed in 6.3. */
static inline void nto_quiesce_io_queues(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_QUIESCE_IO_QUEUES
	nvme_quiesce_io_queues(ctrl);
#else
	nvme_stop_queues(ctrl);
#endif
}

static inline void nto_unquiesce_io_queues(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_UNQUIESCE_IO_QUEUES
	nvme_unquiesce_io_queues(ctrl);
#else
	nvme_start_queues(ctrl);
#endif
}

static inline void nto_quiesce_admin_queue(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_QUIESCE_ADMIN_QUEUE
	nvme_quiesce_admin_queue(ctrl);
#else
	nvme_stop_admin_queue(ctrl);
#endif
}

static inline void nto_unquiesce_admin_queue(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_UNQUIESCE_ADMIN_QUEUE
	nvme_unquiesce_admin_queue(ctrl);
#else
	nvme_start_admin_queue(ctrl);
#endif
}

/* nvme_shutdown_ctrl() folded into nvme_disable_ctrl(ctrl, shutdown) (6.4) */
static inline int nto_disable_ctrl(struct nvme_ctrl *ctrl, bool shutdown)
{
#ifdef HAVE_NVME_DISABLE_CTRL_SHUTDOWN
	return nvme_disable_ctrl(ctrl, shutdown);
#else
	return shutdown ? nvme_shutdown_ctrl(ctrl) : nvme_disable_ctrl(ctrl);
#endif
}

/* nvme_init_ctrl_finish() gained was_suspended (6.3); fabrics pass false. */
static inline int nto_init_ctrl_finish(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_INIT_CTRL_FINISH_SUSPENDED
	return nvme_init_ctrl_finish(ctrl, false);
#else
	return nvme_init_ctrl_finish(ctrl);
#endif
}

/* The character device is added separately since 6.11. */
static inline int nto_add_ctrl(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_ADD_CTRL
	return nvme_add_ctrl(ctrl);
#else
	return 0;
#endif
}

/* nvmf_should_reconnect() looks at the failure status since 6.10. */
static inline bool nto_should_reconnect(struct nvme_ctrl *ctrl, int status)
{
#ifdef HAVE_NVMF_SHOULD_RECONNECT_STATUS
	return nvmf_should_reconnect(ctrl, status);
#else
	return nvmf_should_reconnect(ctrl);
#endif
}

/* DH-HMAC-CHAP state exists only when the kernel has CONFIG_NVME_AUTH. */
static inline void nto_auth_stop(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_AUTH_STOP
	nvme_auth_stop(ctrl);
#endif
}

#endif /* NTO_COMPAT_NVME_H */
