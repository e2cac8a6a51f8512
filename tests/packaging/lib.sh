# SPDX-License-Identifier: GPL-2.0
#
# Shared by the tests that install nvme-tcp-offload-dkms on this machine
# (dkms-roundtrip.sh, kernel-upgrade.sh).  Sourced; TOP must be set.

PKG_NAME=nvme-tcp-offload
PKG=$PKG_NAME-dkms
PKG_VERSION=$(cat "$TOP/VERSION")
PKG_MODULES=(qed_nvmetcp nvme_tcp_offload qedn)

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

apt_q() { DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@"; }

# pkg_known: dpkg knows the package in any state but "not installed".
pkg_known() {
	dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -qv 'not-installed'
}

# require_pristine: nothing of ours is installed or registered with DKMS;
# a test that started from such a state could not tell what it left behind.
require_pristine() {
	if pkg_known; then
		echo "FAIL: $PKG is already installed; remove it first: apt-get purge $PKG"
		exit 1
	fi
	if [ -n "$(dkms status -m "$PKG_NAME" 2>/dev/null)" ] || [ -e "/var/lib/dkms/$PKG_NAME" ]; then
		echo "FAIL: DKMS already knows $PKG_NAME; remove it first: dkms remove $PKG_NAME/<version> --all"
		exit 1
	fi
}

# kernel_signs_modules KVER: KVER's configuration has CONFIG_MODULE_SIG=y.
kernel_signs_modules() {
	grep -qx 'CONFIG_MODULE_SIG=y' "/lib/modules/$1/build/.config" 2>/dev/null
}

# kernels_with_headers: the installed kernels with a usable build tree
# (build/Makefile, not only a build symlink), oldest first: those DKMS builds for.
kernels_with_headers() {
	local b
	for b in /lib/modules/*/build; do
		[ -f "$b/Makefile" ] || continue
		b=${b%/build}
		echo "${b#/lib/modules/}"
	done | sort -V
}

# distro_kernels: the installed kernels whose build tree comes from an
# installed linux-headers-KVER package, oldest first.  Kernels built by hand
# (tools/debug-kernel's) have a build tree too, but no package to remove and
# reinstall and no /boot/vmlinuz.
distro_kernels() {
	local k
	for k in $(kernels_with_headers); do
		dpkg-query -W -f='${Status}' "linux-headers-$k" 2>/dev/null | grep -q 'ok installed' && echo "$k"
	done
	return 0
}

# check_dkms_installed KVER [VERSION]: DKMS reports VERSION installed for
# KVER, and the three modules are in updates/dkms with KVER's vermagic, in
# modules.dep, signed with DKMS's key (where KVER checks signatures), with
# qedn depending on the other two.
check_dkms_installed() {
	local k=$1 v=${2:-$PKG_VERSION} st m f vm signer deps make_log
	st=$(dkms status -m "$PKG_NAME" -v "$v" -k "$k" 2>/dev/null)
	if ! echo "$st" | grep -q ': installed'; then
		fail "dkms status for $k: '${st:-nothing}'"
		make_log=/var/lib/dkms/$PKG_NAME/$v/build/make.log
		if [ -f "$make_log" ] && grep -q "KVER=$k " "$make_log"; then
			tail -n 20 "$make_log" | sed 's/^/    /'
		fi
		return
	fi
	ok "dkms status $k: $st"
	for m in "${PKG_MODULES[@]}"; do
		f=$(ls /lib/modules/"$k"/updates/dkms/"$m".ko{,.xz,.zst,.gz} 2>/dev/null | head -n 1)
		if [ -z "$f" ]; then
			fail "$k: no /lib/modules/$k/updates/dkms/$m.ko*"
			continue
		fi
		vm=$(modinfo -F vermagic "$f" | awk '{print $1}')
		[ "$vm" = "$k" ] && ok "$f (vermagic $vm)" || fail "$f: vermagic '$vm', expected $k"
		grep -q "^updates/dkms/$m\.ko[^:]*:" "/lib/modules/$k/modules.dep" ||
			fail "$k: $m missing from modules.dep"
	done
	signer=$(modinfo -F signer "/lib/modules/$k/updates/dkms/qedn.ko"* 2>/dev/null)
	# DKMS signs only for kernels that check signatures (a self-built
	# test kernel such as tools/debug-kernel's may not).
	if kernel_signs_modules "$k"; then
		[ "$signer" = "DKMS module signing key" ] && ok "$k: signed by '$signer' (/var/lib/dkms/mok.pub)" ||
			fail "$k: qedn signer is '$signer', not DKMS's key"
	else
		[ -z "$signer" ] && ok "$k: CONFIG_MODULE_SIG is off, DKMS left qedn unsigned" ||
			fail "$k: CONFIG_MODULE_SIG is off, yet qedn is signed by '$signer'"
	fi
	deps=$(grep '^updates/dkms/qedn\.ko[^:]*:' "/lib/modules/$k/modules.dep" | cut -d: -f2)
	for m in qed_nvmetcp nvme_tcp_offload; do
		echo "$deps" | grep -q "updates/dkms/$m\.ko" || fail "$k: modules.dep: qedn does not depend on $m"
	done
}

# vm_smoke KVER LOG: boot KVER and run the guest smoke test on the modules
# DKMS installed.  NTO_PKG_VM=0 leaves it out.
vm_smoke() {
	local k=$1 log=$2
	[ "${NTO_PKG_VM:-1}" = 1 ] && [ -x "$TOP/tests/vm/run-test" ] || return 0
	[ -f "/boot/vmlinuz-$k" ] || { echo "note: no /boot/vmlinuz-$k, no VM check"; return 0; }
	flock /tmp/nto-vm.lock "$TOP/tests/vm/run-test" "$k" dkms-modprobe > "$log" 2>&1
	case $? in
	0) ok "VM $k: $(tail -n 1 "$log")" ;;
	77) echo "note: VM $k: $(tail -n 1 "$log")" ;;
	*) fail "VM $k: smoke test on the DKMS modules:"; tail -n 30 "$log" ;;
	esac
}
