// SPDX-License-Identifier: GPL-2.0
/*
 * Counters in debugfs:
 *   /sys/kernel/debug/nvme_tcp_offload/<nvmeN>/stats   controller totals
 *   /sys/kernel/debug/nvme_tcp_offload/<nvmeN>/queues  one line per queue
 * Counters live as long as the controller; queues keep theirs across
 * reconnects, so a recovery does not hide what happened before it.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "ofld.h"

static struct dentry *nvme_tcp_ofld_dbg_root;

static const char *const nvme_tcp_ofld_state_names[] = {
	[NVME_CTRL_NEW]			= "new",
	[NVME_CTRL_LIVE]		= "live",
	[NVME_CTRL_RESETTING]		= "resetting",
	[NVME_CTRL_CONNECTING]		= "connecting",
	[NVME_CTRL_DELETING]		= "deleting",
	[NVME_CTRL_DELETING_NOIO]	= "deleting (no IO)",
	[NVME_CTRL_DEAD]		= "dead",
};

static const char *nvme_tcp_ofld_state_name(enum nvme_ctrl_state state)
{
	if ((unsigned int)state < ARRAY_SIZE(nvme_tcp_ofld_state_names) &&
	    nvme_tcp_ofld_state_names[state])
		return nvme_tcp_ofld_state_names[state];
	return "unknown";
}

static int nvme_tcp_ofld_stats_show(struct seq_file *m, void *unused)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = m->private;
	u64 cmds = 0, bytes = 0, errors = 0, timeouts = 0;
	u32 i;

	for (i = 0; i < ctrl->max_queues; i++) {
		struct nvme_tcp_ofld_qstats *s = &ctrl->queues[i]->stats;

		cmds += atomic64_read(&s->cmds);
		bytes += atomic64_read(&s->bytes);
		errors += atomic64_read(&s->errors);
		timeouts += atomic64_read(&s->timeouts);
	}
	seq_printf(m, "state: %s\n",
		   nvme_tcp_ofld_state_name(nto_ctrl_state(&ctrl->nctrl)));
	seq_printf(m, "device: %s\n", ctrl->ofld.dev->ops->name);
	seq_printf(m, "io_queues: %u\n", ctrl->nctrl.queue_count - 1);
	seq_printf(m, "commands: %llu\n", cmds);
	seq_printf(m, "bytes: %llu\n", bytes);
	seq_printf(m, "errors: %llu\n", errors);
	seq_printf(m, "timeouts: %llu\n", timeouts);
	seq_printf(m, "recoveries: %lld\n", atomic64_read(&ctrl->recoveries));
	seq_printf(m, "reconnects: %lld\n", atomic64_read(&ctrl->reconnects));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvme_tcp_ofld_stats);

static int nvme_tcp_ofld_queues_show(struct seq_file *m, void *unused)
{
	struct nvme_tcp_ofld_ctrl_priv *ctrl = m->private;
	u32 i;

	seq_puts(m, "qid live commands bytes errors timeouts polled\n");
	for (i = 0; i < ctrl->max_queues; i++) {
		struct nvme_tcp_ofld_q *q = ctrl->queues[i];

		seq_printf(m, "%u %d %lld %lld %lld %lld %lld\n", i,
			   test_bit(NVME_TCP_OFLD_Q_LIVE, &q->ofld.ulp_flags),
			   atomic64_read(&q->stats.cmds),
			   atomic64_read(&q->stats.bytes),
			   atomic64_read(&q->stats.errors),
			   atomic64_read(&q->stats.timeouts),
			   atomic64_read(&q->stats.polled));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvme_tcp_ofld_queues);

void nvme_tcp_ofld_debugfs_add_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	struct dentry *dir;

	/* debugfs is best effort: a failure only loses the counters' view */
	dir = debugfs_create_dir(dev_name(ctrl->nctrl.device),
				 nvme_tcp_ofld_dbg_root);
	if (IS_ERR(dir))
		return;
	debugfs_create_file("stats", 0444, dir, ctrl,
			    &nvme_tcp_ofld_stats_fops);
	debugfs_create_file("queues", 0444, dir, ctrl,
			    &nvme_tcp_ofld_queues_fops);
	ctrl->dbg_dir = dir;
}

void nvme_tcp_ofld_debugfs_del_ctrl(struct nvme_tcp_ofld_ctrl_priv *ctrl)
{
	debugfs_remove_recursive(ctrl->dbg_dir);
	ctrl->dbg_dir = NULL;
}

int nvme_tcp_ofld_debugfs_init(void)
{
	nvme_tcp_ofld_dbg_root = debugfs_create_dir("nvme_tcp_offload", NULL);
	return 0;
}

void nvme_tcp_ofld_debugfs_exit(void)
{
	debugfs_remove_recursive(nvme_tcp_ofld_dbg_root);
}
