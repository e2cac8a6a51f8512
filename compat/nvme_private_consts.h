/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants of the nvme host driver that are preprocessor macros in its
 * private headers (drivers/nvme/host/nvme.h, fabrics.h) and therefore leave
 * no trace in BTF.  They are protocol and ABI facts of nvme-core and
 * nvme-fabrics, stable across the kernels we build for (6.1 .. 6.12).
 *
 * Included by the BTF-generated nvme_private.h, after its NTO_BTF_HAVE_*
 * markers.  Enumerators that BTF carries are generated with the kernel's
 * own values; the fallbacks below apply only when a kernel's BTF lacks
 * them.  When the real headers are in use (a --ksrc build), each half
 * steps aside for the header that defines it.
 *
 * NVME_AQ_DEPTH and the other admin queue sizes are not here: they are
 * enumerators of the public <linux/nvme.h>.
 */
#ifndef NTO_NVME_PRIVATE_CONSTS_H
#define NTO_NVME_PRIVATE_CONSTS_H

#ifndef _NVME_H		/* drivers/nvme/host/nvme.h */

/* Timeouts, in jiffies, from the nvme-core module parameters (seconds). */
#define NVME_IO_TIMEOUT			(nvme_io_timeout * HZ)
#define NVME_ADMIN_TIMEOUT		(admin_timeout * HZ)

/* Keep-alive timeout in seconds used when the user does not give one. */
#define NVME_DEFAULT_KATO		5

/* nvme-core's controller memory page: 4 KiB whatever PAGE_SIZE is. */
#define NVME_CTRL_PAGE_SHIFT		12
#define NVME_CTRL_PAGE_SIZE		(1 << NVME_CTRL_PAGE_SHIFT)

/* "Any queue" for __nvme_submit_sync_cmd(). */
#define NVME_QID_ANY			-1

/* struct nvme_ctrl_ops::flags */
#define NVME_F_FABRICS			(1 << 0)
#define NVME_F_METADATA_SUPPORTED	(1 << 1)
#define NVME_F_BLOCKING			(1 << 2)

/*
 * Command identifiers: the low 12 bits are the block layer tag, the top
 * 4 bits a per-request generation counter (nvme_request::genctr) that lets
 * a transport reject completions for a recycled tag.
 */
#define nvme_genctr_mask(gen)		((gen) & 0xf)
#define nvme_cid_install_genctr(gen)	(nvme_genctr_mask(gen) << 12)
#define nvme_genctr_from_cid(cid)	(((cid) & 0xf000) >> 12)
#define nvme_tag_from_cid(cid)		((cid) & 0xfff)

/* nvme_request::flags bits (an anonymous enum in nvme.h). */
#ifndef NTO_BTF_HAVE_NVME_REQ_FLAGS
enum {
	NVME_REQ_CANCELLED		= 1 << 0,
	NVME_REQ_USERCMD		= 1 << 1,
};
#endif

#endif /* _NVME_H */

#ifndef _NVME_FABRICS_H	/* drivers/nvme/host/fabrics.h */

/* Fabrics connect parameters: queue sizes and reconnect policy defaults. */
#define NVMF_MIN_QUEUE_SIZE		16
#define NVMF_MAX_QUEUE_SIZE		1024
#define NVMF_DEF_QUEUE_SIZE		128
#define NVMF_DEF_RECONNECT_DELAY	10	/* seconds */
#define NVMF_DEF_CTRL_LOSS_TMO		600	/* seconds */
#define NVMF_DEF_FAIL_FAST_TMO		-1	/* disabled */

/*
 * Connect option masks for nvmf_transport_ops::required_opts/allowed_opts
 * (an anonymous enum in fabrics.h; bits are only ever appended).  The
 * fallback stops at the last bit both 6.1 and 6.12 have; the TLS options
 * (bits 25..27, 6.7+) come from BTF only.
 */
#ifndef NTO_BTF_HAVE_NVMF_OPT
enum {
	NVMF_OPT_ERR			= 0,
	NVMF_OPT_TRANSPORT		= 1 << 0,
	NVMF_OPT_NQN			= 1 << 1,
	NVMF_OPT_TRADDR			= 1 << 2,
	NVMF_OPT_TRSVCID		= 1 << 3,
	NVMF_OPT_QUEUE_SIZE		= 1 << 4,
	NVMF_OPT_NR_IO_QUEUES		= 1 << 5,
	NVMF_OPT_TL_RETRY_COUNT		= 1 << 6,
	NVMF_OPT_KATO			= 1 << 7,
	NVMF_OPT_HOSTNQN		= 1 << 8,
	NVMF_OPT_RECONNECT_DELAY	= 1 << 9,
	NVMF_OPT_HOST_TRADDR		= 1 << 10,
	NVMF_OPT_CTRL_LOSS_TMO		= 1 << 11,
	NVMF_OPT_HOST_ID		= 1 << 12,
	NVMF_OPT_DUP_CONNECT		= 1 << 13,
	NVMF_OPT_DISABLE_SQFLOW		= 1 << 14,
	NVMF_OPT_HDR_DIGEST		= 1 << 15,
	NVMF_OPT_DATA_DIGEST		= 1 << 16,
	NVMF_OPT_NR_WRITE_QUEUES	= 1 << 17,
	NVMF_OPT_NR_POLL_QUEUES		= 1 << 18,
	NVMF_OPT_TOS			= 1 << 19,
	NVMF_OPT_FAIL_FAST_TMO		= 1 << 20,
	NVMF_OPT_HOST_IFACE		= 1 << 21,
	NVMF_OPT_DISCOVERY		= 1 << 22,
	NVMF_OPT_DHCHAP_SECRET		= 1 << 23,
	NVMF_OPT_DHCHAP_CTRL_SECRET	= 1 << 24,
};
#endif

#endif /* _NVME_FABRICS_H */

#endif /* NTO_NVME_PRIVATE_CONSTS_H */
