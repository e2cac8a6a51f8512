#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 300
# description: native NVMe multipath over tcp_offload: two controllers to one
#   subsystem through two target ports share one namespace head; with one
#   port down, fio keeps verifying through the other path, and the lost path
#   comes back live when its port returns.

. "$(dirname "$0")/lib.sh"

require_fio
[ "$(cat /sys/module/nvme_core/parameters/multipath 2>/dev/null)" != N ] ||
	t_skip "native multipath disabled"

PORT2=$((T_PORT + 1))
state_of() { cat "/sys/class/nvme/$1/state" 2>/dev/null || echo gone; }
state_is() { [ "$(state_of "$1")" = "$2" ]; }
state_is_not() { [ "$(state_of "$1")" != "$2" ]; }

t_assert offload_stack_setup
t_assert target_setup brd "$PORT2"

t_cleanup host_disconnect
t_assert host_connect tcp_offload --reconnect-delay=1
ctrl1=$HOST_CTRL
t_assert /usr/sbin/nvme connect -t tcp_offload -a "$T_ADDR" -s "$PORT2" -n "$T_NQN" \
	--reconnect-delay=1
t_assert wait_for 10 test "$(host_ctrls | wc -l)" -eq 2
ctrl2=$(host_ctrls | grep -vx "$ctrl1")
t_assert test "$(cat "/sys/class/nvme/$ctrl1/subsysnqn")" = "$(cat "/sys/class/nvme/$ctrl2/subsysnqn")"
# one path device (nvmeXcYnZ) per controller under the shared head
path_count() { ls -d /sys/class/nvme/{"$ctrl1","$ctrl2"}/nvme*c*n1 2>/dev/null | wc -l || true; }
paths_ready() { [ "$(path_count)" -eq 2 ]; }
t_assert wait_for 10 paths_ready
t_log "$HOST_NS over $ctrl1 and $ctrl2: $(ls -d /sys/class/nvme/{"$ctrl1","$ctrl2"}/nvme*c*n1 | tr '\n' ' ')"

fio --name=mpath --filename="$HOST_NS" --ioengine=libaio --direct=1 \
	--rw=randwrite --bsrange=4k-256k --size=16m --iodepth=16 \
	--time_based=1 --runtime=12 --verify=crc32c --verify_backlog=32 \
	--verify_fatal=1 --output="$NTO_RESULTS/fio-mpath.log" &
fio_pid=$!
sleep 3
target_port_disable "$T_PORT"
t_assert wait_for 30 state_is_not "$ctrl1" live
t_assert state_is "$ctrl2" live
fio_rc=0
wait "$fio_pid" || fio_rc=$?
sed -n '/err=/p' "$NTO_RESULTS/fio-mpath.log"
t_assert test "$fio_rc" -eq 0
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-mpath.log"
t_pass "fio verified through $ctrl2 while $ctrl1 was $(state_of "$ctrl1")"

target_port_enable "$T_PORT"
t_assert wait_for 60 state_is "$ctrl1" live
t_pass "$ctrl1 back live"

t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
