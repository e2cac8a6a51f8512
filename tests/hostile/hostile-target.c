// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-target: a small NVMe/TCP controller for tests.  It serves one
 * subsystem with one namespace well enough for "nvme connect" (ICReq,
 * Fabrics Connect, Property Get/Set, Identify, Set Features, Keep Alive,
 * Asynchronous Event Request, Read, Write, Flush) and then misbehaves once,
 * in the way the mode chosen on the command line says, on the first I/O
 * command that starts at the trigger LBA.  Connect-time modes misbehave in
 * every ICResp instead.  Everything the host sends is checked too; a host
 * that breaks the protocol is reported with a "HOST-VIOLATION" line.
 *
 *   hostile-target [-p PORT] [-n NQN] [-m MODE] [-t LBA]
 *   hostile-target --expect LBA COUNT   (the namespace's initial data)
 *   hostile-target --list               (the modes)
 *
 * The wire structures below are our own, laid out as the NVMe/TCP
 * transport specification describes them; the static asserts pin the
 * sizes.  Only x86 (little endian) is supported, like the rest of the
 * tests.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "hostile-target assumes a little-endian machine"
#endif

#define __packed __attribute__((packed))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* PDU types */
enum {
	T_ICREQ = 0x00, T_ICRESP = 0x01, T_H2C_TERM = 0x02, T_C2H_TERM = 0x03,
	T_CMD = 0x04, T_RSP = 0x05, T_H2C_DATA = 0x06, T_C2H_DATA = 0x07,
	T_R2T = 0x09,
};

#define F_HDGST		0x01
#define F_DDGST		0x02
#define F_LAST		0x04
#define F_SUCCESS	0x08

struct ch {			/* common header */
	uint8_t type;
	uint8_t flags;
	uint8_t hlen;
	uint8_t pdo;
	uint32_t plen;
} __packed;

struct ic_pdu {			/* ICReq and ICResp */
	struct ch ch;
	uint16_t pfv;
	uint8_t pda;		/* hpda / cpda */
	uint8_t digest;
	uint32_t max;		/* maxr2t / maxh2cdata */
	uint8_t rsvd[112];
} __packed;

struct sqe {
	uint8_t opcode;
	uint8_t flags;
	uint16_t cid;
	uint32_t nsid;		/* byte 4 is fctype for fabrics commands */
	uint32_t cdw2;
	uint32_t cdw3;
	uint64_t mptr;
	uint64_t sgl_addr;
	uint32_t sgl_len;
	uint8_t sgl_rsvd[3];
	uint8_t sgl_type;
	uint32_t cdw10;
	uint32_t cdw11;
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
} __packed;

struct cqe {
	uint64_t result;
	uint16_t sq_head;
	uint16_t sq_id;
	uint16_t cid;
	uint16_t status;
} __packed;

struct cmd_pdu {
	struct ch ch;
	struct sqe sqe;
} __packed;

struct rsp_pdu {
	struct ch ch;
	struct cqe cqe;
} __packed;

struct data_pdu {		/* H2CData, C2HData and R2T */
	struct ch ch;
	uint16_t cid;
	uint16_t ttag;
	uint32_t offset;
	uint32_t length;
	uint32_t rsvd;
} __packed;

struct term_pdu {
	struct ch ch;
	uint16_t fes;
	uint32_t fei;
	uint8_t rsvd[10];
} __packed;

_Static_assert(sizeof(struct ch) == 8, "common header");
_Static_assert(sizeof(struct ic_pdu) == 128, "ICReq/ICResp");
_Static_assert(sizeof(struct sqe) == 64, "SQE");
_Static_assert(sizeof(struct cqe) == 16, "CQE");
_Static_assert(sizeof(struct cmd_pdu) == 72, "capsule command");
_Static_assert(sizeof(struct rsp_pdu) == 24, "capsule response");
_Static_assert(sizeof(struct data_pdu) == 24, "data/R2T");
_Static_assert(sizeof(struct term_pdu) == 24, "termination");

#define DGST	4
#define LBA_SHIFT 9
#define NS_BLOCKS 8192		/* 4 MiB namespace */
#define NS_BYTES ((size_t)NS_BLOCKS << LBA_SHIFT)
#define MAX_XFER (128 * 1024)	/* MDTS 5 with 4 KiB pages */
#define C2H_CHUNK (32 * 1024)
#define MAXH2C_DEFAULT (64 * 1024)
#define MAX_WRITES 64

/* Modes: what the target does wrong, and when. */
enum when { AT_IO_READ, AT_IO_WRITE, AT_ICRESP, NEVER };

struct mode {
	const char *name;
	enum when when;
	const char *what;
};

static const struct mode modes[] = {
	{ "none", NEVER, "behave" },
	{ "plen-short", AT_IO_READ, "response with PDU length below its header length" },
	{ "plen-huge", AT_IO_READ, "C2HData with PDU length 0xfffffff0" },
	{ "hlen-big", AT_IO_READ, "response with header length 255" },
	{ "hlen-small", AT_IO_READ, "C2HData with header length 8" },
	{ "pdo-low", AT_IO_READ, "C2HData with PDO inside the header" },
	{ "pdo-odd", AT_IO_READ, "C2HData with PDO not dword aligned" },
	{ "flags-ddgst", AT_IO_READ, "C2HData with DDGST flag, digests not negotiated" },
	{ "c2h-offset", AT_IO_READ, "C2HData at an offset beyond the command's buffer" },
	{ "c2h-length", AT_IO_READ, "C2HData longer than the command's buffer" },
	{ "c2h-rewind", AT_IO_READ, "C2HData going back to an offset already filled" },
	{ "c2h-cid", AT_IO_READ, "C2HData for a command id not in flight" },
	{ "rsp-cid", AT_IO_READ, "response for a command id not in flight" },
	{ "type-unknown", AT_IO_READ, "PDU of reserved type 0x0f" },
	{ "type-cmd", AT_IO_READ, "PDU of a host-to-controller type (CapsuleCmd)" },
	{ "icresp-again", AT_IO_READ, "a second ICResp" },
	{ "c2h-term", AT_IO_READ, "C2HTermReq" },
	{ "dup-rsp", AT_IO_READ, "correct data and response, then the response again" },
	{ "no-rsp", AT_IO_READ, "correct data, no response (host must time out)" },
	{ "close-hdr", AT_IO_READ, "close the connection inside a C2HData header" },
	{ "close-data", AT_IO_READ, "close the connection inside C2HData payload" },
	{ "stall-data", AT_IO_READ, "stop inside C2HData payload, connection open" },
	{ "r2t-over", AT_IO_WRITE, "R2T for more data than the write has" },
	{ "r2t-offset", AT_IO_WRITE, "R2T at an offset beyond the write's data" },
	{ "r2t-cid", AT_IO_WRITE, "R2T for a command id not in flight" },
	{ "hdgst-bad", AT_IO_READ, "response with a wrong header digest (needs hdr_digest)" },
	{ "ddgst-bad", AT_IO_READ, "C2HData with a byte flipped after its digest (needs data_digest)" },
	{ "dribble", NEVER, "every PDU in 3-byte sends (valid; host must reassemble)" },
	{ "maxh2c-huge", AT_ICRESP, "ICResp MAXH2CDATA 0xfffffffc (valid; host must cope)" },
	{ "maxh2c-min", AT_ICRESP, "ICResp MAXH2CDATA 4096 (valid; host must split writes)" },
	{ "maxh2c-small", AT_ICRESP, "ICResp MAXH2CDATA 1024 (invalid)" },
	{ "maxh2c-odd", AT_ICRESP, "ICResp MAXH2CDATA 4098 (invalid, not dword multiple)" },
};

static const struct mode *mode = &modes[0];
static uint64_t trigger_lba = 2048;
static int fired;		/* the one misbehaviour has happened */
static const char *nqn = "nqn.2014-08.org.nvmexpress:nto-hostile";
static uint8_t *ns_data;
static pthread_mutex_t ns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static bool is_mode(const char *name)
{
	return !strcmp(mode->name, name);
}

static void logf_(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&log_lock);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
}

