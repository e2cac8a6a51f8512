#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: packaging
# timeout: 180
# description: the modules DKMS built from the installed nvme-tcp-offload-dkms
#   package resolve to updates/dkms, load by name with modprobe (qedn pulls
#   in the engine and the transport) and unload again.  Run by
#   tests/packaging/dkms-roundtrip.sh while the package is installed.

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
t_assert /sbin/modprobe qedn
for m in "${NTO_MODULES[@]}"; do
	t_assert loaded "$m"
done
t_assert /sbin/modprobe -r qedn qed_nvmetcp nvme_tcp_offload
for m in "${NTO_MODULES[@]}"; do
	t_assert_fails loaded "$m"
done
