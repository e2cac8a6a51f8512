// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime control: /sys/kernel/qed_nvmetcp/
 *   add      write a netdev name: create a software engine on it
 *   remove   write an engine name ("soft-lo") or a netdev name ("lo")
 *   engines  read: one "name backend netdev" line per engine
 */
#include <linux/kobject.h>
#include <linux/netdevice.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>
#include "registry.h"
#include "soft.h"

/* Only a registered engine owns its (uniquely named) debugfs directory. */
static void soft_added(struct qed_nvmetcp_engine *eng)
{
	soft_faults_add(to_soft(eng));
}

static const struct nvmetcp_backend soft_backend = {
	.name = "soft",
	.added = soft_added,
	.destroy = soft_eng_destroy,
};

int nvmetcp_soft_add(const char *ifname)
{
	struct qed_nvmetcp_engine *eng;
	struct net_device *netdev;
	int rc;

	if (!*ifname || strlen(ifname) >= IFNAMSIZ) {
		pr_err("qed_nvmetcp: bad netdev name '%s'\n", ifname);
		return -EINVAL;
	}
	netdev = dev_get_by_name(&init_net, ifname);
	if (!netdev) {
		pr_err("qed_nvmetcp: netdev %s not found\n", ifname);
		return -ENODEV;
	}
	if (!netif_running(netdev)) {
		pr_err("qed_nvmetcp: netdev %s is down\n", ifname);
		dev_put(netdev);
		return -ENETDOWN;
	}
	eng = soft_eng_create(netdev);
	dev_put(netdev);	/* the engine holds its own reference */
	if (IS_ERR(eng))
		return PTR_ERR(eng);
	rc = nvmetcp_engine_add(eng, &soft_backend);
	if (rc)
		soft_eng_destroy(eng);
	return rc;
}

/* Copy a sysfs write into @name without the trailing newline. */
static int sysfs_name(const char *buf, size_t count, char *name, size_t size)
{
	size_t len = strcspn(buf, "\n");

	if (!len || len >= size || len != count - (buf[len] == '\n'))
		return -EINVAL;
	memcpy(name, buf, len);
	name[len] = '\0';
	return 0;
}

static ssize_t add_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	char name[IFNAMSIZ];
	int rc;

	rc = sysfs_name(buf, count, name, sizeof(name));
	if (rc) {
		pr_err("qed_nvmetcp: add: expected one netdev name\n");
		return rc;
	}
	rc = nvmetcp_soft_add(name);
	return rc ? rc : count;
}

static ssize_t remove_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	char name[sizeof(((struct qed_nvmetcp_engine *)0)->name)];
	char soft[sizeof(name) + 5];
	int rc;

	rc = sysfs_name(buf, count, name, sizeof(name));
	if (rc) {
		pr_err("qed_nvmetcp: remove: expected one engine name\n");
		return rc;
	}
	snprintf(soft, sizeof(soft), "soft-%s", name);
	/* Accept the netdev name as a shorthand for its software engine. */
	if (!nvmetcp_engine_exists(name) && nvmetcp_engine_exists(soft))
		rc = nvmetcp_engine_remove_by_name(soft);
	else
		rc = nvmetcp_engine_remove_by_name(name);
	return rc ? rc : count;
}

static ssize_t engines_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return nvmetcp_engine_list(buf, PAGE_SIZE);
}

static struct kobj_attribute add_attr = __ATTR_WO(add);
static struct kobj_attribute remove_attr = __ATTR_WO(remove);
static struct kobj_attribute engines_attr = __ATTR_RO(engines);

static struct attribute *nvmetcp_attrs[] = {
	&add_attr.attr,
	&remove_attr.attr,
	&engines_attr.attr,
	NULL,
};

static const struct attribute_group nvmetcp_group = {
	.attrs = nvmetcp_attrs,
};

static struct kobject *nvmetcp_kobj;

int nvmetcp_sysfs_init(void)
{
	int rc;

	nvmetcp_kobj = kobject_create_and_add("qed_nvmetcp", kernel_kobj);
	if (!nvmetcp_kobj)
		return -ENOMEM;
	rc = sysfs_create_group(nvmetcp_kobj, &nvmetcp_group);
	if (rc) {
		kobject_put(nvmetcp_kobj);
		nvmetcp_kobj = NULL;
	}
	return rc;
}

void nvmetcp_sysfs_exit(void)
{
	if (!nvmetcp_kobj)
		return;
	sysfs_remove_group(nvmetcp_kobj, &nvmetcp_group);
	kobject_put(nvmetcp_kobj);
	nvmetcp_kobj = NULL;
}
