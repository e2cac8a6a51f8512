#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, faults
# timeout: 420
# description: controller-level faults through tcp_offload, each during
#   fio randwrite + crc32c verify with a bound on recovery: rmmod of the
#   engine and of the transport under load is refused (qedn depends on
#   them) and I/O goes on (rmmod qedn itself deletes its controllers:
#   qedn-unload); repeated nvme
#   reset races the I/O (verify passes); the target disables the namespace
#   and enables it again (I/O fails, nothing hangs, the namespace comes
#   back and verifies); nvme disconnect races the I/O (I/O fails, the
#   controller goes); the port goes away past ctrl_loss_tmo with I/O
#   outstanding (I/O fails, controller deleted).  No hung task, clean dmesg.

. "$(dirname "$0")/lib.sh"

require_fio

t_assert offload_stack_setup
t_assert hung_task_watch 30

no_ctrls() { [ -z "$(host_ctrls)" ]; }
fio_gone() { ! kill -0 "$FIO_PID" 2>/dev/null; }
# fio_wait_failed: the background fio ended with an error (its I/O failed).
fio_wait_failed() {
	local rc=0
	wait "$FIO_PID" || rc=$?
	[ $rc -ne 0 ]
}
connect() {
	host_connect tcp_offload --reconnect-delay=1 --ctrl-loss-tmo="${1:-60}"
}

t_cleanup host_disconnect
t_assert connect

# rmmod of the modules qedn depends on while fio runs: refused with a
# reason, I/O unharmed.
refs0=$(cat /sys/module/nvme_tcp_offload/refcnt)
fio_verify_bg rmmod 8
sleep 2
for m in nvme_tcp_offload qed_nvmetcp; do
	if out=$(/sbin/rmmod "$m" 2>&1); then
		t_fail "rmmod $m succeeded under load"
	fi
	t_log "rmmod $m: $out"
	[[ $out == *"in use"* ]] || t_fail "rmmod $m refused without saying why: $out"
	t_assert test -d "/sys/module/$m"
done
t_assert fio_wait_ok "$NTO_RESULTS/fio-rmmod.log"
t_assert test "$(cat /sys/module/nvme_tcp_offload/refcnt)" -eq "$refs0"
t_pass "rmmod of the engine and the transport under load refused (in use), verify passed"

# nvme reset, four times, 2 s apart, while fio writes and verifies.
fio_verify_bg reset 14
for i in 1 2 3 4; do
	sleep 2
	t_assert /usr/sbin/nvme reset "/dev/$HOST_CTRL"
	t_assert wait_bounded "recover-nvme-reset-$i" 30 host_ctrl_live
done
t_assert fio_wait_ok "$NTO_RESULTS/fio-reset.log"
t_pass "4 nvme resets during fio: live again each time, verify passed"

# The target disables the namespace, then enables it again.
ns_enable=$NVMET_CFS/subsystems/$T_NQN/namespaces/1/enable
ns_gone() { ! host_ns_dev "$T_NQN" 1 >/dev/null; }
fio_verify_bg nsdisable 60
sleep 2
t_assert _put 0 "$ns_enable"
t_log "namespace 1 disabled on the target"
t_assert wait_bounded fail-io-ns-disabled 30 fio_gone
t_assert fio_wait_failed
t_assert wait_bounded ns-removed 30 ns_gone
t_assert host_ctrl_live
t_assert _put 1 "$ns_enable"
t_assert wait_bounded ns-back 30 _host_ns_ready "$T_NQN" 1
HOST_NS=$(host_ns_dev "$T_NQN" 1)
fio_verify_bg nsback 5
t_assert fio_wait_ok "$NTO_RESULTS/fio-nsback.log"
t_pass "namespace disabled under fio (I/O failed), re-enabled ($HOST_NS), verify passed"

# nvme disconnect while fio writes, at three points in the job (counted
# from its first I/O command: on a loaded host fio may take seconds to
# start, and a disconnect before it opens the device tests nothing).  The
# ULP's per-queue counters, because 6.1 keeps no I/O statistics on the
# multipath node fio writes to.
io_cmds() {
	awk '$1 > 0 { n += $3 } END { print n + 0 }' \
		"/sys/kernel/debug/nvme_tcp_offload/$HOST_CTRL/queues" 2>/dev/null || echo 0
}
for d in 1 2 3; do
	c0=$(io_cmds)
	fio_verify_bg "disconnect-$d" 60
	t_assert wait_for 30 eval '[ "$(io_cmds)" -gt "$c0" ]'
	sleep "$d"
	t_assert /usr/sbin/nvme disconnect -d "$HOST_CTRL"
	t_assert wait_bounded "disconnect-$d" 30 no_ctrls
	t_assert wait_bounded "fail-io-disconnect-$d" 30 fio_gone
	t_assert fio_wait_failed
	t_assert connect
done
t_pass "nvme disconnect racing fio (3 times): controller gone, I/O failed, no hang"
t_assert host_disconnect

# Port gone past ctrl_loss_tmo with fio outstanding: the I/O fails, the
# controller is deleted, nothing hangs.
t_assert connect 3
fio_verify_bg ctrl-loss 60
sleep 2
target_port_disable
t_assert wait_bounded ctrl-loss-deleted 30 no_ctrls
t_assert wait_bounded fail-io-ctrl-loss 30 fio_gone
t_assert fio_wait_failed
t_log "fio: $(grep -m1 -E 'error|err=' "$NTO_RESULTS/fio-ctrl-loss.log" || true)"
target_port_enable
t_pass "ctrl_loss_tmo expired with fio outstanding: I/O failed, controller deleted"

t_assert test "$(cat /sys/module/qedn/refcnt)" -lt "$refs0"
t_assert unload_offload_modules
t_assert check_dmesg
