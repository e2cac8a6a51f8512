#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e, faults
# timeout: 480
# description: qedn with header and data digests (connected through
#   the project's tool, as nvme-cli drops the digest options for tcp_offload):
#   fio write+verify passes; digest errors injected by the engine on received
#   data make qedn fail those commands with a retryable Data Transfer Error
#   (as nvme-tcp does); nvme-core retries them, fio verify passes.

. "$(dirname "$0")/lib.sh"

require_fio

tool=$NTO_REPO/tools/nvme-tcp-offload/nvme-tcp-offload
[ -x "$tool" ] || t_skip "tool not built (make -C tools/nvme-tcp-offload)"

t_assert offload_stack_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
faults=/sys/kernel/debug/qed_nvmetcp/soft-lo
/sbin/modprobe nvme-fabrics

t_cleanup host_disconnect
HOST_CTRL=$("$tool" connect -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN" \
	--hdr-digest --data-digest --reconnect-delay 1 --ctrl-loss-tmo 60)
t_assert test -n "$HOST_CTRL"
t_assert wait_for 20 host_ns_dev "$T_NQN" 1
HOST_NS=$(host_ns_dev "$T_NQN" 1)
engine_conns
t_assert engine_digests_on

run_fio() {
	fio --name="$1" --filename="$HOST_NS" --ioengine=libaio --direct=1 \
		--rw=randwrite --bsrange=4k-1m --size=24m --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--output="$NTO_RESULTS/$1.log" || return 1
	sed -n '/err=/p' "$NTO_RESULTS/$1.log"
	grep -q 'err= 0' "$NTO_RESULTS/$1.log"
}
t_assert run_fio digests
t_pass "fio write+verify with header and data digests"

# Three received data PDUs fail their digest check during fio's read-back.
echo 3 >"$faults/corrupt_ddgst"
t_assert run_fio corrupt
t_assert test "$(cat "$faults/corrupt_ddgst")" = 0
qedn_retried() { dmesg | grep -q 'failing it for retry'; }
t_assert qedn_retried
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/state")" = live
t_pass "data digest errors: commands failed as data transfer errors and retried, verify passed"

t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
