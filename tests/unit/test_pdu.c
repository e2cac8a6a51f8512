// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the NVMe/TCP PDU parser and builders shared with the
 * qed_nvmetcp software engine: known-answer vectors for the wire format and
 * the CRC32C digests, and one test per validation rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include "nvmetcp_pdu.h"
#include "unit_check.h"

/* Bit-at-a-time reference, independent of the table implementation. */
static u32 ref_crc32c(const u8 *p, size_t len)
{
	u32 crc = 0xffffffffu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void test_crc32c_vectors(void)
{
	u8 buf[32];
	int i;

	CHECK(ntp_digest("123456789", 9) == 0xE3069283u);
	/* RFC 3720 B.4 iSCSI vectors */
	memset(buf, 0, sizeof(buf));
	CHECK(ntp_digest(buf, 32) == 0x8A9136AAu);
	memset(buf, 0xff, sizeof(buf));
	CHECK(ntp_digest(buf, 32) == 0x62A8AB43u);
	for (i = 0; i < 32; i++)
		buf[i] = i;
	CHECK(ntp_digest(buf, 32) == 0x46DD794Eu);
	for (i = 0; i < 32; i++)
		buf[i] = 31 - i;
	CHECK(ntp_digest(buf, 32) == 0x113FDB5Cu);
	CHECK(ntp_digest(buf, 32) == ref_crc32c(buf, 32));
	/* Incremental = one shot */
	CHECK(ntp_crc_final(ntp_crc32c_raw(ntp_crc32c_raw(NTP_CRC_INIT, buf, 5),
					   buf + 5, 27)) == ntp_digest(buf, 32));
}

static void test_build_icreq(void)
{
	u8 pdu[NTP_IC_LEN];
	static const u8 want[16] = {
		0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x03, 0x04, 0x03, 0x02, 0x01,
	};
	int i, zero = 1;

	memset(pdu, 0xee, sizeof(pdu));
	CHECK(ntp_build_icreq(pdu, 0, 0, 3, 0x01020304) == NTP_IC_LEN);
	CHECK(!memcmp(pdu, want, sizeof(want)));
	for (i = 16; i < NTP_IC_LEN; i++)
		zero &= pdu[i] == 0;
	CHECK(zero);
}

static void test_build_cmd(void)
{
	u8 sqe[NTP_SQE_LEN], pdu[NTP_TX_HDR_MAX];
	u32 n;
	int i;

	for (i = 0; i < NTP_SQE_LEN; i++)
		sqe[i] = i + 1;
	n = ntp_build_cmd(pdu, sqe, 0, false, false, 0);
	CHECK(n == 72);
	CHECK(pdu[0] == 0x04 && pdu[1] == 0 && pdu[2] == 72 && pdu[3] == 0);
	CHECK(ntp_get32(pdu + 4) == 72);
	CHECK(!memcmp(pdu + 8, sqe, 64));

	n = ntp_build_cmd(pdu, sqe, 4096, true, true, 0);
	CHECK(n == 76);
	CHECK(pdu[1] == (NTP_F_HDGST | NTP_F_DDGST));
	CHECK(pdu[3] == 76);
	CHECK(ntp_get32(pdu + 4) == 76 + 4096 + 4);
	CHECK(ntp_get32(pdu + 72) == ref_crc32c(pdu, 72));

	n = ntp_build_cmd(pdu, sqe, 512, false, false, 0);
	CHECK(n == 72 && pdu[1] == 0 && pdu[3] == 72);
	CHECK(ntp_get32(pdu + 4) == 72 + 512);

	/* CPDA 15 = 64-byte alignment: 76-byte header padded to 128 */
	memset(pdu, 0xee, sizeof(pdu));
	n = ntp_build_cmd(pdu, sqe, 512, true, false, 15);
	CHECK(n == 128 && pdu[3] == 128);
	CHECK(ntp_get32(pdu + 4) == 128 + 512);
	CHECK(ntp_get32(pdu + 72) == ref_crc32c(pdu, 72));
	for (i = 76; i < 128; i++)
		CHECK(pdu[i] == 0);
	/* no data, no padding whatever CPDA says */
	n = ntp_build_cmd(pdu, sqe, 0, false, false, 31);
	CHECK(n == 72 && pdu[3] == 0 && ntp_get32(pdu + 4) == 72);
	/* ... and nothing written past NTP_TX_CMD_BARE (the pollers' batches) */
	memset(pdu, 0xee, sizeof(pdu));
	n = ntp_build_cmd(pdu, sqe, 0, true, true, 31);
	CHECK(n == NTP_TX_CMD_BARE && ntp_get32(pdu + 4) == NTP_TX_CMD_BARE);
	for (i = NTP_TX_CMD_BARE; i < NTP_TX_HDR_MAX; i++)
		CHECK(pdu[i] == 0xee);
}

static void test_build_h2c(void)
{
	u8 pdu[NTP_TX_HDR_MAX];
	static const u8 want[24] = {
		0x06, 0x04, 0x18, 0x18, 0x18, 0x10, 0x00, 0x00,
		0x34, 0x12, 0x78, 0x56, 0x00, 0x10, 0x00, 0x00,
		0x00, 0x10, 0x00, 0x00, 0, 0, 0, 0,
	};
	u32 n;

	n = ntp_build_h2c_data(pdu, 0x1234, 0x5678, 4096, 4096, true,
			       false, false, 0);
	CHECK(n == 24);
	CHECK(!memcmp(pdu, want, 24));
	n = ntp_build_h2c_data(pdu, 1, 2, 0, 100, false, true, true, 0);
	CHECK(n == 28);
	CHECK(pdu[1] == (NTP_F_HDGST | NTP_F_DDGST) && pdu[3] == 28);
	CHECK(ntp_get32(pdu + 4) == 28 + 100 + 4);
	CHECK(ntp_get32(pdu + 24) == ref_crc32c(pdu, 24));
	n = ntp_build_h2c_data(pdu, 1, 2, 0, 100, true, false, false, 3);
	CHECK(n == 32 && pdu[3] == 32 && ntp_get32(pdu + 4) == 132);
	CHECK(ntp_get32(pdu + 24) == 0 && ntp_get32(pdu + 28) == 0);
	n = ntp_build_h2c_data(pdu, 1, 2, 0, 100, true, true, true, 31);
	CHECK(n == 128 && pdu[3] == 128 && ntp_get32(pdu + 4) == 232);
	n = ntp_build_h2c_term(pdu, 1);
	CHECK(n == 24 && pdu[0] == 0x02 && ntp_get32(pdu + 4) == 24);
	CHECK(ntp_get16(pdu + 8) == 1);
}

/* ---- receive side ---- */

static struct ntp_rx_conf conf_ic(void)
{
	struct ntp_rx_conf c = { .ic_done = false, .max_data = 1 << 20 };

	return c;
}

static struct ntp_rx_conf conf_up(bool hd, bool dd)
{
	struct ntp_rx_conf c = {
		.ic_done = true, .hdgst = hd, .ddgst = dd, .max_data = 1 << 20,
	};

	return c;
}

static void put_ch(u8 *b, u8 type, u8 flags, u8 hlen, u8 pdo, u32 plen)
{
	b[0] = type;
	b[1] = flags;
	b[2] = hlen;
	b[3] = pdo;
	ntp_put32(b + 4, plen);
}

static void make_icresp(u8 *b, u16 pfv, u8 cpda, u8 dgst, u32 maxdata)
{
	memset(b, 0, NTP_IC_LEN);
	put_ch(b, NTP_ICRESP, 0, 128, 0, 128);
	ntp_put16(b + 8, pfv);
	b[10] = cpda;
	b[11] = dgst;
	ntp_put32(b + 12, maxdata);
}

/* Run both parse steps over a complete header buffer. */
static enum ntp_err parse(const u8 *b, size_t len, const struct ntp_rx_conf *c,
			  struct ntp_pdu *pdu)
{
	enum ntp_err e = ntp_parse_ch(b, c, pdu);

	if (e)
		return e;
	return ntp_parse_hdr(b, len, c, pdu);
}

static void test_icresp(void)
{
	struct ntp_rx_conf c = conf_ic(), up = conf_up(false, false);
	struct ntp_pdu pdu;
	u8 b[NTP_IC_LEN];

	make_icresp(b, 0, 0, 3, 131072);
	CHECK(parse(b, sizeof(b), &c, &pdu) == NTP_OK);
	CHECK(pdu.type == NTP_ICRESP && pdu.hdr_len == 120);
	CHECK(pdu.digest == 3 && pdu.maxdata == 131072 && pdu.cpda == 0);
	/* only once */
	CHECK(ntp_parse_ch(b, &up, &pdu) == NTP_E_TYPE);
	make_icresp(b, 1, 0, 0, 131072);
	CHECK(parse(b, sizeof(b), &c, &pdu) == NTP_E_FIELD);
	make_icresp(b, 0, 32, 0, 131072);
	CHECK(parse(b, sizeof(b), &c, &pdu) == NTP_E_FIELD);
	make_icresp(b, 0, 0, 4, 131072);
	CHECK(parse(b, sizeof(b), &c, &pdu) == NTP_E_FIELD);
	make_icresp(b, 0, 0, 0, 4092);
	CHECK(parse(b, sizeof(b), &c, &pdu) == NTP_E_FIELD);
	make_icresp(b, 0, 0, 0, 8190);
	CHECK(parse(b, sizeof(b), &c, &pdu) == NTP_E_FIELD);
	make_icresp(b, 0, 0, 0, 8192);
	b[2] = 24;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_HLEN);
	make_icresp(b, 0, 0, 0, 8192);
	ntp_put32(b + 4, 132);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	make_icresp(b, 0, 0, 0, 8192);
	b[1] = NTP_F_HDGST;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	make_icresp(b, 0, 0, 0, 8192);
	b[3] = 128;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PDO);
	CHECK(parse(b, 64, &c, &pdu) != NTP_OK);
}