/* ---- CRC32C (Castagnoli, reflected) ---- */

static uint32_t crc_tab[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_tab[i] = c;
	}
}

static uint32_t crc_upd(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--)
		crc = crc_tab[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static uint32_t crc32c(const void *buf, size_t len)
{
	return ~crc_upd(0xffffffffu, buf, len);
}

/* ---- namespace ---- */

static uint8_t pattern_byte(uint64_t off)
{
	return (uint8_t)(off * 13 + (off >> LBA_SHIFT) * 7 + 0x5a);
}

/* ---- connection ---- */

struct wr {			/* a write waiting for its H2CData */
	bool used;
	uint16_t cid;
	uint64_t off;		/* byte offset in the namespace */
	uint32_t len;
	uint32_t got;
	uint8_t *buf;
};

struct conn {
	int fd;
	int id;
	int qid;		/* -1 until Fabrics Connect */
	bool ic_done;
	bool hdgst;
	bool ddgst;
	uint8_t hpda;
	uint32_t maxh2c;	/* what we advertised */
	uint16_t sqhd;
	uint16_t sqsize;
	uint64_t cc;
	struct wr wr[MAX_WRITES];
};

static void violation(struct conn *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	logf_("HOST-VIOLATION conn %d qid %d: %s", c->id, c->qid, msg);
}

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	/* dribble: headers, data and digests split at every third byte */
	size_t most = is_mode("dribble") ? 3 : SIZE_MAX;
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len < most ? len : most, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Send a header of @hlen bytes with its digest when negotiated. */
static int send_hdr(struct conn *c, void *hdr, size_t hlen)
{
	uint8_t buf[256];

	memcpy(buf, hdr, hlen);
	if (c->hdgst) {
		uint32_t d = crc32c(buf, hlen);

		memcpy(buf + hlen, &d, DGST);
		hlen += DGST;
	}
	return write_full(c->fd, buf, hlen);
}

static void put_ch(struct ch *ch, struct conn *c, uint8_t type, uint8_t hlen,
		   uint32_t datalen)
{
	uint32_t hdr = hlen + (c->hdgst ? DGST : 0);

	memset(ch, 0, sizeof(*ch));
	ch->type = type;
	ch->hlen = hlen;
	ch->flags = c->hdgst ? F_HDGST : 0;
	ch->plen = hdr;
	if (datalen) {
		uint32_t align = (c->hpda + 1u) * 4;

		ch->pdo = (hdr + align - 1) / align * align;
		ch->plen = ch->pdo + datalen + (c->ddgst ? DGST : 0);
		if (c->ddgst)
			ch->flags |= F_DDGST;
	}
}

static int send_rsp(struct conn *c, uint16_t cid, uint16_t status,
		    uint64_t result)
{
	struct rsp_pdu r;

	put_ch(&r.ch, c, T_RSP, sizeof(r), 0);
	memset(&r.cqe, 0, sizeof(r.cqe));
	r.cqe.result = result;
	r.cqe.sq_head = ++c->sqhd;
	if (c->sqsize && c->sqhd > c->sqsize)
		c->sqhd = 0;
	r.cqe.sq_id = c->qid > 0 ? c->qid : 0;
	r.cqe.cid = cid;
	r.cqe.status = (uint16_t)(status << 1);
	return send_hdr(c, &r, sizeof(r));
}

/*
 * One C2HData PDU of @len bytes of @data at @off; @flags adds LAST etc.
 * @bad_ddgst: the payload goes out with one byte flipped after the digest
 * was computed, as if corrupted on the way.
 */
static int send_c2h(struct conn *c, uint16_t cid, uint32_t off,
		    const uint8_t *data, uint32_t len, uint8_t flags,
		    bool bad_ddgst)
{
	uint32_t dg = crc32c(data, len);

	struct data_pdu d;
	uint8_t pad[128] = { 0 };
	uint32_t hdr = sizeof(d) + (c->hdgst ? DGST : 0);

	put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
	d.ch.flags |= flags;
	d.cid = cid;
	d.ttag = 0;
	d.offset = off;
	d.length = len;
	d.rsvd = 0;
	if (send_hdr(c, &d, sizeof(d)) ||
	    write_full(c->fd, pad, d.ch.pdo - hdr))
		return -1;
	if (bad_ddgst) {
		uint8_t flip = data[len / 2] ^ 0x40;

		if (write_full(c->fd, data, len / 2) ||
		    write_full(c->fd, &flip, 1) ||
		    write_full(c->fd, data + len / 2 + 1, len - len / 2 - 1))
			return -1;
	} else if (write_full(c->fd, data, len)) {
		return -1;
	}
	return c->ddgst ? write_full(c->fd, &dg, DGST) : 0;
}

/* Send @len bytes of data for a read command, then its response. */
static int send_read(struct conn *c, uint16_t cid, const uint8_t *data,
		     uint32_t len)
{
	uint32_t off = 0;

	while (off < len) {
		uint32_t n = len - off < C2H_CHUNK ? len - off : C2H_CHUNK;

		if (send_c2h(c, cid, off, data + off, n,
			     off + n == len ? F_LAST : 0, false))
			return -1;
		off += n;
	}
	return send_rsp(c, cid, 0, 0);
}

static void send_raw(struct conn *c, const void *buf, size_t len)
{
	if (write_full(c->fd, buf, len))
		logf_("conn %d: send failed: %s", c->id, strerror(errno));
}

/*
 * The misbehaviour for a read of @len bytes (@data) of command @cid.
 * Returns 0 when the connection may go on, -1 to close it.
 */
static int misbehave_read(struct conn *c, uint16_t cid, const uint8_t *data,
			  uint32_t len)
{
	uint32_t hdr = sizeof(struct data_pdu) + (c->hdgst ? DGST : 0);
	struct data_pdu d;
	struct rsp_pdu r;
	uint8_t buf[512];

	logf_("conn %d qid %d: misbehaving (%s) on read cid %#x len %u",
	      c->id, c->qid, mode->name, cid, len);
	memset(buf, 0, sizeof(buf));
	memset(&d, 0, sizeof(d));
	memset(&r, 0, sizeof(r));
	d.cid = cid;
	d.length = len;

	if (is_mode("plen-short")) {
		put_ch(&r.ch, c, T_RSP, sizeof(r), 0);
		r.ch.plen = 16;
		r.cqe.cid = cid;
		send_hdr(c, &r, sizeof(r));
	} else if (is_mode("plen-huge")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.plen = 0xfffffff0u;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, data, len);
	} else if (is_mode("hlen-big")) {
		put_ch(&r.ch, c, T_RSP, sizeof(r), 0);
		r.ch.hlen = 255;
		r.cqe.cid = cid;
		send_hdr(c, &r, sizeof(r));
	} else if (is_mode("hlen-small")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.hlen = 8;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, data, len);
	} else if (is_mode("pdo-low")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.pdo = 8;
		d.ch.plen = 8 + len;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, data, len);
	} else if (is_mode("pdo-odd")) {
		/*
		 * Data two bytes after the header: the padding is well formed
		 * but PDO breaks the host's alignment (HPDA), which the host
		 * must reject.  The payload is the right data.
		 */
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.flags |= F_LAST;
		d.ch.pdo = hdr + 2;
		d.ch.plen = d.ch.pdo + len;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, buf, 2);
		send_raw(c, data, len);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("flags-ddgst")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.flags |= F_DDGST | F_LAST;
		d.ch.plen += DGST;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, data, len);
		send_raw(c, buf, DGST);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("c2h-offset")) {
		/* 4 KiB at the very end of the buffer and beyond */
		send_c2h(c, cid, len, data, len < 4096 ? len : 4096, F_LAST,
			 false);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("c2h-length")) {
		static uint8_t big[MAX_XFER + 4096];

		memset(big, 0xee, sizeof(big));
		memcpy(big, data, len);
		send_c2h(c, cid, 0, big, len + 4096, F_LAST, false);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("c2h-rewind")) {
		uint32_t half = len / 2;

		send_c2h(c, cid, 0, data, half, 0, false);
		send_c2h(c, cid, 0, data, len, F_LAST, false);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("c2h-cid")) {
		send_c2h(c, cid ^ 0x5a5a, 0, data, len, F_LAST, false);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("rsp-cid")) {
		send_c2h(c, cid, 0, data, len, F_LAST, false);
		send_rsp(c, cid ^ 0x5a5a, 0, 0);
	} else if (is_mode("type-unknown") || is_mode("type-cmd")) {
		put_ch(&r.ch, c, is_mode("type-cmd") ? T_CMD : 0x0f,
		       sizeof(r), 0);
		send_hdr(c, &r, sizeof(r));
	} else if (is_mode("icresp-again")) {
		struct ic_pdu ic;

		memset(&ic, 0, sizeof(ic));
		ic.ch.type = T_ICRESP;
		ic.ch.hlen = sizeof(ic);
		ic.ch.plen = sizeof(ic);
		ic.max = MAXH2C_DEFAULT;
		send_raw(c, &ic, sizeof(ic));
	} else if (is_mode("c2h-term")) {
		struct term_pdu t;

		memset(&t, 0, sizeof(t));
		t.ch.type = T_C2H_TERM;
		t.ch.hlen = sizeof(t);
		t.ch.plen = sizeof(t);
		t.fes = 0x01;	/* invalid header field */
		send_raw(c, &t, sizeof(t));
		return -1;
	} else if (is_mode("dup-rsp")) {
		send_read(c, cid, data, len);
		send_rsp(c, cid, 0, 0);
	} else if (is_mode("no-rsp")) {
		uint32_t off = 0;

		while (off < len) {
			uint32_t n = len - off < C2H_CHUNK ? len - off : C2H_CHUNK;

			send_c2h(c, cid, off, data + off, n,
				 off + n == len ? F_LAST : 0, false);
			off += n;
		}
	} else if (is_mode("close-hdr")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		send_raw(c, &d, 12);
		return -1;
	} else if (is_mode("close-data")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.flags |= F_LAST;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, data, len / 2);
		return -1;
	} else if (is_mode("stall-data")) {
		put_ch(&d.ch, c, T_C2H_DATA, sizeof(d), len);
		d.ch.flags |= F_LAST;
		send_hdr(c, &d, sizeof(d));
		send_raw(c, data, len / 2);
	} else if (is_mode("hdgst-bad")) {
		uint8_t h[sizeof(r) + DGST];
		uint32_t dg;

		send_c2h(c, cid, 0, data, len, F_LAST, false);
		put_ch(&r.ch, c, T_RSP, sizeof(r), 0);
		r.cqe.cid = cid;
		memcpy(h, &r, sizeof(r));
		dg = crc32c(&r, sizeof(r)) ^ 0x100;
		memcpy(h + sizeof(r), &dg, DGST);
		send_raw(c, h, sizeof(h));
		if (!c->hdgst)
			logf_("conn %d: hdgst-bad without header digests", c->id);
	} else if (is_mode("ddgst-bad")) {
		if (!c->ddgst)
			logf_("conn %d: ddgst-bad without data digests", c->id);
		send_c2h(c, cid, 0, data, len, F_LAST, true);
		send_rsp(c, cid, 0, 0);
	} else {
		logf_("mode %s has no read misbehaviour", mode->name);
		return send_read(c, cid, data, len);
	}
	return 0;
}

