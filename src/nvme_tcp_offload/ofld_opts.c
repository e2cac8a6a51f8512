// SPDX-License-Identifier: GPL-2.0
/*
 * From the fabrics options nvme-fabrics parsed to the connection parameters
 * a vendor sees.  nvme-fabrics already rejected unknown, malformed and
 * missing options; what is checked here is what only the transport knows:
 * the address syntax, the host interface and duplicate connections.
 */
#include <linux/inet.h>
#include <linux/netdevice.h>
#include "ofld.h"

/* IANA's NVMe-oF port for I/O controllers, what users of tcp_offload mean */
#define NVME_TCP_OFLD_DEF_PORT	"4420"

int nvme_tcp_ofld_parse_conn(struct nvmf_ctrl_options *opts,
			     struct nvme_tcp_ofld_conn_params *conn)
{
	struct net_device *ndev;
	int ret;

	memset(conn, 0, sizeof(*conn));

	/* nvme-cli sends no default port for transports it does not know */
	if (!(opts->mask & NVMF_OPT_TRSVCID)) {
		opts->trsvcid = kstrdup(NVME_TCP_OFLD_DEF_PORT, GFP_KERNEL);
		if (!opts->trsvcid)
			return -ENOMEM;
		opts->mask |= NVMF_OPT_TRSVCID;
	}

	ret = inet_pton_with_scope(&init_net, AF_UNSPEC, opts->traddr,
				   opts->trsvcid, &conn->remote);
	if (ret) {
		pr_err("%s: malformed address traddr=%s trsvcid=%s\n",
		       NVME_TCP_OFLD_NAME, opts->traddr, opts->trsvcid);
		return -EINVAL;
	}

	conn->local.ss_family = AF_UNSPEC;
	if (opts->mask & NVMF_OPT_HOST_TRADDR) {
		ret = inet_pton_with_scope(&init_net, AF_UNSPEC,
					   opts->host_traddr, NULL,
					   &conn->local);
		if (ret) {
			pr_err("%s: malformed host_traddr=%s\n",
			       NVME_TCP_OFLD_NAME, opts->host_traddr);
			return -EINVAL;
		}
	}

	if (opts->mask & NVMF_OPT_HOST_IFACE) {
		ndev = dev_get_by_name(current->nsproxy->net_ns,
				       opts->host_iface);
		if (!ndev) {
			pr_err("%s: no such interface host_iface=%s\n",
			       NVME_TCP_OFLD_NAME, opts->host_iface);
			return -ENODEV;
		}
		dev_put(ndev);
		strscpy(conn->host_iface, opts->host_iface,
			sizeof(conn->host_iface));
	}

	conn->tos = opts->tos;
	conn->hdr_digest = opts->hdr_digest;
	conn->data_digest = opts->data_digest;
	return 0;
}

bool nvme_tcp_ofld_existing_ctrl(struct nvmf_ctrl_options *opts)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl;
	bool found = false;

	mutex_lock(&nvme_tcp_ofld_mutex);
	list_for_each_entry(ctrl, &nvme_tcp_ofld_ctrls, list) {
		found = nvmf_ip_options_match(&ctrl->nctrl, opts);
		if (found)
			break;
	}
	mutex_unlock(&nvme_tcp_ofld_mutex);
	return found;
}

/* Fabrics options a vendor may refuse, and their NVME_TCP_OFLD_OPT_* bits */
static const struct {
	unsigned int nvmf;
	u32 dev;
	const char *name;
} nvme_tcp_ofld_opt_map[] = {
	{ NVMF_OPT_TRSVCID, NVME_TCP_OFLD_OPT_TRSVCID, "trsvcid" },
	{ NVMF_OPT_HOST_TRADDR, NVME_TCP_OFLD_OPT_HOST_TRADDR, "host_traddr" },
	{ NVMF_OPT_HOST_IFACE, NVME_TCP_OFLD_OPT_HOST_IFACE, "host_iface" },
	{ NVMF_OPT_HDR_DIGEST, NVME_TCP_OFLD_OPT_HDR_DIGEST, "hdr_digest" },
	{ NVMF_OPT_DATA_DIGEST, NVME_TCP_OFLD_OPT_DATA_DIGEST, "data_digest" },
	{ NVMF_OPT_TOS, NVME_TCP_OFLD_OPT_TOS, "tos" },
	{ NVMF_OPT_NR_WRITE_QUEUES, NVME_TCP_OFLD_OPT_NR_WRITE_QUEUES,
	  "nr_write_queues" },
	{ NVMF_OPT_NR_POLL_QUEUES, NVME_TCP_OFLD_OPT_NR_POLL_QUEUES,
	  "nr_poll_queues" },
};

u32 nvme_tcp_ofld_opts_to_dev_opts(unsigned int mask)
{
	u32 bits = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(nvme_tcp_ofld_opt_map); i++)
		if (mask & nvme_tcp_ofld_opt_map[i].nvmf)
			bits |= nvme_tcp_ofld_opt_map[i].dev;
	return bits;
}

/* Name of the lowest NVME_TCP_OFLD_OPT_* bit set in @bits */
const char *nvme_tcp_ofld_dev_opt_name(u32 bits)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nvme_tcp_ofld_opt_map); i++)
		if (bits & nvme_tcp_ofld_opt_map[i].dev)
			return nvme_tcp_ofld_opt_map[i].name;
	return "?";
}
