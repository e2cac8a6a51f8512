// SPDX-License-Identifier: GPL-2.0
/*
 * IP services of an engine (what qed's ip-services offered qedn before
 * 5.19): route and neighbour resolution through the engine's netdev, VLAN
 * detection, and TCP source port reservation.
 *
 * A reserved port is held by a socket bound to the wildcard address with
 * SO_REUSEADDR and never listening: the host stack does not hand the port
 * out to anybody else, yet the engine's data socket (SO_REUSEADDR too) can
 * bind it.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/sock.h>
#include "soft.h"

#define SOFT_NEIGH_WAIT_MS	1000
#define SOFT_NEIGH_POLL_MS	20

struct soft_port {
	struct list_head entry;
	sa_family_t family;
	u16 port;
	struct socket *sock;
};

/* The route leaves through the engine's netdev or a VLAN on top of it. */
static bool soft_route_dev_ok(struct net_device *eng_dev,
			      struct net_device *out)
{
	if (out == eng_dev)
		return true;
	return is_vlan_dev(out) && vlan_dev_real_dev(out) == eng_dev;
}

static int soft_neigh_resolve(struct dst_entry *dst, const void *daddr,
			      struct net_device *out, u8 *mac)
{
	struct neighbour *n;
	int waited = 0;
	int rc = -EHOSTUNREACH;

	if (out->flags & (IFF_LOOPBACK | IFF_NOARP)) {
		memcpy(mac, out->dev_addr, ETH_ALEN);
		return 0;
	}
	n = dst_neigh_lookup(dst, daddr);
	if (!n)
		return -ENOMEM;
	for (;;) {
		if (READ_ONCE(n->nud_state) & NUD_VALID) {
			neigh_ha_snapshot(mac, n, out);
			rc = 0;
			break;
		}
		if (waited >= SOFT_NEIGH_WAIT_MS)
			break;
		neigh_event_send(n, NULL);
		msleep(SOFT_NEIGH_POLL_MS);
		waited += SOFT_NEIGH_POLL_MS;
	}
	neigh_release(n);
	return rc;
}

static int soft_route_fill(struct net_device *eng_dev, struct dst_entry *dst,
			   const void *daddr, struct qed_nvmetcp_route *route)
{
	struct net_device *out = dst->dev;

	if (!soft_route_dev_ok(eng_dev, out))
		return -ENETUNREACH;
	route->vlan_id = is_vlan_dev(out) ? vlan_dev_vlan_id(out) : 0;
	route->mtu = dst_mtu(dst);
	ether_addr_copy(route->src_mac, eng_dev->dev_addr);
	return soft_neigh_resolve(dst, daddr, out, route->dst_mac);
}

static int soft_route4(struct net *net, struct net_device *eng_dev, int oif,
		       const struct sockaddr_in *dst,
		       const struct sockaddr_storage *src,
		       struct qed_nvmetcp_route *route)
{
	struct flowi4 fl4 = {
		.daddr = dst->sin_addr.s_addr,
		.flowi4_oif = oif,
		.flowi4_proto = IPPROTO_TCP,
	};
	struct rtable *rt;
	int rc;

	if (src && src->ss_family == AF_INET)
		fl4.saddr = ((const struct sockaddr_in *)src)->sin_addr.s_addr;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	rc = soft_route_fill(eng_dev, &rt->dst, &fl4.daddr, route);
	if (!rc) {
		memcpy(&route->src, &fl4.saddr, 4);
		memcpy(&route->dst, &fl4.daddr, 4);
	}
	ip_rt_put(rt);
	return rc;
}

static int soft_route6(struct net *net, struct net_device *eng_dev, int oif,
		       const struct sockaddr_in6 *dst,
		       const struct sockaddr_storage *src,
		       struct qed_nvmetcp_route *route)
{
	struct flowi6 fl6 = {
		.daddr = dst->sin6_addr,
		.flowi6_oif = oif,
		.flowi6_proto = IPPROTO_TCP,
	};
	struct dst_entry *d;
	int rc;

	if (!IS_ENABLED(CONFIG_IPV6))
		return -EAFNOSUPPORT;
	if (src && src->ss_family == AF_INET6)
		fl6.saddr = ((const struct sockaddr_in6 *)src)->sin6_addr;
	d = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(d))
		return PTR_ERR(d);
	rc = soft_route_fill(eng_dev, d, &fl6.daddr, route);
	if (!rc) {
		route->src = fl6.saddr;
		route->dst = fl6.daddr;
	}
	dst_release(d);
	return rc;
}

