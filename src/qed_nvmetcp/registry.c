// SPDX-License-Identifier: GPL-2.0
/*
 * Engine registry: the list of engines (software and hardware), the one
 * client (qedn) and the netdev notifier that retires engines whose netdev
 * goes away.  A single mutex orders everything, so a client never sees an
 * engine being added and removed concurrently.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include "registry.h"

struct nvmetcp_node {
	struct list_head entry;
	struct qed_nvmetcp_engine *eng;
	const struct nvmetcp_backend *be;
	bool client_has;	/* client ->add succeeded or was attempted */
	bool dying;		/* its netdev is unregistering */
};

static DEFINE_MUTEX(reg_lock);
static LIST_HEAD(reg_engines);
static struct qed_nvmetcp_client *reg_client;
/* Unregistering the notifier replays NETDEV_UNREGISTER: ignore those. */
static bool reg_exiting;

static void reg_client_add(struct nvmetcp_node *n)
{
	int rc;

	if (!reg_client)
		return;
	rc = reg_client->add(reg_client, n->eng);
	if (rc)
		pr_warn("qed_nvmetcp: client %s did not take engine %s: %d\n",
			reg_client->name, n->eng->name, rc);
	/* The engine stays either way; ->remove is still owed. */
	n->client_has = true;
}

static void reg_client_remove(struct nvmetcp_node *n)
{
	if (reg_client && n->client_has)
		reg_client->remove(reg_client, n->eng);
	n->client_has = false;
}

static struct nvmetcp_node *reg_find(const char *name)
{
	struct nvmetcp_node *n;

	list_for_each_entry(n, &reg_engines, entry)
		if (!strcmp(n->eng->name, name))
			return n;
	return NULL;
}

int nvmetcp_engine_add(struct qed_nvmetcp_engine *eng,
		       const struct nvmetcp_backend *be)
{
	struct nvmetcp_node *n;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->eng = eng;
	n->be = be;
	mutex_lock(&reg_lock);
	if (reg_find(eng->name)) {
		mutex_unlock(&reg_lock);
		kfree(n);
		pr_err("qed_nvmetcp: engine %s already exists\n", eng->name);
		return -EEXIST;
	}
	list_add_tail(&n->entry, &reg_engines);
	if (be->added)
		be->added(eng);
	reg_client_add(n);
	mutex_unlock(&reg_lock);
	pr_info("qed_nvmetcp: %s engine %s on %s\n", be->name, eng->name,
		eng->netdev ? netdev_name(eng->netdev) : "-");
	return 0;
}

/* Called with reg_lock held; the node is already off the list. */
static void reg_retire(struct nvmetcp_node *n)
{
	reg_client_remove(n);
	pr_info("qed_nvmetcp: engine %s removed\n", n->eng->name);
	n->be->destroy(n->eng);
	kfree(n);
}

bool nvmetcp_engine_exists(const char *name)
{
	bool found;

	mutex_lock(&reg_lock);
	found = reg_find(name);
	mutex_unlock(&reg_lock);
	return found;
}

int nvmetcp_engine_remove_by_name(const char *name)
{
	struct nvmetcp_node *n;

	mutex_lock(&reg_lock);
	n = reg_find(name);
	if (n) {
		list_del(&n->entry);
		reg_retire(n);
	}
	mutex_unlock(&reg_lock);
	if (!n) {
		pr_err("qed_nvmetcp: no engine named %s\n", name);
		return -ENOENT;
	}
	return 0;
}

void nvmetcp_engine_remove_all(void)
{
	struct nvmetcp_node *n, *tmp;

	mutex_lock(&reg_lock);
	list_for_each_entry_safe_reverse(n, tmp, &reg_engines, entry) {
		list_del(&n->entry);
		reg_retire(n);
	}
	mutex_unlock(&reg_lock);
}

ssize_t nvmetcp_engine_list(char *buf, size_t size)
{
	struct nvmetcp_node *n;
	ssize_t len = 0;

	mutex_lock(&reg_lock);
	list_for_each_entry(n, &reg_engines, entry)
		len += scnprintf(buf + len, size - len, "%s %s %s\n",
				 n->eng->name, n->be->name,
				 n->eng->netdev ?
				 netdev_name(n->eng->netdev) : "-");
	mutex_unlock(&reg_lock);
	return len;
}

int qed_nvmetcp_register_client(struct qed_nvmetcp_client *client)
{
	struct nvmetcp_node *n;

	if (!client || !client->add || !client->remove)
		return -EINVAL;
	mutex_lock(&reg_lock);
	if (reg_client) {
		mutex_unlock(&reg_lock);
		pr_err("qed_nvmetcp: client %s refused: %s is registered\n",
		       client->name, reg_client->name);
		return -EBUSY;
	}
	reg_client = client;
	list_for_each_entry(n, &reg_engines, entry)
		reg_client_add(n);
	mutex_unlock(&reg_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(qed_nvmetcp_register_client);

void qed_nvmetcp_unregister_client(struct qed_nvmetcp_client *client)
{
	struct nvmetcp_node *n;

	mutex_lock(&reg_lock);
	if (reg_client == client) {
		list_for_each_entry_reverse(n, &reg_engines, entry)
			reg_client_remove(n);
		reg_client = NULL;
	}
	mutex_unlock(&reg_lock);
}
EXPORT_SYMBOL_GPL(qed_nvmetcp_unregister_client);

/*
 * The notifier runs under RTNL; the client's ->remove may wait for its
 * connections to terminate, so retiring happens in a work.  The netdev's
 * unregistration waits for our reference, which the work drops.
 */
static void reg_reap(struct work_struct *work)
{
	struct nvmetcp_node *n, *tmp;

	mutex_lock(&reg_lock);
	list_for_each_entry_safe(n, tmp, &reg_engines, entry) {
		if (!n->dying)
			continue;
		list_del(&n->entry);
		pr_info("qed_nvmetcp: netdev of engine %s unregistering\n",
			n->eng->name);
		reg_retire(n);
	}
	mutex_unlock(&reg_lock);
}

static DECLARE_WORK(reg_reap_work, reg_reap);

static int reg_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nvmetcp_node *n;
	bool found = false;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	mutex_lock(&reg_lock);
	if (reg_exiting) {
		mutex_unlock(&reg_lock);
		return NOTIFY_DONE;
	}
	list_for_each_entry(n, &reg_engines, entry) {
		if (n->eng->netdev == dev) {
			n->dying = true;
			found = true;
		}
	}
	mutex_unlock(&reg_lock);
	if (found)
		schedule_work(&reg_reap_work);
	return NOTIFY_DONE;
}

static struct notifier_block reg_netdev_nb = {
	.notifier_call = reg_netdev_event,
};

int nvmetcp_registry_init(void)
{
	reg_exiting = false;
	return register_netdevice_notifier(&reg_netdev_nb);
}

void nvmetcp_registry_exit(void)
{
	mutex_lock(&reg_lock);
	reg_exiting = true;
	mutex_unlock(&reg_lock);
	unregister_netdevice_notifier(&reg_netdev_nb);
	flush_work(&reg_reap_work);
	nvmetcp_engine_remove_all();
}
