#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: bench
# description: the benchmark behind "make bench" (bench/guest.sh): nvme-tcp
#   and tcp_offload side by side against one nvmet-tcp target, ROUNDS
#   rounds; raw results in $NTO_RESULTS/bench for bench/report.py.  No
#   timeout header: make bench sets NTO_VM_TIMEOUT from ROUNDS and runtime.

. "$(dirname "$0")/lib.sh"
. "$NTO_REPO/bench/guest.sh"

t_assert bench_main
t_assert bench_disconnect
t_assert bench_null_timer_teardown
t_assert unload_offload_modules
t_assert target_teardown
t_assert check_dmesg
