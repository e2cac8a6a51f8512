// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP connection of a software engine connection: a kernel socket
 * configured from the offload parameters, connected asynchronously, with
 * its callbacks redirected to the connection's works.
 *
 * Addresses in struct qed_nvmetcp_id_params are host-order 32-bit words
 * (IPv4 in ip[0]; IPv6 most significant word first), ports host order.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/sched/mm.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "nto_compat_net.h"
#include "soft.h"

static int soft_sockaddr(const struct qed_nvmetcp_id_params *id, bool v6,
			 struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		int i;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(id->port);
		for (i = 0; i < 4; i++)
			s6->sin6_addr.s6_addr32[i] = htonl(id->ip[i]);
		return sizeof(*s6);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons(id->port);
	((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(id->ip[0]);
	return sizeof(struct sockaddr_in);
}

static struct soft_conn *soft_sk_conn(struct sock *sk)
{
	return sk->sk_user_data;
}

/*
 * A poller inside soft_poll_conn() receives what arrives now; it is told
 * that data came (rx_missed), and queues rx_work on its way out if the
 * data is still there.  Pairs with the barrier after its rx_pollers
 * decrement: either it sees rx_missed or we see no poller.
 */
static bool soft_sk_leave_to_poller(struct soft_conn *conn)
{
	if (!atomic_read(&conn->rx_pollers))
		return false;
	atomic_set(&conn->rx_missed, 1);
	/* rx_missed before the second look at rx_pollers. */
	smp_mb__after_atomic();
	return atomic_read(&conn->rx_pollers);
}

static void soft_sk_data_ready(struct sock *sk)
{
	struct soft_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = soft_sk_conn(sk);
	if (conn && !soft_sk_leave_to_poller(conn))
		queue_work(conn->wq, &conn->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void soft_sk_state_change(struct sock *sk)
{
	void (*saved)(struct sock *sk) = NULL;
	struct soft_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = soft_sk_conn(sk);
	if (conn) {
		saved = conn->saved_state_change;
		queue_work(conn->wq, &conn->rx_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (saved)
		saved(sk);
}

static void soft_sk_write_space(struct sock *sk)
{
	void (*saved)(struct sock *sk) = NULL;
	struct soft_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = soft_sk_conn(sk);
	if (conn)
		saved = conn->saved_write_space;
	read_unlock_bh(&sk->sk_callback_lock);
	if (saved)
		saved(sk);
}

static void soft_tcp_options(struct soft_conn *conn, struct sock *sk)
{
	const struct qed_nvmetcp_params_offload *p = &conn->params;

	/* Sockets on the block I/O path must not recurse into reclaim. */
	sk->sk_allocation = GFP_ATOMIC;
	nto_sk_no_task_frag(sk);
	sk->sk_reuse = SK_CAN_REUSE;
	tcp_sock_set_nodelay(sk);
	if (p->ip_version != TCP_IPV6 && p->tos_or_tc)
		ip_sock_set_tos(sk, p->tos_or_tc);
	if (p->tcp_keep_alive_en) {
		sock_set_keepalive(sk);
		if (p->ka_timeout >= 1000)
			tcp_sock_set_keepidle(sk, p->ka_timeout / 1000);
		if (p->ka_interval >= 1000)
			tcp_sock_set_keepintvl(sk, p->ka_interval / 1000);
		if (p->ka_max_probe_cnt)
			tcp_sock_set_keepcnt(sk, p->ka_max_probe_cnt);
	}
	if (p->max_rt_time)
		tcp_sock_set_user_timeout(sk, p->max_rt_time);
}

int soft_tcp_connect(struct soft_conn *conn)
{
	const struct qed_nvmetcp_params_offload *p = &conn->params;
	struct net_device *netdev = conn->eng->pub.netdev;
	bool v6 = p->ip_version == TCP_IPV6;
	struct sockaddr_storage src, dst;
	unsigned int noio;
	struct socket *sock;
	struct sock *sk;
	int len, rc, ifindex;

	noio = memalloc_noio_save();
	rc = sock_create_kern(dev_net(netdev), v6 ? AF_INET6 : AF_INET,
			      SOCK_STREAM, IPPROTO_TCP, &sock);
	if (rc)
		goto out;
	sk = sock->sk;
	soft_tcp_options(conn, sk);

	/* Leave through the engine's port (and VLAN), whatever else routes. */
	ifindex = soft_conn_ifindex(&conn->eng->pub, p->vlan_id);
	rc = ifindex ? sock_bindtoindex(sk, ifindex, true) : -ENODEV;
	if (rc) {
		pr_err("qed_nvmetcp: %s: conn %u: cannot use VLAN %u on %s: %d\n",
		       conn->eng->pub.name, conn->handle, p->vlan_id,
		       netdev_name(netdev), rc);
		goto err_release;
	}

	/* The source port is the one reserve_port() holds (SO_REUSEADDR). */
	len = soft_sockaddr(&p->src, v6, &src);
	rc = kernel_bind(sock, (struct sockaddr *)&src, len);
	if (rc) {
		pr_err("qed_nvmetcp: %s: conn %u: bind to port %u failed: %d\n",
		       conn->eng->pub.name, conn->handle, p->src.port, rc);
		goto err_release;
	}

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = conn;
	conn->saved_data_ready = sk->sk_data_ready;
	conn->saved_state_change = sk->sk_state_change;
	conn->saved_write_space = sk->sk_write_space;
	sk->sk_data_ready = soft_sk_data_ready;
	sk->sk_state_change = soft_sk_state_change;
	sk->sk_write_space = soft_sk_write_space;
	write_unlock_bh(&sk->sk_callback_lock);
	conn->sock = sock;

	len = soft_sockaddr(&p->dst, v6, &dst);
	rc = kernel_connect(sock, (struct sockaddr *)&dst, len, O_NONBLOCK);
	if (rc == -EINPROGRESS)
		rc = 0;
	if (rc) {
		pr_err("qed_nvmetcp: %s: conn %u: connect failed: %d\n",
		       conn->eng->pub.name, conn->handle, rc);
		soft_tcp_close(conn);
	}
	goto out;

err_release:
	sock_release(sock);
out:
	memalloc_noio_restore(noio);
	return rc;
}

/* Give the socket its own callbacks back; no work is queued after this. */
void soft_tcp_detach(struct soft_conn *conn)
{
	struct sock *sk;

	if (!conn->sock)
		return;
	sk = conn->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == conn) {
		sk->sk_user_data = NULL;
		sk->sk_data_ready = conn->saved_data_ready;
		sk->sk_state_change = conn->saved_state_change;
		sk->sk_write_space = conn->saved_write_space;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}

/* Close the socket; an abortive connection ends with an RST. */
void soft_tcp_close(struct soft_conn *conn)
{
	struct socket *sock = conn->sock;

	if (!sock)
		return;
	soft_tcp_detach(conn);
	if (conn->abortive)
		sock_no_linger(sock->sk);
	else
		kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
	conn->sock = NULL;
}

/*
 * Wake a sender blocked on a full socket so that teardown can proceed:
 * graceful teardown shuts the socket down (FIN), abortive resets it.
 */
void soft_tcp_unblock(struct soft_conn *conn)
{
	if (!conn->sock)
		return;
	if (conn->abortive)
		tcp_abort(conn->sock->sk, ECONNABORTED);
	else
		kernel_sock_shutdown(conn->sock, SHUT_RDWR);
}

void soft_tcp_reset(struct soft_conn *conn)
{
	if (conn->sock)
		tcp_abort(conn->sock->sk, ECONNRESET);
}

/* Blocking send of the whole @len, by tx_work (pollers: soft_poll_tx.c). */
int soft_tcp_send(struct soft_conn *conn, struct kvec *vec, size_t nr,
		  size_t len, bool more)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	int rc;

	if (!conn->sock)
		return -ENOTCONN;
	if (more)
		msg.msg_flags |= MSG_MORE;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, vec, nr, len);
	while (msg_data_left(&msg)) {
		rc = sock_sendmsg(conn->sock, &msg);
		if (rc <= 0)
			return rc ? rc : -EPIPE;
	}
	return 0;
}

/* Blocking send of pages lent to the stack, not copied; by tx_work. */
int soft_tcp_lend(struct soft_conn *conn, struct bio_vec *bv, size_t nr,
		  size_t len, bool more)
{
	if (!conn->sock)
		return -ENOTCONN;
	return nto_sock_lend_pages(conn->sock, bv, nr, len,
				   MSG_NOSIGNAL | (more ? MSG_MORE : 0));
}

/*
 * Copy up to @len bytes of the socket buffer range being parsed
 * (conn->rx_skb, see soft_rx.c) into @vec: bytes copied, or -EAGAIN
 * once the range is used up.
 */
int soft_tcp_recv(struct soft_conn *conn, struct kvec *vec, size_t nr,
		  size_t len)
{
	struct iov_iter iter;
	u32 n = min_t(size_t, len, conn->rx_left);

	if (!n)
		return -EAGAIN;
	iov_iter_kvec(&iter, ITER_DEST, vec, nr, n);
	if (skb_copy_datagram_iter(conn->rx_skb, conn->rx_off, &iter, n))
		return -EFAULT;
	conn->rx_off += n;
	conn->rx_left -= n;
	return n;
}
