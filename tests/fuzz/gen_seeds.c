// SPDX-License-Identifier: GPL-2.0
/* Writes the fuzzer's seed corpus: valid PDU streams for each config. */
#include <stdio.h>
#include "nvmetcp_pdu.h"

static u8 out[8192];
static size_t len;

static void put_ch(u8 type, u8 flags, u8 hlen, u8 pdo, u32 plen)
{
	out[len] = type;
	out[len + 1] = flags;
	out[len + 2] = hlen;
	out[len + 3] = pdo;
	ntp_put32(out + len + 4, plen);
}

static void seal(size_t start, u32 hlen, bool hd)
{
	if (hd)
		ntp_put32(out + start + hlen, ntp_digest(out + start, hlen));
}

static void icresp(void)
{
	memset(out + len, 0, NTP_IC_LEN);
	put_ch(NTP_ICRESP, 0, 128, 0, 128);
	out[len + 11] = 3;
	ntp_put32(out + len + 12, 131072);
	len += NTP_IC_LEN;
}

static void rsp(bool hd, u16 cid)
{
	size_t s = len;

	memset(out + len, 0, 28);
	put_ch(NTP_RSP, hd ? NTP_F_HDGST : 0, 24, 0, hd ? 28 : 24);
	ntp_put16(out + len + 20, cid);
	seal(s, 24, hd);
	len += hd ? 28 : 24;
}

static void r2t(bool hd, u16 cid, u32 off, u32 n)
{
	size_t s = len;

	memset(out + len, 0, 28);
	put_ch(NTP_R2T, hd ? NTP_F_HDGST : 0, 24, 0, hd ? 28 : 24);
	ntp_put16(out + len + 8, cid);
	ntp_put16(out + len + 10, 1);
	ntp_put32(out + len + 12, off);
	ntp_put32(out + len + 16, n);
	seal(s, 24, hd);
	len += hd ? 28 : 24;
}

static void c2h(bool hd, bool dd, u16 cid, u32 off, u32 n, bool last)
{
	u32 hdr = 24 + (hd ? 4 : 0);
	size_t s = len, i;
	u8 flags = (hd ? NTP_F_HDGST : 0) | (dd ? NTP_F_DDGST : 0) |
		   (last ? NTP_F_LAST | NTP_F_SUCCESS : 0);

	memset(out + len, 0, hdr);
	put_ch(NTP_C2H_DATA, flags, 24, hdr, hdr + n + (dd ? 4 : 0));
	ntp_put16(out + len + 8, cid);
	ntp_put32(out + len + 12, off);
	ntp_put32(out + len + 16, n);
	seal(s, 24, hd);
	len += hdr;
	for (i = 0; i < n; i++)
		out[len + i] = (u8)(i * 7);
	if (dd)
		ntp_put32(out + len + n, ntp_digest(out + len, n));
	len += n + (dd ? 4 : 0);
}

static void term(void)
{
	memset(out + len, 0, 24);
	put_ch(NTP_C2H_TERM, 0, 24, 0, 24);
	ntp_put16(out + len + 8, 1);
	len += 24;
}

static void save(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(out, 1, len, f) != len) {
		perror(path);
		return;
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	int cfg;

	len = 0;
	out[len++] = 0;
	icresp();
	save(dir, "icresp");
	len = 0;
	out[len++] = 0;
	term();
	save(dir, "term-early");
	for (cfg = 0; cfg < 4; cfg++) {
		bool hd = cfg & 1, dd = cfg & 2;
		char name[64];

		len = 0;
		out[len++] = 1 | (hd ? 2 : 0) | (dd ? 4 : 0) | (1 << 3);
		c2h(hd, dd, 1, 0, 512, false);
		c2h(hd, dd, 1, 512, 512, true);
		rsp(hd, 2);
		r2t(hd, 3, 0, 4096);
		rsp(hd, 3);
		term();
		snprintf(name, sizeof(name), "stream-hd%d-dd%d", hd, dd);
		save(dir, name);
	}
	/*
	 * Regression (hostile-target mode pdo-odd): C2HData whose PDO is
	 * two bytes past the header, breaking the dword alignment the host
	 * asked for; the parser accepted it as padding.
	 */
	len = 0;
	out[len++] = 1 | (1 << 3);
	c2h(false, false, 1, 0, 512, true);
	out[1 + 3] += 2;
	ntp_put32(out + 1 + 4, 24 + 2 + 512);
	memmove(out + 1 + 26, out + 1 + 24, 512);
	memset(out + 1 + 24, 0, 2);
	len += 2;
	rsp(false, 1);
	save(dir, "regress-pdo-unaligned");
	return 0;
}
