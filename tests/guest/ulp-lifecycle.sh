#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 600
# description: tcp_offload controller life cycle through qedn on a software
#   engine over lo: sysfs address, debugfs counters, duplicate connect
#   refused, namespace hot-add through AEN, target port down 5 s during fio
#   (connecting -> live, verify passes), fast_io_fail_tmo, offload device
#   removed under a live controller, connect/disconnect cycles leave module
#   references where they were.  nvme reset and ctrl_loss_tmo under I/O:
#   fault-ctrl.sh.

. "$(dirname "$0")/lib.sh"

require_fio

DBG=/sys/kernel/debug/nvme_tcp_offload

ctrl_state() { cat "/sys/class/nvme/$HOST_CTRL/state" 2>/dev/null || echo gone; }
state_is() { [ "$(ctrl_state)" = "$1" ]; }
state_is_not() { [ "$(ctrl_state)" != "$1" ]; }
no_ctrls() { [ -z "$(host_ctrls)" ]; }
stat_of() { awk -v k="$1:" '$1 == k { print $2 }' "$DBG/$HOST_CTRL/stats"; }

t_assert offload_stack_setup
qedn_ref0=$(cat /sys/module/qedn/refcnt)

# A discovery controller (admin queue only) through the offload transport.
/sbin/modprobe nvme-fabrics
discover() {
	/usr/sbin/nvme discover -t tcp_offload -a "$T_ADDR" -s "$T_PORT" \
		>"$NTO_RESULTS/discovery.log"
}
t_assert discover
cat "$NTO_RESULTS/discovery.log"
t_assert grep -q "subnqn: *$T_NQN" "$NTO_RESULTS/discovery.log"
t_assert test -z "$(ls /sys/class/nvme/)"
t_pass "discovery through tcp_offload"

t_cleanup host_disconnect
t_assert host_connect tcp_offload --reconnect-delay=1 --ctrl-loss-tmo=60
t_assert grep -q "traddr=$T_ADDR,trsvcid=$T_PORT" "/sys/class/nvme/$HOST_CTRL/address"
t_assert test -r "$DBG/$HOST_CTRL/stats"
cat "$DBG/$HOST_CTRL/stats" "$DBG/$HOST_CTRL/queues"
t_assert test "$(stat_of commands)" -gt 0
# qedn leaves ops->module NULL (its exit unregisters its devices, which
# deletes their controllers: qedn-unload), so a controller pins nothing
# of it, and no reference may leak either.
t_assert test "$(cat /sys/module/qedn/refcnt)" -eq "$qedn_ref0"

# A second connection to the same subsystem and address is refused (written
# to /dev/nvme-fabrics directly: nvme-cli may refuse it by itself).  Same
# host identity too, or it is another host's connection.
sysc=/sys/class/nvme/$HOST_CTRL
dup_opts="nqn=$T_NQN,transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT"
dup_opts+=",hostnqn=$(cat "$sysc/hostnqn"),hostid=$(cat "$sysc/hostid")"
dup=$(fabrics_write "$dup_opts")
t_assert test "$dup" = EALREADY
t_assert test "$(host_ctrls | wc -l)" -eq 1
t_pass "duplicate connect refused with EALREADY"

# A namespace added on the target appears through an async event.
null_dev=$(_target_null)
t_assert _target_ns "$T_NQN" 2 "$null_dev"
t_assert wait_for 20 host_ns_dev "$T_NQN" 2
t_pass "namespace 2 appeared without reconnect ($(host_ns_dev "$T_NQN" 2))"

# Target port gone for 5 s mid-fio: recovery, reconnect, I/O resumes.
rec0=$(stat_of recoveries)
fio_verify_bg outage 15
sleep 3
target_port_disable
t_assert wait_for 30 state_is_not live
t_log "port down: $HOST_CTRL is $(ctrl_state)"
sleep 5
target_port_enable
t_assert wait_for 60 state_is live
t_assert fio_wait_ok "$NTO_RESULTS/fio-outage.log"
t_assert test "$(stat_of recoveries)" -gt "$rec0"
cat "$DBG/$HOST_CTRL/stats"
t_pass "port outage of 5 s during fio: reconnected, verify passed"

