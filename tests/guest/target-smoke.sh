#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 300
# description: baseline without project modules - in-kernel nvmet-tcp target
#   on brd, in-kernel nvme-tcp host over loopback, fio write+verify, teardown.

. "$(dirname "$0")/lib.sh"

t_cleanup target_teardown
target_setup brd
t_pass "nvmet-tcp target on brd at $T_ADDR:$T_PORT"

t_timed connect host_connect tcp
t_pass "nvme-tcp connected: $HOST_CTRL -> $HOST_NS"
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/state")" = live

# Random writes of mixed sizes, then every block read back and checked.
t_timed fio fio --name=smoke --filename="$HOST_NS" --ioengine=libaio --direct=1 \
	--rw=randwrite --bsrange=4k-256k --size=16m --iodepth=16 \
	--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_dump=1 \
	--output="$NTO_RESULTS/fio.log"
sed -n '/write:/p; /read:/p; /err=/p' "$NTO_RESULTS/fio.log"
t_pass "fio randwrite + crc32c verify on $HOST_NS"

t_timed disconnect host_disconnect
t_pass "disconnected"
t_assert target_teardown
