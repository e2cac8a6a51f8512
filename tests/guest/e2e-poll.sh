#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 420
# description: qedn poll queues: connect with one default and one poll queue,
#   io_uring polled (hipri) fio write+verify passes; then 10 connect/
#   disconnect cycles leave no controller and the modules unload cleanly.

. "$(dirname "$0")/lib.sh"

require_fio
fio --enghelp 2>/dev/null | grep -q io_uring || t_skip "fio without io_uring"

t_assert offload_stack_setup

t_cleanup host_disconnect
t_assert host_connect tcp_offload --nr-io-queues=1 --nr-poll-queues=1
dmesg | grep 'default/read/poll' | tail -n 1
polled() { dmesg | grep 'default/read/poll' | tail -n 1 | grep -q '/1 default/read/poll'; }
t_assert polled

t_timed fio fio --name=poll --filename="$HOST_NS" --ioengine=io_uring --hipri \
	--direct=1 --rw=randwrite --bsrange=4k-256k --size=16m --iodepth=16 \
	--verify=crc32c --do_verify=1 --verify_fatal=1 \
	--output="$NTO_RESULTS/fio.log"
sed -n '/write:/p; /read:/p; /err=/p' "$NTO_RESULTS/fio.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio.log"
t_pass "io_uring polled write+verify on a poll queue"
# The pollers received themselves (soft_poll_conn()), not only rx_work:
# without soft_poll_conn() this stays 0.
engine_conns
polled_bytes=$(engine_conn_sum rx_polled)
echo "bytes received by pollers: $polled_bytes"
t_assert test "$polled_bytes" -gt 0
t_assert host_disconnect

for i in $(seq 10); do
	host_connect tcp_offload >/dev/null || t_fail "connect cycle $i"
	host_disconnect || t_fail "disconnect cycle $i"
done
t_pass "10 connect/disconnect cycles"
t_assert unload_offload_modules
t_assert check_dmesg
