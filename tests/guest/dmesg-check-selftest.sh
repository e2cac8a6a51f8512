#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 120
# description: check_dmesg catches every class of kernel complaint it claims
#   to, ignores ordinary lines, and honours checkpoints.
#
# Each sample goes into the log through /dev/kmsg, must make check_dmesg fail,
# and is then put behind a checkpoint so the next sample is judged alone and
# the harness's own final check sees a clean log.

. "$(dirname "$0")/lib.sh"

t_assert check_dmesg

samples=(
	"WARNING: CPU: 1 PID: 42 at drivers/nvme/host/fake.c:1 nto_selftest+0x0/0x10"
	"BUG: kernel NULL pointer dereference, address: 0000000000000008"
	"kernel BUG at mm/usercopy.c:102!"
	"Oops: 0000 [#1] PREEMPT SMP NOPTI"
	"BUG: KASAN: slab-use-after-free in nto_selftest+0x0/0x10"
	"WARNING: possible circular locking dependency detected"
	"WARNING: inconsistent lock state"
	"INFO: task kworker/u4:1:42 blocked for more than 60 seconds."
	"watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [fio:42]"
	"refcount_t: underflow; use-after-free."
	"kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"
	"rcu: INFO: rcu_sched detected stalls on CPUs/tasks:"
)
for i in "${!samples[@]}"; do
	echo "<4>${samples[i]}" >/dev/kmsg
	t_assert_fails check_dmesg
	dmesg_checkpoint "after sample $i"
	t_assert check_dmesg
done

# Ordinary driver chatter must not trip the checker.
echo "<6>nvme nvme0: new ctrl: NQN \"nqn.2014-08.org.nvmexpress:nto-test\", addr 127.0.0.1:4420" >/dev/kmsg
echo "<6>nvme nvme0: Removing ctrl: NQN \"nqn.2014-08.org.nvmexpress:nto-test\"" >/dev/kmsg
# Nor the banners of a debug kernel, nor a command line naming debug options.
echo "<6>rcu: 	RCU lockdep checking is enabled." >/dev/kmsg
echo "<6>	RCU CPU stall warnings timeout set to 90 (rcu_cpu_stall_timeout)." >/dev/kmsg
echo "<5>Kernel command line: quiet rcupdate.rcu_cpu_stall_timeout=90 lockdep" >/dev/kmsg
t_assert check_dmesg

# NTO_DMESG_IGNORE excuses a known line, and only that line.
echo "<4>WARNING: nto selftest excused line" >/dev/kmsg
t_assert env NTO_DMESG_IGNORE='nto selftest excused' bash -c '. "$0" && check_dmesg' \
	"$NTO_REPO/tests/guest/lib.sh"
t_assert_fails check_dmesg
dmesg_checkpoint "end of selftest"
t_assert check_dmesg
