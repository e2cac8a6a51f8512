/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection options of the tcp_offload transport and their rendering into
 * the option string that /dev/nvme-fabrics parses.
 */
#ifndef NTO_CONNOPTS_H
#define NTO_CONNOPTS_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>

#define NTO_TRANSPORT		"tcp_offload"
#define NTO_DEFAULT_TRSVCID	"4420"
#define NTO_DISCOVERY_NQN	"nqn.2014-08.org.nvmexpress.discovery"

/* An integer option that was not given is NTO_UNSET and is not sent
 * (ctrl_loss_tmo=-1, "reconnect forever", is a real value). */
#define NTO_UNSET		INT_MIN

struct conn_opts {
	const char *traddr;
	const char *trsvcid;
	const char *nqn;
	const char *host_traddr;
	const char *host_iface;
	const char *hostnqn;
	const char *hostid;
	const char *dhchap_secret;
	const char *dhchap_ctrl_secret;
	int nr_io_queues;
	int nr_write_queues;
	int nr_poll_queues;
	int queue_size;
	int keep_alive_tmo;
	int reconnect_delay;
	int ctrl_loss_tmo;
	int fast_io_fail_tmo;
	int tos;
	bool hdr_digest;
	bool data_digest;
	bool duplicate_connect;
	bool disable_sqflow;
};

void conn_opts_init(struct conn_opts *o);

/*
 * Check the options for what the kernel would reject anyway, so the user
 * gets a precise message.  Returns 0, or -1 with a message in @err.
 */
int conn_opts_validate(const struct conn_opts *o, char *err, size_t errlen);

/*
 * Render "transport=tcp_offload,traddr=...,..." into @buf.  Returns the
 * length, or -1 if @buf is too small or an option value contains a comma or
 * newline (which would smuggle in another option).
 */
int conn_opts_render(const struct conn_opts *o, char *buf, size_t len);

/*
 * Parse one "--name=value" / "--flag" style option (without the dashes) into
 * @o.  Returns 0, 1 if @name is not a connection option, -1 on a bad value
 * (message in @err).
 */
int conn_opts_set(struct conn_opts *o, const char *name, const char *value,
		  char *err, size_t errlen);

#endif