static int misbehave_write(struct conn *c, struct wr *w, uint16_t ttag)
{
	struct data_pdu r;

	logf_("conn %d qid %d: misbehaving (%s) on write cid %#x len %u",
	      c->id, c->qid, mode->name, w->cid, w->len);
	put_ch(&r.ch, c, T_R2T, sizeof(r), 0);
	r.cid = w->cid;
	r.ttag = ttag;
	r.offset = 0;
	r.length = w->len;
	r.rsvd = 0;
	if (is_mode("r2t-over"))
		r.length = w->len + 4096;
	else if (is_mode("r2t-offset"))
		r.offset = w->len;
	else if (is_mode("r2t-cid"))
		r.cid = w->cid ^ 0x5a5a;
	return send_hdr(c, &r, sizeof(r));
}

static bool trigger(enum when when, uint64_t slba)
{
	if (mode->when != when || slba != trigger_lba)
		return false;
	return __atomic_exchange_n(&fired, 1, __ATOMIC_SEQ_CST) == 0;
}

/* ---- command handling ---- */

#define SC_INVALID_OPCODE	0x01
#define SC_INVALID_FIELD	0x02
#define SC_LBA_RANGE		0x80

static void fill_id_ctrl(uint8_t *id)
{
	char sn[20], mn[40], fr[8];
	uint32_t v;
	uint16_t s;

	memset(id, 0, 4096);
	s = 0x1af4;				/* vid */
	memcpy(id + 0, &s, 2);
	memcpy(id + 2, &s, 2);			/* ssvid */
	memset(sn, ' ', sizeof(sn));
	memcpy(sn, "hostile0001", 11);
	memcpy(id + 4, sn, sizeof(sn));
	memset(mn, ' ', sizeof(mn));
	memcpy(mn, "nto hostile target", 18);
	memcpy(id + 24, mn, sizeof(mn));
	memset(fr, ' ', sizeof(fr));
	memcpy(fr, "1.0", 3);
	memcpy(id + 64, fr, sizeof(fr));
	id[77] = 5;				/* mdts: 128 KiB */
	s = 1;
	memcpy(id + 78, &s, 2);			/* cntlid */
	v = 0x00010400;
	memcpy(id + 80, &v, 4);			/* ver 1.4 */
	id[111] = 1;				/* cntrltype: I/O */
	id[259] = 3;				/* aerl */
	s = 10;
	memcpy(id + 320, &s, 2);		/* kas: 1 s */
	id[512] = 0x66;				/* sqes */
	id[513] = 0x44;				/* cqes */
	s = 128;
	memcpy(id + 514, &s, 2);		/* maxcmd */
	v = 1;
	memcpy(id + 516, &v, 4);		/* nn */
	v = 1 | (1u << 20);			/* sgls: supported, offsets */
	memcpy(id + 536, &v, 4);
	strncpy((char *)id + 768, nqn, 255);	/* subnqn */
	v = 4 + 1024 / 16;			/* ioccsz: SQE + Connect data */
	memcpy(id + 1792, &v, 4);
	v = 1;					/* iorcsz */
	memcpy(id + 1796, &v, 4);
	id[1803] = 1;				/* msdbd */
}

