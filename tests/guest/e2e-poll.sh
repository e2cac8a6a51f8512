#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 420
# description: qedn poll queues: connect with one default and one poll queue,
#   io_uring polled (hipri) fio write+verify passes with the engine's
#   rx_work stalled (stall_rx), so received by the poller itself; polled
#   read commands sent by the pollers (engine counter), several per socket
#   call when fio submits a batch, or by the tx_late fallback when pollers
#   may not send (no_poll_tx); a TCP reset of the poll queue's connection
#   during polled fio is recovered from; then 10 connect/disconnect cycles
#   leave no controller and the modules unload cleanly.

. "$(dirname "$0")/lib.sh"

require_fio
fio --enghelp 2>/dev/null | grep -q io_uring || t_skip "fio without io_uring"

t_assert offload_stack_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

t_cleanup host_disconnect
# Cleanups run after the modules are gone too: a knob that went with them
# needs no reset.
knob_off() {
	local f=/sys/kernel/debug/qed_nvmetcp/soft-lo/$1
	[ ! -e "$f" ] || echo 0 >"$f"
}
# The keep-alive outlasts the stall_rx below, which holds the admin queue's
# responses too.
t_assert host_connect tcp_offload --nr-io-queues=1 --nr-poll-queues=1 \
	--keep-alive-tmo=60
dmesg | grep 'default/read/poll' | tail -n 1
polled() { dmesg | grep 'default/read/poll' | tail -n 1 | grep -q '/1 default/read/poll'; }
t_assert polled
# The engine's work for the poll queue preempts the spinning pollers (high
# priority); the admin and default queues' work lets the submitter batch
# (normal priority).  Connections come up in queue order.
engine_conns
wq_order() { awk '{ for (i = 1; i < NF; i++) if ($i == "wq") printf "%s ", $(i + 1) }' \
	/sys/kernel/debug/qed_nvmetcp/soft-lo/conns; }
t_log "engine workqueues in queue order: $(wq_order)"
t_assert test "$(wq_order)" = "normal normal highpri "

# With the engine's rx_work stalled, only the pollers themselves
# (soft_poll_conn()) can receive the poll queue's PDUs.
echo 1 >/sys/kernel/debug/qed_nvmetcp/soft-lo/stall_rx
t_cleanup knob_off stall_rx
t_timed fio fio --name=poll --filename="$HOST_NS" --ioengine=io_uring --hipri \
	--direct=1 --rw=randwrite --bsrange=4k-256k --size=16m --iodepth=16 \
	--verify=crc32c --do_verify=1 --verify_fatal=1 \
	--output="$NTO_RESULTS/fio.log"
sed -n '/write:/p; /read:/p; /err=/p' "$NTO_RESULTS/fio.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio.log"
engine_conns
polled_bytes=$(engine_conn_sum rx_polled)
echo "bytes received by pollers: $polled_bytes"
echo 0 >/sys/kernel/debug/qed_nvmetcp/soft-lo/stall_rx
# The verify pass reads the 16 MiB back.
t_assert test "$polled_bytes" -ge $((16 * 1048576))
t_pass "io_uring polled write+verify on a poll queue, received by the poller"

# The pollers also send the poll queue's commands (soft_poll_tx()): a
# doorbell there only arms tx_work for 2 ms later, in case nobody polls.
# Reads are bare command PDUs, so nearly all go out from the pollers.
sent0=$(engine_conn_sum tx_polled)
t_timed fio-read fio --name=pollread --filename="$HOST_NS" --ioengine=io_uring \
	--hipri --direct=1 --rw=randread --bs=4k --size=4m --iodepth=8 \
	--norandommap --output="$NTO_RESULTS/fio-read.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-read.log"
sent=$(($(engine_conn_sum tx_polled) - sent0))
t_log "pollers sent $sent of 1024 polled read commands"
t_assert test "$sent" -ge 768
t_pass "polled read commands sent by the pollers"

