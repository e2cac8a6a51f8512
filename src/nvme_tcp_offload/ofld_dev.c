// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of offload devices and the choice of a device for a new
 * controller.  A device is chosen by asking each registered one, in
 * registration order, whether it can reach the target (claim_dev); the
 * user's host_traddr/host_iface are how a multi-port host steers the choice.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include "ofld.h"

static LIST_HEAD(nvme_tcp_ofld_devs);
static DECLARE_WAIT_QUEUE_HEAD(nvme_tcp_ofld_dev_wq);

/* Called with nvme_tcp_ofld_mutex held. */
static struct nvme_tcp_ofld_devent *
nvme_tcp_ofld_find_devent(struct nvme_tcp_ofld_dev *dev)
{
	struct nvme_tcp_ofld_devent *de;

	list_for_each_entry(de, &nvme_tcp_ofld_devs, node)
		if (de->dev == dev)
			return de;
	return NULL;
}

static const char *nvme_tcp_ofld_dev_name(struct nvme_tcp_ofld_dev *dev)
{
	if (dev->ops && dev->ops->name)
		return dev->ops->name;
	return "(unnamed)";
}

/* Log every gap of an ops table in one line; -EINVAL if there is one. */
static int nvme_tcp_ofld_check_ops(struct nvme_tcp_ofld_dev *dev)
{
	const struct nvme_tcp_ofld_ops *ops = dev->ops;
	char missing[160] = "";
	bool bad = false;

#define NTO_NEED(cond, what)						\
	do {								\
		if (!(cond)) {						\
			strlcat(missing, " " what, sizeof(missing));	\
			bad = true;					\
		}							\
	} while (0)

	NTO_NEED(ops->name, "name");
	NTO_NEED(ops->claim_dev, "claim_dev");
	NTO_NEED(ops->setup_ctrl, "setup_ctrl");
	NTO_NEED(ops->release_ctrl, "release_ctrl");
	NTO_NEED(ops->create_queue, "create_queue");
	NTO_NEED(ops->drain_queue, "drain_queue");
	NTO_NEED(ops->destroy_queue, "destroy_queue");
	NTO_NEED(ops->send_req, "send_req");
	NTO_NEED(ops->ctrl_size >= sizeof(struct nvme_tcp_ofld_ctrl),
		 "ctrl_size");
	NTO_NEED(ops->queue_size >= sizeof(struct nvme_tcp_ofld_queue),
		 "queue_size");
	NTO_NEED(ops->req_size >= sizeof(struct nvme_tcp_ofld_req),
		 "req_size");
	NTO_NEED(!(ops->allowed_opts & ~NVME_TCP_OFLD_OPT_ALL), "allowed_opts");
	NTO_NEED(!(ops->required_opts & ~ops->allowed_opts), "required_opts");
	NTO_NEED(dev->num_hw_vectors, "num_hw_vectors");
	NTO_NEED(dev->max_hw_sectors >= PAGE_SIZE >> SECTOR_SHIFT,
		 "max_hw_sectors");
	NTO_NEED(dev->max_segments, "max_segments");
#undef NTO_NEED

	if (bad) {
		pr_err("%s: device %s rejected, missing or invalid:%s\n",
		       NVME_TCP_OFLD_NAME, nvme_tcp_ofld_dev_name(dev),
		       missing);
		return -EINVAL;
	}
	return 0;
}

