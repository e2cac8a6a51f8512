#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, faults
# timeout: 600
# description: 8 tcp_offload controllers (8 host identities, one
#   subsystem) connect, read and disconnect in parallel loops for
#   NTO_STRESS_SECONDS (default 60; make check-faults: 300) while a ninth
#   controller runs fio randwrite + crc32c verify on another subsystem:
#   every connect succeeds, verify passes, no controller or module
#   reference is left behind, no hung task, clean dmesg.

. "$(dirname "$0")/lib.sh"

require_fio

SECS=${NTO_STRESS_SECONDS:-60}
LOOPS=8
CHURN_NQN=$T_NQN-churn

t_assert offload_stack_setup
t_assert target_setup null "$T_PORT" "$CHURN_NQN"
t_assert hung_task_watch 30
/sbin/modprobe nvme-fabrics

refcounts() {
	local m
	for m in "${NTO_MODULES[@]}"; do
		printf '%s=%s ' "$m" "$(cat "/sys/module/$m/refcnt")"
	done
}
refs0=$(refcounts)

t_cleanup host_disconnect "$CHURN_NQN"
t_cleanup host_disconnect
t_assert host_connect tcp_offload --reconnect-delay=1 --ctrl-loss-tmo=60
fio_verify_bg stress "$SECS" --rate=2m,2m

# churn ID: connect as host ID, read 1 MiB, disconnect, until the time is
# up; print "cycles failures".
ctrl_of_host() {
	local c
	for c in /sys/class/nvme/nvme*; do
		[ "$(cat "$c/hostnqn" 2>/dev/null)" = "$1" ] &&
			[ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$CHURN_NQN" ] &&
			echo "${c##*/}"
	done
	return 0
}
churn() {
	local id=$1 end=$(($(date +%s) + SECS)) n=0 bad=0 ctrl dev rc
	local hostnqn=nqn.2014-08.org.nvmexpress:nto-churn-$id
	local hostid
	hostid=$(cat /proc/sys/kernel/random/uuid)
	while [ "$(date +%s)" -lt "$end" ]; do
		n=$((n + 1))
		# Straight to the kernel: nvme-cli 2.3 takes another host's
		# controller of the same subsystem for "already connected".
		rc=$(fabrics_write "nqn=$CHURN_NQN,transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT,hostnqn=$hostnqn,hostid=$hostid")
		if [ "$rc" != OK ]; then
			t_log "churn $id: connect $n failed: $rc" >&2
			bad=$((bad + 1))
			continue
		fi
		ctrl=$(ctrl_of_host "$hostnqn")
		if [ -z "$ctrl" ]; then
			t_log "churn $id: no controller after connect $n" >&2
			bad=$((bad + 1))
			continue
		fi
		# The namespace may be shared by other loops' paths; reading it
		# is best effort, deleting our controller must work.
		dev=$(host_ns_dev "$CHURN_NQN" 1 2>/dev/null) &&
			dd if="$dev" of=/dev/null bs=64k count=16 iflag=direct status=none 2>/dev/null || true
		echo 1 >"/sys/class/nvme/$ctrl/delete_controller" 2>/dev/null || true
		wait_for 30 test ! -e "/sys/class/nvme/$ctrl" || {
			t_log "churn $id: $ctrl not deleted after 30 s" >&2
			bad=$((bad + 1))
		}
	done
	echo "$n $bad"
}

pids=()
for i in $(seq $LOOPS); do
	churn "$i" >"$NTO_RESULTS/churn-$i.out" &
	pids+=($!)
done
t_log "$LOOPS connect/disconnect loops for $SECS s"
for p in "${pids[@]}"; do
	wait "$p" || t_fail "a churn loop failed"
done
total=0 failed=0
for i in $(seq $LOOPS); do
	read -r n bad <"$NTO_RESULTS/churn-$i.out"
	t_log "loop $i: $n cycles, $bad failed"
	total=$((total + n))
	failed=$((failed + bad))
done
echo "churn-cycles $total" >>"$NTO_RESULTS/timing"
t_assert test "$failed" -eq 0
t_assert test "$total" -ge $LOOPS
t_pass "$LOOPS loops, $total connect/disconnect cycles, none failed"

t_assert fio_wait_ok "$NTO_RESULTS/fio-stress.log"
t_pass "fio verify passed on the steady controller during the churn"

no_churn() { [ -z "$(host_ctrls "$CHURN_NQN")" ]; }
t_assert wait_for 30 no_churn
t_assert host_disconnect
t_assert test "$(refcounts)" = "$refs0"
t_pass "module references back to $refs0"
t_assert unload_offload_modules
t_assert check_dmesg
