// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the userspace tool's pure parts: option strings, discovery log. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "connopts.h"
#include "discovery.h"

static int passed, failed;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

static void test_render_minimal(void)
{
	struct conn_opts o;
	char buf[512];

	conn_opts_init(&o);
	o.traddr = "127.0.0.1";
	o.nqn = "nqn.a";
	CHECK(conn_opts_render(&o, buf, sizeof(buf)) > 0, "render");
	CHECK(!strcmp(buf, "transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=nqn.a"),
	      "got '%s'", buf);
}

static void test_render_all(void)
{
	struct conn_opts o;
	char buf[1024], err[128];

	conn_opts_init(&o);
	CHECK(!conn_opts_set(&o, "traddr", "::1", err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "nqn", "nqn.b", err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "trsvcid", "4421", err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "hdr_digest", NULL, err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "data_digest", NULL, err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "ctrl_loss_tmo", "-1", err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "nr_poll_queues", "2", err, sizeof(err)), "%s", err);
	CHECK(!conn_opts_set(&o, "host_iface", "lo", err, sizeof(err)), "%s", err);
	CHECK(conn_opts_render(&o, buf, sizeof(buf)) > 0, "render");
	CHECK(!strcmp(buf, "transport=tcp_offload,traddr=::1,trsvcid=4421,nqn=nqn.b,"
		      "host_iface=lo,nr_poll_queues=2,ctrl_loss_tmo=-1,hdr_digest,data_digest"),
	      "got '%s'", buf);
}

static void test_bad_values(void)
{
	struct conn_opts o;
	char err[128];

	conn_opts_init(&o);
	CHECK(conn_opts_set(&o, "queue_size", "0", err, sizeof(err)) == -1, "queue_size 0");
	CHECK(conn_opts_set(&o, "queue_size", "12x", err, sizeof(err)) == -1, "queue_size 12x");
	CHECK(conn_opts_set(&o, "tos", "256", err, sizeof(err)) == -1, "tos 256");
	CHECK(conn_opts_set(&o, "hdr_digest", "1", err, sizeof(err)) == -1, "flag with value");
	CHECK(conn_opts_set(&o, "nqn", "", err, sizeof(err)) == -1, "empty nqn");
	CHECK(conn_opts_set(&o, "bogus", "1", err, sizeof(err)) == 1, "unknown option");
	CHECK(conn_opts_validate(&o, err, sizeof(err)) == -1 && strstr(err, "traddr"),
	      "missing traddr: %s", err);
}

static void test_no_smuggling(void)
{
	struct conn_opts o;
	char buf[512];

	conn_opts_init(&o);
	o.traddr = "127.0.0.1";
	o.nqn = "nqn.a,hostnqn=evil";
	CHECK(conn_opts_render(&o, buf, sizeof(buf)) == -1, "comma in value accepted");
	o.nqn = "nqn.a";
	CHECK(conn_opts_render(&o, buf, 20) == -1, "overflow not reported");
}

static void put_entry(uint8_t *e, uint8_t trtype, uint8_t subtype,
		      const char *svc, const char *nqn, const char *addr)
{
	e[0] = trtype;
	e[1] = 1;
	e[2] = subtype;
	memset(e + 32, ' ', 32);
	memcpy(e + 32, svc, strlen(svc));
	memcpy(e + 256, nqn, strlen(nqn));
	memset(e + 512, ' ', 256);
	memcpy(e + 512, addr, strlen(addr));
}

static void test_discovery_parse(void)
{
	static uint8_t page[1024 + 2 * 1024];
	struct disc_entry e[4];
	uint64_t numrec;
	int n;

	memset(page, 0, sizeof(page));
	page[8] = 2;
	put_entry(page + 1024, 3, 2, "4420", "nqn.one", "127.0.0.1");
	put_entry(page + 2048, 3, 3, "8009", "nqn.2014-08.org.nvmexpress.discovery", "127.0.0.1");
	n = disc_parse(page, sizeof(page), e, 4, &numrec);
	CHECK(n == 2 && numrec == 2, "n=%d numrec=%llu", n, (unsigned long long)numrec);
	CHECK(!strcmp(e[0].trsvcid, "4420"), "trsvcid '%s'", e[0].trsvcid);
	CHECK(!strcmp(e[0].traddr, "127.0.0.1"), "traddr '%s'", e[0].traddr);
	CHECK(!strcmp(e[0].subnqn, "nqn.one"), "subnqn '%s'", e[0].subnqn);
	CHECK(e[1].subtype == DISC_SUBTYPE_CURRENT, "subtype %d", e[1].subtype);

	/* A target announcing more records than it sent: only whole ones. */
	page[8] = 200;
	n = disc_parse(page, sizeof(page), e, 4, &numrec);
	CHECK(n == 2 && numrec == 200, "truncated page: n=%d", n);
	CHECK(disc_parse(page, 100, e, 4, &numrec) == -1, "short header accepted");

	/* Unterminated 256-byte fields stay within the buffers. */
	memset(page + 1024 + 256, 'A', 256);
	n = disc_parse(page, sizeof(page), e, 1, &numrec);
	CHECK(n == 1 && strlen(e[0].subnqn) == 256, "len %zu", strlen(e[0].subnqn));
}

int main(void)
{
	test_render_minimal();
	test_render_all();
	test_bad_values();
	test_no_smuggling();
	test_discovery_parse();
	printf("tool: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
