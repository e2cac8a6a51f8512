#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 240
# description: connect time: `nvme connect` to the namespace's block device
#   through tcp_offload (qedn, software engine on lo) against nvme-tcp to
#   the same target in the same VM, three interleaved rounds each; the
#   tcp_offload median must stay within 1.3x nvme-tcp's + 0.1 s, and within
#   1 s whenever nvme-tcp itself connects in 0.7 s or less.
#
# Why not a plain "1 s": under TCG on the shared 2-core build machine guest
# time stretches with the host's load (docs/testing.md: an 8 s test took
# 85 s), and most of a connect is nvme-cli starting up, so on a loaded host
# nvme-tcp alone can need over a second.  Both transports measured
# interleaved in one VM see the same load, so the ratio is what tells a
# transport-side delay from a slow machine; the absolute 1 s of the
# acceptance list is enforced when the machine is fast enough to measure it
# (idle: 0.3-0.9 s for either transport).
#
# NTO_CT_DELAY_MS=N (tests only): the engine posts every completion N ms
# late, to show the test fails on a slow offload path (20 is enough).

. "$(dirname "$0")/lib.sh"

ROUNDS=3

t_assert offload_stack_setup
/sbin/modprobe nvme-fabrics
/sbin/modprobe nvme-tcp
if [ -n "${NTO_CT_DELAY_MS:-}" ]; then
	t_log "engine completions delayed by $NTO_CT_DELAY_MS ms"
	_put "$NTO_CT_DELAY_MS" /sys/kernel/debug/qed_nvmetcp/soft-lo/delay_ms
fi
t_cleanup host_disconnect

now() { date +%s.%N; }

# connect_time TRANSPORT: seconds from nvme connect to the namespace's block
# device, polled every 10 ms; the controller is deleted afterwards.
connect_time() {
	local tr=$1 t0 t1 i
	t0=$(now)
	/usr/sbin/nvme connect -t "$tr" -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN" >/dev/null ||
		return 1
	for ((i = 0; i < 2000; i++)); do
		_host_ns_ready "$T_NQN" 1 && break
		sleep 0.01
	done
	t1=$(now)
	_host_ns_ready "$T_NQN" 1 || return 1
	host_disconnect >/dev/null || return 1
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

off=()
tcp=()
for ((r = 1; r <= ROUNDS; r++)); do
	# tcp_offload first: it gets the coldest connect of the VM
	t=$(connect_time tcp_offload) || t_fail "tcp_offload connect $r failed"
	off+=("$t")
	t=$(connect_time tcp) || t_fail "tcp connect $r failed"
	tcp+=("$t")
	t_log "round $r: tcp_offload ${off[-1]} s, tcp ${tcp[-1]} s"
done
off_med=$(printf '%s\n' "${off[@]}" | median)
tcp_med=$(printf '%s\n' "${tcp[@]}" | median)
echo "connect-tcp_offload $off_med" >>"$NTO_RESULTS/timing"
echo "connect-tcp $tcp_med" >>"$NTO_RESULTS/timing"
t_log "median connect to namespace: tcp_offload $off_med s, tcp $tcp_med s"

awk -v o="$off_med" -v t="$tcp_med" 'BEGIN { exit !(o <= 1.3 * t + 0.1) }' ||
	t_fail "tcp_offload $off_med s is slower than 1.3 x tcp ($tcp_med s) + 0.1 s"
t_pass "tcp_offload $off_med s vs tcp $tcp_med s (within 1.3x + 0.1 s)"
if awk -v t="$tcp_med" 'BEGIN { exit !(t <= 0.7) }'; then
	awk -v o="$off_med" 'BEGIN { exit !(o <= 1.0) }' ||
		t_fail "tcp_offload $off_med s to the namespace, over 1 s"
	t_pass "tcp_offload namespace within 1 s ($off_med s)"
else
	t_log "nvme-tcp took $tcp_med s: machine too slow for the absolute 1 s check"
fi

t_assert unload_offload_modules
t_assert check_dmesg