static void fill_id_ns(uint8_t *id, uint32_t nsid)
{
	uint64_t n = NS_BLOCKS;

	memset(id, 0, 4096);
	if (nsid != 1)
		return;
	memcpy(id + 0, &n, 8);			/* nsze */
	memcpy(id + 8, &n, 8);			/* ncap */
	memcpy(id + 16, &n, 8);			/* nuse */
	id[130] = LBA_SHIFT;			/* lbaf[0].lbads */
}

static int admin_cmd(struct conn *c, const struct sqe *s)
{
	uint8_t buf[4096];
	uint32_t len = s->sgl_len;

	switch (s->opcode) {
	case 0x06: {				/* Identify */
		uint8_t cns = s->cdw10 & 0xff;

		if (len > sizeof(buf))
			len = sizeof(buf);
		memset(buf, 0, sizeof(buf));
		if (cns == 0x01)
			fill_id_ctrl(buf);
		else if (cns == 0x00)
			fill_id_ns(buf, s->nsid);
		else if (cns == 0x02 && s->nsid < 1)
			buf[0] = 1;			/* active ns list: 1 */
		return send_read(c, s->cid, buf, len);
	}
	case 0x02:				/* Get Log Page */
		if (len > sizeof(buf))
			len = sizeof(buf);
		memset(buf, 0, sizeof(buf));
		return send_read(c, s->cid, buf, len);
	case 0x09: {				/* Set Features */
		uint8_t fid = s->cdw10 & 0xff;

		return send_rsp(c, s->cid, 0, fid == 0x07 ? s->cdw11 : 0);
	}
	case 0x0a:				/* Get Features */
		return send_rsp(c, s->cid, 0, 0);
	case 0x18:				/* Keep Alive */
		return send_rsp(c, s->cid, 0, 0);
	case 0x0c:				/* AER: never completes */
		return 0;
	default:
		logf_("conn %d: admin opcode %#x not supported", c->id,
		      s->opcode);
		return send_rsp(c, s->cid, SC_INVALID_OPCODE, 0);
	}
}

