/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVMe/TCP PDU wire format for the software engine: validation of every PDU
 * a controller may send to a host, and construction of the PDUs a host
 * sends.  The code works on byte buffers through the offsets below so that
 * it also compiles in userspace (unit tests, fuzzer); in the kernel build
 * nvmetcp_pdu.c checks every offset and value against <linux/nvme-tcp.h>
 * at compile time, so the two can never drift apart.
 */
#ifndef NVMETCP_PDU_H
#define NVMETCP_PDU_H

#include "nvmetcp_pdu_port.h"

/* PDU types (NVMe/TCP transport spec, figure "PDU type") */
#define NTP_ICREQ	0x00
#define NTP_ICRESP	0x01
#define NTP_H2C_TERM	0x02
#define NTP_C2H_TERM	0x03
#define NTP_CMD		0x04
#define NTP_RSP		0x05
#define NTP_H2C_DATA	0x06
#define NTP_C2H_DATA	0x07
#define NTP_R2T		0x09

/* Common header flags */
#define NTP_F_HDGST	0x01
#define NTP_F_DDGST	0x02
#define NTP_F_LAST	0x04
#define NTP_F_SUCCESS	0x08

/* Sizes */
#define NTP_CH_LEN	8	/* common header */
#define NTP_DGST_LEN	4
#define NTP_IC_LEN	128	/* ICReq / ICResp header */
#define NTP_CMD_HLEN	72	/* capsule command header (8 + SQE) */
#define NTP_SQE_LEN	64
#define NTP_CQE_LEN	16
#define NTP_SHORT_HLEN	24	/* RSP, R2T, H2C/C2H data, term */
#define NTP_TERM_MAX_PLEN 152
#define NTP_MIN_MAXDATA	4096
/* Largest header plus digest plus padding a host ever reads */
#define NTP_HDR_BUF	256

/* Field offsets from the start of the PDU */
#define NTP_OFF_TYPE	0
#define NTP_OFF_FLAGS	1
#define NTP_OFF_HLEN	2
#define NTP_OFF_PDO	3
#define NTP_OFF_PLEN	4
#define NTP_OFF_IC_PFV	8	/* ICReq/ICResp */
#define NTP_OFF_IC_PDA	10	/* hpda / cpda */
#define NTP_OFF_IC_DGST	11
#define NTP_OFF_IC_MAX	12	/* maxr2t / maxh2cdata */
#define NTP_OFF_CID	8	/* R2T, H2CData, C2HData */
#define NTP_OFF_TTAG	10
#define NTP_OFF_DOFF	12	/* data or R2T offset */
#define NTP_OFF_DLEN	16	/* data or R2T length */
#define NTP_OFF_TERM_FES 8
#define NTP_OFF_CQE	8	/* RSP */
#define NTP_OFF_CQE_CID	(NTP_OFF_CQE + 12)
#define NTP_OFF_CQE_STATUS (NTP_OFF_CQE + 14)
#define NTP_OFF_SQE	8	/* CMD */
#define NTP_OFF_SQE_CID	(NTP_OFF_SQE + 2)

/* CRC32C digests: seed with NTP_CRC_INIT, finish with ntp_crc_final(). */
#define NTP_CRC_INIT	0xffffffffu

static inline u32 ntp_crc_final(u32 crc)
{
	return ~crc;
}

static inline u16 ntp_get16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

static inline u32 ntp_get32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) |
	       ((u32)p[3] << 24);
}

static inline void ntp_put16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static inline void ntp_put32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* Digest of @len bytes, ready to be stored with ntp_put32(). */
u32 ntp_digest(const void *buf, size_t len);

/**
 * struct ntp_rx_conf - what the host accepts on a connection
 * @ic_done:	ICResp received; before that only ICResp/C2HTermReq are valid
 * @hdgst:	header digests negotiated
 * @ddgst:	data digests negotiated
 * @max_data:	largest data payload accepted in one C2HData PDU
 * @hpda:	host PDU data alignment sent in the ICReq (0's based dwords);
 *		C2HData payloads must start at a multiple of it
 */
struct ntp_rx_conf {
	bool ic_done;
	bool hdgst;
	bool ddgst;
	u32 max_data;
	u8 hpda;
};

/**
 * struct ntp_pdu - a validated controller-to-host PDU header
 * @type, @flags, @hlen, @pdo, @plen: common header
 * @hdr_len:	bytes to read after the common header before any data:
 *		rest of the header, header digest and padding up to PDO
 * @data_len:	payload bytes following the header (excluding the digest)
 * @ddgst:	a data digest follows the payload
 * @cid, @ttag: command id and transfer tag (R2T, C2HData); cid also RSP
 * @offset, @length: data offset/length (C2HData) or R2T offset/length
 * @pfv, @cpda, @digest, @maxdata: ICResp fields
 * @fes:	fatal error status (C2HTermReq)
 */
struct ntp_pdu {
	u8 type;
	u8 flags;
	u8 hlen;
	u8 pdo;
	u32 plen;
	u32 hdr_len;
	u32 data_len;
	bool ddgst;
	u16 cid;
	u16 ttag;
	u32 offset;
	u32 length;
	u16 pfv;
	u8 cpda;
	u8 digest;
	u32 maxdata;
	u16 fes;
};

/* Errors, so that callers and tests can tell what was wrong. */
enum ntp_err {
	NTP_OK = 0,
	NTP_E_TYPE,		/* unknown or unexpected PDU type */
	NTP_E_HLEN,
	NTP_E_FLAGS,
	NTP_E_PDO,
	NTP_E_PLEN,
	NTP_E_HDGST,		/* header digest mismatch */
	NTP_E_FIELD,		/* a type-specific field is out of range */
	NTP_E_SHORT,		/* buffer shorter than the header */
};

/* Step 1: check the 8-byte common header and size the rest. */
enum ntp_err ntp_parse_ch(const u8 *ch, const struct ntp_rx_conf *conf,
			  struct ntp_pdu *pdu);
/*
 * Step 2: @hdr holds NTP_CH_LEN + pdu->hdr_len bytes (the whole header,
 * digest and padding); verify the digest and decode the fields.
 */
enum ntp_err ntp_parse_hdr(const u8 *hdr, size_t len,
			   const struct ntp_rx_conf *conf,
			   struct ntp_pdu *pdu);

/*
 * Builders; each returns the bytes to send before any data: header, its
 * digest and, for PDUs carrying data, zero padding up to the CPDA
 * alignment.  Buffers must hold NTP_TX_HDR_MAX bytes (NTP_TX_CMD_BARE for
 * ntp_build_cmd() with no in-capsule data).
 */
#define NTP_TX_HDR_MAX	(NTP_IC_LEN + NTP_DGST_LEN + 128)
/* All ntp_build_cmd() writes for a command without in-capsule data */
#define NTP_TX_CMD_BARE	(NTP_CMD_HLEN + NTP_DGST_LEN)
u32 ntp_build_icreq(u8 *buf, u16 pfv, u8 hpda, u8 digest, u32 maxr2t);
u32 ntp_build_cmd(u8 *buf, const u8 *sqe, u32 incap_len, bool hdgst,
		  bool ddgst, u8 cpda);
u32 ntp_build_h2c_data(u8 *buf, u16 cid, u16 ttag, u32 offset, u32 len,
		       bool last, bool hdgst, bool ddgst, u8 cpda);
u32 ntp_build_h2c_term(u8 *buf, u16 fes);

const char *ntp_err_str(enum ntp_err err);

#endif /* NVMETCP_PDU_H */
