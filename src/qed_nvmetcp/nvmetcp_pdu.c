// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe/TCP PDU validation and construction, shared by the kernel module and
 * the userspace tests.  Everything a controller sends is treated as hostile:
 * a PDU is accepted only when its type is one a host may receive at this
 * point of the connection, its lengths are exactly what the type implies,
 * its flags match the negotiated digests and its header digest verifies.
 */
#include "nvmetcp_pdu.h"

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/nvme-tcp.h>

/* The offset tables above must describe <linux/nvme-tcp.h> exactly. */
static_assert(nvme_tcp_c2h_data == NTP_C2H_DATA);
static_assert(nvme_tcp_r2t == NTP_R2T);
static_assert(nvme_tcp_icresp == NTP_ICRESP);
static_assert(nvme_tcp_rsp == NTP_RSP);
static_assert(nvme_tcp_c2h_term == NTP_C2H_TERM);
static_assert(nvme_tcp_cmd == NTP_CMD);
static_assert(nvme_tcp_h2c_data == NTP_H2C_DATA);
static_assert(nvme_tcp_icreq == NTP_ICREQ);
static_assert(nvme_tcp_h2c_term == NTP_H2C_TERM);
static_assert(NVME_TCP_F_HDGST == NTP_F_HDGST);
static_assert(NVME_TCP_F_DDGST == NTP_F_DDGST);
static_assert(NVME_TCP_F_DATA_LAST == NTP_F_LAST);
static_assert(NVME_TCP_F_DATA_SUCCESS == NTP_F_SUCCESS);
static_assert(sizeof(struct nvme_tcp_hdr) == NTP_CH_LEN);
static_assert(sizeof(struct nvme_tcp_icresp_pdu) == NTP_IC_LEN);
static_assert(sizeof(struct nvme_tcp_icreq_pdu) == NTP_IC_LEN);
static_assert(sizeof(struct nvme_tcp_cmd_pdu) == NTP_CMD_HLEN);
static_assert(sizeof(struct nvme_tcp_rsp_pdu) == NTP_SHORT_HLEN);
static_assert(sizeof(struct nvme_tcp_data_pdu) == NTP_SHORT_HLEN);
static_assert(sizeof(struct nvme_tcp_r2t_pdu) == NTP_SHORT_HLEN);
static_assert(sizeof(struct nvme_tcp_term_pdu) == NTP_SHORT_HLEN);
static_assert(offsetof(struct nvme_tcp_hdr, plen) == NTP_OFF_PLEN);
static_assert(offsetof(struct nvme_tcp_hdr, pdo) == NTP_OFF_PDO);
static_assert(offsetof(struct nvme_tcp_icresp_pdu, pfv) == NTP_OFF_IC_PFV);
static_assert(offsetof(struct nvme_tcp_icresp_pdu, cpda) == NTP_OFF_IC_PDA);
static_assert(offsetof(struct nvme_tcp_icresp_pdu, digest) == NTP_OFF_IC_DGST);
static_assert(offsetof(struct nvme_tcp_icresp_pdu, maxdata) == NTP_OFF_IC_MAX);
static_assert(offsetof(struct nvme_tcp_icreq_pdu, hpda) == NTP_OFF_IC_PDA);
static_assert(offsetof(struct nvme_tcp_icreq_pdu, maxr2t) == NTP_OFF_IC_MAX);
static_assert(offsetof(struct nvme_tcp_data_pdu, command_id) == NTP_OFF_CID);
static_assert(offsetof(struct nvme_tcp_data_pdu, ttag) == NTP_OFF_TTAG);
static_assert(offsetof(struct nvme_tcp_data_pdu, data_offset) == NTP_OFF_DOFF);
static_assert(offsetof(struct nvme_tcp_data_pdu, data_length) == NTP_OFF_DLEN);
static_assert(offsetof(struct nvme_tcp_r2t_pdu, r2t_offset) == NTP_OFF_DOFF);
static_assert(offsetof(struct nvme_tcp_r2t_pdu, r2t_length) == NTP_OFF_DLEN);
static_assert(offsetof(struct nvme_tcp_term_pdu, fes) == NTP_OFF_TERM_FES);
static_assert(offsetof(struct nvme_tcp_rsp_pdu, cqe) == NTP_OFF_CQE);
static_assert(NTP_OFF_CQE + offsetof(struct nvme_completion, command_id) ==
	      NTP_OFF_CQE_CID);
