#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 240
# description: bad configuration, table driven, with an offload device
#   registered: malformed /dev/nvme-fabrics connect strings for tcp_offload
#   and bad writes to the engine's sysfs and debugfs knobs and to qedn's
#   writable parameters.  Each row fails with its errno and one kernel line
#   naming the problem; afterwards nothing is left behind (no controller,
#   module references and engines as before, slab within noise) and every
#   module unloads.

. "$(dirname "$0")/lib.sh"

t_assert offload_stack_setup
/sbin/modprobe nvme-fabrics
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

SYS=/sys/kernel/qed_nvmetcp
DBG=/sys/kernel/debug/qed_nvmetcp/soft-lo
PARAM=/sys/module/qedn/parameters
# shellcheck disable=SC2034 # FAB, addr, long: used by the table, through eval
FAB=/dev/nvme-fabrics
base="nqn=$T_NQN,transport=tcp_offload"
addr="$base,traddr=$T_ADDR"
long=$(printf 'n%.0s' $(seq 300))

state() {
	local m
	for m in "${NTO_MODULES[@]}" nvme_fabrics nvme_core; do
		printf '%s=%s ' "$m" "$(cat "/sys/module/$m/refcnt")"
	done
	printf 'ctrls=%s engines=[%s] ' "$(ls /sys/class/nvme/ | wc -l)" \
		"$(tr '\n' ';' <"$SYS/engines")"
	printf 'delay=%s fail_icreq=%s stall=%s ' "$(cat "$DBG/delay_ms")" \
		"$(cat "$DBG/fail_icreq")" "$(cat "$DBG/stall_sq")"
	printf 'connect_timeout_ms=%s' "$(cat "$PARAM/connect_timeout_ms")"
}

# One good connect/disconnect first: caches that fill once are not a leak.
t_assert host_connect tcp_offload
t_assert host_disconnect
state0=$(state)
slab0=$(slab_kb)

