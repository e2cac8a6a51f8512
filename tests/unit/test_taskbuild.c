// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the qed_nvmetcp firmware task builders (taskbuild.c),
 * compiled against the kernel's own HSI headers (linux/qed/ and
 * linux/nvme-tcp.h).  Each case writes the whole expected task context
 * and WQE field by field from the HSI's rules and compares every byte, so a
 * field written to the wrong place, a stray write or a missing one fails:
 * SGL placement (Y-storm for transmit, M-storm for receive, four cached
 * SGEs), lengths, slow-SGL flags, cid/itid, the byte-swapped PDU header,
 * the ICReq task and the cleanup WQE.
 */
#include <stdio.h>
#include <stdlib.h>
#include "taskbuild.h"
#include "unit_check.h"

#define FIELD(v, NAME)	(((v) >> NAME##_SHIFT) & NAME##_MASK)

static struct e5_nvmetcp_task_context ctx, want;
static struct nvmetcp_wqe wqe, wqe_want;
static struct nvmetcp_sge sges[16];

/* Report the first differing byte and the field area it is in. */
static int same(const void *a, const void *b, size_t len, const char *what)
{
	const u8 *x = a, *y = b;
	size_t i;

	for (i = 0; i < len; i++) {
		if (x[i] != y[i]) {
			printf("  %s differs at byte %zu: got 0x%02x want 0x%02x\n",
			       what, i, x[i], y[i]);
			return 0;
		}
	}
	return 1;
}

static void fill_sgl(struct storage_sgl_task_params *sgl, u16 n, u32 sge_len,
		     bool small_mid)
{
	u16 i;

	memset(sgl, 0, sizeof(*sgl));
	for (i = 0; i < n; i++) {
		sges[i].sge_addr.lo = 0x10000000u + i * 0x1000u;
		sges[i].sge_addr.hi = 0x7u + i;
		sges[i].sge_len = sge_len;
	}
	sgl->sgl = sges;
	sgl->sgl_phys_addr.lo = 0xabcd0000u;
	sgl->sgl_phys_addr.hi = 0x12u;
	sgl->total_buffer_size = n * sge_len;
	sgl->num_sges = n;
	sgl->small_mid_sge = small_mid;
}

/*
 * The context a builder starts from holds garbage, except the CDU
 * validation byte which belongs to the hardware and must survive.
 */
static void dirty_ctx(void)
{
	memset(&ctx, 0xa5, sizeof(ctx));
	ctx.mstorm_ag_context.cdu_validation = 0x5c;
	memset(&wqe, 0xa5, sizeof(wqe));
}

static void params(struct nvmetcp_task_params *tp)
{
	memset(tp, 0, sizeof(*tp));
	tp->context = &ctx;
	tp->sqe = &wqe;
	tp->conn_icid = 0x0107;
	tp->itid = 0x0a0b;
	tp->opq.lo = 0xdeadbeefu;
	tp->opq.hi = 0xffff8880u;
	tp->host_cccid = 0x4321;
	tp->cq_rss_number = 3;
}

/* What every task gets, whatever its type. */
static void want_common(const struct nvmetcp_task_params *tp, u8 type)
{
	memset(&want, 0, sizeof(want));
	want.mstorm_ag_context.cdu_validation = 0x5c;
	want.ystorm_st_context.state.cccid = tp->host_cccid;
	want.ustorm_st_context.error_flags =
		1 << USTORM_NVMETCP_TASK_ST_CTX_NVME_TCP_SHIFT;
	want.ustorm_st_context.nvme_tcp_opaque_lo = tp->opq.lo;
	want.ustorm_st_context.nvme_tcp_opaque_hi = tp->opq.hi;
	want.mstorm_st_context.task_type = type;
	want.mstorm_ag_context.task_cid = tp->conn_icid;
	want.ustorm_ag_context.flags1 =
		1 << E5_USTORM_NVMETCP_TASK_AG_CTX_R2T2RECV_SHIFT;
	want.ustorm_st_context.task_type = type;
	want.ustorm_st_context.cq_rss_number = tp->cq_rss_number;
	want.ustorm_ag_context.icid = tp->conn_icid;
}

