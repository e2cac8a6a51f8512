// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only vendor of the tcp_offload ULP (never packaged).  It registers
 * one device with an ops table shaped by module parameters, so that guest
 * tests can drive the parts of the vendor API qedn cannot: registration of
 * an incomplete or inconsistent table, and a device narrowing the options
 * it accepts.  It reaches no target: claim_dev always answers -ENETUNREACH
 * (and counts the calls), so no controller is ever created on it.
 *
 *   omit=a,b	leave these callbacks out (claim_dev, setup_ctrl, ...)
 *   allowed=N	ops->allowed_opts (NVME_TCP_OFLD_OPT_* bits)
 *   required=N	ops->required_opts
 *   claims	read-only: how many times claim_dev ran
 */
#include <linux/module.h>
#include <linux/string.h>
#include "nvme_tcp_offload.h"

static char *omit = "";
module_param(omit, charp, 0444);
MODULE_PARM_DESC(omit, "comma-separated callbacks to leave out of the ops");

static uint allowed = NVME_TCP_OFLD_OPT_ALL;
module_param(allowed, uint, 0444);
MODULE_PARM_DESC(allowed, "allowed_opts of the device");

static uint required;
module_param(required, uint, 0444);
MODULE_PARM_DESC(required, "required_opts of the device");

static atomic_t claims = ATOMIC_INIT(0);
static int claims_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&claims));
}

static const struct kernel_param_ops claims_ops = { .get = claims_get };
module_param_cb(claims, &claims_ops, NULL, 0444);
MODULE_PARM_DESC(claims, "claim_dev calls so far");

static int stub_claim_dev(struct nvme_tcp_ofld_dev *dev,
			  struct nvme_tcp_ofld_ctrl *ctrl)
{
	atomic_inc(&claims);
	return -ENETUNREACH;
}

static int stub_setup_ctrl(struct nvme_tcp_ofld_ctrl *ctrl)
{
	return -EOPNOTSUPP;
}

static void stub_release_ctrl(struct nvme_tcp_ofld_ctrl *ctrl)
{
}

static int stub_create_queue(struct nvme_tcp_ofld_queue *queue)
{
	return -EOPNOTSUPP;
}

static void stub_queue_noop(struct nvme_tcp_ofld_queue *queue)
{
}

static int stub_send_req(struct nvme_tcp_ofld_req *req)
{
	return -EIO;
}

static struct nvme_tcp_ofld_ops stub_ops = {
	.name		= "nto-stub",
	.module		= THIS_MODULE,
	.ctrl_size	= sizeof(struct nvme_tcp_ofld_ctrl),
	.queue_size	= sizeof(struct nvme_tcp_ofld_queue),
	.req_size	= sizeof(struct nvme_tcp_ofld_req),
	.claim_dev	= stub_claim_dev,
	.setup_ctrl	= stub_setup_ctrl,
	.release_ctrl	= stub_release_ctrl,
	.create_queue	= stub_create_queue,
	.drain_queue	= stub_queue_noop,
	.destroy_queue	= stub_queue_noop,
	.send_req	= stub_send_req,
};

static struct nvme_tcp_ofld_dev stub_dev = {
	.ops		= &stub_ops,
	.num_hw_vectors	= 1,
	.max_hw_sectors	= 256,
	.max_segments	= 16,
};

static bool stub_omitted(const char *name)
{
	size_t len = strlen(name);
	const char *p = omit;

	while ((p = strstr(p, name))) {
		if ((p == omit || p[-1] == ',') && (!p[len] || p[len] == ','))
			return true;
		p += len;
	}
	return false;
}

static int __init stub_init(void)
{
	if (stub_omitted("claim_dev"))
		stub_ops.claim_dev = NULL;
	if (stub_omitted("setup_ctrl"))
		stub_ops.setup_ctrl = NULL;
	if (stub_omitted("release_ctrl"))
		stub_ops.release_ctrl = NULL;
	if (stub_omitted("create_queue"))
		stub_ops.create_queue = NULL;
	if (stub_omitted("drain_queue"))
		stub_ops.drain_queue = NULL;
	if (stub_omitted("destroy_queue"))
		stub_ops.destroy_queue = NULL;
	if (stub_omitted("send_req"))
		stub_ops.send_req = NULL;
	if (stub_omitted("name"))
		stub_ops.name = NULL;
	if (stub_omitted("ctrl_size"))
		stub_ops.ctrl_size = 0;
	stub_ops.allowed_opts = allowed;
	stub_ops.required_opts = required;
	return nvme_tcp_ofld_register_dev(&stub_dev);
}

static void __exit stub_exit(void)
{
	nvme_tcp_ofld_unregister_dev(&stub_dev);
}

module_init(stub_init);
module_exit(stub_exit);

MODULE_DESCRIPTION("tcp_offload vendor API test stub (tests only)");
MODULE_LICENSE("GPL");
