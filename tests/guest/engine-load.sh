#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 180
# description: qed_nvmetcp software engines: created at load from
#   soft_netdevs=lo, a missing or downed netdev or too many soft_vectors
#   is refused with a clear message, /sys/kernel/qed_nvmetcp/{add,remove}
#   work at runtime, an engine goes away with its netdev
#   (NETDEV_UNREGISTER), debugfs knobs exist, and the module unloads
#   without kernel warnings.

. "$(dirname "$0")/lib.sh"

KO=$NTO_BUILD/qed_nvmetcp.ko
[ -f "$KO" ] || t_skip "qed_nvmetcp not built for $NTO_KVER (run: make KVER=$NTO_KVER)"

SYS=/sys/kernel/qed_nvmetcp
DBG=/sys/kernel/debug/qed_nvmetcp

load() { load_offload_modules -m qed_nvmetcp "$@"; }
unload() { [ ! -d /sys/module/qed_nvmetcp ] || /sbin/rmmod qed_nvmetcp; }
has_engine() { grep -q "^$1 soft $2\$" "$SYS/engines"; }
no_engine() { ! grep -q "^$1 " "$SYS/engines"; }
dmesg_has() { dmesg | grep -qF -- "$1"; }
sysfs_write() { echo "$1" >"$2" 2>/dev/null; }

t_cleanup unload
t_cleanup ip link del nto-dummy0
t_cleanup ip link del nto-dummy1

# 1. soft_netdevs=lo at load
t_assert load qed_nvmetcp.soft_netdevs=lo
t_assert has_engine soft-lo lo
t_assert dmesg_has "qed_nvmetcp: soft engine soft-lo on lo"
t_assert dmesg_has "software engines only"
t_assert test -d "$DBG/soft-lo"
for f in null_mode delay_ms corrupt_ddgst fail_icreq stall_sq stall_rx no_poll_tx reset_conn conns; do
	t_assert test -e "$DBG/soft-lo/$f"
done
t_assert test -z "$(cat "$DBG/soft-lo/conns")"
t_assert unload

# 2. a netdev that does not exist, one that is down, too many vectors
t_assert_fails load qed_nvmetcp.soft_netdevs=nto-nosuch0
t_assert dmesg_has "qed_nvmetcp: netdev nto-nosuch0 not found"
t_assert_fails test -d /sys/module/qed_nvmetcp
if /sbin/modprobe dummy 2>/dev/null && ip link add nto-dummy0 type dummy; then
	t_assert_fails load qed_nvmetcp.soft_netdevs=lo,nto-dummy0
	t_assert dmesg_has "qed_nvmetcp: netdev nto-dummy0 is down"
	t_assert_fails test -d /sys/module/qed_nvmetcp
	have_dummy=1
else
	t_log "no dummy netdev support: down/unregister checks skipped"
	have_dummy=0
fi
t_assert_fails load qed_nvmetcp.soft_netdevs=lo qed_nvmetcp.soft_vectors=17
t_assert dmesg_has "qed_nvmetcp: soft_vectors=17: at most 16"
t_assert_fails test -d /sys/module/qed_nvmetcp

# 3. runtime add/remove
t_assert load
t_assert test -z "$(cat "$SYS/engines")"
t_assert sysfs_write lo "$SYS/add"
t_assert has_engine soft-lo lo
t_assert_fails sysfs_write lo "$SYS/add"
t_assert dmesg_has "engine soft-lo already exists"
t_assert_fails sysfs_write nto-nosuch1 "$SYS/add"
t_assert_fails sysfs_write "" "$SYS/add"
t_assert_fails sysfs_write nto-nosuch1 "$SYS/remove"
t_assert dmesg_has "no engine named nto-nosuch1"
t_assert sysfs_write soft-lo "$SYS/remove"
t_assert no_engine soft-lo
t_assert_fails test -d "$DBG/soft-lo"
t_assert sysfs_write lo "$SYS/add"
t_assert sysfs_write lo "$SYS/remove"
t_assert no_engine soft-lo
t_assert sysfs_write lo "$SYS/add"

# 4. the netdev goes away under an engine
if [ "$have_dummy" = 1 ]; then
	t_assert ip link add nto-dummy1 type dummy
	t_assert ip link set nto-dummy1 up
	t_assert sysfs_write nto-dummy1 "$SYS/add"
	t_assert has_engine soft-nto-dummy1 nto-dummy1
	t_assert ip link del nto-dummy1
	t_assert wait_for 10 no_engine soft-nto-dummy1
	t_assert dmesg_has "netdev of engine soft-nto-dummy1 unregistering"
	t_assert has_engine soft-lo lo
fi

# 5. unload with an engine present
t_assert unload
t_assert_fails test -d /sys/module/qed_nvmetcp
# Unloading must not look like lo going away; a refused duplicate must not
# have touched debugfs.
t_assert_fails dmesg_has "netdev of engine soft-lo unregistering"
t_assert_fails dmesg_has "debugfs: Directory"
t_assert check_dmesg
