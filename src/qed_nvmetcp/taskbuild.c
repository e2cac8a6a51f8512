// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware task builders: fill the HSI task context (struct
 * e5_nvmetcp_task_context) and the SQ WQE (struct nvmetcp_wqe) the way the
 * FastLinQ NVMeTCP firmware expects them.  The software engine reads back
 * exactly these fields, so the same builders serve both backends.
 *
 * Facts the layout follows: the PDU header is stored in the Y-storm
 * context as byte-swapped dwords (the firmware's byte order); transmit
 * SGLs go to the Y-storm state, receive SGLs to the M-storm state, with
 * up to four SGEs cached next to the SGL address; an SGL is "slow" when it
 * has more than SCSI_NUM_SGES_SLOW_SGL_THR SGEs and small middle SGEs.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/swab.h>
#include "taskbuild.h"

#define TB_CACHED_SGES	4

/*
 * Header bytes the firmware keeps: whole capsule header for I/O tasks,
 * common header plus the first 16 bytes for the connection request.
 */
#define TB_IO_HDR_LEN	QED_NVMETCP_CMD_HDR_SIZE
#define TB_IC_HDR_LEN	QED_NVMETCP_NON_IO_HDR_SIZE

static_assert(sizeof(struct nvmetcp_task_hdr) >= TB_IO_HDR_LEN);

static bool tb_slow_sgl(const struct storage_sgl_task_params *sgl)
{
	return sgl->num_sges > SCSI_NUM_SGES_SLOW_SGL_THR && sgl->small_mid_sge;
}

static u8 tb_wqe_sges(const struct storage_sgl_task_params *sgl)
{
	if (tb_slow_sgl(sgl))
		return NVMETCP_WQE_NUM_SGES_SLOWIO;
	return min_t(u16, sgl->num_sges, SCSI_NUM_SGES_SLOW_SGL_THR);
}

static void tb_sgl(struct scsi_sgl_params *p, struct scsi_cached_sges *cache,
		   const struct storage_sgl_task_params *sgl)
{
	u16 n = min_t(u16, sgl->num_sges, TB_CACHED_SGES);
	u16 i;

	/* sgl_phys_addr is already little-endian HSI (struct regpair). */
	p->sgl_addr = sgl->sgl_phys_addr;
	p->sgl_total_length = cpu_to_le32(sgl->total_buffer_size);
	p->sgl_num_sges = cpu_to_le16(sgl->num_sges);
	for (i = 0; i < n; i++) {
		cache->sge[i].sge_addr = sgl->sgl[i].sge_addr;
		cache->sge[i].sge_len = sgl->sgl[i].sge_len;
	}
}

/* Store @len bytes of header, dword by dword, in firmware byte order. */
static void tb_hdr_store(struct e5_nvmetcp_task_context *ctx,
			 const void *a, size_t alen, const void *b, size_t blen)
{
	__le32 *reg = ctx->ystorm_st_context.pdu_hdr.task_hdr.reg;
	u32 dw;
	size_t i;

	for (i = 0; i < alen / 4; i++) {
		memcpy(&dw, (const u8 *)a + i * 4, 4);
		reg[i] = cpu_to_le32(swab32(dw));
	}
	for (i = 0; i < blen / 4; i++) {
		memcpy(&dw, (const u8 *)b + i * 4, 4);
		reg[alen / 4 + i] = cpu_to_le32(swab32(dw));
	}
}

void nvmetcp_task_hdr_read(const struct e5_nvmetcp_task_context *ctx,
			   u8 *buf, size_t len)
{
	const __le32 *reg = ctx->ystorm_st_context.pdu_hdr.task_hdr.reg;
	size_t i;
	u32 dw;

	len = min(len, sizeof(ctx->ystorm_st_context.pdu_hdr.task_hdr.reg));
	for (i = 0; i < len / 4; i++) {
		dw = swab32(le32_to_cpu(reg[i]));
		memcpy(buf + i * 4, &dw, 4);
	}
}

static void tb_common(struct nvmetcp_task_params *tp,
		      enum nvmetcp_task_type type)
{
	struct e5_nvmetcp_task_context *ctx = tp->context;
	/* The CDU validation byte belongs to the hardware: keep it. */
	u8 cdu = ctx->mstorm_ag_context.cdu_validation;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mstorm_ag_context.cdu_validation = cdu;

	ctx->ystorm_st_context.state.cccid = cpu_to_le16(tp->host_cccid);
	ctx->ustorm_st_context.error_flags |=
		USTORM_NVMETCP_TASK_ST_CTX_NVME_TCP_MASK <<
		USTORM_NVMETCP_TASK_ST_CTX_NVME_TCP_SHIFT;
	ctx->ustorm_st_context.nvme_tcp_opaque_lo = tp->opq.lo;
	ctx->ustorm_st_context.nvme_tcp_opaque_hi = tp->opq.hi;

	ctx->mstorm_st_context.task_type = type;
	ctx->mstorm_ag_context.task_cid = cpu_to_le16(tp->conn_icid);
	ctx->ustorm_ag_context.flags1 |=
		1 << E5_USTORM_NVMETCP_TASK_AG_CTX_R2T2RECV_SHIFT;
	ctx->ustorm_st_context.task_type = type;
	ctx->ustorm_st_context.cq_rss_number = tp->cq_rss_number;
	ctx->ustorm_ag_context.icid = cpu_to_le16(tp->conn_icid);
}

static void tb_ustorm(struct e5_nvmetcp_task_context *ctx, u32 rem_rcv,
		      u32 xfer, u8 num_sges)
{
	struct ustorm_nvmetcp_task_st_ctx *st = &ctx->ustorm_st_context;

	st->rem_rcv_len = cpu_to_le32(rem_rcv);
	st->exp_data_transfer_len = cpu_to_le32(xfer);
	st->reg1_map = cpu_to_le32((num_sges & REG1_NUM_SGES_MASK) <<
				   REG1_NUM_SGES_SHIFT);
	ctx->ustorm_ag_context.exp_data_acked = cpu_to_le32(xfer);
}

static void tb_wqe(struct nvmetcp_wqe *wqe, u16 itid, u8 type, u8 sges,
		   u32 cont_len, bool io)
{
	u32 cc = (cont_len & NVMETCP_WQE_CONT_LEN_MASK) <<
		 NVMETCP_WQE_CONT_LEN_SHIFT;

	memset(wqe, 0, sizeof(*wqe));
	wqe->task_id = cpu_to_le16(itid);
	wqe->flags = (type & NVMETCP_WQE_WQE_TYPE_MASK) <<
		     NVMETCP_WQE_WQE_TYPE_SHIFT;
	wqe->flags |= (sges & NVMETCP_WQE_NUM_SGES_MASK) <<
		      NVMETCP_WQE_NUM_SGES_SHIFT;
	if (io)
		cc |= 1u << NVMETCP_WQE_CDB_SIZE_OR_NVMETCP_CMD_SHIFT;
	wqe->contlen_cdbsize = cpu_to_le32(cc);
}

static void tb_rw(struct nvmetcp_task_params *tp, enum nvmetcp_task_type type,
		  struct nvme_tcp_cmd_pdu *hdr, struct nvme_command *cmd,
		  struct storage_sgl_task_params *sgl)
{
	struct e5_nvmetcp_task_context *ctx = tp->context;
	bool write = type == NVMETCP_TASK_TYPE_HOST_WRITE;
	u32 size = write ? tp->tx_io_size : tp->rx_io_size;
	u32 incap = 0;
	u8 sges = 0;

	tb_common(tp, type);
	tb_hdr_store(ctx, &hdr->hdr, sizeof(hdr->hdr), cmd, sizeof(*cmd));

	if (tp->tx_io_size) {
		tb_sgl(&ctx->ystorm_st_context.state.sgl_params,
		       &ctx->ystorm_st_context.state.data_desc, sgl);
		sges = tb_wqe_sges(sgl);
		if (tb_slow_sgl(sgl))
			ctx->ystorm_st_context.state.flags |=
				1 << YSTORM_NVMETCP_TASK_STATE_SLOW_IO_SHIFT;
	} else if (tp->rx_io_size) {
		tb_sgl(&ctx->mstorm_st_context.sgl_params,
		       &ctx->mstorm_st_context.data_desc, sgl);
		sges = tb_wqe_sges(sgl);
		ctx->mstorm_st_context.rem_task_size = cpu_to_le32(size);
	}

	tb_ustorm(ctx, size, size, sges);
	/* Data acknowledged up front only for in-capsule writes. */
	ctx->ustorm_ag_context.exp_data_acked =
		cpu_to_le32(write && tp->send_write_incapsule ? size : 0);
	ctx->ustorm_ag_context.exp_cont_len = 0;

	if (!tp->sqe)
		return;
	if (write && tp->tx_io_size && tp->send_write_incapsule)
		incap = size;
	tb_wqe(tp->sqe, tp->itid, NVMETCP_WQE_TYPE_NORMAL,
	       write && tp->tx_io_size ? sges : 0, incap, true);
}

void nvmetcp_init_read_io(struct nvmetcp_task_params *tp,
			  struct nvme_tcp_cmd_pdu *hdr,
			  struct nvme_command *cmd,
			  struct storage_sgl_task_params *sgl)
{
	tb_rw(tp, NVMETCP_TASK_TYPE_HOST_READ, hdr, cmd, sgl);
}

void nvmetcp_init_write_io(struct nvmetcp_task_params *tp,
			   struct nvme_tcp_cmd_pdu *hdr,
			   struct nvme_command *cmd,
			   struct storage_sgl_task_params *sgl)
{
	tb_rw(tp, NVMETCP_TASK_TYPE_HOST_WRITE, hdr, cmd, sgl);
}

void nvmetcp_init_icreq_exchange(struct nvmetcp_task_params *tp,
				 struct nvme_tcp_icreq_pdu *hdr,
				 struct storage_sgl_task_params *tx,
				 struct storage_sgl_task_params *rx)
{
	struct e5_nvmetcp_task_context *ctx = tp->context;
	u32 rx_len = tp->rx_io_size && rx ? rx->total_buffer_size : 0;
	u32 tx_len = tp->tx_io_size && tx ? tx->total_buffer_size : 0;

	tb_common(tp, NVMETCP_TASK_TYPE_INIT_CONN_REQUEST);
	tb_hdr_store(ctx, hdr, TB_IC_HDR_LEN, NULL, 0);
	tb_ustorm(ctx, rx_len, tx_len, 0);
	if (tx_len)
		tb_sgl(&ctx->ystorm_st_context.state.sgl_params,
		       &ctx->ystorm_st_context.state.data_desc, tx);
	if (rx_len)
		tb_sgl(&ctx->mstorm_st_context.sgl_params,
		       &ctx->mstorm_st_context.data_desc, rx);
	ctx->mstorm_st_context.rem_task_size = cpu_to_le32(rx_len);

	if (!tp->sqe)
		return;
	tb_wqe(tp->sqe, tp->itid, NVMETCP_WQE_TYPE_MIDDLE_PATH,
	       tx_len ? min_t(u16, tx->num_sges, SCSI_NUM_SGES_SLOW_SGL_THR) : 0,
	       tp->tx_io_size, false);
}

void nvmetcp_init_task_cleanup(struct nvmetcp_task_params *tp)
{
	if (tp->sqe)
		tb_wqe(tp->sqe, tp->itid, NVMETCP_WQE_TYPE_TASK_CLEANUP, 0, 0,
		       false);
}