static void make_rsp(u8 *b, bool hd, u16 cid, u16 status)
{
	memset(b, 0, 28);
	put_ch(b, NTP_RSP, hd ? NTP_F_HDGST : 0, 24, 0, hd ? 28 : 24);
	ntp_put16(b + 20, cid);
	ntp_put16(b + 22, status);
	if (hd)
		ntp_put32(b + 24, ref_crc32c(b, 24));
}

static void test_rsp(void)
{
	struct ntp_rx_conf c = conf_up(false, false), h = conf_up(true, false);
	struct ntp_rx_conf ic = conf_ic();
	struct ntp_pdu pdu;
	u8 b[28];

	make_rsp(b, false, 0xabcd, 0);
	CHECK(parse(b, 24, &c, &pdu) == NTP_OK);
	CHECK(pdu.cid == 0xabcd && pdu.hdr_len == 16 && pdu.data_len == 0);
	CHECK(ntp_parse_ch(b, &ic, &pdu) == NTP_E_TYPE);
	CHECK(ntp_parse_ch(b, &h, &pdu) == NTP_E_FLAGS);
	make_rsp(b, true, 7, 0x4002);
	CHECK(parse(b, 28, &h, &pdu) == NTP_OK);
	CHECK(pdu.cid == 7 && pdu.hdr_len == 20);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	b[24] ^= 1;
	CHECK(parse(b, 28, &h, &pdu) == NTP_E_HDGST);
	make_rsp(b, false, 1, 0);
	b[1] = NTP_F_DDGST;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	make_rsp(b, false, 1, 0);
	b[1] = 0x10;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	make_rsp(b, false, 1, 0);
	ntp_put32(b + 4, 28);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	make_rsp(b, false, 1, 0);
	b[3] = 24;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PDO);
	make_rsp(b, false, 1, 0);
	b[2] = 72;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_HLEN);
}

