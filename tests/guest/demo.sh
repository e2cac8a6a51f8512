#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: demo
# timeout: 300
# description: the README's demo: an in-kernel nvmet-tcp target on a RAM
#   disk, a software NVMeTCP engine on lo, qedn and the tcp_offload
#   transport; nvme-cli connects, data is written and verified, the
#   controller is listed with its counters, and everything is torn down.

. "$(dirname "$0")/lib.sh"

tool=$NTO_REPO/tools/nvme-tcp-offload/nvme-tcp-offload

say() { printf '\n=== %s\n' "$*"; }

say "target: nvmet-tcp on $T_ADDR:$T_PORT exporting a 64 MiB brd namespace;"
say "modules: qed_nvmetcp (software engine on lo), nvme_tcp_offload, qedn"
t_assert offload_stack_setup
ls /sys/kernel/qed_nvmetcp/engines

say "nvme connect -t tcp_offload -a $T_ADDR -s $T_PORT -n $T_NQN"
t_cleanup host_disconnect
t_assert host_connect tcp_offload
/usr/sbin/nvme list

say "write 8 MiB of random data through the offloaded path and read it back"
head -c $((8 * 1024 * 1024)) /dev/urandom >"$NTO_RESULTS/pattern"
t_assert dd if="$NTO_RESULTS/pattern" of="$HOST_NS" bs=1M oflag=direct status=none
t_assert dd if="$HOST_NS" of="$NTO_RESULTS/pattern.back" bs=1M count=8 iflag=direct status=none
t_assert cmp "$NTO_RESULTS/pattern" "$NTO_RESULTS/pattern.back"
echo "data verified"

if command -v fio >/dev/null; then
	say "fio: random writes 4k-1m at queue depth 32 with crc32c verify"
	t_assert fio --name=demo --filename="$HOST_NS" --ioengine=libaio --direct=1 \
		--rw=randwrite --bsrange=4k-1m --iodepth=32 --size=32m \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--output="$NTO_RESULTS/fio.log"
	grep -E 'err=|IOPS' "$NTO_RESULTS/fio.log"
fi

if [ -x "$tool" ]; then
	say "nvme-tcp-offload list --counters"
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	"$tool" list --counters
fi

say "disconnect and unload"
t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
t_pass "demo complete"
