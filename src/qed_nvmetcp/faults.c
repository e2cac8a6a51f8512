// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection and inspection: /sys/kernel/debug/qed_nvmetcp/<engine>/
 *   null_mode      1: reads/writes on I/O queues complete without the peer
 *   delay_ms       every CQE is posted this many ms late
 *   corrupt_ddgst  the next N received data digests count as mismatched
 *   fail_icreq     the next N ICReqs fail with a connection error event
 *   dup_cccid      the next N I/O commands reuse the id of one in flight
 *   stall_sq       1: no WQE is consumed (writing 0 resumes)
 *   stall_rx       1: rx_work receives nothing, only pollers do (0 resumes)
 *   no_poll_tx     1: pollers send nothing, tx_late sends for them
 *   reset_conn     write a connection handle: its TCP socket is reset
 *   conns          read: one line per connection
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <net/sock.h>
#include "soft.h"

static struct dentry *faults_root;

static const char * const soft_state_names[] = {
	[SOFT_CONN_ACQUIRED] = "acquired",
	[SOFT_CONN_CONNECTING] = "connecting",
	[SOFT_CONN_CONNECTED] = "connected",
	[SOFT_CONN_FAILED] = "failed",
	[SOFT_CONN_TERMINATING] = "terminating",
	[SOFT_CONN_TERMINATED] = "terminated",
};

static int conns_show(struct seq_file *m, void *v)
{
	struct soft_eng *se = m->private;
	struct soft_conn *conn;
	u32 i;

	mutex_lock(&se->lock);
	for (i = 0; i < SOFT_MAX_CONNS; i++) {
		conn = se->conns[i];
		if (!conn)
			continue;
		seq_printf(m, "%u %s sq_prod %u sq_cons %u cq %u src_port %u dst_port %u hdgst %d ddgst %d tx_lent %llu tx_copied %llu tx_polled %llu tx_poll_calls %llu tx_late %llu rx_polled %llu wq %s\n",
			   i, soft_state_names[conn->state],
			   READ_ONCE(conn->sq_prod), READ_ONCE(conn->sq_cons),
			   conn->params.default_cq, conn->params.src.port,
			   conn->params.dst.port, conn->hdgst, conn->ddgst,
			   READ_ONCE(conn->tx_lent),
			   READ_ONCE(conn->tx_copied),
			   READ_ONCE(conn->tx_polled),
			   READ_ONCE(conn->tx_poll_calls),
			   READ_ONCE(conn->tx_late_runs),
			   READ_ONCE(conn->rx_polled),
			   conn->wq == soft_wq ? "highpri" : "normal");
	}
	mutex_unlock(&se->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(conns);

static ssize_t reset_conn_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct soft_eng *se = file->private_data;
	struct soft_conn *conn;
	u32 handle;
	int rc;

	rc = kstrtou32_from_user(ubuf, count, 0, &handle);
	if (rc)
		return rc;
	if (handle >= SOFT_MAX_CONNS) {
		pr_err("qed_nvmetcp: reset_conn: handle %u out of range (0..%u)\n",
		       handle, SOFT_MAX_CONNS - 1);
		return -EINVAL;
	}
	mutex_lock(&se->lock);
	conn = se->conns[handle];
	if (conn && conn->sock &&
	    (conn->state == SOFT_CONN_CONNECTED ||
	     conn->state == SOFT_CONN_CONNECTING))
		soft_tcp_reset(conn);
	else
		rc = -ENOTCONN;
	mutex_unlock(&se->lock);
	if (rc)
		pr_err("qed_nvmetcp: reset_conn: no connected connection %u\n",
		       handle);
	return rc ? rc : count;
}

static const struct file_operations reset_conn_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = reset_conn_write,
	.llseek = noop_llseek,
};

/* Longest CQE delay delay_ms takes: far past any I/O timeout worth testing. */
#define SOFT_DELAY_MS_MAX	60000

static int delay_ms_get(void *data, u64 *val)
{
	*val = READ_ONCE(*(u32 *)data);
	return 0;
}

