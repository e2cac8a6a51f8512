#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: debug-kernel
# timeout: 900
# description: on a kmemleak kernel (tools/debug-kernel), 100 connect/disconnect
#   cycles through tcp_offload leave no unreferenced object behind: two
#   kmemleak scans afterwards report nothing.  Skips on kernels without
#   kmemleak.

. "$(dirname "$0")/lib.sh"

CYCLES=${CYCLES:-100}
KMEMLEAK=/sys/kernel/debug/kmemleak

mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
[ -e "$KMEMLEAK" ] || t_skip "no $KMEMLEAK: kernel without CONFIG_DEBUG_KMEMLEAK"
# kmemleak turns itself off for good after an internal error.
cat "$KMEMLEAK" >/dev/null 2>&1 ||
	t_fail "kmemleak is disabled: $(dmesg | grep -m1 'kmemleak:.*disabled' || echo 'no reason logged')"

# kmemleak reports an object only when it has been unreferenced for 5 s
# (MSECS_MIN_AGE); scan twice, as Documentation/dev-tools/kmemleak.rst
# advises, so that pointers that were only in registers or on a stack during
# the first scan do not count.
kmemleak_scan() {
	sleep 6
	echo scan >"$KMEMLEAK" && echo scan >"$KMEMLEAK"
}

# Whatever boot left unreferenced is not ours: report it now, then mark it
# as seen.  The kernel log is checked first and then checkpointed, since the
# scan logs "suspected memory leaks" for those.
t_assert check_dmesg
t_assert kmemleak_scan
cp "$KMEMLEAK" "$NTO_RESULTS/kmemleak-boot"
before=$(grep -c '^unreferenced object' "$NTO_RESULTS/kmemleak-boot" || true)
t_log "kmemleak before the test: $before unreferenced objects from boot, cleared"
echo clear >"$KMEMLEAK"
dmesg_checkpoint "kmemleak baseline cleared"

t_assert offload_stack_setup 16
t_cleanup host_disconnect
for ((i = 1; i <= CYCLES; i++)); do
	host_connect tcp_offload >/dev/null || t_fail "connect in cycle $i"
	host_disconnect || t_fail "disconnect in cycle $i"
done
t_pass "$CYCLES connect/disconnect cycles"

# Scan with the modules still loaded, so that the backtraces name our
# functions.
t_assert kmemleak_scan
cp "$KMEMLEAK" "$NTO_RESULTS/kmemleak"
leaks=$(grep -c '^unreferenced object' "$NTO_RESULTS/kmemleak" || true)
if [ "$leaks" -ne 0 ]; then
	head -n 80 "$NTO_RESULTS/kmemleak"
	t_fail "kmemleak: $leaks unreferenced objects after $CYCLES cycles (all in kmemleak of the results)"
fi
t_pass "kmemleak: nothing unreferenced after $CYCLES cycles"

# And once more after unloading: memory our modules leak on exit.
t_assert host_disconnect
t_assert unload_offload_modules
t_assert kmemleak_scan
cp "$KMEMLEAK" "$NTO_RESULTS/kmemleak"
leaks=$(grep -c '^unreferenced object' "$NTO_RESULTS/kmemleak" || true)
if [ "$leaks" -ne 0 ]; then
	head -n 80 "$NTO_RESULTS/kmemleak"
	t_fail "kmemleak: $leaks unreferenced objects after unloading the modules"
fi
t_pass "kmemleak: nothing unreferenced after unloading the modules"

t_assert check_dmesg
