#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 180
# description: the three project modules load in dependency order, show up in
#   lsmod with the expected users, and unload in reverse order, twice.
#
# Module parameters: run-test -e NTO_MODPARAMS="qed_nvmetcp.soft_netdevs=lo ...".

. "$(dirname "$0")/lib.sh"

require_offload_modules
read -r -a modparams <<<"${NTO_MODPARAMS:-}"

lsmod_has() { /sbin/lsmod | awk -v m="$1" '$1 == m { found = 1 } END { exit !found }'; }

# lsmod's "Used by" column of $1 must name $2.
used_by() { /sbin/lsmod | awk -v m="$1" -v u="$2" '$1 == m && index("," $4 ",", "," u ",") { found = 1 } END { exit !found }'; }

t_cleanup unload_offload_modules
for round in 1 2; do
	t_assert load_offload_modules ${modparams[@]+"${modparams[@]}"}
	for m in "${NTO_MODULES[@]}"; do
		t_assert lsmod_has "$m"
	done
	/sbin/lsmod | awk 'NR == 1 || /^(qed_nvmetcp|nvme_tcp_offload|qedn) /'
	t_assert used_by nvme_tcp_offload qedn
	t_assert used_by qed_nvmetcp qedn

	t_assert unload_offload_modules
	for m in "${NTO_MODULES[@]}"; do
		t_assert_fails lsmod_has "$m"
	done
	t_pass "load/unload round $round"
done