static void make_c2h(u8 *b, bool hd, bool dd, u8 pad, u16 cid, u32 off,
		     u32 len, u8 flags)
{
	u32 hdr = 24 + (hd ? 4 : 0);

	memset(b, 0, 64);
	flags |= (hd ? NTP_F_HDGST : 0) | (dd ? NTP_F_DDGST : 0);
	put_ch(b, NTP_C2H_DATA, flags, 24, hdr + pad,
	       hdr + pad + len + (dd ? 4 : 0));
	ntp_put16(b + 8, cid);
	ntp_put16(b + 10, 0xffff);
	ntp_put32(b + 12, off);
	ntp_put32(b + 16, len);
	if (hd)
		ntp_put32(b + 24, ref_crc32c(b, 24));
}

static void test_c2h(void)
{
	struct ntp_rx_conf c = conf_up(false, false), hd = conf_up(true, true);
	struct ntp_pdu pdu;
	u8 b[64];

	make_c2h(b, false, false, 0, 3, 0, 4096, NTP_F_LAST | NTP_F_SUCCESS);
	CHECK(parse(b, 24, &c, &pdu) == NTP_OK);
	CHECK(pdu.cid == 3 && pdu.offset == 0 && pdu.length == 4096);
	CHECK(pdu.data_len == 4096 && !pdu.ddgst && pdu.hdr_len == 16);
	CHECK(pdu.flags & NTP_F_SUCCESS);

	make_c2h(b, true, true, 0, 3, 8192, 512, 0);
	CHECK(parse(b, 28, &hd, &pdu) == NTP_OK);
	CHECK(pdu.data_len == 512 && pdu.ddgst && pdu.hdr_len == 20);
	CHECK(pdu.offset == 8192);

	/* padding up to PDO is read as part of the header */
	make_c2h(b, false, false, 8, 3, 0, 100, 0);
	CHECK(parse(b, 32, &c, &pdu) == NTP_OK);
	CHECK(pdu.hdr_len == 24 && pdu.data_len == 100);

	/* PDO must keep the host's alignment (HPDA, 0's based dwords) */
	make_c2h(b, false, false, 2, 3, 0, 100, 0);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PDO);
	c.hpda = 1;
	make_c2h(b, false, false, 4, 3, 0, 100, 0);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PDO);
	make_c2h(b, false, false, 8, 3, 0, 100, 0);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_OK);
	c.hpda = 0;

	make_c2h(b, false, false, 0, 3, 0, 100, NTP_F_SUCCESS);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	make_c2h(b, false, true, 0, 3, 0, 100, 0);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	make_c2h(b, false, false, 0, 3, 0, 100, 0);
	b[3] = 16;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PDO);
	make_c2h(b, false, false, 0, 3, 0, 100, 0);
	ntp_put32(b + 4, 24);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	make_c2h(b, false, false, 0, 3, 0, 100, 0);
	ntp_put32(b + 4, 10);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	make_c2h(b, false, false, 0, 3, 0, 2u << 20, 0);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	make_c2h(b, false, false, 0, 3, 0, 100, 0);
	ntp_put32(b + 16, 99);
	CHECK(parse(b, 24, &c, &pdu) == NTP_E_FIELD);
	make_c2h(b, false, false, 0, 3, 0xfffffff0u, 100, 0);
	CHECK(parse(b, 24, &c, &pdu) == NTP_E_FIELD);
	make_c2h(b, true, true, 0, 3, 0, 100, 0);
	b[10] ^= 0x40;
	CHECK(parse(b, 28, &hd, &pdu) == NTP_E_HDGST);
	make_c2h(b, false, false, 0, 3, 0, 100, 0);
	CHECK(parse(b, 23, &c, &pdu) == NTP_E_SHORT);
}

