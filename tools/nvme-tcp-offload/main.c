// SPDX-License-Identifier: GPL-2.0
/*
 * nvme-tcp-offload: what nvme-cli cannot do for the tcp_offload transport.
 * nvme-cli/libnvme send hdr_digest/data_digest only for transport "tcp" and
 * their connect-all never picks tcp_offload; this tool writes the option
 * string to /dev/nvme-fabrics itself.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connopts.h"
#include "discovery.h"
#include "fabrics.h"
#include "list.h"

#define OPTS_MAX	4096

static const struct option long_opts[] = {
	{ "traddr", required_argument, NULL, 'a' },
	{ "trsvcid", required_argument, NULL, 's' },
	{ "nqn", required_argument, NULL, 'n' },
	{ "host_traddr", required_argument, NULL, 'w' },
	{ "host_iface", required_argument, NULL, 'f' },
	{ "hostnqn", required_argument, NULL, 'q' },
	{ "hostid", required_argument, NULL, 'I' },
	{ "nr_io_queues", required_argument, NULL, 'i' },
	{ "nr_write_queues", required_argument, NULL, 'W' },
	{ "nr_poll_queues", required_argument, NULL, 'P' },
	{ "queue_size", required_argument, NULL, 'Q' },
	{ "keep_alive_tmo", required_argument, NULL, 'k' },
	{ "reconnect_delay", required_argument, NULL, 'c' },
	{ "ctrl_loss_tmo", required_argument, NULL, 'l' },
	{ "fast_io_fail_tmo", required_argument, NULL, 'F' },
	{ "tos", required_argument, NULL, 'T' },
	{ "dhchap_secret", required_argument, NULL, 'S' },
	{ "dhchap_ctrl_secret", required_argument, NULL, 'C' },
	{ "hdr_digest", no_argument, NULL, 'g' },
	{ "data_digest", no_argument, NULL, 'G' },
	{ "duplicate_connect", no_argument, NULL, 'D' },
	{ "disable_sqflow", no_argument, NULL, 'd' },
	{ "dry-run", no_argument, NULL, 'x' },
	{ "all", no_argument, NULL, 'A' },
	{ "counters", no_argument, NULL, 'z' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char short_opts[] = "a:s:n:w:f:q:I:i:W:P:Q:k:c:l:F:T:S:C:gGDdxAzh";

static void usage(FILE *out)
{
	fprintf(out,
"usage: nvme-tcp-offload connect -a TRADDR -n NQN [-s TRSVCID] [options]\n"
"       nvme-tcp-offload discover -a TRADDR [-s TRSVCID] [options]\n"
"       nvme-tcp-offload connect-all -a TRADDR [-s TRSVCID] [options]\n"
"       nvme-tcp-offload disconnect nvmeN...\n"
"       nvme-tcp-offload list [--all] [--counters]\n"
"\n"
"Connection options (long names also accept '-' for '_'):\n"
"  -a --traddr  -s --trsvcid (4420)  -n --nqn  -w --host_traddr  -f --host_iface\n"
"  -q --hostnqn  -I --hostid  -i --nr_io_queues  -W --nr_write_queues\n"
"  -P --nr_poll_queues  -Q --queue_size  -k --keep_alive_tmo  -c --reconnect_delay\n"
"  -l --ctrl_loss_tmo  -F --fast_io_fail_tmo  -T --tos  -S --dhchap_secret\n"
"  -C --dhchap_ctrl_secret  -g --hdr_digest  -G --data_digest\n"
"  -D --duplicate_connect  -d --disable_sqflow  -x --dry-run (print, do not connect)\n");
}

struct cli {
	struct conn_opts conn;
	int dry_run;
	int all;
	int counters;
};

/* getopt_long wants '_' in long names; accept "--hdr-digest" as well. */
static void normalize_long_names(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *p;

		if (strncmp(argv[i], "--", 2))
			continue;
		for (p = argv[i] + 2; *p && *p != '='; p++)
			if (*p == '-' && strncmp(argv[i], "--dry-run", 9))
				*p = '_';
	}
}

