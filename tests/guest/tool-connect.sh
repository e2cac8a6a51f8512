#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 300
# description: the userspace tool against the real stack: connect with
#   header and data digests (which nvme-cli cannot ask for on tcp_offload),
#   data written and read back, list with counters, a refused connect shown
#   with the kernel's own message, discover and connect-all through
#   tcp_offload, disconnect.

. "$(dirname "$0")/lib.sh"

tool=$NTO_REPO/tools/nvme-tcp-offload/nvme-tcp-offload
[ -x "$tool" ] || t_skip "tool not built (make -C tools/nvme-tcp-offload)"

t_assert offload_stack_setup
/sbin/modprobe nvme-fabrics
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

t_cleanup host_disconnect
ctrl=$("$tool" connect -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN" --hdr-digest --data-digest)
t_assert test -n "$ctrl"
t_assert wait_for 20 _host_ns_ready "$T_NQN" 1
t_assert test "$(cat "/sys/class/nvme/$ctrl/transport")" = tcp_offload
t_pass "connected $ctrl with digests through the tool"

ns=$(host_ns_dev "$T_NQN" 1)
pattern=$NTO_RESULTS/pattern
head -c $((2 * 1024 * 1024)) /dev/urandom >"$pattern"
t_assert dd if="$pattern" of="$ns" bs=256k oflag=direct status=none
t_assert dd if="$ns" of="$pattern.back" bs=256k count=8 iflag=direct status=none
t_assert cmp "$pattern" "$pattern.back"
t_pass "2 MiB written and read back over a digest connection"

"$tool" list --counters >"$NTO_RESULTS/list.out"
cat "$NTO_RESULTS/list.out"
t_assert grep -q "^$ctrl .*tcp_offload .*live .*$T_NQN" "$NTO_RESULTS/list.out"

# Nothing listens on 4499: the tool must show the kernel's reason.
if "$tool" connect -a "$T_ADDR" -s 4499 -n "$T_NQN" 2>"$NTO_RESULTS/refused.err"; then
	t_fail "connect to a closed port succeeded"
fi
cat "$NTO_RESULTS/refused.err"
t_assert grep -q '^connect failed: ' "$NTO_RESULTS/refused.err"
t_assert grep -q '^  kernel: ' "$NTO_RESULTS/refused.err"
t_pass "refused connect reported with the kernel's message"

t_assert "$tool" disconnect "$ctrl"
t_assert wait_for 30 _host_no_ctrls "$T_NQN"

"$tool" discover -a "$T_ADDR" -s "$T_PORT" >"$NTO_RESULTS/discover.out"
cat "$NTO_RESULTS/discover.out"
t_assert grep -q "tcp  $T_ADDR:$T_PORT $T_NQN\$" "$NTO_RESULTS/discover.out"
t_assert "$tool" connect-all -a "$T_ADDR" -s "$T_PORT"
t_assert wait_for 20 _host_ns_ready "$T_NQN" 1
t_assert test "$(cat "/sys/class/nvme/$(host_ctrls "$T_NQN" | head -n 1)/transport")" = tcp_offload
t_pass "connect-all connected the subsystem through tcp_offload"

t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
