#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: bench
# timeout: 900
# description: the polled 4k QD32x2 latency tail, looked at closely:
#   io_uring --hipri random reads, 2 jobs of QD32, on a controller with one
#   poll queue, tcp_offload and nvme-tcp alternately (ROUNDS, default 2,
#   of BENCH_RUNTIME s, default 6), null_blk behind nvmet-tcp.  Per job:
#   percentiles, per-I/O latency logs and how long it completed nothing
#   (bench/poll_tail.py); the engine's poll-queue counters; which threads
#   used the CPU, and where.  A measurement, never an assertion.

. "$(dirname "$0")/lib.sh"

require_fio
require_offload_modules
fio --enghelp 2>/dev/null | grep -q io_uring || t_skip "fio without io_uring"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

t_cleanup target_teardown
t_cleanup unload_offload_modules
t_cleanup host_disconnect
t_assert target_setup null
t_assert load_offload_modules qed_nvmetcp.soft_netdevs=lo

rounds=${ROUNDS:-2}
runtime=${BENCH_RUNTIME:-6}
conns=/sys/kernel/debug/qed_nvmetcp/soft-lo/conns

# threads FILE: /proc/PID/task/TID/stat of every thread.
threads() {
	local f line
	for f in /proc/[0-9]*/task/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" && echo "$line"
	done >"$NTO_RESULTS/$1"
}

# run TAG: the workload on $HOST_NS; thread CPU over 3 s from 3 s in.
run() {
	local tag=$1
	local sampler
	( sleep 3; threads "$tag.threads0"; sleep 3; threads "$tag.threads1" ) &
	sampler=$!
	fio --name=polltail --filename="$HOST_NS" --ioengine=io_uring --hipri \
		--direct=1 --rw=randread --bs=4k --iodepth=32 --numjobs=2 \
		--norandommap --time_based --runtime="$runtime" --ramp_time=2 \
		--output-format=json --output="$NTO_RESULTS/$tag.json" \
		--write_lat_log="$NTO_RESULTS/$tag" --log_avg_msec=0 ||
		{ kill "$sampler" 2>/dev/null; return 1; }
	wait "$sampler"
	python3 "$NTO_REPO/bench/poll_tail.py" "$tag" "$NTO_RESULTS"
}

for r in $(seq "$rounds"); do
	t_assert host_connect tcp_offload --nr-io-queues=1 --nr-poll-queues=1
	grep highpri "$conns"
	t_assert run "offload$r"
	# The poll queue's connection is the one on the high-priority queue.
	grep highpri "$conns"
	t_assert host_disconnect
	t_assert host_connect tcp --nr-io-queues=1 --nr-poll-queues=1
	t_assert run "tcp$r"
	t_assert host_disconnect
done
t_pass "polled QD32x2 tail measured ($rounds rounds)"