/* The firmware reads the PDU header as big-endian dwords. */
static void want_hdr(const u8 *bytes, size_t len)
{
	size_t i;

	for (i = 0; i < len / 4; i++)
		want.ystorm_st_context.pdu_hdr.task_hdr.reg[i] =
			(u32)bytes[i * 4] << 24 | (u32)bytes[i * 4 + 1] << 16 |
			(u32)bytes[i * 4 + 2] << 8 | bytes[i * 4 + 3];
}

static void want_sgl(struct scsi_sgl_params *p, struct scsi_cached_sges *c,
		     const struct storage_sgl_task_params *sgl)
{
	int i;

	p->sgl_addr = sgl->sgl_phys_addr;
	p->sgl_total_length = sgl->total_buffer_size;
	p->sgl_num_sges = sgl->num_sges;
	for (i = 0; i < 4 && i < sgl->num_sges; i++) {
		c->sge[i].sge_addr = sgl->sgl[i].sge_addr;
		c->sge[i].sge_len = sgl->sgl[i].sge_len;
	}
}

static void want_wqe(u16 itid, u8 type, u8 nsges, u32 cont_len, u8 cdb)
{
	memset(&wqe_want, 0, sizeof(wqe_want));
	wqe_want.task_id = itid;
	wqe_want.flags = type << NVMETCP_WQE_WQE_TYPE_SHIFT |
			 nsges << NVMETCP_WQE_NUM_SGES_SHIFT;
	wqe_want.contlen_cdbsize = cont_len |
		(u32)cdb << NVMETCP_WQE_CDB_SIZE_OR_NVMETCP_CMD_SHIFT;
}

static void cmd_pdu(struct nvme_tcp_cmd_pdu *pdu, u8 opcode, u32 incap)
{
	u8 *b = (u8 *)pdu;
	size_t i;

	memset(pdu, 0, sizeof(*pdu));
	pdu->hdr.type = nvme_tcp_cmd;
	pdu->hdr.hlen = sizeof(*pdu);
	pdu->hdr.pdo = incap ? sizeof(*pdu) : 0;
	pdu->hdr.plen = sizeof(*pdu) + incap;
	/* A recognisable SQE: every byte different. */
	for (i = sizeof(pdu->hdr); i < sizeof(*pdu); i++)
		b[i] = (u8)(i * 7 + 1);
	pdu->cmd.common.opcode = opcode;
	pdu->cmd.common.command_id = 0x4321;
}

static void check_hdr_roundtrip(const void *hdr, size_t len)
{
	u8 back[sizeof(struct nvme_tcp_cmd_pdu)];

	memset(back, 0, sizeof(back));
	nvmetcp_task_hdr_read(&ctx, back, len);
	CHECK(!memcmp(back, hdr, len));
}

static void test_layout(void)
{
	/* The HSI sizes the builders rely on. */
	CHECK(QED_NVMETCP_CMN_HDR_SIZE == 8);
	CHECK(QED_NVMETCP_CMD_HDR_SIZE == 72);
	CHECK(QED_NVMETCP_NON_IO_HDR_SIZE == 24);
	CHECK(sizeof(struct nvmetcp_wqe) == 8);
	CHECK(SCSI_NUM_SGES_SLOW_SGL_THR == 8);
	CHECK(sizeof(ctx.ystorm_st_context.pdu_hdr.task_hdr.reg) >=
	      QED_NVMETCP_CMD_HDR_SIZE);
}