# The target grants fewer, then more I/O queues on the next association:
# the block layer's queue map follows, I/O keeps verifying.
qid_max=$NVMET_CFS/subsystems/$T_NQN/attr_qid_max
io_queues_are() { state_is live && [ "$(stat_of io_queues)" = "$1" ]; }
requeue_with() {
	# 6.12 targets drop the association themselves, 6.1 ones need a reset
	_put "$1" "$qid_max" || return 1
	sleep 1
	state_is live && /usr/sbin/nvme reset "/dev/$HOST_CTRL" 2>/dev/null
	wait_for 60 io_queues_are "$2"
}
if [ -w "$qid_max" ]; then
	old_qid_max=$(cat "$qid_max")
	t_assert requeue_with 1 1
	fio_verify_bg shrink 3
	t_assert fio_wait_ok "$NTO_RESULTS/fio-shrink.log"
	t_assert requeue_with "$old_qid_max" 2
	fio_verify_bg grow 3
	t_assert fio_wait_ok "$NTO_RESULTS/fio-grow.log"
	t_pass "I/O queue count 2 -> 1 -> 2 across associations"
fi
t_assert host_disconnect

# fast_io_fail_tmo (nvme-cli 2.3 cannot pass it): queued I/O fails after 2 s
# while the controller keeps reconnecting, and it comes back live.
t_assert test "$(fabrics_write "nqn=$T_NQN,transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT,reconnect_delay=1,ctrl_loss_tmo=60,fast_io_fail_tmo=2")" = OK
t_assert wait_for 20 _host_ns_ready "$T_NQN" 1
HOST_CTRL=$(host_ctrls | head -n 1)
HOST_NS=$(host_ns_dev "$T_NQN" 1)
(while dd if="$HOST_NS" of=/dev/null bs=64k iflag=direct status=none; do :; done
 exit 1) 2>/dev/null &
dd_pid=$!
sleep 1
target_port_disable
t_assert wait_for 30 eval '! kill -0 $dd_pid 2>/dev/null'
t_assert state_is connecting
target_port_enable
t_assert wait_for 60 state_is live
t_assert host_disconnect
t_pass "fast_io_fail_tmo: I/O failed while reconnecting, controller came back"

# The device goes away under a live controller: the controller is deleted,
# its I/O fails, nothing hangs; a new device serves new controllers.
t_assert host_connect tcp_offload
(while dd if="$HOST_NS" of=/dev/null bs=64k iflag=direct status=none; do :; done
 exit 1) 2>/dev/null &
dd_pid=$!
sleep 1
t_assert _put soft-lo /sys/kernel/qed_nvmetcp/remove
t_assert no_ctrls
t_assert wait_for 20 eval '! kill -0 $dd_pid 2>/dev/null'
t_assert test "$(cat /sys/module/qedn/refcnt)" -eq "$qedn_ref0"
t_assert _put lo /sys/kernel/qed_nvmetcp/add
t_assert wait_for 10 grep -q soft-lo /sys/kernel/qed_nvmetcp/engines
t_assert host_connect tcp_offload
t_assert host_disconnect
t_pass "device removed under a live controller"

# Connect/disconnect cycles return every reference.
for i in $(seq 10); do
	host_connect tcp_offload >/dev/null || t_fail "connect cycle $i"
	host_disconnect || t_fail "disconnect cycle $i"
done
t_assert test "$(cat /sys/module/qedn/refcnt)" -eq "$qedn_ref0"
t_assert test -z "$(ls "$DBG")"
t_pass "10 connect/disconnect cycles"

t_assert unload_offload_modules
t_assert check_dmesg