static int fabrics_cmd(struct conn *c, const struct sqe *s,
		       const uint8_t *data, uint32_t dlen)
{
	uint8_t fctype = ((const uint8_t *)s)[4];
	uint8_t attrib = s->cdw10 & 0xff;
	uint32_t off = s->cdw11;
	uint64_t val = 0;

	switch (fctype) {
	case 0x01:				/* Connect */
		if (c->qid >= 0) {
			violation(c, "second Connect");
			return send_rsp(c, s->cid, SC_INVALID_FIELD, 0);
		}
		if (dlen < 1024) {
			violation(c, "Connect with %u bytes of data", dlen);
			return send_rsp(c, s->cid, SC_INVALID_FIELD, 0);
		}
		c->qid = s->cdw10 >> 16;
		c->sqsize = s->cdw11 & 0xffff;
		if (strncmp((const char *)data + 256, nqn, 256)) {
			logf_("conn %d: Connect to unknown NQN %.64s", c->id,
			      (const char *)data + 256);
			return send_rsp(c, s->cid, 0x182, 0);
		}
		logf_("conn %d: Connect qid %d sqsize %u", c->id, c->qid,
		      c->sqsize);
		return send_rsp(c, s->cid, 0, 1);	/* cntlid 1 */
	case 0x04:				/* Property Get */
		switch (off) {
		case 0x00:	/* CAP: MQES 127, CQR, TO 10, CSS NVM */
			val = 127 | (1u << 16) | (10u << 24) | (1ull << 37);
			break;
		case 0x08:
			val = 0x00010400;
			break;
		case 0x14:
			val = c->cc;
			break;
		case 0x1c:	/* CSTS: RDY follows EN, SHST follows SHN */
			val = c->cc & 1;
			if (c->cc & (3u << 14))
				val |= 2u << 2;
			break;
		default:
			break;
		}
		(void)attrib;
		return send_rsp(c, s->cid, 0, val);
	case 0x00:				/* Property Set */
		if (off == 0x14)
			c->cc = (uint64_t)s->cdw12 | ((uint64_t)s->cdw13 << 32);
		return send_rsp(c, s->cid, 0, 0);
	default:
		return send_rsp(c, s->cid, SC_INVALID_OPCODE, 0);
	}
}