static void test_read(void)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params sgl;
	struct nvme_tcp_cmd_pdu pdu;

	dirty_ctx();
	params(&tp);
	fill_sgl(&sgl, 3, 4096, false);
	tp.rx_io_size = sgl.total_buffer_size;
	cmd_pdu(&pdu, nvme_cmd_read, 0);
	nvmetcp_init_read_io(&tp, &pdu, &pdu.cmd, &sgl);

	want_common(&tp, NVMETCP_TASK_TYPE_HOST_READ);
	want_hdr((u8 *)&pdu, sizeof(pdu));
	/* Data comes in: the SGL belongs to the M-storm (receive) side. */
	want_sgl(&want.mstorm_st_context.sgl_params,
		 &want.mstorm_st_context.data_desc, &sgl);
	want.mstorm_st_context.rem_task_size = 3 * 4096;
	want.ustorm_st_context.rem_rcv_len = 3 * 4096;
	want.ustorm_st_context.exp_data_transfer_len = 3 * 4096;
	want.ustorm_st_context.reg1_map = 3 << REG1_NUM_SGES_SHIFT;
	want.ustorm_ag_context.exp_data_acked = 0;
	CHECK(same(&ctx, &want, sizeof(ctx), "read context"));
	/* A read WQE carries no SGEs and no continuation length. */
	want_wqe(tp.itid, NVMETCP_WQE_TYPE_NORMAL, 0, 0, 1);
	CHECK(same(&wqe, &wqe_want, sizeof(wqe), "read WQE"));
	CHECK(FIELD(wqe.flags, NVMETCP_WQE_WQE_TYPE) == NVMETCP_WQE_TYPE_NORMAL);
	CHECK(wqe.task_id == 0x0a0b);
	check_hdr_roundtrip(&pdu, sizeof(pdu));
}

static void test_write_incapsule(void)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params sgl;
	struct nvme_tcp_cmd_pdu pdu;

	dirty_ctx();
	params(&tp);
	fill_sgl(&sgl, 1, 4096, false);
	tp.tx_io_size = 4096;
	tp.send_write_incapsule = true;
	cmd_pdu(&pdu, nvme_cmd_write, 4096);
	nvmetcp_init_write_io(&tp, &pdu, &pdu.cmd, &sgl);

	want_common(&tp, NVMETCP_TASK_TYPE_HOST_WRITE);
	want_hdr((u8 *)&pdu, sizeof(pdu));
	/* Data goes out: Y-storm (transmit) side, M-storm left empty. */
	want_sgl(&want.ystorm_st_context.state.sgl_params,
		 &want.ystorm_st_context.state.data_desc, &sgl);
	want.ustorm_st_context.rem_rcv_len = 4096;
	want.ustorm_st_context.exp_data_transfer_len = 4096;
	want.ustorm_st_context.reg1_map = 1 << REG1_NUM_SGES_SHIFT;
	/* In-capsule data counts as acknowledged from the start. */
	want.ustorm_ag_context.exp_data_acked = 4096;
	CHECK(same(&ctx, &want, sizeof(ctx), "in-capsule write context"));
	want_wqe(tp.itid, NVMETCP_WQE_TYPE_NORMAL, 1, 4096, 1);
	CHECK(same(&wqe, &wqe_want, sizeof(wqe), "in-capsule write WQE"));
	CHECK(FIELD(wqe.contlen_cdbsize, NVMETCP_WQE_CONT_LEN) == 4096);
}

static void test_write_r2t(void)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params sgl;
	struct nvme_tcp_cmd_pdu pdu;

	dirty_ctx();
	params(&tp);
	/* Six SGEs: only four are cached in the context. */
	fill_sgl(&sgl, 6, 65536, false);
	tp.tx_io_size = sgl.total_buffer_size;
	cmd_pdu(&pdu, nvme_cmd_write, 0);
	nvmetcp_init_write_io(&tp, &pdu, &pdu.cmd, &sgl);

	want_common(&tp, NVMETCP_TASK_TYPE_HOST_WRITE);
	want_hdr((u8 *)&pdu, sizeof(pdu));
	want_sgl(&want.ystorm_st_context.state.sgl_params,
		 &want.ystorm_st_context.state.data_desc, &sgl);
	want.ustorm_st_context.rem_rcv_len = 6 * 65536;
	want.ustorm_st_context.exp_data_transfer_len = 6 * 65536;
	want.ustorm_st_context.reg1_map = 6 << REG1_NUM_SGES_SHIFT;
	/* Solicited by R2T: nothing is acknowledged yet. */
	want.ustorm_ag_context.exp_data_acked = 0;
	CHECK(same(&ctx, &want, sizeof(ctx), "R2T write context"));
	CHECK(ctx.ystorm_st_context.state.data_desc.sge[3].sge_len == 65536);
	want_wqe(tp.itid, NVMETCP_WQE_TYPE_NORMAL, 6, 0, 1);
	CHECK(same(&wqe, &wqe_want, sizeof(wqe), "R2T write WQE"));
}