static_assert(NTP_OFF_CQE + offsetof(struct nvme_completion, status) ==
	      NTP_OFF_CQE_STATUS);
static_assert(offsetof(struct nvme_tcp_cmd_pdu, cmd) +
	      offsetof(struct nvme_common_command, command_id) ==
	      NTP_OFF_SQE_CID);
static_assert(sizeof(struct nvme_command) == NTP_SQE_LEN);
static_assert(sizeof(struct nvme_completion) == NTP_CQE_LEN);
#endif

u32 ntp_digest(const void *buf, size_t len)
{
	return ntp_crc_final(ntp_crc32c_raw(NTP_CRC_INIT, buf, len));
}

/* Header length each receivable type must announce. */
static u8 ntp_rx_hlen(u8 type)
{
	switch (type) {
	case NTP_ICRESP:
		return NTP_IC_LEN;
	case NTP_C2H_TERM:
	case NTP_RSP:
	case NTP_C2H_DATA:
	case NTP_R2T:
		return NTP_SHORT_HLEN;
	default:
		return 0;
	}
}

static enum ntp_err ntp_check_data_pdu(const struct ntp_rx_conf *conf,
				       struct ntp_pdu *pdu, u32 hdr_total)
{
	u32 dgst = conf->ddgst ? NTP_DGST_LEN : 0;

	if (!!(pdu->flags & NTP_F_DDGST) != conf->ddgst)
		return NTP_E_FLAGS;
	if ((pdu->flags & NTP_F_SUCCESS) && !(pdu->flags & NTP_F_LAST))
		return NTP_E_FLAGS;
	/*
	 * Padding up to PDO is allowed, PDO inside the header is not, nor
	 * one that breaks the alignment the host asked for in its ICReq.
	 */
	if (pdu->pdo < hdr_total ||
	    pdu->pdo % (((u32)(conf->hpda & 31) + 1) * 4))
		return NTP_E_PDO;
	if (pdu->plen <= (u32)pdu->pdo + dgst)
		return NTP_E_PLEN;
	pdu->data_len = pdu->plen - pdu->pdo - dgst;
	if (pdu->data_len > conf->max_data)
		return NTP_E_PLEN;
	pdu->ddgst = conf->ddgst;
	pdu->hdr_len = pdu->pdo - NTP_CH_LEN;
	return NTP_OK;
}

enum ntp_err ntp_parse_ch(const u8 *ch, const struct ntp_rx_conf *conf,
			  struct ntp_pdu *pdu)
{
	bool hdgst;
	u32 hdr_total;

	memset(pdu, 0, sizeof(*pdu));
	pdu->type = ch[NTP_OFF_TYPE];
	pdu->flags = ch[NTP_OFF_FLAGS];
	pdu->hlen = ch[NTP_OFF_HLEN];
	pdu->pdo = ch[NTP_OFF_PDO];
	pdu->plen = ntp_get32(ch + NTP_OFF_PLEN);

	if (!ntp_rx_hlen(pdu->type))
		return NTP_E_TYPE;
	/* Before the ICResp only it or a termination may arrive. */
	if (!conf->ic_done && pdu->type != NTP_ICRESP &&
	    pdu->type != NTP_C2H_TERM)
		return NTP_E_TYPE;
	if (conf->ic_done && pdu->type == NTP_ICRESP)
		return NTP_E_TYPE;
	if (pdu->hlen != ntp_rx_hlen(pdu->type))
		return NTP_E_HLEN;
	if (pdu->flags & ~(NTP_F_HDGST | NTP_F_DDGST | NTP_F_LAST |
			   NTP_F_SUCCESS))
		return NTP_E_FLAGS;

	/* ICResp and termination PDUs never carry digests. */
	if (pdu->type == NTP_ICRESP || pdu->type == NTP_C2H_TERM) {
		if (pdu->flags || pdu->pdo)
			return pdu->flags ? NTP_E_FLAGS : NTP_E_PDO;
		if (pdu->type == NTP_ICRESP && pdu->plen != NTP_IC_LEN)
			return NTP_E_PLEN;
		if (pdu->type == NTP_C2H_TERM &&
		    (pdu->plen < NTP_SHORT_HLEN ||
		     pdu->plen > NTP_TERM_MAX_PLEN))
			return NTP_E_PLEN;
		pdu->hdr_len = pdu->hlen - NTP_CH_LEN;
		pdu->data_len = pdu->plen - pdu->hlen;
		return NTP_OK;
	}