static int io_cmd(struct conn *c, const struct sqe *s, const uint8_t *data,
		  uint32_t dlen)
{
	uint64_t slba = (uint64_t)s->cdw10 | ((uint64_t)s->cdw11 << 32);
	uint32_t nlb = (s->cdw12 & 0xffff) + 1;
	uint32_t len = nlb << LBA_SHIFT;
	uint8_t *buf;
	int rc, i;

	switch (s->opcode) {
	case 0x00:				/* Flush */
		return send_rsp(c, s->cid, 0, 0);
	case 0x01:				/* Write */
	case 0x02:				/* Read */
		break;
	default:
		return send_rsp(c, s->cid, SC_INVALID_OPCODE, 0);
	}
	if (s->nsid != 1 || slba + nlb > NS_BLOCKS || len > MAX_XFER)
		return send_rsp(c, s->cid, SC_LBA_RANGE, 0);
	if (s->sgl_len != len) {
		violation(c, "cid %#x: SGL length %u, command length %u",
			  s->cid, s->sgl_len, len);
		return send_rsp(c, s->cid, SC_INVALID_FIELD, 0);
	}
	if (s->opcode == 0x02) {
		buf = malloc(len);
		if (!buf)
			return -1;
		pthread_mutex_lock(&ns_lock);
		memcpy(buf, ns_data + (slba << LBA_SHIFT), len);
		pthread_mutex_unlock(&ns_lock);
		if (trigger(AT_IO_READ, slba))
			rc = misbehave_read(c, s->cid, buf, len);
		else
			rc = send_read(c, s->cid, buf, len);
		free(buf);
		return rc;
	}
	if (dlen) {			/* in-capsule write data */
		if (dlen != len) {
			violation(c, "cid %#x: %u bytes in capsule for %u",
				  s->cid, dlen, len);
			return send_rsp(c, s->cid, SC_INVALID_FIELD, 0);
		}
		pthread_mutex_lock(&ns_lock);
		memcpy(ns_data + (slba << LBA_SHIFT), data, len);
		pthread_mutex_unlock(&ns_lock);
		return send_rsp(c, s->cid, 0, 0);
	}
	for (i = 0; i < MAX_WRITES && c->wr[i].used; i++)
		;
	if (i == MAX_WRITES) {
		violation(c, "more than %d writes outstanding", MAX_WRITES);
		return -1;
	}
	c->wr[i] = (struct wr){ .used = true, .cid = s->cid,
				.off = slba << LBA_SHIFT, .len = len };
	c->wr[i].buf = malloc(len);
	if (!c->wr[i].buf)
		return -1;
	if (trigger(AT_IO_WRITE, slba))
		return misbehave_write(c, &c->wr[i], i);
	{
		struct data_pdu r;

		put_ch(&r.ch, c, T_R2T, sizeof(r), 0);
		r.cid = s->cid;
		r.ttag = i;
		r.offset = 0;
		r.length = len;
		r.rsvd = 0;
		return send_hdr(c, &r, sizeof(r));
	}
}

/* Read the rest of a header after its common header, with its digest. */
static int read_hdr(struct conn *c, uint8_t *hdr, const struct ch *ch,
		    size_t hlen)
{
	size_t total = hlen + (c->hdgst ? DGST : 0);

	memcpy(hdr, ch, sizeof(*ch));
	if (read_full(c->fd, hdr + sizeof(*ch), total - sizeof(*ch)))
		return -1;
	if (!!(ch->flags & F_HDGST) != c->hdgst) {
		violation(c, "type %#x: HDGST flag %d, negotiated %d", ch->type,
			  !!(ch->flags & F_HDGST), c->hdgst);
		return -1;
	}
	if (c->hdgst) {
		uint32_t d;

		memcpy(&d, hdr + hlen, DGST);
		if (d != crc32c(hdr, hlen)) {
			violation(c, "type %#x: header digest mismatch",
				  ch->type);
			return -1;
		}
	}
	return 0;
}