static int delay_ms_set(void *data, u64 val)
{
	if (val > SOFT_DELAY_MS_MAX) {
		pr_err("qed_nvmetcp: delay_ms %llu out of range (0..%u)\n",
		       val, SOFT_DELAY_MS_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(*(u32 *)data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(delay_ms_fops, delay_ms_get, delay_ms_set, "%llu\n");

/* corrupt_ddgst, fail_icreq, dup_cccid: how many of the next events fail. */
static int count_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}

static int count_set(void *data, u64 val)
{
	/* Negative counts would never run out (atomic_add_unless(-1, 0)). */
	if (val > INT_MAX) {
		pr_err("qed_nvmetcp: fault count %llu out of range (0..%d)\n",
		       val, INT_MAX);
		return -EINVAL;
	}
	atomic_set(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(count_fops, count_get, count_set, "%llu\n");

/*
 * stall_sq and stall_rx: 1 stops the engine's tx_work (no WQE is
 * consumed) or rx_work (nothing is received but by pollers); 0 resumes,
 * and every connected connection's work item looks again.
 */
static bool *stall_knob(const struct soft_stall_file *f)
{
	return f->rx ? &f->se->faults.stall_rx : &f->se->faults.stall_sq;
}

static ssize_t stall_read(struct file *file, char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	const struct soft_stall_file *f = file->private_data;
	char buf[3] = { READ_ONCE(*stall_knob(f)) ? '1' : '0', '\n' };

	return simple_read_from_buffer(ubuf, count, ppos, buf, 2);
}

static ssize_t stall_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	const struct soft_stall_file *f = file->private_data;
	struct soft_eng *se = f->se;
	struct soft_conn *conn;
	bool stall;
	u32 i;
	int rc;

	rc = kstrtobool_from_user(ubuf, count, &stall);
	if (rc)
		return rc;
	WRITE_ONCE(*stall_knob(f), stall);
	if (stall)
		return count;
	mutex_lock(&se->lock);
	for (i = 0; i < SOFT_MAX_CONNS; i++) {
		conn = se->conns[i];
		if (conn && conn->state == SOFT_CONN_CONNECTED)
			queue_work(conn->wq, f->rx ? &conn->rx_work : &conn->tx_work);
	}
	mutex_unlock(&se->lock);
	return count;
}

static const struct file_operations stall_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = stall_read,
	.write = stall_write,
	.llseek = noop_llseek,
};

void soft_faults_add(struct soft_eng *se)
{
	struct dentry *d;

	if (IS_ERR_OR_NULL(faults_root))
		return;
	d = debugfs_create_dir(se->pub.name, faults_root);
	se->debugfs = d;
	debugfs_create_bool("null_mode", 0600, d, &se->faults.null_mode);
	debugfs_create_file_unsafe("delay_ms", 0600, d, &se->faults.delay_ms,
				   &delay_ms_fops);
	debugfs_create_file_unsafe("corrupt_ddgst", 0600, d,
				   &se->faults.corrupt_ddgst, &count_fops);
	debugfs_create_file_unsafe("fail_icreq", 0600, d,
				   &se->faults.fail_icreq, &count_fops);
	debugfs_create_file_unsafe("dup_cccid", 0600, d,
				   &se->faults.dup_cccid, &count_fops);
	se->faults.stall_files[0] = (struct soft_stall_file){ se, false };
	se->faults.stall_files[1] = (struct soft_stall_file){ se, true };
	debugfs_create_file("stall_sq", 0600, d, &se->faults.stall_files[0],
			    &stall_fops);
	debugfs_create_file("stall_rx", 0600, d, &se->faults.stall_files[1],
			    &stall_fops);
	debugfs_create_bool("no_poll_tx", 0600, d, &se->faults.no_poll_tx);
	debugfs_create_file("reset_conn", 0200, d, se, &reset_conn_fops);
	debugfs_create_file("conns", 0400, d, se, &conns_fops);
}

void soft_faults_remove(struct soft_eng *se)
{
	debugfs_remove_recursive(se->debugfs);
	se->debugfs = NULL;
}

void soft_faults_init(void)
{
	faults_root = debugfs_create_dir("qed_nvmetcp", NULL);
}

void soft_faults_exit(void)
{
	debugfs_remove_recursive(faults_root);
	faults_root = NULL;
}
