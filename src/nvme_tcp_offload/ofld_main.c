// SPDX-License-Identifier: GPL-2.0
/*
 * The "tcp_offload" NVMe-oF host transport: registration with nvme-fabrics
 * and the module's global state.  The controller logic lives in
 * ofld_ctrl.c, the vendor device registry in ofld_dev.c.
 */
#include <linux/module.h>
#include "ofld.h"

/* One mutex for the device list and the controller list (never hot). */
DEFINE_MUTEX(nvme_tcp_ofld_mutex);
LIST_HEAD(nvme_tcp_ofld_ctrls);

static struct nvmf_transport_ops nvme_tcp_ofld_transport = {
	.name		= NVME_TCP_OFLD_NAME,
	.module		= THIS_MODULE,
	.required_opts	= NVMF_OPT_TRADDR,
	.allowed_opts	= NVMF_OPT_TRSVCID | NVMF_OPT_RECONNECT_DELAY |
			  NVMF_OPT_HOST_TRADDR | NVMF_OPT_CTRL_LOSS_TMO |
			  NVMF_OPT_HDR_DIGEST | NVMF_OPT_DATA_DIGEST |
			  NVMF_OPT_NR_WRITE_QUEUES | NVMF_OPT_NR_POLL_QUEUES |
			  NVMF_OPT_TOS | NVMF_OPT_HOST_IFACE,
	.create_ctrl	= nvme_tcp_ofld_create_ctrl,
};

static int __init nvme_tcp_ofld_init_module(void)
{
	int ret;

	ret = nvme_tcp_ofld_debugfs_init();
	if (ret)
		return ret;
	ret = nvmf_register_transport(&nvme_tcp_ofld_transport);
	if (ret)
		nvme_tcp_ofld_debugfs_exit();
	return ret;
}

static void __exit nvme_tcp_ofld_cleanup_module(void)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl;

	nvmf_unregister_transport(&nvme_tcp_ofld_transport);

	/*
	 * Controllers pin their vendor module, and vendor modules depend on
	 * this one, so normally none is left; delete any straggler anyway.
	 */
	mutex_lock(&nvme_tcp_ofld_mutex);
	list_for_each_entry(ctrl, &nvme_tcp_ofld_ctrls, list)
		nvme_delete_ctrl(&ctrl->nctrl);
	mutex_unlock(&nvme_tcp_ofld_mutex);
	flush_workqueue(nvme_delete_wq);

	nvme_tcp_ofld_debugfs_exit();
}

module_init(nvme_tcp_ofld_init_module);
module_exit(nvme_tcp_ofld_cleanup_module);

MODULE_DESCRIPTION("NVMe/TCP offload host transport (tcp_offload)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("nvme-" NVME_TCP_OFLD_NAME);
