// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the NVMe/TCP PDU parser of the qed_nvmetcp software
 * engine.  Input: one configuration byte (bit 0 ICResp done, bit 1 header
 * digest, bit 2 data digest, bits 3-4 pick the largest accepted C2H data,
 * bits 5-6 the host's PDU data alignment HPDA)
 * followed by a byte stream that is parsed the way rx_work does it: common
 * header, then exactly the announced header bytes, then the payload is
 * skipped, PDU after PDU.  Every buffer handed to the parser is a fresh
 * allocation of exactly the available size, so ASan sees any overread.
 */
#include <stdlib.h>
#include "nvmetcp_pdu.h"

static const u32 max_data[4] = { 4096, 65536, 1 << 20, 0xffffffffu };

static void check_pdu(const struct ntp_pdu *pdu, const struct ntp_rx_conf *c)
{
	/* Invariants rx_work relies on. */
	if (NTP_CH_LEN + pdu->hdr_len > NTP_HDR_BUF)
		abort();
	/* Data starts where the host's alignment (HPDA) says it may. */
	if (pdu->type == NTP_C2H_DATA && pdu->pdo % ((c->hpda + 1) * 4))
		abort();
	if (pdu->type == NTP_C2H_DATA &&
	    (pdu->length != pdu->data_len || !pdu->length ||
	     pdu->offset + pdu->length < pdu->offset))
		abort();
	if (pdu->type == NTP_R2T && !pdu->length)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ntp_rx_conf conf;
	struct ntp_pdu pdu;
	size_t pos = 1, hl, skip;
	u8 *buf;

	if (size < 1)
		return 0;
	conf.ic_done = data[0] & 1;
	conf.hdgst = data[0] & 2;
	conf.ddgst = data[0] & 4;
	conf.max_data = max_data[(data[0] >> 3) & 3];
	conf.hpda = (data[0] >> 5) & 3;

	while (size - pos >= NTP_CH_LEN) {
		buf = malloc(NTP_CH_LEN);
		memcpy(buf, data + pos, NTP_CH_LEN);
		if (ntp_parse_ch(buf, &conf, &pdu) != NTP_OK) {
			free(buf);
			break;
		}
		free(buf);
		hl = NTP_CH_LEN + pdu.hdr_len;
		if (hl > size - pos)
			hl = size - pos;
		buf = malloc(hl);
		memcpy(buf, data + pos, hl);
		if (ntp_parse_hdr(buf, hl, &conf, &pdu) != NTP_OK) {
			free(buf);
			break;
		}
		free(buf);
		check_pdu(&pdu, &conf);
		if (pdu.type == NTP_ICRESP)
			conf.ic_done = true;
		if (pdu.type == NTP_C2H_TERM)
			break;
		skip = (size_t)NTP_CH_LEN + pdu.hdr_len + pdu.data_len +
		       (pdu.ddgst ? NTP_DGST_LEN : 0);
		if (skip > size - pos)
			break;
		pos += skip;
	}

	/* Builders must stay inside their documented buffer sizes. */
	if (size >= 16) {
		u8 *out = malloc(NTP_TX_HDR_MAX);
		u8 sqe[NTP_SQE_LEN] = { 0 };

		ntp_build_cmd(out, sqe, ntp_get32(data + 1), data[5] & 1,
			      data[5] & 2, data[15]);
		free(out);
		out = malloc(NTP_TX_HDR_MAX);
		ntp_build_h2c_data(out, ntp_get16(data + 6), ntp_get16(data + 8),
				   ntp_get32(data + 10), ntp_get16(data + 14),
				   data[5] & 4, data[5] & 8, data[5] & 16,
				   data[15]);
		free(out);
	}
	return 0;
}
