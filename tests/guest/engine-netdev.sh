#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 360
# description: an engine on a real netdev (one end of a veth pair) reaching
#   nvmet-tcp in another network namespace only through VLAN 100: IPv4 and
#   IPv6 connects resolve the route and VLAN, the engine's sockets leave
#   through the VLAN device and fio verify passes; host_iface/host_traddr
#   that match are honoured, ones that do not are refused with a clear line;
#   then the veth is deleted under fio: the controller goes away, no hang,
#   the engine is removed, clean dmesg.

. "$(dirname "$0")/lib.sh"

require_fio
require_offload_modules

NS=nto-tgt
HV=nto-v0	# host side, the engine's netdev
TV=nto-v1	# target side, in $NS
VID=100
H4=10.100.0.1 T4=10.100.0.2 H6=fd00:100::1 T6=fd00:100::2
ENG=soft-$HV
FAULTS=/sys/kernel/debug/qed_nvmetcp/$ENG

net_teardown() {
	! ip link show "$HV" >/dev/null 2>&1 || ip link del "$HV"
	! ip netns list | grep -qw "$NS" || ip netns del "$NS"
}
t_cleanup net_teardown
t_cleanup target_teardown
t_cleanup unload_offload_modules

dmesg_has() { dmesg | grep -qF -- "$1"; }
ctrls_gone() { [ -z "$(host_ctrls "$T_NQN")" ]; }
fio_gone() { ! kill -0 "$FIO_PID" 2>/dev/null; }
engine_gone() { ! grep -q "^$ENG " /sys/kernel/qed_nvmetcp/engines; }
# eng_socks ADDR: the engine's sockets to ADDR ([...] for IPv6), as ss shows
# them ("addr%dev:port" when bound to a device).
eng_socks() { ss -Htn state established dst "$1"; }
# not_on DST SRC DEV: how many of them are not from SRC bound to DEV.
not_on() {
	eng_socks "$1" | awk -v a="$2" -v d="%$3:" 'index($3, a) == 0 || index($3, d) == 0' | wc -l
}

# 1. Network: the target is reachable only through VLAN $VID.
t_assert /sbin/modprobe veth
t_assert /sbin/modprobe 8021q
t_assert ip netns add "$NS"
t_assert ip link add "$HV" type veth peer name "$TV" netns "$NS"
t_assert ip link add link "$HV" name "$HV.$VID" type vlan id "$VID"
t_assert ip -n "$NS" link add link "$TV" name "$TV.$VID" type vlan id "$VID"
t_assert ip addr add "$H4/24" dev "$HV.$VID"
t_assert ip -n "$NS" addr add "$T4/24" dev "$TV.$VID"
t_assert ip addr add "$H6/64" dev "$HV.$VID" nodad
t_assert ip -n "$NS" addr add "$T6/64" dev "$TV.$VID" nodad
for l in "$HV" "$HV.$VID"; do t_assert ip link set "$l" up; done
for l in lo "$TV" "$TV.$VID"; do t_assert ip -n "$NS" link set "$l" up; done

# 2. Target: brd namespace; ports 4420 (IPv4) and 4421 (IPv6) listen in
#    $NS because nvmet-tcp creates its socket in the namespace of the task
#    that enables the port (nsenter keeps our configfs mount).
T_BRD_MB=64
t_assert /sbin/modprobe nvmet
t_assert /sbin/modprobe nvmet-tcp
sub=$NVMET_CFS/subsystems/$T_NQN
t_assert mkdir "$sub"
t_assert _put 1 "$sub/attr_allow_any_host"
dev=$(_target_brd) || t_fail "no brd device"
t_assert _target_ns "$T_NQN" 1 "$dev"
tgt_port() {
	local port=$1 fam=$2 addr=$3 p=$NVMET_CFS/ports/$1
	mkdir "$p" && _put tcp "$p/addr_trtype" && _put "$fam" "$p/addr_adrfam" &&
		_put "$addr" "$p/addr_traddr" && _put "$port" "$p/addr_trsvcid" &&
		nsenter --net="/run/netns/$NS" ln -s "$sub" "$p/subsystems/$T_NQN"
}
t_assert tgt_port 4420 ipv4 "$T4"
t_assert tgt_port 4421 ipv6 "$T6"
t_assert test "$(ip netns exec "$NS" ss -Hltn "sport = 4420" | wc -l)" = 1
t_assert test "$(ss -Hltn "sport = 4420" | wc -l)" = 0

