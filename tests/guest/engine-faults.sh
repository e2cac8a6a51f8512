#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 420
# description: the software engine's data path and fault knobs through
#   qedn: a pattern written and read back over nvmet-tcp on brd; stall_sq,
#   stall_rx
#   holds I/O until released; delay_ms delays completions; null_mode
#   completes I/O without the target; reset_conn, fail_icreq and
#   dup_cccid produce their connection error events and the controller
#   recovers (dup_cccid under a verified fio); removing
#   the engine with live connections tears them down; unload is clean.

. "$(dirname "$0")/lib.sh"

DBG=/sys/kernel/debug/qed_nvmetcp/soft-lo
SYS=/sys/kernel/qed_nvmetcp

require_fio
t_assert offload_stack_setup
t_cleanup host_disconnect
t_assert host_connect tcp_offload

ctrl_live() { [ "$(cat "/sys/class/nvme/$HOST_CTRL/state")" = live ]; }
io_ok() { dd if="$HOST_NS" of=/dev/null bs=4k count=1 iflag=direct status=none; }
# The last connected connection is an I/O queue (the admin queue comes first).
io_handle() { awk '$2 == "connected" { h = $1 } END { if (h == "") exit 1; print h }' "$DBG/conns"; }
dmesg_count() { dmesg | grep -cF -- "$1" || true; }
# dmesg_grew MSG N: MSG appears in the kernel log more than N times.
dmesg_grew() { [ "$(dmesg_count "$1")" -gt "$2" ]; }

# Data path: both directions, verified.
pat=$NTO_RESULTS/pattern
dd if=/dev/urandom of="$pat" bs=1M count=4 status=none
t_assert dd if="$pat" of="$HOST_NS" bs=1M oflag=direct status=none
t_assert dd if="$HOST_NS" of="$pat.back" bs=1M count=4 iflag=direct status=none
t_assert cmp "$pat" "$pat.back"
t_assert dd if="$pat" of="$HOST_NS" bs=4k count=64 oflag=direct status=none
t_assert dd if="$HOST_NS" of="$pat.back" bs=4k count=64 iflag=direct status=none
head -c 262144 "$pat" >"$pat.256k"
t_assert cmp "$pat.back" "$pat.256k"
cat "$DBG/conns"

# stall_sq (no WQE consumed) and stall_rx (nothing received: no poll queue
# here): I/O waits while stalled and completes once released.
for knob in stall_sq stall_rx; do
	echo 1 >"$DBG/$knob"
	t_assert grep -qx 1 "$DBG/$knob"
	dd if="$HOST_NS" of=/dev/null bs=4k count=1 iflag=direct status=none &
	ddpid=$!
	sleep 2
	t_assert kill -0 "$ddpid"
	echo 0 >"$DBG/$knob"
	t_assert wait "$ddpid"
	t_pass "$knob holds and releases I/O"
done

# delay_ms: a single read takes at least the delay.
echo 300 >"$DBG/delay_ms"
t0=$(date +%s%N)
t_assert io_ok
ms=$((($(date +%s%N) - t0) / 1000000))
echo 0 >"$DBG/delay_ms"
t_assert test "$ms" -ge 300
t_pass "delay_ms=300: read took $ms ms"

# null_mode: writes complete without reaching the target.
dd if=/dev/urandom of="$pat.null" bs=64k count=1 status=none
echo 1 >"$DBG/null_mode"
t_assert dd if="$pat.null" of="$HOST_NS" bs=64k count=1 oflag=direct status=none
echo 0 >"$DBG/null_mode"
t_assert dd if="$HOST_NS" of="$pat.back1" bs=64k count=1 iflag=direct status=none
head -c 65536 "$pat" >"$pat.head"
t_assert cmp "$pat.back1" "$pat.head"
t_pass "null_mode write never reached the target"

# reset_conn: abort event, then the controller reconnects.
dmesg_checkpoint "engine-faults: reset_conn"
before=$(dmesg_count "connection reset")
t_assert io_handle
echo "$(io_handle)" >"$DBG/reset_conn"
t_assert wait_for 10 dmesg_grew "connection reset" "$before"
t_assert wait_for 60 ctrl_live
t_assert io_ok
t_pass "reset_conn: error event and recovery"

# fail_icreq: the reconnect's first ICReq fails, a later one succeeds.
before=$(dmesg_count "ICReq failed by fault injection")
echo 1 >"$DBG/fail_icreq"
echo "$(io_handle)" >"$DBG/reset_conn"
t_assert wait_for 30 dmesg_grew "ICReq failed by fault injection" "$before"
t_assert wait_for 90 ctrl_live
t_assert io_ok
t_pass "fail_icreq: connection error event and recovery"

# dup_cccid: a write that reuses the command id of one in flight is
# refused (the responses could not be told apart), the connection fails,
# the controller recovers, and fio's verify finds every write intact.
# stall_rx keeps the commands fio has sent in flight until one is reused
# (without it, on 6.1, the target answered each write before the next
# one started, and no id was ever in use to reuse).
before=$(dmesg_count "is already in flight")
fio_verify_bg dup 12
sleep 2
echo 1 >"$DBG/stall_rx"
echo 1 >"$DBG/dup_cccid"
dup_seen=0
wait_for 10 dmesg_grew "is already in flight" "$before" || dup_seen=$?
echo 0 >"$DBG/stall_rx"
t_assert test "$dup_seen" -eq 0
t_assert grep -qx 0 "$DBG/dup_cccid"
t_assert fio_wait_ok "$NTO_RESULTS/fio-dup.log"
t_assert wait_for 60 ctrl_live
t_assert io_ok
t_pass "dup_cccid: duplicate command id refused, recovered, writes verified"

# Remove the engine under live connections.
t_assert test -n "$(cat "$DBG/conns")"
echo soft-lo >"$SYS/remove"
t_assert test ! -d "$DBG"
t_log "controller state after engine removal: $(cat "/sys/class/nvme/$HOST_CTRL/state" 2>/dev/null || echo gone)"
host_disconnect || true
t_assert unload_offload_modules
t_assert check_dmesg