# Batching: fio hands 8 reads to one io_uring_enter() before it polls, so
# the poller finds several commands queued and sends them side by side
# with one socket call per SOFT_POLL_TX_BATCH.  One call per PDU means the
# batching is gone.
sent0=$(engine_conn_sum tx_polled)
calls0=$(engine_conn_sum tx_poll_calls)
t_timed fio-batch fio --name=pollbatch --filename="$HOST_NS" \
	--ioengine=io_uring --hipri --direct=1 --rw=randread --bs=4k --size=4m \
	--iodepth=8 --iodepth_batch_submit=8 --iodepth_batch_complete_min=8 \
	--norandommap --output="$NTO_RESULTS/fio-batch.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-batch.log"
sent=$(($(engine_conn_sum tx_polled) - sent0))
calls=$(($(engine_conn_sum tx_poll_calls) - calls0))
t_log "batched submits: pollers sent $sent of 1024 reads in $calls socket calls"
t_assert test "$sent" -ge 768
t_assert test $((2 * calls)) -le "$sent"
t_pass "pollers send queued commands in batches"

# The fallback for nobody sending from a poller: with no_poll_tx the
# pollers still poll but send nothing, so every command must go out when
# its doorbell's tx_late fires.  If it never did, fio would hang: the
# timeout bounds it.
echo 1 >/sys/kernel/debug/qed_nvmetcp/soft-lo/no_poll_tx
t_cleanup knob_off no_poll_tx
sent0=$(engine_conn_sum tx_polled)
late0=$(engine_conn_sum tx_late)
t_timed fio-late timeout 120 fio --name=latesend --filename="$HOST_NS" \
	--ioengine=io_uring --hipri --direct=1 --rw=randread --bs=4k --size=1m \
	--iodepth=8 --norandommap --output="$NTO_RESULTS/fio-late.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-late.log"
sent=$(($(engine_conn_sum tx_polled) - sent0))
late=$(($(engine_conn_sum tx_late) - late0))
echo 0 >/sys/kernel/debug/qed_nvmetcp/soft-lo/no_poll_tx
t_log "no_poll_tx: pollers sent $sent, tx_late woke tx_work $late times for 256 reads"
t_assert test "$sent" -eq 0
t_assert test "$late" -ge 1
t_pass "polled reads nobody sends from a poller go out through tx_late"
t_assert host_disconnect

# A TCP reset of the poll queue's connection during polled I/O: whether
# the poller or rx_work sees it first, the engine reports it once, the
# controller recovers and the verify passes.
t_assert host_connect tcp_offload --nr-io-queues=1 --nr-poll-queues=1 \
	--reconnect-delay=1 --ctrl-loss-tmo=60
# Connections come up in queue order: the last one is the poll queue's.
poll_handle() { awk '$2 == "connected" { h = $1 } END { if (h == "") exit 1; print h }' \
	/sys/kernel/debug/qed_nvmetcp/soft-lo/conns; }
t_assert poll_handle
fio_verify_bg poll-reset 8 --ioengine=io_uring --hipri
sleep 2
h=$(poll_handle)
t_log "resetting the poll queue's connection $h"
echo "$h" >/sys/kernel/debug/qed_nvmetcp/soft-lo/reset_conn
reported() { dmesg | grep -q "qed_nvmetcp: soft-lo: conn $h: .* (event "; }
t_assert wait_for 10 reported
t_assert wait_bounded recover-poll-reset 30 host_ctrl_live
t_assert fio_wait_ok "$NTO_RESULTS/fio-poll-reset.log"
dmesg | grep "qed_nvmetcp: soft-lo: conn $h: " | tail -n 3
t_pass "TCP reset of the poll queue during polled fio: recovered, verify passed"
t_assert host_disconnect

for i in $(seq 10); do
	host_connect tcp_offload >/dev/null || t_fail "connect cycle $i"
	host_disconnect || t_fail "disconnect cycle $i"
done
t_pass "10 connect/disconnect cycles"
t_assert unload_offload_modules
t_assert check_dmesg