	hdgst = conf->hdgst;
	if (!!(pdu->flags & NTP_F_HDGST) != hdgst)
		return NTP_E_FLAGS;
	hdr_total = pdu->hlen + (hdgst ? NTP_DGST_LEN : 0);

	if (pdu->type == NTP_C2H_DATA)
		return ntp_check_data_pdu(conf, pdu, hdr_total);

	if (pdu->flags & (NTP_F_DDGST | NTP_F_LAST | NTP_F_SUCCESS))
		return NTP_E_FLAGS;
	if (pdu->pdo)
		return NTP_E_PDO;
	if (pdu->plen != hdr_total)
		return NTP_E_PLEN;
	pdu->hdr_len = hdr_total - NTP_CH_LEN;
	return NTP_OK;
}

static enum ntp_err ntp_parse_icresp(const u8 *hdr, struct ntp_pdu *pdu)
{
	pdu->pfv = ntp_get16(hdr + NTP_OFF_IC_PFV);
	pdu->cpda = hdr[NTP_OFF_IC_PDA];
	pdu->digest = hdr[NTP_OFF_IC_DGST];
	pdu->maxdata = ntp_get32(hdr + NTP_OFF_IC_MAX);
	if (pdu->pfv != 0 || pdu->cpda > 31 || (pdu->digest & ~3u))
		return NTP_E_FIELD;
	if (pdu->maxdata < NTP_MIN_MAXDATA || (pdu->maxdata & 3))
		return NTP_E_FIELD;
	return NTP_OK;
}

enum ntp_err ntp_parse_hdr(const u8 *hdr, size_t len,
			   const struct ntp_rx_conf *conf,
			   struct ntp_pdu *pdu)
{
	u32 end;

	if (len < NTP_CH_LEN + (size_t)pdu->hdr_len)
		return NTP_E_SHORT;
	if (pdu->flags & NTP_F_HDGST &&
	    ntp_get32(hdr + pdu->hlen) != ntp_digest(hdr, pdu->hlen))
		return NTP_E_HDGST;

	switch (pdu->type) {
	case NTP_ICRESP:
		return ntp_parse_icresp(hdr, pdu);
	case NTP_C2H_TERM:
		pdu->fes = ntp_get16(hdr + NTP_OFF_TERM_FES);
		return NTP_OK;
	case NTP_RSP:
		pdu->cid = ntp_get16(hdr + NTP_OFF_CQE_CID);
		return NTP_OK;
	case NTP_C2H_DATA:
	case NTP_R2T:
		pdu->cid = ntp_get16(hdr + NTP_OFF_CID);
		pdu->ttag = ntp_get16(hdr + NTP_OFF_TTAG);
		pdu->offset = ntp_get32(hdr + NTP_OFF_DOFF);
		pdu->length = ntp_get32(hdr + NTP_OFF_DLEN);
		end = pdu->offset + pdu->length;
		if (!pdu->length || end < pdu->offset)
			return NTP_E_FIELD;
		if (pdu->type == NTP_C2H_DATA && pdu->length != pdu->data_len)
			return NTP_E_FIELD;
		return NTP_OK;
	default:
		return NTP_E_TYPE;
	}
}

static void ntp_put_ch(u8 *buf, u8 type, u8 flags, u8 hlen, u8 pdo, u32 plen)
{
	buf[NTP_OFF_TYPE] = type;
	buf[NTP_OFF_FLAGS] = flags;
	buf[NTP_OFF_HLEN] = hlen;
	buf[NTP_OFF_PDO] = pdo;
	ntp_put32(buf + NTP_OFF_PLEN, plen);
}

static u32 ntp_seal(u8 *buf, u32 hlen, bool hdgst)
{
	if (!hdgst)
		return hlen;
	ntp_put32(buf + hlen, ntp_digest(buf, hlen));
	return hlen + NTP_DGST_LEN;
}