static void test_write_many_sges(bool small_mid)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params sgl;
	struct nvme_tcp_cmd_pdu pdu;
	u8 n = small_mid ? NVMETCP_WQE_NUM_SGES_SLOWIO :
			   SCSI_NUM_SGES_SLOW_SGL_THR;

	dirty_ctx();
	params(&tp);
	fill_sgl(&sgl, 12, 4096, small_mid);
	tp.tx_io_size = sgl.total_buffer_size;
	cmd_pdu(&pdu, nvme_cmd_write, 0);
	nvmetcp_init_write_io(&tp, &pdu, &pdu.cmd, &sgl);

	want_common(&tp, NVMETCP_TASK_TYPE_HOST_WRITE);
	want_hdr((u8 *)&pdu, sizeof(pdu));
	want_sgl(&want.ystorm_st_context.state.sgl_params,
		 &want.ystorm_st_context.state.data_desc, &sgl);
	/* More SGEs than the threshold with small middle ones: slow I/O. */
	if (small_mid)
		want.ystorm_st_context.state.flags =
			1 << YSTORM_NVMETCP_TASK_STATE_SLOW_IO_SHIFT;
	want.ustorm_st_context.rem_rcv_len = 12 * 4096;
	want.ustorm_st_context.exp_data_transfer_len = 12 * 4096;
	want.ustorm_st_context.reg1_map = n << REG1_NUM_SGES_SHIFT;
	CHECK(same(&ctx, &want, sizeof(ctx), small_mid ?
		   "slow-SGL write context" : "12-SGE write context"));
	want_wqe(tp.itid, NVMETCP_WQE_TYPE_NORMAL, n, 0, 1);
	CHECK(same(&wqe, &wqe_want, sizeof(wqe), "many-SGE write WQE"));
}

static void test_read_slow(void)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params sgl;
	struct nvme_tcp_cmd_pdu pdu;

	dirty_ctx();
	params(&tp);
	fill_sgl(&sgl, 9, 512, true);
	tp.rx_io_size = sgl.total_buffer_size;
	cmd_pdu(&pdu, nvme_cmd_read, 0);
	nvmetcp_init_read_io(&tp, &pdu, &pdu.cmd, &sgl);
	/* The slow-I/O flag is a transmit-side notion: reads never set it. */
	CHECK(!(ctx.ystorm_st_context.state.flags &
		(1 << YSTORM_NVMETCP_TASK_STATE_SLOW_IO_SHIFT)));
	CHECK(FIELD(ctx.ustorm_st_context.reg1_map, REG1_NUM_SGES) ==
	      NVMETCP_WQE_NUM_SGES_SLOWIO);
	CHECK(ctx.mstorm_st_context.sgl_params.sgl_num_sges == 9);
	CHECK(FIELD(wqe.flags, NVMETCP_WQE_NUM_SGES) == 0);
}

static void test_no_sqe(void)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params sgl;
	struct nvme_tcp_cmd_pdu pdu;

	dirty_ctx();
	params(&tp);
	tp.sqe = NULL;
	fill_sgl(&sgl, 1, 4096, false);
	tp.rx_io_size = 4096;
	cmd_pdu(&pdu, nvme_cmd_read, 0);
	nvmetcp_init_read_io(&tp, &pdu, &pdu.cmd, &sgl);
	/* Without a WQE only the context is built. */
	CHECK(ctx.ustorm_st_context.task_type == NVMETCP_TASK_TYPE_HOST_READ);
	CHECK(wqe.task_id == 0xa5a5 && wqe.flags == 0xa5);
}