int nvme_tcp_ofld_register_dev(struct nvme_tcp_ofld_dev *dev)
{
	struct nvme_tcp_ofld_devent *de;
	int ret;

	if (!dev || !dev->ops) {
		pr_err("%s: register_dev without device or ops\n",
		       NVME_TCP_OFLD_NAME);
		return -EINVAL;
	}
	ret = nvme_tcp_ofld_check_ops(dev);
	if (ret)
		return ret;

	de = kzalloc(sizeof(*de), GFP_KERNEL);
	if (!de)
		return -ENOMEM;
	de->dev = dev;
	INIT_LIST_HEAD(&dev->entry);

	mutex_lock(&nvme_tcp_ofld_mutex);
	if (nvme_tcp_ofld_find_devent(dev)) {
		mutex_unlock(&nvme_tcp_ofld_mutex);
		kfree(de);
		pr_err("%s: device %s registered twice\n", NVME_TCP_OFLD_NAME,
		       nvme_tcp_ofld_dev_name(dev));
		return -EEXIST;
	}
	list_add_tail(&de->node, &nvme_tcp_ofld_devs);
	mutex_unlock(&nvme_tcp_ofld_mutex);

	pr_info("%s: registered device %s%s%s (%u vectors, max %u sectors)\n",
		NVME_TCP_OFLD_NAME, dev->ops->name, dev->ndev ? " on " : "",
		dev->ndev ? netdev_name(dev->ndev) : "", dev->num_hw_vectors,
		dev->max_hw_sectors);
	return 0;
}
EXPORT_SYMBOL_GPL(nvme_tcp_ofld_register_dev);

/* Ask every controller on @de to go away; true if there were some. */
static bool nvme_tcp_ofld_delete_dev_ctrls(struct nvme_tcp_ofld_devent *de)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl;
	bool busy;

	mutex_lock(&nvme_tcp_ofld_mutex);
	list_for_each_entry(ctrl, &nvme_tcp_ofld_ctrls, list)
		if (ctrl->devent == de)
			nvme_delete_ctrl(&ctrl->nctrl);
	busy = de->nr_ctrls != 0;
	mutex_unlock(&nvme_tcp_ofld_mutex);
	return busy;
}

void nvme_tcp_ofld_unregister_dev(struct nvme_tcp_ofld_dev *dev)
{
	struct nvme_tcp_ofld_devent *de;

	mutex_lock(&nvme_tcp_ofld_mutex);
	de = nvme_tcp_ofld_find_devent(dev);
	if (de)
		de->dying = true;
	mutex_unlock(&nvme_tcp_ofld_mutex);
	if (!de) {
		pr_warn("%s: unregister of an unknown device\n",
			NVME_TCP_OFLD_NAME);
		return;
	}

	/*
	 * A controller still being created is not on the list yet; it shows
	 * up there when its setup ends, so keep deleting until none holds
	 * the device.
	 */
	while (nvme_tcp_ofld_delete_dev_ctrls(de)) {
		flush_workqueue(nvme_delete_wq);
		wait_event_timeout(nvme_tcp_ofld_dev_wq,
				   READ_ONCE(de->nr_ctrls) == 0, HZ);
	}

	mutex_lock(&nvme_tcp_ofld_mutex);
	list_del(&de->node);
	mutex_unlock(&nvme_tcp_ofld_mutex);
	kfree(de);
	pr_info("%s: unregistered device %s\n", NVME_TCP_OFLD_NAME,
		nvme_tcp_ofld_dev_name(dev));
}
EXPORT_SYMBOL_GPL(nvme_tcp_ofld_unregister_dev);

static struct nvme_tcp_ofld_ctrl_priv *
nvme_tcp_ofld_alloc_for(struct nvme_tcp_ofld_dev *dev,
			const struct nvme_tcp_ofld_conn_params *conn)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl;

	ctrl = kzalloc(offsetof(struct nvme_tcp_ofld_ctrl_priv, ofld) +
		       dev->ops->ctrl_size, GFP_KERNEL);
	if (!ctrl)
		return NULL;
	ctrl->ofld.dev = dev;
	ctrl->ofld.conn = *conn;
	INIT_LIST_HEAD(&ctrl->list);
	return ctrl;
}

/*
 * Options the user gave that @dev refuses, or required ones missing;
 * 0 if the device fits.  @user is in NVME_TCP_OFLD_OPT_* bits.
 */
