#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e, faults
# timeout: 420
# description: qedn error recovery end to end, each fault during fio
#   randwrite + crc32c verify and each recovery within a bound: a TCP reset
#   injected by the engine; a 5 s target port outage; a failed ICReq on the
#   reconnect; an 8 s stalled SQ (commands time out, qedn drains); CQEs
#   delayed past the I/O timeout (timeout path, late completions of
#   aborted commands dropped); then removal of the engine under a live
#   controller (the controller is deleted).  No hung task, clean dmesg.

. "$(dirname "$0")/lib.sh"

require_fio

t_assert offload_stack_setup
t_assert hung_task_watch 30
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
faults=/sys/kernel/debug/qed_nvmetcp/soft-lo
io_timeout=/sys/module/nvme_core/parameters/io_timeout

t_cleanup host_disconnect
t_assert host_connect tcp_offload --reconnect-delay=1 --ctrl-loss-tmo=60
not_live() { ! host_ctrl_live; }
# The last connected connection is an I/O queue (the admin queue comes first).
io_handle() { awk '$2 == "connected" { h = $1 } END { if (h == "") exit 1; print h }' "$faults/conns"; }

# 1. The engine resets one live connection.
fio_verify_bg reset 8
sleep 2
t_assert io_handle
t_log "resetting engine connection $(io_handle)"
echo "$(io_handle)" >"$faults/reset_conn"
t_assert wait_bounded recover-reset 30 host_ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/fio-reset.log"
t_pass "TCP reset during fio: recovered, verify passed"

# 2. The target goes away for 5 s.
fio_verify_bg outage 12
sleep 2
target_port_disable
t_assert wait_for 30 not_live
t_log "target port down: $HOST_CTRL is $(host_ctrl_state)"
sleep 5
target_port_enable
t_assert wait_bounded recover-outage 30 host_ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/fio-outage.log"
t_pass "5 s target outage during fio: reconnected, verify passed"

# 3. The next ICReq fails (engine fault) when a reset forces a reconnect:
#    that attempt fails cleanly, a later one succeeds.
fio_verify_bg icreq 8
sleep 2
echo 1 >"$faults/fail_icreq"
echo "$(io_handle)" >"$faults/reset_conn"
icreq_used() { [ "$(cat "$faults/fail_icreq")" = 0 ]; }
t_assert wait_for 30 icreq_used
t_assert wait_bounded recover-icreq 30 host_ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/fio-icreq.log"
t_pass "failed ICReq on reconnect: clean failure, then reconnected"

# 4. The engine stops consuming SQs for 8 s: commands time out (5 s), the
#    ULP recovers (qedn's bounded drain), I/O resumes once the SQ moves.
echo 5 >"$io_timeout"
t_cleanup sh -c "echo 30 >$io_timeout"
# Rate-limited so that the job spans the stall.
fio_verify_bg stall 16 --rate=4m,4m
sleep 2
echo 1 >"$faults/stall_sq"
t_log "SQ stalled"
sleep 8
echo 0 >"$faults/stall_sq"
t_log "SQ resumed"
t_assert wait_bounded recover-stall 30 host_ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/fio-stall.log"
t_pass "stalled SQ: timeouts, recovery, verify passed"

# 5. Every CQE comes 8 s late, past the 5 s I/O timeout: the timeout
#    handler aborts the commands and recovers the controller, the I/O is
#    retried; late CQEs of aborted commands must be dropped, not completed.
timeouts0=$(dmesg | grep -c 'timeout$' || true)
timed_out() { [ "$(dmesg | grep -c 'timeout$' || true)" -gt "$timeouts0" ]; }
fio_verify_bg delay 20 --rate=4m,4m
sleep 2
echo 8000 >"$faults/delay_ms"
t_log "CQEs delayed 8 s"
t_assert wait_bounded detect-timeout 20 timed_out
t_assert wait_for 20 not_live
echo 0 >"$faults/delay_ms"
t_log "CQE delay off"
t_assert wait_bounded recover-timeout 60 host_ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/fio-delay.log"
t_pass "CQEs past the I/O timeout: aborted, recovered, verify passed"

# 6. The engine disappears under a live controller.
no_ctrls() { [ -z "$(host_ctrls "$T_NQN")" ]; }
t_assert test -w /sys/kernel/qed_nvmetcp/remove
echo soft-lo >/sys/kernel/qed_nvmetcp/remove
t_assert wait_bounded engine-removed 30 no_ctrls
t_pass "engine removed: controller deleted"

t_assert unload_offload_modules
t_assert check_dmesg
