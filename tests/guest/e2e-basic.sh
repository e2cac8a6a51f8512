#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 480
# description: end to end through qedn on a software engine over lo: connect
#   with nvme-cli (-t tcp_offload) to nvmet-tcp on brd, admin commands, a
#   pattern written and read back with dd and with nvme write/read, fio
#   randwrite 4k-1m with crc32c verify at QD32 (R2T path), written data sent
#   from the lent pages (engine counters), disconnect, unload, clean dmesg.

. "$(dirname "$0")/lib.sh"

require_fio

t_assert offload_stack_setup

t_cleanup host_disconnect
t0=$(date +%s.%N)
t_timed connect host_connect tcp_offload
t_pass "connected $HOST_CTRL -> $HOST_NS in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/transport")" = tcp_offload
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/state")" = live

t_assert nvme list
t_assert nvme id-ctrl "/dev/$HOST_CTRL"
t_assert nvme smart-log "/dev/$HOST_CTRL"

# A pattern through the block layer, both directions, past the 1 MiB max IO.
pat=$NTO_RESULTS/pattern
dd if=/dev/urandom of="$pat" bs=1M count=4 status=none
t_assert dd if="$pat" of="$HOST_NS" bs=1M oflag=direct status=none
t_assert dd if="$HOST_NS" of="$pat.back" bs=1M count=4 iflag=direct status=none
t_assert cmp "$pat" "$pat.back"

# The same through nvme-cli passthrough (I/O ioctl path, 32 KiB at LBA 8192).
lbs=$(blockdev --getss "$HOST_NS")
nlb=$((32768 / lbs - 1))
dd if=/dev/urandom of="$pat.small" bs=4096 count=8 status=none
t_assert nvme write "$HOST_NS" -s 8192 -c "$nlb" -z 32768 -d "$pat.small"
t_assert nvme read "$HOST_NS" -s 8192 -c "$nlb" -z 32768 -d "$pat.small.back"
t_assert cmp "$pat.small" "$pat.small.back"

t_timed fio fio --name=e2e --filename="$HOST_NS" --ioengine=libaio --direct=1 \
	--rw=randwrite --bsrange=4k-1m --size=32m --iodepth=32 \
	--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_dump=1 \
	--output="$NTO_RESULTS/fio.log"
sed -n '/write:/p; /read:/p; /err=/p' "$NTO_RESULTS/fio.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio.log"
t_pass "fio randwrite 4k-1m QD32 + crc32c verify"

# The engine sends written data from the pages themselves, lent to the
# socket as a NIC would DMA them: at least dd's 4 MiB and fio's 32 MiB.
# Only kernel buffers in slab memory are copied: each queue's Connect data.
lent=$(engine_conn_sum tx_lent)
copied=$(engine_conn_sum tx_copied)
t_log "engine sent $lent bytes of data lent, $copied copied"
t_assert test "$lent" -ge $((36 * 1048576))
t_assert test "$copied" -ge 1024
t_pass "written data sent without a copy"

t_timed disconnect host_disconnect
t_pass "disconnected"
t_assert unload_offload_modules
t_assert check_dmesg
