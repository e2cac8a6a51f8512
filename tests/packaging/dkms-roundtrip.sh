#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the built .deb with apt-get, check that DKMS built and installed
# the three modules for every kernel, then purge and check that nothing is
# left behind.  This changes the machine (root only): "make check-packaging".
#
#   tests/packaging/dkms-roundtrip.sh [--deb FILE] [KVER...]
#
# KVERs default to every installed kernel with a build tree.  While the
# package is installed, tests/guest/dkms-modprobe.sh loads the modules in a
# VM of each kernel (NTO_PKG_VM=0: not).  Exit 0 pass, 1 fail, 77 skip.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
top=$TOP
. "$TOP/tests/packaging/lib.sh"
name=$PKG_NAME
pkg=$PKG
version=$PKG_VERSION
deb=
kvers=()
while [ $# -gt 0 ]; do
	case "$1" in
	--deb) deb=$2; shift 2 ;;
	*) kvers+=("$1"); shift ;;
	esac
done
[ -n "$deb" ] || deb=$top/build/pkg/${pkg}_${version}_all.deb
if [ ${#kvers[@]} = 0 ]; then
	mapfile -t kvers < <(kernels_with_headers)
fi

[ "$(id -u)" = 0 ] || { echo "skip: needs root (installs and purges $pkg)"; exit 77; }
[ ${#kvers[@]} -gt 0 ] || { echo "skip: no kernel build trees in /lib/modules/*/build"; exit 77; }
if [ ! -f "$deb" ]; then
	make -C "$top" -s deb || { echo "FAIL: make deb"; exit 1; }
fi

# Anything already registered would be removed by the package's postinst and
# make the "left behind" check meaningless: refuse rather than destroy it.
require_pristine

# Everything the package may touch, by name (depmod rewrites modules.* in
# place, so their names are stable and their content is checked separately).
# DKMS's own signing key (mok.key/mok.pub), made on its first build, is
# DKMS state meant to outlive any one package.
snapshot() {
	find /lib/modules /usr/src /var/lib/dkms /usr/lib/modprobe.d /etc/modprobe.d \
		-xdev 2>/dev/null | grep -vx '/var/lib/dkms/mok\.\(key\|pub\)' | sort
}
before=$(mktemp)
after=$(mktemp)
log=$(mktemp)
installed=0
cleanup() {
	if [ $installed = 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$pkg" >/dev/null 2>&1
	fi
	rm -f "$before" "$after" "$log"
}
trap cleanup EXIT
snapshot > "$before"

echo "installing $deb for: ${kvers[*]}"
start=$(date +%s)
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" > "$log" 2>&1; then
	installed=1
	ok "apt-get install ($(( $(date +%s) - start ))s)"
else
	installed=1
	fail "apt-get install; output:"
	tail -n 40 "$log"
fi
grep -E '^(Building for|Module build|Error|.*BUILD_EXCLUSIVE)' "$log" | sed 's/^/    /'

for k in "${kvers[@]}"; do
	check_dkms_installed "$k"
done

if modprobe --showconfig 2>/dev/null | grep -qx 'softdep qedn pre: qed_nvmetcp nvme_tcp_offload'; then
	ok "modprobe sees the qedn softdep"
else
	fail "softdep qedn pre: qed_nvmetcp nvme_tcp_offload not in modprobe --showconfig"
fi

# Load what DKMS installed, by name, in a VM of each kernel (the guest sees
# this machine's /usr, so /lib/modules and /usr/lib/modprobe.d too).
# NTO_PKG_VM=0 leaves this out.
for k in "${kvers[@]}"; do
	vm_smoke "$k" "$log"
done

# An upgrade runs the old prerm (dkms remove --all) and the new postinst:
# every kernel must come back, not only the newest.
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$deb" > "$log" 2>&1; then
	for k in "${kvers[@]}"; do
		dkms status -m "$name" -v "$version" -k "$k" 2>/dev/null | grep -q ': installed' ||
			fail "after reinstall: $k not installed"
	done
	ok "reinstall (upgrade path): installed again for ${kvers[*]}"
else
	fail "apt-get install --reinstall:"
	tail -n 30 "$log"
fi

# The two ways a kernel gets no modules, as docs/install.md describes them:
# a configuration without a BUILD_EXCLUSIVE_CONFIG option is skipped (DKMS
# exit 77, with its reason), and missing headers are named by package.
fake=$(mktemp -d)
grep -v '^CONFIG_NVME_FABRICS=' "/lib/modules/${kvers[0]}/build/.config" > "$fake/.config"
dkms build "$name/$version" -k 0.0.0-nto-noconfig --kernelsourcedir "$fake" > "$log" 2>&1
rc=$?
if [ $rc = 77 ] && grep -q 'BUILD_EXCLUSIVE directive which does not match' "$log"; then
	ok "kernel without CONFIG_NVME_FABRICS: skipped (exit 77, BUILD_EXCLUSIVE reason)"
else
	fail "kernel without CONFIG_NVME_FABRICS: dkms exit $rc:"
	cat "$log"
fi
rm -rf "$fake"
dkms build "$name/$version" -k 0.0.0-nto-noheaders > "$log" 2>&1
if grep -q 'install the linux-headers-0.0.0-nto-noheaders package' "$log"; then
	ok "kernel without headers: dkms names linux-headers-0.0.0-nto-noheaders"
else
	fail "kernel without headers: unexpected dkms output:"
	cat "$log"
fi

echo "purging $pkg"
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$pkg" > "$log" 2>&1; then
	installed=0
	ok "apt-get purge"
else
	fail "apt-get purge; output:"
	tail -n 40 "$log"
fi
snapshot > "$after"
if diff -u "$before" "$after" > "$log"; then
	ok "no file left behind under /lib/modules /usr/src /var/lib/dkms /usr/lib/modprobe.d /etc/modprobe.d"
else
	fail "files differ after purge:"
	grep '^[-+]/' "$log" | head -n 40
fi
[ -z "$(dkms status -m "$name" 2>/dev/null)" ] || fail "dkms status still lists $name"
for k in "${kvers[@]}"; do
	for m in "${PKG_MODULES[@]}"; do
		grep -q "/$m\.ko" "/lib/modules/$k/modules.dep" && fail "$k: modules.dep still lists $m"
	done
done
pkg_known && fail "dpkg still knows $pkg (not purged)"

if [ $fails = 0 ]; then
	echo "dkms-roundtrip: passed for ${kvers[*]}"
	exit 0
fi
echo "dkms-roundtrip: $fails failure(s)"
exit 1