static int parse(int argc, char **argv, struct cli *cli)
{
	char err[256];
	int c, idx;

	conn_opts_init(&cli->conn);
	normalize_long_names(argc, argv);
	while ((c = getopt_long(argc, argv, short_opts, long_opts, &idx)) != -1) {
		const struct option *o;

		switch (c) {
		case 'x': cli->dry_run = 1; continue;
		case 'A': cli->all = 1; continue;
		case 'z': cli->counters = 1; continue;
		case 'h': usage(stdout); exit(0);
		case '?': usage(stderr); return -1;
		}
		for (o = long_opts; o->name && o->val != c; o++)
			;
		if (conn_opts_set(&cli->conn, o->name,
				  o->has_arg ? optarg : NULL, err, sizeof(err))) {
			fprintf(stderr, "nvme-tcp-offload: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static int do_connect(const struct conn_opts *o, int dry_run)
{
	char opts[OPTS_MAX], err[256];
	int instance;

	if (conn_opts_validate(o, err, sizeof(err))) {
		fprintf(stderr, "nvme-tcp-offload: %s\n", err);
		return -1;
	}
	if (conn_opts_render(o, opts, sizeof(opts)) < 0) {
		fprintf(stderr, "nvme-tcp-offload: option values must not contain ',' or newlines\n");
		return -1;
	}
	if (dry_run) {
		printf("%s\n", opts);
		return 0;
	}
	instance = fabrics_connect(opts);
	if (instance < 0)
		return -1;
	printf("nvme%d\n", instance);
	return instance;
}

static int discover(struct cli *cli, int connect_all)
{
	struct conn_opts d = cli->conn;
	struct disc_entry *e = NULL;
	uint64_t numrec;
	uint8_t *page;
	size_t len;
	int inst, n, i, failed = 0;

	d.nqn = NTO_DISCOVERY_NQN;
	if (cli->dry_run)
		return do_connect(&d, 1) < 0;
	inst = do_connect(&d, 0);
	if (inst < 0)
		return 1;
	if (disc_fetch(inst, &page, &len)) {
		fabrics_disconnect(inst);
		return 1;
	}
	fabrics_disconnect(inst);
	e = calloc(1024, sizeof(*e));
	n = e ? disc_parse(page, len, e, 1024, &numrec) : -1;
	free(page);
	if (n < 0) {
		fprintf(stderr, "nvme-tcp-offload: malformed discovery log\n");
		free(e);
		return 1;
	}
	printf("discovery log: %d entr%s\n", n, n == 1 ? "y" : "ies");
	for (i = 0; i < n; i++) {
		struct conn_opts c = cli->conn;

		printf("  %-4s %s:%s %s%s\n", disc_trtype_name(e[i].trtype),
		       e[i].traddr, e[i].trsvcid, e[i].subnqn,
		       e[i].subtype == DISC_SUBTYPE_NVME ? "" : " (discovery)");
		if (!connect_all || e[i].subtype != DISC_SUBTYPE_NVME)
			continue;
		if (e[i].trtype != DISC_TRTYPE_TCP) {
			printf("    skipped: transport %s cannot be offloaded\n",
			       disc_trtype_name(e[i].trtype));
			continue;
		}
		c.traddr = e[i].traddr;
		c.trsvcid = e[i].trsvcid;
		c.nqn = e[i].subnqn;
		printf("    ");
		fflush(stdout);
		if (do_connect(&c, 0) < 0)
			failed++;
	}
	free(e);
	return failed ? 1 : 0;
}

static int disconnect(int argc, char **argv)
{
	int i, rc = 0, inst;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		const char *name = argv[i];

		if (!strncmp(name, "/dev/", 5))
			name += 5;
		if (sscanf(name, "nvme%d", &inst) != 1) {
			fprintf(stderr, "nvme-tcp-offload: '%s' is not a controller name (nvmeN)\n", argv[i]);
			rc = 1;
			continue;
		}
		if (fabrics_disconnect(inst))
			rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "disconnect"))
		return disconnect(argc - 1, argv + 1);
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (parse(argc - 1, argv + 1, &cli))
		return 1;
	if (!strcmp(cmd, "connect"))
		return do_connect(&cli.conn, cli.dry_run) < 0;
	if (!strcmp(cmd, "discover"))
		return discover(&cli, 0);
	if (!strcmp(cmd, "connect-all"))
		return discover(&cli, 1);
	if (!strcmp(cmd, "list")) {
		list_controllers(cli.all, cli.counters);
		return 0;
	}
	fprintf(stderr, "nvme-tcp-offload: unknown command '%s'\n", cmd);
	usage(stderr);
	return 1;
}
