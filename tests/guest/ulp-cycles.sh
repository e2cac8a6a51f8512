#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 900
# description: 100 connect/disconnect cycles through tcp_offload leave the
#   module reference counts where they started and the slab usage within
#   noise (2 MiB; not on KASAN kernels), with no controller left behind;
#   one live controller's slab stays within 1 MiB + 512 KiB per I/O queue.

. "$(dirname "$0")/lib.sh"

CYCLES=${CYCLES:-100}

t_assert offload_stack_setup 16

refcounts() {
	local m
	for m in "${NTO_MODULES[@]}"; do
		printf '%s=%s ' "$m" "$(cat "/sys/module/$m/refcnt")"
	done
}

# One cycle first, so caches that fill once are not counted as a leak.
t_cleanup host_disconnect
t_assert host_connect tcp_offload >/dev/null
t_assert host_disconnect
refs0=$(refcounts)
slab0=$(slab_kb)

for ((i = 1; i <= CYCLES; i++)); do
	host_connect tcp_offload >/dev/null || t_fail "connect in cycle $i"
	host_disconnect || t_fail "disconnect in cycle $i"
done

refs1=$(refcounts)
slab1=$(slab_kb)
t_log "refcounts before: $refs0 after: $refs1"
t_log "slab before: ${slab0} kB after: ${slab1} kB"
t_assert test "$refs0" = "$refs1"
t_assert test -z "$(host_ctrls "$T_NQN")"
t_pass "$CYCLES cycles: refcounts unchanged, no controller left"

# KASAN's quarantine holds freed objects back from the slab (up to 1/32 of
# RAM) and redzones grow every object, so on a KASAN kernel Slab says
# nothing about leaks or size; kmemleak-cycles is the leak check there.
if grep -qw kasan_quarantine_reduce /proc/kallsyms; then
	t_log "KASAN kernel: slab growth and size not bounded; kmemleak-cycles checks leaks"
else
	t_assert test $((slab1 - slab0)) -lt 2048
	t_pass "$CYCLES cycles: slab grew $((slab1 - slab0)) kB"

	# One live controller with the default queues (an I/O queue per CPU,
	# 128 deep).  qedn's per-task SG storage once made it 2.4 MiB plus
	# 1.7 MiB per I/O queue; with 16 inline entries it is about 0.7 + 0.2.
	slab_idle=$(slab_kb)
	t_assert host_connect tcp_offload >/dev/null
	slab_live=$(slab_kb)
	t_assert host_disconnect
	budget=$((1024 + 512 * $(nproc)))
	t_log "one live controller, $(nproc) I/O queues: slab $((slab_live - slab_idle)) kB (budget $budget kB)"
	t_assert test $((slab_live - slab_idle)) -lt "$budget"
	t_pass "one live controller within $budget kB of slab"
fi

t_assert unload_offload_modules
t_assert check_dmesg
