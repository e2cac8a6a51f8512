// SPDX-License-Identifier: GPL-2.0
/*
 * Controller level: which engine reaches the target, and how.  The route
 * (addresses, MACs, VLAN, MTU) stays inside qedn; the ULP only learns
 * whether the device can reach the target.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>

#include "qedn.h"

static int qedn_resolve(struct qedn_dev *qdev, struct nvme_tcp_ofld_ctrl *ctrl,
			struct qed_nvmetcp_route *route)
{
	struct qed_nvmetcp_engine *eng = qdev->eng;
	const struct nvme_tcp_ofld_conn_params *conn = &ctrl->conn;

	return eng->ops->get_route(eng, &conn->remote, &conn->local,
				   conn->host_iface, route);
}

int qedn_claim_dev(struct nvme_tcp_ofld_dev *dev,
		   struct nvme_tcp_ofld_ctrl *ctrl)
{
	const struct nvme_tcp_ofld_conn_params *conn = &ctrl->conn;
	struct qed_nvmetcp_route route;
	int rc;

	/* Resolved again in setup_ctrl: claiming must have no side effects. */
	rc = qedn_resolve(qedn_dev(dev), ctrl, &route);
	if (!rc)
		return 0;
	/* The user named the way out: say why this device does not fit it. */
	if (conn->local.ss_family != AF_UNSPEC)
		pr_err("%s: cannot reach %pISpc through %s from host_traddr %pISc%s%s: %d\n",
		       qedn_dev(dev)->eng->name, &conn->remote,
		       netdev_name(dev->ndev), &conn->local,
		       conn->host_iface[0] ? " host_iface " : "",
		       conn->host_iface, rc);
	else if (conn->host_iface[0])
		pr_err("%s: cannot reach %pISpc through %s from host_iface %s: %d\n",
		       qedn_dev(dev)->eng->name, &conn->remote,
		       netdev_name(dev->ndev), conn->host_iface, rc);
	return rc == -ENETUNREACH || rc == -EHOSTUNREACH ? rc : -ENODEV;
}

int qedn_setup_ctrl(struct nvme_tcp_ofld_ctrl *ctrl)
{
	struct qedn_ctrl *qctrl = qedn_ctrl(ctrl);
	int rc;

	/* Once per association: a reconnect picks up a changed neighbour. */
	rc = qedn_resolve(qedn_dev(ctrl->dev), ctrl, &qctrl->route);
	if (rc)
		pr_err("no route to %pISpc through %s: %d\n",
		       &ctrl->conn.remote, netdev_name(ctrl->dev->ndev), rc);
	return rc;
}

void qedn_release_ctrl(struct nvme_tcp_ofld_ctrl *ctrl)
{
	memset(&qedn_ctrl(ctrl)->route, 0, sizeof(qedn_ctrl(ctrl)->route));
}