/* Read the data part of a PDU: padding up to PDO, payload, digest. */
static int read_data(struct conn *c, const struct ch *ch, size_t hlen,
		     uint8_t *buf, uint32_t *len, uint32_t max)
{
	uint32_t hdr = hlen + (c->hdgst ? DGST : 0);
	uint32_t dg = c->ddgst ? DGST : 0, d;
	uint8_t pad[256];

	if (ch->pdo < hdr || ch->plen <= ch->pdo + dg) {
		violation(c, "type %#x: pdo %u plen %u", ch->type, ch->pdo,
			  ch->plen);
		return -1;
	}
	if (ch->pdo % ((c->hpda + 1u) * 4))
		violation(c, "type %#x: pdo %u not aligned", ch->type, ch->pdo);
	if (!!(ch->flags & F_DDGST) != c->ddgst) {
		violation(c, "type %#x: DDGST flag wrong", ch->type);
		return -1;
	}
	*len = ch->plen - ch->pdo - dg;
	if (*len > max) {
		violation(c, "type %#x: %u bytes of data, at most %u", ch->type,
			  *len, max);
		return -1;
	}
	if (read_full(c->fd, pad, ch->pdo - hdr) ||
	    read_full(c->fd, buf, *len))
		return -1;
	if (!dg)
		return 0;
	if (read_full(c->fd, &d, DGST))
		return -1;
	if (d != crc32c(buf, *len)) {
		violation(c, "type %#x: data digest mismatch", ch->type);
		return -1;
	}
	return 0;
}

static int on_icreq(struct conn *c, const struct ch *ch)
{
	struct ic_pdu req, resp;

	if (ch->hlen != sizeof(req) || ch->plen != sizeof(req) || c->ic_done) {
		violation(c, "bad ICReq (hlen %u plen %u again %d)", ch->hlen,
			  ch->plen, c->ic_done);
		return -1;
	}
	memcpy(&req, ch, sizeof(*ch));
	if (read_full(c->fd, (uint8_t *)&req + sizeof(*ch),
		      sizeof(req) - sizeof(*ch)))
		return -1;
	if (req.pfv != 0 || req.pda > 31 || (req.digest & ~3u)) {
		violation(c, "ICReq pfv %u hpda %u digest %#x", req.pfv,
			  req.pda, req.digest);
		return -1;
	}
	c->hpda = req.pda;
	c->maxh2c = MAXH2C_DEFAULT;
	if (is_mode("maxh2c-huge"))
		c->maxh2c = 0xfffffffcu;
	else if (is_mode("maxh2c-min"))
		c->maxh2c = 4096;
	else if (is_mode("maxh2c-small"))
		c->maxh2c = 1024;
	else if (is_mode("maxh2c-odd"))
		c->maxh2c = 4098;
	memset(&resp, 0, sizeof(resp));
	resp.ch.type = T_ICRESP;
	resp.ch.hlen = sizeof(resp);
	resp.ch.plen = sizeof(resp);
	resp.pfv = 0;
	resp.pda = 0;
	resp.digest = req.digest;
	resp.max = c->maxh2c;
	logf_("conn %d: ICReq hpda %u digest %#x maxr2t %u; ICResp maxh2cdata %u",
	      c->id, req.pda, req.digest, req.max, c->maxh2c);
	if (write_full(c->fd, &resp, sizeof(resp)))
		return -1;
	c->hdgst = req.digest & 1;
	c->ddgst = req.digest & 2;
	c->ic_done = true;
	return 0;
}

static int on_cmd(struct conn *c, const struct ch *ch)
{
	static const uint32_t max_incap = 8192;
	uint8_t hdr[sizeof(struct cmd_pdu) + DGST];
	struct sqe s;
	uint8_t *data = NULL;
	uint32_t dlen = 0;
	int rc;

	if (ch->hlen != sizeof(struct cmd_pdu)) {
		violation(c, "CapsuleCmd hlen %u", ch->hlen);
		return -1;
	}
	if (read_hdr(c, hdr, ch, sizeof(struct cmd_pdu)))
		return -1;
	memcpy(&s, hdr + sizeof(*ch), sizeof(s));
	if (ch->plen > sizeof(struct cmd_pdu) + (c->hdgst ? DGST : 0)) {
		data = malloc(max_incap);
		if (!data ||
		    read_data(c, ch, sizeof(struct cmd_pdu), data, &dlen,
			      max_incap)) {
			free(data);
			return -1;
		}
	}
	if (c->qid < 0) {
		if (s.opcode != 0x7f || ((uint8_t *)&s)[4] != 0x01)
			violation(c, "opcode %#x before Connect", s.opcode);
		rc = fabrics_cmd(c, &s, data, dlen);
	} else if (s.opcode == 0x7f) {
		rc = fabrics_cmd(c, &s, data, dlen);
	} else if (c->qid == 0) {
		rc = admin_cmd(c, &s);
	} else {
		rc = io_cmd(c, &s, data, dlen);
	}
	free(data);
	return rc;
}

