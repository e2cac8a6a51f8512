#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The two upgrades a user's machine goes through, for real, with apt-get:
#   1. a package upgrade: the previous version of nvme-tcp-offload-dkms
#      (built here from this tree as VERSION~prev) is installed, then this
#      version over it: the old modules go, this version's are built for
#      every kernel that has headers;
#   2. a kernel upgrade: the newest kernel's headers package is absent while
#      the package is installed, then installed with apt-get: DKMS's kernel
#      hook (/etc/kernel/header_postinst.d/dkms) builds and installs the
#      modules for that kernel, nobody runs dkms by hand, and the build never
#      looks at the running kernel (this machine runs none of these).
# Then the VM smoke test boots the new kernel with what DKMS installed, and
# the package is purged.  The headers package is reinstalled in any case.
# This changes the machine (root only): "make check-packaging".
#
#   tests/packaging/kernel-upgrade.sh [--deb FILE] [NEW-KVER]
#
# NEW-KVER defaults to the newest non-rt kernel whose build tree comes from a
# linux-headers-NEW-KVER package.  Exit 0 pass, 1 fail, 77 skip.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/packaging/lib.sh"
deb=
new=
while [ $# -gt 0 ]; do
	case "$1" in
	--deb) deb=$2; shift 2 ;;
	*) new=$1; shift ;;
	esac
done
[ -n "$deb" ] || deb=$TOP/build/pkg/${PKG}_${PKG_VERSION}_all.deb

[ "$(id -u)" = 0 ] || { echo "skip: needs root (installs packages)"; exit 77; }
if [ -z "$new" ]; then
	new=$(distro_kernels | grep -v -- '-rt-' | tail -n 1)
fi
[ -n "$new" ] || { echo "skip: no kernel with headers from a linux-headers package"; exit 77; }
hdr_pkg=linux-headers-$new
dpkg-query -W -f='${Status}' "$hdr_pkg" 2>/dev/null | grep -q 'ok installed' ||
	{ echo "skip: $new's build tree does not come from an installed $hdr_pkg package"; exit 77; }
mapfile -t others < <(kernels_with_headers | grep -vx -- "$new")
[ ${#others[@]} -gt 0 ] || { echo "skip: needs a second kernel with headers besides $new"; exit 77; }
if [ ! -f "$deb" ]; then
	make -C "$TOP" -s deb || { echo "FAIL: make deb"; exit 1; }
fi
require_pristine

work=$(mktemp -d)
log=$work/log
hdr_removed=0
cleanup() {
	if pkg_known; then
		apt_q purge "$PKG" > /dev/null 2>&1
	fi
	if [ $hdr_removed = 1 ]; then
		apt_q install "${hdr_pkgs[@]}" > /dev/null 2>&1 || echo "WARNING: could not reinstall ${hdr_pkgs[*]}" >&2
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# The previous version: the last commit with a lower version everywhere it
# is kept (VERSION, dkms.conf, the changelog), built like "make deb" does.
prev=$PKG_VERSION~prev
src=$work/$PKG_NAME-$prev
git -C "$TOP" archive --prefix="$PKG_NAME-$prev/" HEAD | tar -C "$work" -xf - ||
	{ echo "FAIL: git archive HEAD (needs a git checkout)"; exit 1; }
echo "$prev" > "$src/VERSION"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$prev\"/" "$src/dkms.conf"
sed -i "1s/($PKG_VERSION)/($prev)/" "$src/debian/changelog"
if (cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b) > "$log" 2>&1; then
	ok "built ${PKG}_${prev}"
else
	echo "FAIL: dpkg-buildpackage of $prev:"
	tail -n 30 "$log"
	exit 1
fi
prev_deb=$(ls "$work"/${PKG}_${prev}_all.deb)

# 1. No headers for the new kernel yet.  apt also removes what depends on
# them (a linux-headers-* metapackage): all of it comes back in step 3.
mapfile -t hdr_pkgs < <(apt-get -s remove "$hdr_pkg" 2>/dev/null | awk '$1 == "Remv" { print $2 }')
[ ${#hdr_pkgs[@]} -gt 0 ] || hdr_pkgs=("$hdr_pkg")
if apt_q remove "$hdr_pkg" > "$log" 2>&1; then
	hdr_removed=1
	ok "removed ${hdr_pkgs[*]} (the kernel to come)"
else
	echo "FAIL: apt-get remove $hdr_pkg:"
	tail -n 20 "$log"
	exit 1
fi

# 2. The previous version, then this one over it.
apt_q install "$prev_deb" > "$log" 2>&1 || { fail "install $prev:"; tail -n 30 "$log"; }
for k in "${others[@]}"; do
	dkms status -m "$PKG_NAME" -v "$prev" -k "$k" 2>/dev/null | grep -q ': installed' ||
		fail "$prev not installed for $k"
done
ok "$prev installed for ${others[*]}"
# ("added" lines name no kernel.)
if dkms status -m "$PKG_NAME" -k "$new" 2>/dev/null | grep -qF ", $new,"; then
	fail "DKMS built for $new without its headers: $(dkms status -m "$PKG_NAME" -k "$new")"
fi

apt_q install "$deb" > "$log" 2>&1 || { fail "upgrade to $PKG_VERSION:"; tail -n 30 "$log"; }
for k in "${others[@]}"; do
	check_dkms_installed "$k"
done
if [ -n "$(dkms status -m "$PKG_NAME" -v "$prev" 2>/dev/null)" ] || [ -e "/usr/src/$PKG_NAME-$prev" ]; then
	fail "upgrade left $prev behind: $(dkms status -m "$PKG_NAME" -v "$prev") $(ls -d "/usr/src/$PKG_NAME-$prev" 2>/dev/null)"
else
	ok "upgrade from $prev: no trace of $prev in DKMS or /usr/src"
fi

# 3. The new kernel's headers arrive: DKMS's hook builds for it.
start=$(date +%s)
if apt_q install "${hdr_pkgs[@]}" > "$log" 2>&1; then
	hdr_removed=0
	ok "apt-get install ${hdr_pkgs[*]} ($(( $(date +%s) - start ))s)"
else
	fail "apt-get install $hdr_pkg:"
	tail -n 30 "$log"
fi
grep -iE 'dkms|Building|nvme-tcp-offload' "$log" | head -n 10 | sed 's/^/    /'
check_dkms_installed "$new"

# 4. Boot the new kernel with what DKMS installed.
vm_smoke "$new" "$log"

apt_q purge "$PKG" > "$log" 2>&1 && ok "apt-get purge" || { fail "apt-get purge:"; tail -n 20 "$log"; }
for k in "$new" "${others[@]}"; do
	ls /lib/modules/"$k"/updates/dkms/qedn.ko* > /dev/null 2>&1 && fail "$k: modules left after purge"
done

if [ $fails = 0 ]; then
	echo "kernel-upgrade: passed ($prev -> $PKG_VERSION; headers of $new installed last)"
	exit 0
fi
echo "kernel-upgrade: $fails failure(s)"
exit 1
