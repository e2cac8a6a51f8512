#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 600
# description: qedn error handling end to end: a TCP reset injected by the
#   engine and a 5 s target port outage, both during fio write+verify (the
#   controller recovers, fio passes), then removal of the engine under a
#   live controller (the controller is deleted, no hang, clean dmesg).
#   Also: a failed ICReq on reconnect and a stalled SQ (engine faults).

. "$(dirname "$0")/lib.sh"

require_fio

t_assert offload_stack_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
faults=/sys/kernel/debug/qed_nvmetcp/soft-lo

t_cleanup host_disconnect
t_assert host_connect tcp_offload --reconnect-delay=1 --ctrl-loss-tmo=60
ctrl_state() { cat "/sys/class/nvme/$HOST_CTRL/state"; }
ctrl_live() { [ "$(ctrl_state)" = live ]; }

# fio_bg NAME [FIO-ARGS...]: write+verify job in the background; FIO_PID is
# its pid.
fio_bg() {
	local name=$1
	shift
	fio --name="$name" --filename="$HOST_NS" --ioengine=libaio --direct=1 \
		--rw=randwrite --bsrange=4k-512k --size=48m --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--output="$NTO_RESULTS/$name.log" "$@" &
	FIO_PID=$!
}

# 1. The engine resets one live connection (an I/O queue when there is one).
fio_bg reset
sleep 2
handle=$(awk '$2 == "connected" { h = $1 } END { print h }' "$faults/conns")
t_assert test -n "$handle"
t_log "resetting engine connection $handle"
echo "$handle" >"$faults/reset_conn"
t_assert wait_for 60 ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/reset.log"
t_pass "TCP reset during fio: recovered, verify passed"

# 2. The target goes away for 5 s.
fio_bg outage
sleep 2
target_port_disable
t_log "target port down"
sleep 5
target_port_enable
t_log "target port up"
t_assert wait_for 60 ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/outage.log"
t_pass "5 s target outage during fio: reconnected, verify passed"

# 3. The next ICReq fails (engine fault) when a reset forces a reconnect:
#    that create_queue fails cleanly, a later attempt succeeds.
echo 1 >"$faults/fail_icreq"
handle=$(awk '$2 == "connected" { h = $1 } END { print h }' "$faults/conns")
echo "$handle" >"$faults/reset_conn"
icreq_used() { [ "$(cat "$faults/fail_icreq")" = 0 ]; }
t_assert wait_for 30 icreq_used
t_assert wait_for 60 ctrl_live
fio_bg icreq
t_assert fio_wait_ok "$NTO_RESULTS/icreq.log"
t_pass "failed ICReq on reconnect: clean failure, then reconnected"

# 4. The engine stops consuming SQs for 8 s: commands time out (5 s), the
#    ULP recovers (qedn's bounded drain), I/O resumes once the SQ moves.
echo 5 >/sys/module/nvme_core/parameters/io_timeout
t_cleanup sh -c 'echo 30 >/sys/module/nvme_core/parameters/io_timeout'
host_disconnect
t_assert host_connect tcp_offload --reconnect-delay=1 --ctrl-loss-tmo=60
# Rate-limited so that the job spans the stall (48 MiB at 4 MiB/s).
fio_bg stall --rate=4m,4m
sleep 2
echo 1 >"$faults/stall_sq"
t_log "SQ stalled"
sleep 8
echo 0 >"$faults/stall_sq"
t_log "SQ resumed"
t_assert wait_for 60 ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/stall.log"
t_pass "stalled SQ: timeouts, recovery, verify passed"

# 5. The engine disappears under a live controller.
dmesg_gone() { ! host_ctrls "$T_NQN" | grep -q .; }
t_assert test -w /sys/kernel/qed_nvmetcp/remove
echo soft-lo >/sys/kernel/qed_nvmetcp/remove
t_assert wait_for 30 dmesg_gone
t_pass "engine removed: controller deleted"

t_assert unload_offload_modules
t_assert check_dmesg