static int on_h2c_data(struct conn *c, const struct ch *ch)
{
	uint8_t hdr[sizeof(struct data_pdu) + DGST];
	struct data_pdu d;
	struct wr *w;
	uint32_t len;

	if (ch->hlen != sizeof(d)) {
		violation(c, "H2CData hlen %u", ch->hlen);
		return -1;
	}
	if (read_hdr(c, hdr, ch, sizeof(d)))
		return -1;
	memcpy(&d, hdr, sizeof(d));
	if (d.ttag >= MAX_WRITES || !c->wr[d.ttag].used ||
	    c->wr[d.ttag].cid != d.cid) {
		violation(c, "H2CData for ttag %u cid %#x not asked for",
			  d.ttag, d.cid);
		return -1;
	}
	w = &c->wr[d.ttag];
	if (d.offset != w->got || d.length > w->len - w->got ||
	    d.length > c->maxh2c) {
		violation(c, "H2CData cid %#x offset %u length %u (have %u of %u, maxh2cdata %u)",
			  d.cid, d.offset, d.length, w->got, w->len, c->maxh2c);
		return -1;
	}
	if (read_data(c, ch, sizeof(d), w->buf + w->got, &len, d.length))
		return -1;
	if (len != d.length) {
		violation(c, "H2CData length %u, PDU carries %u", d.length, len);
		return -1;
	}
	w->got += len;
	if (!!(ch->flags & F_LAST) != (w->got == w->len))
		violation(c, "H2CData cid %#x: LAST flag %d at %u of %u",
			  d.cid, !!(ch->flags & F_LAST), w->got, w->len);
	if (w->got < w->len)
		return 0;
	pthread_mutex_lock(&ns_lock);
	memcpy(ns_data + w->off, w->buf, w->len);
	pthread_mutex_unlock(&ns_lock);
	free(w->buf);
	w->used = false;
	return send_rsp(c, w->cid, 0, 0);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct ch ch;
	int i;

	for (;;) {
		int rc;

		if (read_full(c->fd, &ch, sizeof(ch)))
			break;
		if (!c->ic_done && ch.type != T_ICREQ) {
			violation(c, "PDU type %#x before ICReq", ch.type);
			break;
		}
		switch (ch.type) {
		case T_ICREQ:
			rc = on_icreq(c, &ch);
			break;
		case T_CMD:
			rc = on_cmd(c, &ch);
			break;
		case T_H2C_DATA:
			rc = on_h2c_data(c, &ch);
			break;
		case T_H2C_TERM:
			logf_("conn %d qid %d: H2CTermReq", c->id, c->qid);
			rc = -1;
			break;
		default:
			violation(c, "PDU type %#x", ch.type);
			rc = -1;
			break;
		}
		if (rc)
			break;
	}
	logf_("conn %d qid %d: closed", c->id, c->qid);
	for (i = 0; i < MAX_WRITES; i++)
		if (c->wr[i].used)
			free(c->wr[i].buf);
	close(c->fd);
	free(c);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: hostile-target [-p PORT] [-n NQN] [-m MODE] [-t LBA]\n"
		"       hostile-target --expect LBA COUNT | --list\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int port = 4430, lfd, one = 1, id = 0, i;
	size_t k;

	crc_init();
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (k = 0; k < ARRAY_SIZE(modes); k++)
			printf("%-14s %s\n", modes[k].name, modes[k].what);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--expect")) {
		uint64_t off = strtoull(argv[2], NULL, 0) << LBA_SHIFT;
		uint64_t end = off + (strtoull(argv[3], NULL, 0) << LBA_SHIFT);

		for (; off < end; off++)
			putchar(pattern_byte(off));
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "-p")) {
			port = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "-n")) {
			nqn = argv[++i];
		} else if (!strcmp(argv[i], "-t")) {
			trigger_lba = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-m")) {
			const char *m = argv[++i];

			for (k = 0; k < ARRAY_SIZE(modes); k++)
				if (!strcmp(modes[k].name, m))
					break;
			if (k == ARRAY_SIZE(modes)) {
				fprintf(stderr, "unknown mode %s\n", m);
				return 2;
			}
			mode = &modes[k];
		} else {
			usage();
		}
	}

	ns_data = malloc(NS_BYTES);
	if (!ns_data)
		return 1;
	for (k = 0; k < NS_BYTES; k++)
		ns_data[k] = pattern_byte(k);

	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 16)) {
		perror("bind/listen");
		return 1;
	}
	logf_("listening on 127.0.0.1:%d, nqn %s, mode %s (%s), trigger lba %llu",
	      port, nqn, mode->name, mode->what,
	      (unsigned long long)trigger_lba);

	for (;;) {
		pthread_t t;
		struct conn *c;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			return 1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->id = ++id;
		c->qid = -1;
		if (pthread_create(&t, NULL, conn_main, c)) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(t);
	}
}