# 3. Engine on the veth; qedn and the ULP.
t_assert load_offload_modules "qed_nvmetcp.soft_netdevs=$HV"
t_assert grep -q "^$ENG soft $HV\$" /sys/kernel/qed_nvmetcp/engines
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# fio_verify NAME: a short write+verify on $HOST_NS.
fio_verify() {
	fio --name="$1" --filename="$HOST_NS" --ioengine=libaio --direct=1 \
		--rw=randwrite --bsrange=4k-256k --size=16m --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--output="$NTO_RESULTS/$1.log" && grep -q 'err= 0' "$NTO_RESULTS/$1.log"
}

# 4. IPv4 through the VLAN: every engine socket is bound to $HV.$VID.
T_ADDR=$T4 T_PORT=4420
t_assert host_connect tcp_offload
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/transport")" = tcp_offload
eng_socks "$T4"
t_assert test "$(eng_socks "$T4" | wc -l)" -ge 2
t_assert test "$(not_on "$T4" "$H4" "$HV.$VID")" = 0
rx0=$(cat "/sys/class/net/$HV.$VID/statistics/rx_bytes")
t_assert fio_verify v4
rx1=$(cat "/sys/class/net/$HV.$VID/statistics/rx_bytes")
t_assert test $((rx1 - rx0)) -gt $((16 * 1024 * 1024))
t_assert host_disconnect
t_pass "IPv4 via VLAN $VID: sockets on $HV.$VID, fio verify passed"

# 5. IPv6 through the VLAN.
T_ADDR=$T6 T_PORT=4421
t_assert host_connect tcp_offload
eng_socks "[$T6]"
t_assert test "$(eng_socks "[$T6]" | wc -l)" -ge 2
t_assert test "$(not_on "[$T6]" "$H6" "$HV.$VID")" = 0
t_assert fio_verify v6
t_assert host_disconnect
t_pass "IPv6 via VLAN $VID: fio verify passed"

# 6. host_iface and host_traddr: matching ones are used, others refused.
T_ADDR=$T4 T_PORT=4420
t_assert host_connect tcp_offload --host-iface="$HV.$VID" --host-traddr="$H4"
t_assert test "$(eng_socks "$T4" | wc -l)" -ge 2
t_assert test "$(not_on "$T4" "$H4" "$HV.$VID")" = 0
t_assert host_disconnect
t_pass "matching host_iface and host_traddr honoured"
t_assert_fails nvme connect -t tcp_offload -a "$T4" -s 4420 -n "$T_NQN" --host-iface=lo
t_assert dmesg_has "qedn: $ENG: cannot reach $T4:4420 through $HV from host_iface lo"
t_assert_fails nvme connect -t tcp_offload -a "$T4" -s 4420 -n "$T_NQN" --host-traddr=127.0.0.1
t_assert dmesg_has "qedn: $ENG: cannot reach $T4:4420 through $HV from host_traddr 127.0.0.1"
t_assert ctrls_gone
t_pass "host_iface/host_traddr off the engine's netdev refused with a clear line"

# 7. The engine's netdev goes away under fio (NETDEV_UNREGISTER).  The
#    controller is deleted with its connections already dead: as with
#    nvme-tcp, the commands in flight and the shutdown property write end by
#    nvme-core's timeouts (default 30 s I/O, 60 s admin), so shorten them.
nvme_par=/sys/module/nvme_core/parameters
t_cleanup sh -c "echo 30 >$nvme_par/io_timeout; echo 60 >$nvme_par/admin_timeout"
echo 5 >"$nvme_par/io_timeout"
echo 5 >"$nvme_par/admin_timeout"
t_assert host_connect tcp_offload --ctrl-loss-tmo=5 --reconnect-delay=1
fio --name=gone --filename="$HOST_NS" --ioengine=libaio --direct=1 \
	--rw=randwrite --bs=64k --size=32m --iodepth=16 --loops=100 \
	--output="$NTO_RESULTS/gone.log" &
FIO_PID=$!
sleep 3
t_assert kill -0 "$FIO_PID"
t_assert test -n "$(cat "$FAULTS/conns")"
t0=$(date +%s)
t_assert ip link del "$HV"
t_assert wait_for 60 engine_gone
t_assert wait_for 60 ctrls_gone
t_log "engine and controller gone $(($(date +%s) - t0)) s after the veth"
t_assert test $(($(date +%s) - t0)) -le 30
t_assert wait_for 60 fio_gone
t_assert_fails wait "$FIO_PID"
t_assert dmesg_has "qed_nvmetcp: netdev of engine $ENG unregistering"
t_assert dmesg_has "qed_nvmetcp: engine $ENG removed"
t_pass "veth deleted under fio: controller and engine gone, no hang"

t_assert unload_offload_modules
t_assert check_dmesg
