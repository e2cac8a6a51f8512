#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 900
# description: 100 connect/disconnect cycles through tcp_offload leave the
#   module reference counts where they started and the slab usage within
#   noise (2 MiB; not on KASAN kernels), with no controller left behind.

. "$(dirname "$0")/lib.sh"

CYCLES=${CYCLES:-100}

t_assert offload_stack_setup 16

refcounts() {
	local m
	for m in "${NTO_MODULES[@]}"; do
		printf '%s=%s ' "$m" "$(cat "/sys/module/$m/refcnt")"
	done
}

slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/ { print $2 }' /proc/meminfo
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
# KASAN's quarantine holds freed objects back from the slab (up to 1/32 of
# RAM), so on a KASAN kernel Slab grows with every free and says nothing
# about leaks; kmemleak-cycles is the leak check there.
if grep -qw kasan_quarantine_reduce /proc/kallsyms; then
	t_log "KASAN kernel: slab growth not bounded (quarantine); kmemleak-cycles checks leaks"
else
	t_assert test $((slab1 - slab0)) -lt 2048
fi
t_pass "$CYCLES cycles: refcounts unchanged, slab grew $((slab1 - slab0)) kB"

t_assert unload_offload_modules
t_assert check_dmesg