static void test_r2t(void)
{
	struct ntp_rx_conf c = conf_up(false, false);
	struct ntp_pdu pdu;
	u8 b[28];

	memset(b, 0, sizeof(b));
	put_ch(b, NTP_R2T, 0, 24, 0, 24);
	ntp_put16(b + 8, 9);
	ntp_put16(b + 10, 0x55);
	ntp_put32(b + 12, 8192);
	ntp_put32(b + 16, 65536);
	CHECK(parse(b, 24, &c, &pdu) == NTP_OK);
	CHECK(pdu.cid == 9 && pdu.ttag == 0x55);
	CHECK(pdu.offset == 8192 && pdu.length == 65536 && pdu.data_len == 0);
	ntp_put32(b + 16, 0);
	CHECK(parse(b, 24, &c, &pdu) == NTP_E_FIELD);
	ntp_put32(b + 16, 100);
	b[1] = NTP_F_LAST;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
	b[1] = 0;
	ntp_put32(b + 4, 124);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
}

static void test_term(void)
{
	struct ntp_rx_conf c = conf_up(true, true), ic = conf_ic();
	struct ntp_pdu pdu;
	u8 b[24];

	memset(b, 0, sizeof(b));
	put_ch(b, NTP_C2H_TERM, 0, 24, 0, 24 + 72);
	ntp_put16(b + 8, 2);
	CHECK(parse(b, 24, &c, &pdu) == NTP_OK);
	CHECK(pdu.fes == 2 && pdu.data_len == 72);
	CHECK(parse(b, 24, &ic, &pdu) == NTP_OK);
	ntp_put32(b + 4, 153);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	ntp_put32(b + 4, 23);
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_PLEN);
	ntp_put32(b + 4, 24);
	b[1] = NTP_F_HDGST;
	CHECK(ntp_parse_ch(b, &c, &pdu) == NTP_E_FLAGS);
}

static void test_host_types_refused(void)
{
	struct ntp_rx_conf c = conf_up(false, false);
	struct ntp_pdu pdu;
	u8 b[8];
	int t;

	for (t = 0; t < 256; t++) {
		bool rx = t == NTP_ICRESP || t == NTP_C2H_TERM ||
			  t == NTP_RSP || t == NTP_C2H_DATA || t == NTP_R2T;
		enum ntp_err e;

		put_ch(b, t, 0, 24, 0, 24);
		e = ntp_parse_ch(b, &c, &pdu);
		if (!rx)
			CHECK(e == NTP_E_TYPE);
	}
	CHECK(!strcmp(ntp_err_str(NTP_E_HDGST), "header digest mismatch"));
	CHECK(!strcmp(ntp_err_str((enum ntp_err)99), "?"));
}

int main(void)
{
	test_crc32c_vectors();
	test_build_icreq();
	test_build_cmd();
	test_build_h2c();
	test_icresp();
	test_rsp();
	test_c2h();
	test_r2t();
	test_term();
	test_host_types_refused();
	return unit_summary();
}
