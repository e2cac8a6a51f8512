#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 420
# description: one short round of the benchmark harness (bench/guest.sh,
#   1 s per fio job, 1-controller batches, the perf profile) and
#   bench/report.py --check on its output: every workload has results for
#   both transports, the profile has its three reports per transport, the
#   summary JSON and the Markdown table are well formed.  Checks the
#   harness, never the performance.

. "$(dirname "$0")/lib.sh"
export ROUNDS=1 BENCH_RUNTIME=1 BENCH_RAMP=0 BENCH_NCTRL=1 T_BRD_MB_BENCH=32 BENCH_PERF=1
. "$NTO_REPO/bench/guest.sh"

t_assert bench_main
t_assert python3 "$NTO_REPO/bench/report.py" --check --no-plots \
	--out "$NTO_RESULTS/report" "$BENCH_OUT"
t_assert bench_disconnect
t_assert bench_null_timer_teardown
t_assert unload_offload_modules
t_assert target_teardown
t_assert check_dmesg
