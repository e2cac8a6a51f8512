#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: bench
# timeout: 900
# description: before/after of a code change in one boot: tcp_offload from
#   the builds in BENCH_AB_A and BENCH_AB_B alternately (bench/guest.sh
#   bench_ab), nvme-tcp as the yardstick; compare with
#   bench/report.py --ab.  Skips without the two build directories.

. "$(dirname "$0")/lib.sh"
. "$NTO_REPO/bench/guest.sh"

t_assert bench_ab
t_assert bench_disconnect
t_assert unload_offload_modules
t_assert target_teardown
t_assert check_dmesg