# name | errno | kernel line (ERE, "-" = the kernel logs nothing) | file | data
# $VARS in the file and data columns are expanded.
table() {
	cat <<'EOF'
# --- nvme-fabrics core, before the transport sees the request
unknown-option     | EINVAL  | unknown parameter or missing value 'bogus=1'           | $FAB | $addr,bogus=1
missing-value      | EINVAL  | unknown parameter or missing value 'queue_size='       | $FAB | $addr,queue_size=
not-a-number       | EINVAL  | unknown parameter or missing value 'nr_io_queues=abc'  | $FAB | $addr,nr_io_queues=abc
missing-traddr     | EINVAL  | missing parameter 'traddr=%s'                          | $FAB | $base
missing-nqn        | EINVAL  | missing parameter 'nqn=%s'                             | $FAB | transport=tcp_offload,traddr=$T_ADDR
unknown-transport  | EINVAL  | no handler found for transport tcp_offlod              | $FAB | nqn=$T_NQN,transport=tcp_offlod,traddr=$T_ADDR
nqn-too-long       | EINVAL  | n{300} needs to be < 223 bytes                         | $FAB | nqn=$long,transport=tcp_offload,traddr=$T_ADDR
hostnqn-too-long   | EINVAL  | n{300} needs to be < 223 bytes                         | $FAB | $addr,hostnqn=$long
bad-hostid         | EINVAL  | Invalid hostid not-a-uuid                              | $FAB | $addr,hostid=not-a-uuid
queue-size-0       | EINVAL  | Invalid queue_size 0                                   | $FAB | $addr,queue_size=0
queue-size-huge    | EINVAL  | Invalid queue_size 100000                              | $FAB | $addr,queue_size=100000
nr-io-queues-0     | EINVAL  | Invalid number of IOQs 0                               | $FAB | $addr,nr_io_queues=0
nr-io-queues-neg   | EINVAL  | Invalid number of IOQs -4                              | $FAB | $addr,nr_io_queues=-4
nr-write-queues    | EINVAL  | Invalid nr_write_queues -1                             | $FAB | $addr,nr_write_queues=-1
nr-poll-queues     | EINVAL  | Invalid nr_poll_queues -1                              | $FAB | $addr,nr_poll_queues=-1
keep-alive-neg     | EINVAL  | Invalid keep_alive_tmo -1                              | $FAB | $addr,keep_alive_tmo=-1
reconnect-delay-0  | EINVAL  | Invalid reconnect_delay 0                              | $FAB | $addr,reconnect_delay=0
tos-neg            | EINVAL  | Invalid type of service -2                             | $FAB | $addr,tos=-2
ctrl-loss-overflow | EINVAL  | -                                                      | $FAB | $addr,ctrl_loss_tmo=99999999999
# --- tcp_offload: addresses and the route to the target
malformed-v4       | EINVAL  | tcp_offload: malformed address traddr=300\.1\.2\.3     | $FAB | $base,traddr=300.1.2.3
malformed-v6       | EINVAL  | tcp_offload: malformed address traddr=fe80::zz         | $FAB | $base,traddr=fe80::zz
v6-bad-scope       | EINVAL  | tcp_offload: malformed address traddr=fe80::1%nto-none | $FAB | $base,traddr=fe80::1%nto-none
port-not-a-number  | EINVAL  | tcp_offload: malformed address .*trsvcid=44x0          | $FAB | $addr,trsvcid=44x0
port-out-of-range  | EINVAL  | tcp_offload: malformed address .*trsvcid=70000         | $FAB | $addr,trsvcid=70000
bad-host-traddr    | EINVAL  | tcp_offload: malformed host_traddr=nohost              | $FAB | $addr,host_traddr=nohost
no-such-iface      | ENODEV  | tcp_offload: no such interface host_iface=nto-none0    | $FAB | $addr,host_iface=nto-none0
unreachable        | ENETUNREACH | tcp_offload: no offload device can reach 192\.0\.2\.1:4420 | $FAB | $base,traddr=192.0.2.1
# --- engine control (sysfs)
add-empty          | EINVAL  | qed_nvmetcp: add: expected one netdev name             | $SYS/add | \n
add-no-netdev      | ENODEV  | qed_nvmetcp: netdev nto-none0 not found                | $SYS/add | nto-none0
add-duplicate      | EEXIST  | qed_nvmetcp: engine soft-lo already exists             | $SYS/add | lo
add-overlong       | EINVAL  | qed_nvmetcp: add: expected one netdev name             | $SYS/add | $long
add-two-names      | EINVAL  | qed_nvmetcp: add: expected one netdev name             | $SYS/add | lo\nlo
remove-unknown     | ENOENT  | qed_nvmetcp: no engine named soft-nto                  | $SYS/remove | soft-nto
remove-empty       | EINVAL  | qed_nvmetcp: remove: expected one engine name          | $SYS/remove | \n
remove-overlong    | EINVAL  | qed_nvmetcp: remove: expected one engine name          | $SYS/remove | $long
# --- engine fault knobs (debugfs)
delay-not-number   | EINVAL  | -                                                      | $DBG/delay_ms | abc
delay-negative     | EINVAL  | -                                                      | $DBG/delay_ms | -1
delay-too-long     | EINVAL  | qed_nvmetcp: delay_ms 99999999999 out of range         | $DBG/delay_ms | 99999999999
fail-icreq-text    | EINVAL  | -                                                      | $DBG/fail_icreq | x
fail-icreq-neg     | EINVAL  | -                                                      | $DBG/fail_icreq | -1
fail-icreq-huge    | EINVAL  | qed_nvmetcp: fault count 4294967295 out of range       | $DBG/fail_icreq | 4294967295
corrupt-neg        | EINVAL  | -                                                      | $DBG/corrupt_ddgst | -3
stall-not-bool     | EINVAL  | -                                                      | $DBG/stall_sq | maybe
reset-not-number   | EINVAL  | -                                                      | $DBG/reset_conn | abc
reset-bad-handle   | EINVAL  | qed_nvmetcp: reset_conn: handle 99999 out of range     | $DBG/reset_conn | 99999
reset-no-conn      | ENOTCONN | qed_nvmetcp: reset_conn: no connected connection 3    | $DBG/reset_conn | 3
# --- qedn parameters (writable ones, and a read-only one)
timeout-not-number | EINVAL  | qedn: connect_timeout_ms: 'abc' is not a timeout       | $PARAM/connect_timeout_ms | abc
timeout-zero       | EINVAL  | qedn: connect_timeout_ms: '0' is not a timeout         | $PARAM/connect_timeout_ms | 0
timeout-negative   | EINVAL  | qedn: drain_timeout_ms: '-5' is not a timeout          | $PARAM/drain_timeout_ms | -5
timeout-huge       | EINVAL  | qedn: terminate_timeout_ms: '4294967296' is not a timeout | $PARAM/terminate_timeout_ms | 4294967296
read-only-param    | EACCES  | -                                                      | $PARAM/cq_depth | 8
EOF
}

rows=0
while IFS='|' read -r name errno re file data; do
	name=$(echo $name)
	[ -n "$name" ] && [[ $name != \#* ]] || continue
	errno=$(echo $errno)
	re=$(sed 's/^ *//; s/ *$//' <<<"$re")
	file=$(eval "echo $file")
	data=$(sed 's/^ *//; s/ *$//' <<<"$data")
	eval "data=\"$data\""
	printf -v data '%b' "$data"
	expect_reject "$name" "$errno" "$re" "$file" "$data"
	rows=$((rows + 1))
done <<<"$(table)"
t_pass "$rows bad configurations rejected"

state1=$(state)
slab1=$(slab_kb)
t_log "before: $state0"
t_log "after:  $state1"
t_log "slab before: ${slab0} kB after: ${slab1} kB"
t_assert test "$state0" = "$state1"
t_assert test $((slab1 - slab0)) -lt 1024
t_pass "nothing left behind: refcounts, controllers, engines, knobs, slab"

# Still usable, then everything unloads.
t_assert host_connect tcp_offload
t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