u32 ntp_build_icreq(u8 *buf, u16 pfv, u8 hpda, u8 digest, u32 maxr2t)
{
	memset(buf, 0, NTP_IC_LEN);
	ntp_put_ch(buf, NTP_ICREQ, 0, NTP_IC_LEN, 0, NTP_IC_LEN);
	ntp_put16(buf + NTP_OFF_IC_PFV, pfv);
	buf[NTP_OFF_IC_PDA] = hpda;
	buf[NTP_OFF_IC_DGST] = digest;
	ntp_put32(buf + NTP_OFF_IC_MAX, maxr2t);
	return NTP_IC_LEN;
}

/*
 * Data the host sends starts at a multiple of the controller's alignment
 * (CPDA, 0's based dwords); the gap after the header is zero padding.
 */
static u32 ntp_data_pdo(u8 *buf, u32 hdr, u8 cpda)
{
	u32 align = ((u32)(cpda & 31) + 1) * 4;
	u32 pdo = (hdr + align - 1) / align * align;

	memset(buf + hdr, 0, pdo - hdr);
	return pdo;
}

u32 ntp_build_cmd(u8 *buf, const u8 *sqe, u32 incap_len, bool hdgst,
		  bool ddgst, u8 cpda)
{
	u32 hdr = NTP_CMD_HLEN + (hdgst ? NTP_DGST_LEN : 0);
	u32 plen = hdr;
	u8 flags = hdgst ? NTP_F_HDGST : 0;
	u32 pdo = 0;

	if (incap_len) {
		pdo = ntp_data_pdo(buf, hdr, cpda);
		plen = pdo + incap_len;
		if (ddgst) {
			flags |= NTP_F_DDGST;
			plen += NTP_DGST_LEN;
		}
	}
	ntp_put_ch(buf, NTP_CMD, flags, NTP_CMD_HLEN, pdo, plen);
	/* The engine builds in place, with the SQE already where it belongs. */
	if (sqe != buf + NTP_OFF_SQE)
		memcpy(buf + NTP_OFF_SQE, sqe, NTP_SQE_LEN);
	ntp_seal(buf, NTP_CMD_HLEN, hdgst);
	return pdo ? pdo : hdr;
}

u32 ntp_build_h2c_data(u8 *buf, u16 cid, u16 ttag, u32 offset, u32 len,
		       bool last, bool hdgst, bool ddgst, u8 cpda)
{
	u32 hdr = NTP_SHORT_HLEN + (hdgst ? NTP_DGST_LEN : 0);
	u8 flags = (hdgst ? NTP_F_HDGST : 0) | (ddgst ? NTP_F_DDGST : 0) |
		   (last ? NTP_F_LAST : 0);
	u32 pdo = ntp_data_pdo(buf, hdr, cpda);

	memset(buf, 0, NTP_SHORT_HLEN);
	ntp_put_ch(buf, NTP_H2C_DATA, flags, NTP_SHORT_HLEN, pdo,
		   pdo + len + (ddgst ? NTP_DGST_LEN : 0));
	ntp_put16(buf + NTP_OFF_CID, cid);
	ntp_put16(buf + NTP_OFF_TTAG, ttag);
	ntp_put32(buf + NTP_OFF_DOFF, offset);
	ntp_put32(buf + NTP_OFF_DLEN, len);
	ntp_seal(buf, NTP_SHORT_HLEN, hdgst);
	return pdo;
}

u32 ntp_build_h2c_term(u8 *buf, u16 fes)
{
	memset(buf, 0, NTP_SHORT_HLEN);
	ntp_put_ch(buf, NTP_H2C_TERM, 0, NTP_SHORT_HLEN, 0, NTP_SHORT_HLEN);
	ntp_put16(buf + NTP_OFF_TERM_FES, fes);
	return NTP_SHORT_HLEN;
}

const char *ntp_err_str(enum ntp_err err)
{
	static const char * const names[] = {
		[NTP_OK] = "ok",
		[NTP_E_TYPE] = "unexpected PDU type",
		[NTP_E_HLEN] = "bad header length",
		[NTP_E_FLAGS] = "bad flags",
		[NTP_E_PDO] = "bad data offset (pdo)",
		[NTP_E_PLEN] = "bad PDU length",
		[NTP_E_HDGST] = "header digest mismatch",
		[NTP_E_FIELD] = "field out of range",
		[NTP_E_SHORT] = "short header",
	};

	if ((unsigned int)err >= ARRAY_SIZE(names))
		return "?";
	return names[err];
}
