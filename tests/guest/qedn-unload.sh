#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 300
# description: unloading under live controllers: "rmmod qedn" during fio
#   deletes the controllers (fio ends with I/O errors, never hangs) and says
#   so in dmesg; then "rmmod qedn qed_nvmetcp" in one go under a new live
#   controller tears everything down; both leave a clean dmesg and allow a
#   reload that connects again.

. "$(dirname "$0")/lib.sh"

require_fio

t_assert offload_stack_setup
t_cleanup host_disconnect

ctrls_gone() { [ -z "$(host_ctrls "$T_NQN")" ]; }
fio_gone() { ! kill -0 "$FIO_PID" 2>/dev/null; }
unloaded() { [ ! -d "/sys/module/$1" ]; }
dmesg_has() { dmesg | grep -qF -- "$1"; }

# fio_bg NAME: a verify job that outlives the unload; FIO_PID is its pid.
fio_bg() {
	fio --name="$1" --filename="$HOST_NS" --ioengine=libaio --direct=1 \
		--rw=randwrite --bs=64k --size=48m --iodepth=16 --loops=100 \
		--verify=crc32c --do_verify=1 \
		--output="$NTO_RESULTS/$1.log" &
	FIO_PID=$!
}

# 1. rmmod qedn alone, with I/O in flight.
t_assert host_connect tcp_offload
fio_bg qedn
sleep 3
t_assert kill -0 "$FIO_PID"
t0=$(date +%s)
t_assert /sbin/rmmod qedn
t_log "rmmod qedn took $(($(date +%s) - t0)) s"
t_assert unloaded qedn
t_assert ctrls_gone
t_assert wait_for 60 fio_gone
# The namespace went away under fio: it must fail, not pass or hang.
t_assert_fails wait "$FIO_PID"
t_assert dmesg_has 'qedn: unloading: deleting the controllers'
t_pass "rmmod qedn under fio: controllers deleted, fio failed cleanly"

# 2. Back again, then both modules in one rmmod, with I/O in flight.
t_assert load_offload_modules -m qedn
t_assert host_connect tcp_offload
fio_bg both
sleep 3
t_assert kill -0 "$FIO_PID"
t_assert /sbin/rmmod qedn qed_nvmetcp
t_assert unloaded qed_nvmetcp
t_assert ctrls_gone
t_assert wait_for 60 fio_gone
t_assert_fails wait "$FIO_PID"
t_assert dmesg_has 'qed_nvmetcp: engine soft-lo removed'
t_pass "rmmod qedn qed_nvmetcp under fio: engine and controllers gone"

# 3. The stack still works after both unloads.
t_assert load_offload_modules -m qed_nvmetcp,qedn qed_nvmetcp.soft_netdevs=lo
t_assert host_connect tcp_offload
t_assert dd if=/dev/zero of="$HOST_NS" bs=1M count=4 oflag=direct status=none
t_assert host_disconnect
t_pass "reloaded and connected again"

t_assert unload_offload_modules
t_assert check_dmesg
