#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: debug
# timeout: 200
# description: developer aid: connect through qedn and dump engine, ULP and
#   socket state a few seconds later (no assertions beyond the connect).

. "$(dirname "$0")/lib.sh"

require_offload_modules
t_cleanup target_teardown
t_cleanup unload_offload_modules
target_setup brd
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
echo 'module nvmet_tcp +p' >/sys/kernel/debug/dynamic_debug/control || true
echo 'module nvme_tcp_offload +p' >/sys/kernel/debug/dynamic_debug/control || true
load_offload_modules qed_nvmetcp.soft_netdevs=lo
/sbin/modprobe nvme-fabrics
t_cleanup host_disconnect
( nvme connect -t tcp_offload -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN" ${NTO_CONNECT_ARGS:-} || true ) &
sleep "${NTO_DEBUG_WAIT:-6}"
for f in /sys/kernel/debug/qed_nvmetcp/*/conns /sys/kernel/debug/nvme_tcp_offload/*/*; do
	[ -r "$f" ] || continue
	echo "== $f"
	head -n 40 "$f" 2>/dev/null || true
done
ss -tnie || true
dmesg | tail -60 || true
wait
dmesg | tail -20 || true
