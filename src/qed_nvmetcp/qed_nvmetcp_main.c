// SPDX-License-Identifier: GPL-2.0
/*
 * qed_nvmetcp: the qed NVMeTCP offload interface for qedn, served by
 * FastLinQ hardware where the kernel's qed has an NVMeTCP personality and
 * by software engines (an emulation of the offload firmware on any netdev).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "nto_compat.h"
#include "registry.h"
#include "soft.h"

static char *soft_netdevs;
module_param(soft_netdevs, charp, 0444);
MODULE_PARM_DESC(soft_netdevs,
		 "comma-separated netdevs to create software engines on at load");

unsigned int soft_vectors;
module_param(soft_vectors, uint, 0444);
MODULE_PARM_DESC(soft_vectors,
		 "completion vectors of each software engine, 1-16 (default 0: one per online CPU plus one, at most 16)");

struct workqueue_struct *soft_wq;
struct workqueue_struct *soft_conn_wq;

/* Every listed netdev must work, or the load fails naming the culprit. */
static int nvmetcp_create_listed(void)
{
	char *list, *cur, *name;
	int rc = 0;

	if (!soft_netdevs || !*soft_netdevs)
		return 0;
	list = kstrdup(soft_netdevs, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while ((name = strsep(&cur, ",")) != NULL) {
		name = strim(name);
		if (!*name)
			continue;
		rc = nvmetcp_soft_add(name);
		if (rc) {
			pr_err("qed_nvmetcp: soft_netdevs: cannot create an engine on %s: %d\n",
			       name, rc);
			break;
		}
	}
	kfree(list);
	return rc;
}

static int __init qed_nvmetcp_init(void)
{
	int rc;

	if (soft_vectors > SOFT_MAX_VECTORS) {
		pr_err("qed_nvmetcp: soft_vectors=%u: at most %u\n",
		       soft_vectors, SOFT_MAX_VECTORS);
		return -EINVAL;
	}
	/*
	 * Block I/O depends on progress of both queues: they need a rescuer
	 * (memory reclaim).  The "interrupts" and polled connections run
	 * before ordinary work (high priority); other connections run at
	 * normal priority, so that a submitter is not preempted after each
	 * doorbell and tx_work finds several WQEs (see soft.h).
	 */
	soft_wq = alloc_workqueue("qed_nvmetcp", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!soft_wq)
		return -ENOMEM;
	soft_conn_wq = alloc_workqueue("qed_nvmetcp_conn", WQ_MEM_RECLAIM, 0);
	if (!soft_conn_wq) {
		rc = -ENOMEM;
		goto err_wq;
	}
	soft_faults_init();
	rc = nvmetcp_registry_init();
	if (rc)
		goto err_faults;
	nvmetcp_hw_probe();
	rc = nvmetcp_create_listed();
	if (rc)
		goto err_engines;
	rc = nvmetcp_sysfs_init();
	if (rc)
		goto err_engines;
	return 0;

err_engines:
	nvmetcp_hw_remove();
	nvmetcp_registry_exit();
err_faults:
	soft_faults_exit();
	destroy_workqueue(soft_conn_wq);
err_wq:
	destroy_workqueue(soft_wq);
	return rc;
}

static void __exit qed_nvmetcp_exit(void)
{
	nvmetcp_sysfs_exit();
	nvmetcp_hw_remove();
	nvmetcp_registry_exit();
	soft_faults_exit();
	destroy_workqueue(soft_conn_wq);
	destroy_workqueue(soft_wq);
}

module_init(qed_nvmetcp_init);
module_exit(qed_nvmetcp_exit);
MODULE_DESCRIPTION("qed NVMeTCP offload interface with a software engine");
MODULE_LICENSE("GPL");
