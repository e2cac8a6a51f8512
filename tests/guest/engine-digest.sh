#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 300
# description: header and data digests on the software engine through
#   qedn: connect with hdr_digest,data_digest (written to /dev/nvme-fabrics,
#   since nvme-cli passes digests only for -t tcp), verified writes and reads
#   (in-capsule, R2T/H2CData, C2HData), then corrupt_ddgst makes one read
#   fail its digest, which qedn turns into a retried transfer error.

. "$(dirname "$0")/lib.sh"

DBG=/sys/kernel/debug/qed_nvmetcp/soft-lo

t_assert offload_stack_setup
t_assert /sbin/modprobe nvme-fabrics
t_cleanup host_disconnect

opts="nqn=$T_NQN,transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT,hdr_digest,data_digest"
t_log "connect: $opts"
t_assert sh -c "echo '$opts' >/dev/nvme-fabrics"
t_assert wait_for 20 _host_ns_ready "$T_NQN" 1
HOST_NS=$(host_ns_dev "$T_NQN" 1)
engine_conns
t_assert engine_digests_on

pat=$NTO_RESULTS/pattern
dd if=/dev/urandom of="$pat" bs=1M count=4 status=none
t_assert dd if="$pat" of="$HOST_NS" bs=1M oflag=direct status=none
t_assert dd if="$HOST_NS" of="$pat.back" bs=1M count=4 iflag=direct status=none
t_assert cmp "$pat" "$pat.back"
t_assert dd if="$pat" of="$HOST_NS" bs=4k count=32 oflag=direct status=none
t_assert dd if="$HOST_NS" of="$pat.back" bs=4k count=32 iflag=direct status=none
head -c 131072 "$pat" >"$pat.128k"
t_assert cmp "$pat.back" "$pat.128k"
# The written pages were lent to the socket, digested where they lie.
t_assert test "$(engine_conn_sum tx_lent)" -ge $((4 * 1048576 + 131072))
t_pass "digested data path verified"

before=$(dmesg | grep -c "data digest error" || true)
echo 1 >"$DBG/corrupt_ddgst"
t_assert dd if="$HOST_NS" of="$pat.back" bs=64k count=1 iflag=direct status=none
head -c 65536 "$pat" >"$pat.64k"
t_assert cmp "$pat.back" "$pat.64k"
t_assert test "$(cat "$DBG/corrupt_ddgst")" = 0
t_assert test "$(dmesg | grep -c "data digest error" || true)" -gt "$before"
t_pass "corrupt_ddgst: digest error reported, read retried and correct"

t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
