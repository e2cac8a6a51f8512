#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: packaging
# timeout: 240
# description: the modules DKMS built from the installed nvme-tcp-offload-dkms
#   package resolve to updates/dkms, load by name with modprobe (qedn pulls
#   in the engine and the transport), serve a tcp_offload connection to
#   nvmet-tcp with a pattern written and read back (the smoke test, on the
#   packaged modules, not a build tree), and unload again.  Run by
#   tests/packaging/dkms-roundtrip.sh and kernel-upgrade.sh while the package
#   is installed.

. "$(dirname "$0")/lib.sh"

dkms_dir=/lib/modules/$NTO_KVER/updates/dkms
ls "$dkms_dir"/qedn.ko* >/dev/null 2>&1 ||
	t_skip "nvme-tcp-offload-dkms is not installed for $NTO_KVER"

# modprobe must pick DKMS's copy: not a build/ tree, not a "make install" one.
for m in "${NTO_MODULES[@]}"; do
	f=$(/sbin/modinfo -F filename "$m")
	[[ $f == "$dkms_dir/$m.ko"* ]] || t_fail "modprobe resolves $m to $f, not $dkms_dir"
done
t_pass "modinfo resolves ${NTO_MODULES[*]} to $dkms_dir"

loaded() { [ -d "/sys/module/$1" ]; }

t_cleanup /sbin/modprobe -r qedn qed_nvmetcp nvme_tcp_offload
t_cleanup target_teardown
# The engine's parameter first: qedn's softdep then finds it loaded.
t_assert /sbin/modprobe qed_nvmetcp soft_netdevs=lo
t_assert /sbin/modprobe qedn
for m in "${NTO_MODULES[@]}"; do
	t_assert loaded "$m"
done

T_BRD_MB=16
t_assert target_setup brd
t_cleanup host_disconnect
t_assert host_connect tcp_offload
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/transport")" = tcp_offload
pat=$NTO_RESULTS/pattern
dd if=/dev/urandom of="$pat" bs=1M count=2 status=none
t_assert dd if="$pat" of="$HOST_NS" bs=1M oflag=direct status=none
t_assert dd if="$HOST_NS" of="$pat.back" bs=1M count=2 iflag=direct status=none
t_assert cmp "$pat" "$pat.back"
t_assert host_disconnect
t_pass "tcp_offload through the packaged modules: 2 MiB written and read back"
t_assert /sbin/modprobe -r qedn qed_nvmetcp nvme_tcp_offload
for m in "${NTO_MODULES[@]}"; do
	t_assert_fails loaded "$m"
done