static u32 nvme_tcp_ofld_opts_misfit(struct nvme_tcp_ofld_dev *dev, u32 user,
				     bool *required)
{
	u32 allowed = dev->ops->allowed_opts;

	if (!dev->ops->poll_queue)
		allowed &= ~NVME_TCP_OFLD_OPT_NR_POLL_QUEUES;
	*required = false;
	if (user & ~allowed)
		return user & ~allowed;
	*required = true;
	return dev->ops->required_opts & ~user;
}

/*
 * Find a device for a new controller and allocate the controller with that
 * device's object size.  @user_mask is the NVMF_OPT_* set the user gave
 * (before the transport filled in defaults).  The device is held (it cannot finish unregistering
 * and its module cannot go) until nvme_tcp_ofld_release_dev().
 */
struct nvme_tcp_ofld_ctrl_priv *
nvme_tcp_ofld_claim(unsigned int user_mask,
		    const struct nvme_tcp_ofld_conn_params *conn)
{
	u32 user = nvme_tcp_ofld_opts_to_dev_opts(user_mask);
	struct nvme_tcp_ofld_ctrl_priv *ctrl = NULL;
	struct nvme_tcp_ofld_devent *de, *misfit_de = NULL;
	u32 misfit = 0;
	bool required = false;
	int nr_devs = 0, tried = 0, ret = -ENODEV;

	mutex_lock(&nvme_tcp_ofld_mutex);
	list_for_each_entry(de, &nvme_tcp_ofld_devs, node) {
		struct nvme_tcp_ofld_dev *dev = de->dev;
		u32 bad;
		bool req;

		if (de->dying)
			continue;
		nr_devs++;
		bad = nvme_tcp_ofld_opts_misfit(dev, user, &req);
		if (bad) {
			if (!misfit_de) {
				misfit_de = de;
				misfit = bad;
				required = req;
			}
			continue;
		}
		ctrl = nvme_tcp_ofld_alloc_for(dev, conn);
		if (!ctrl) {
			ret = -ENOMEM;
			break;
		}
		tried++;
		ret = dev->ops->claim_dev(dev, &ctrl->ofld);
		if (!ret && try_module_get(dev->ops->module)) {
			de->nr_ctrls++;
			ctrl->devent = de;
			ctrl->dev_held = true;
			break;
		}
		if (!ret)
			ret = -ENODEV;
		kfree(ctrl);
		ctrl = NULL;
	}
	mutex_unlock(&nvme_tcp_ofld_mutex);

	if (ctrl)
		return ctrl;
	if (ret == -ENOMEM)
		return ERR_PTR(ret);
	if (!nr_devs) {
		pr_err("%s: no offload device registered (traddr %pISpc)\n",
		       NVME_TCP_OFLD_NAME, &conn->remote);
		return ERR_PTR(-ENODEV);
	}
	if (misfit_de && !tried) {
		pr_err("%s: offload device %s %s option %s\n",
		       NVME_TCP_OFLD_NAME, misfit_de->dev->ops->name,
		       required ? "requires" : "does not support",
		       nvme_tcp_ofld_dev_opt_name(misfit));
		return ERR_PTR(-EINVAL);
	}
	pr_err("%s: no offload device can reach %pISpc (%d tried, last error %d)\n",
	       NVME_TCP_OFLD_NAME, &conn->remote, nr_devs, ret);
	return ERR_PTR(-ENETUNREACH);
}

void nvme_tcp_ofld_release_dev(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	struct nvme_tcp_ofld_devent *de = ctrl->devent;
	struct module *owner;

	if (!ctrl->dev_held)
		return;
	/* the device may be freed as soon as nr_ctrls drops */
	owner = ctrl->ofld.dev->ops->module;
	mutex_lock(&nvme_tcp_ofld_mutex);
	ctrl->dev_held = false;
	de->nr_ctrls--;
	mutex_unlock(&nvme_tcp_ofld_mutex);
	module_put(owner);
	wake_up_all(&nvme_tcp_ofld_dev_wq);
}