int soft_get_route(struct qed_nvmetcp_engine *eng,
		   const struct sockaddr_storage *dst,
		   const struct sockaddr_storage *src, const char *ifname,
		   struct qed_nvmetcp_route *route)
{
	struct net_device *eng_dev = eng->netdev;
	struct net *net = dev_net(eng_dev);
	struct net_device *ifdev = NULL;
	int oif = 0, rc;

	if (!dst)
		return -EINVAL;
	memset(route, 0, sizeof(*route));
	if (ifname && *ifname) {
		ifdev = dev_get_by_name(net, ifname);
		if (!ifdev)
			return -ENODEV;
		if (!soft_route_dev_ok(eng_dev, ifdev)) {
			dev_put(ifdev);
			return -ENETUNREACH;
		}
		oif = ifdev->ifindex;
		dev_put(ifdev);
	}
	route->family = dst->ss_family;
	switch (dst->ss_family) {
	case AF_INET:
		rc = soft_route4(net, eng_dev, oif,
				 (const struct sockaddr_in *)dst, src, route);
		break;
	case AF_INET6:
		rc = soft_route6(net, eng_dev, oif,
				 (const struct sockaddr_in6 *)dst, src, route);
		break;
	default:
		rc = -EAFNOSUPPORT;
	}
	return rc;
}

/*
 * The interface an offloaded connection leaves through, as the firmware
 * would send it: the engine's netdev untagged, or tagged with @vlan_id,
 * i.e. the VLAN device on top of the netdev.  0 if that VLAN is gone.
 */
int soft_conn_ifindex(struct qed_nvmetcp_engine *eng, u16 vlan_id)
{
	struct net_device *vdev;
	int ifindex = 0;

	vlan_id &= VLAN_VID_MASK;
	if (!vlan_id)
		return eng->netdev->ifindex;
	rcu_read_lock();
	vdev = __vlan_find_dev_deep_rcu(eng->netdev, htons(ETH_P_8021Q),
					vlan_id);
	if (vdev)
		ifindex = vdev->ifindex;
	rcu_read_unlock();
	return ifindex;
}

int soft_reserve_port(struct qed_nvmetcp_engine *eng, sa_family_t family,
		      u16 *port)
{
	struct soft_eng *se = to_soft(eng);
	struct sockaddr_storage ss = { .ss_family = family };
	struct soft_port *sp;
	int rc, len;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	if (!sp)
		return -ENOMEM;
	rc = sock_create_kern(dev_net(eng->netdev), family, SOCK_STREAM,
			      IPPROTO_TCP, &sp->sock);
	if (rc)
		goto err_free;
	sp->sock->sk->sk_reuse = SK_CAN_REUSE;
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(*port);
		len = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(*port);
		len = sizeof(struct sockaddr_in6);
	}
	rc = kernel_bind(sp->sock, (struct sockaddr *)&ss, len);
	if (rc)
		goto err_sock;
	rc = kernel_getsockname(sp->sock, (struct sockaddr *)&ss);
	if (rc < 0)
		goto err_sock;
	sp->family = family;
	sp->port = family == AF_INET ?
		   ntohs(((struct sockaddr_in *)&ss)->sin_port) :
		   ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	mutex_lock(&se->lock);
	list_add(&sp->entry, &se->ports);
	mutex_unlock(&se->lock);
	*port = sp->port;
	return 0;

err_sock:
	sock_release(sp->sock);
err_free:
	kfree(sp);
	pr_err("qed_nvmetcp: %s: cannot reserve TCP port %u: %d\n", eng->name,
	       *port, rc);
	return rc;
}

void soft_release_port(struct qed_nvmetcp_engine *eng, sa_family_t family,
		       u16 port)
{
	struct soft_eng *se = to_soft(eng);
	struct soft_port *sp, *found = NULL;

	mutex_lock(&se->lock);
	list_for_each_entry(sp, &se->ports, entry) {
		if (sp->family == family && sp->port == port) {
			list_del(&sp->entry);
			found = sp;
			break;
		}
	}
	mutex_unlock(&se->lock);
	if (!found)
		return;
	sock_release(found->sock);
	kfree(found);
}

void soft_release_all_ports(struct soft_eng *se)
{
	struct soft_port *sp, *tmp;

	list_for_each_entry_safe(sp, tmp, &se->ports, entry) {
		list_del(&sp->entry);
		sock_release(sp->sock);
		kfree(sp);
	}
}