static void test_icreq(bool with_tx)
{
	struct nvmetcp_task_params tp;
	struct storage_sgl_task_params tx, rx;
	struct nvme_tcp_icreq_pdu ic;
	struct nvmetcp_sge rx_sge;

	dirty_ctx();
	params(&tp);
	memset(&ic, 0, sizeof(ic));
	ic.hdr.type = nvme_tcp_icreq;
	ic.hdr.hlen = sizeof(ic);
	ic.hdr.plen = sizeof(ic);
	ic.pfv = NVME_TCP_PFV_1_0;
	ic.hpda = 0;
	ic.digest = NVME_TCP_HDR_DIGEST_ENABLE | NVME_TCP_DATA_DIGEST_ENABLE;
	ic.maxr2t = 0x01020304;
	/* Bytes beyond the stored header must not reach the context. */
	memset(ic.rsvd2, 0x77, sizeof(ic.rsvd2));

	fill_sgl(&tx, 1, sizeof(ic), false);
	memset(&rx, 0, sizeof(rx));
	rx_sge.sge_addr.lo = 0x55550000u;
	rx_sge.sge_addr.hi = 0x1u;
	rx_sge.sge_len = sizeof(struct nvme_tcp_icresp_pdu);
	rx.sgl = &rx_sge;
	rx.sgl_phys_addr.lo = 0x66660000u;
	rx.sgl_phys_addr.hi = 0x2u;
	rx.total_buffer_size = sizeof(struct nvme_tcp_icresp_pdu);
	rx.num_sges = 1;
	tp.rx_io_size = sizeof(struct nvme_tcp_icresp_pdu);
	tp.tx_io_size = with_tx ? sizeof(ic) : 0;
	nvmetcp_init_icreq_exchange(&tp, &ic, &tx, &rx);

	want_common(&tp, NVMETCP_TASK_TYPE_INIT_CONN_REQUEST);
	/* Common header plus the first 16 bytes of the ICReq only. */
	want_hdr((u8 *)&ic, QED_NVMETCP_NON_IO_HDR_SIZE);
	if (with_tx)
		want_sgl(&want.ystorm_st_context.state.sgl_params,
			 &want.ystorm_st_context.state.data_desc, &tx);
	want_sgl(&want.mstorm_st_context.sgl_params,
		 &want.mstorm_st_context.data_desc, &rx);
	want.mstorm_st_context.rem_task_size = 128;
	want.ustorm_st_context.rem_rcv_len = 128;
	want.ustorm_st_context.exp_data_transfer_len = with_tx ? 128 : 0;
	want.ustorm_ag_context.exp_data_acked = with_tx ? 128 : 0;
	CHECK(same(&ctx, &want, sizeof(ctx), "ICReq context"));
	/* Middle-path WQE; not an NVMe command, so no CDB-size bit. */
	want_wqe(tp.itid, NVMETCP_WQE_TYPE_MIDDLE_PATH, with_tx ? 1 : 0,
		 with_tx ? 128 : 0, 0);
	CHECK(same(&wqe, &wqe_want, sizeof(wqe), "ICReq WQE"));
	check_hdr_roundtrip(&ic, QED_NVMETCP_NON_IO_HDR_SIZE);
}

static void test_cleanup(void)
{
	struct e5_nvmetcp_task_context before;
	struct nvmetcp_task_params tp;

	dirty_ctx();
	before = ctx;
	params(&tp);
	tp.itid = 0x0fff;
	nvmetcp_init_task_cleanup(&tp);
	/* Only the WQE is written: the task context stays as it was. */
	CHECK(same(&ctx, &before, sizeof(ctx), "context after cleanup"));
	want_wqe(0x0fff, NVMETCP_WQE_TYPE_TASK_CLEANUP, 0, 0, 0);
	CHECK(same(&wqe, &wqe_want, sizeof(wqe), "cleanup WQE"));
	CHECK(FIELD(wqe.flags, NVMETCP_WQE_WQE_TYPE) ==
	      NVMETCP_WQE_TYPE_TASK_CLEANUP);

	tp.sqe = NULL;
	nvmetcp_init_task_cleanup(&tp);
	CHECK(same(&ctx, &before, sizeof(ctx), "context after cleanup"));
}

int main(void)
{
	test_layout();
	test_read();
	test_read_slow();
	test_write_incapsule();
	test_write_r2t();
	test_write_many_sges(false);
	test_write_many_sges(true);
	test_no_sqe();
	test_icreq(true);
	test_icreq(false);
	test_cleanup();
	return unit_summary();
}
