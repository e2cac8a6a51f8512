#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Debian package and check it without installing it: lintian
# (errors and warnings fail), one version everywhere, the control fields the
# build needs, the shipped source tree, the maintainer scripts, and that the
# generation step (BTF types + compat probes) runs from the shipped tree
# alone.
#
#   tests/packaging/check-deb.sh [--no-build]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
name=nvme-tcp-offload
pkg=$name-dkms
version=$(cat "$top/VERSION")
deb=$top/build/pkg/${pkg}_${version}_all.deb
changes=$top/build/pkg/${name}_${version}_$(dpkg --print-architecture).changes
src=usr/src/$name-$version

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

if [ "${1:-}" != --no-build ]; then
	rm -f "$deb" "$changes"
	make -C "$top" -s deb > /tmp/check-deb.$$.log 2>&1 || { tail -n 30 /tmp/check-deb.$$.log; rm -f /tmp/check-deb.$$.log; echo "FAIL: make deb"; exit 1; }
	rm -f /tmp/check-deb.$$.log
fi
[ -f "$deb" ] || { echo "FAIL: $deb not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# lintian --fail-on needs lintian >= 2.85 (Debian 11+).
if lintian --fail-on error,warning "$changes" > "$work/lintian"; then
	ok "lintian --fail-on error,warning: no errors, no warnings"; sed "s/^/    /" "$work/lintian"
else
	fail "lintian:"
	cat "$work/lintian"
fi

cl=$(cd "$top" && dpkg-parsechangelog -S Version)
dk=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
sp=$(rpmspec -q --srpm --qf '%{version}' "$top/rpm/$name.spec" 2>/dev/null || sed -n 's/^Version: *//p' "$top/rpm/$name.spec")
if [ "$cl" = "$version" ] && [ "$dk" = "$version" ] && [ "$sp" = "$version" ]; then
	ok "version $version in VERSION, debian/changelog, dkms.conf, rpm spec"
else
	fail "versions differ: VERSION=$version changelog=$cl dkms.conf=$dk spec=$sp"
fi

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Architecture)" = all ] && ok "Architecture: all" || fail "Architecture: $(field Architecture)"
for d in dkms python3 xz-utils zstd; do
	field Depends | tr ',' '\n' | grep -qE "^ *$d( |$)" || fail "Depends lacks $d: $(field Depends)"
done
field Recommends | grep -q 'linux-headers-amd64 | linux-headers-generic' || fail "Recommends lacks headers: $(field Recommends)"
field Recommends | grep -q 'nvme-cli' || fail "Recommends lacks nvme-cli"
grep -qx 'Testsuite: autopkgtest-pkg-dkms' "$top/debian/control" || fail "debian/control: no Testsuite: autopkgtest-pkg-dkms"
ok "control fields checked: Depends: $(field Depends)"

dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/DEBIAN"
for f in Makefile Kbuild VERSION dkms.conf src include compat mk tools/nvme-btf-types tools/btf tools/default-kver; do
	[ -e "$work/root/$src/$f" ] || fail "/$src/$f missing"
done
# unexpected DIR REGEX: the entries of DIR whose names REGEX does not match.
unexpected() {
	local f out=
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] || continue
		[[ ${f##*/} =~ ^($2)$ ]] || out="$out ${f##*/}"
	done
	echo "$out"
}
extra=$(unexpected "$work/root/$src" 'Makefile|Kbuild|VERSION|dkms\.conf|src|include|compat|mk|tools')
[ -z "$extra" ] || fail "/$src ships more than the build needs:$extra"
extra=$(unexpected "$work/root/$src/tools" 'nvme-btf-types|btf|default-kver')
[ -z "$extra" ] || fail "/$src/tools ships more than the build needs:$extra"
junk=$(cd "$work/root" && find . -name __pycache__ -o -name '*.pyc' -o -name '*.o' -o -name '*.ko' -o -name '*.cmd')
[ -z "$junk" ] || fail "build products in the package: $junk"
for f in tools/nvme-btf-types tools/default-kver compat/configure; do
	[ -x "$work/root/$src/$f" ] || fail "/$src/$f is not executable"
done
# A package built earlier (--no-build) must still match the working tree.
if [ "${1:-}" = --no-build ]; then
	for f in $(cd "$work/root/$src" && find src include compat -type f); do
		cmp -s "$work/root/$src/$f" "$top/$f" || fail "/$src/$f differs from the working tree (stale .deb?)"
	done
fi
conf=$work/root/usr/lib/modprobe.d/$name.conf
if grep -qx 'softdep qedn pre: qed_nvmetcp nvme_tcp_offload' "$conf" 2>/dev/null; then
	ok "/usr/lib/modprobe.d/$name.conf has the qedn softdep"
else
	fail "/usr/lib/modprobe.d/$name.conf missing or without the qedn softdep"
fi
ok "shipped tree: $(cd "$work/root/$src" && find . -type f | wc -l) files under /$src"

grep -q "/usr/lib/dkms/common.postinst" "$work/DEBIAN/postinst" &&
	grep -q "\$DKMS_POSTINST \$DKMS_NAME \$DKMS_VERSION" "$work/DEBIAN/postinst" &&
	grep -qx "DKMS_NAME=$name" "$work/DEBIAN/postinst" &&
	grep -qx "DKMS_VERSION=$version" "$work/DEBIAN/postinst" &&
	ok "postinst registers and builds $name/$version through DKMS" ||
	fail "postinst does not call DKMS for $name/$version"
grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$work/DEBIAN/prerm" &&
	grep -qx "DKMS_VERSION=$version" "$work/DEBIAN/prerm" &&
	ok "prerm removes $name/$version from every kernel" ||
	fail "prerm does not remove $name/$version"

# The userspace tool's package: the program, its man page, and it runs.
utils=$top/build/pkg/$name-utils_${version}_$(dpkg --print-architecture).deb
if [ -f "$utils" ]; then
	dpkg-deb -x "$utils" "$work/utils"
	tool=$work/utils/usr/sbin/$name
	[ -x "$tool" ] || fail "$name-utils: no /usr/sbin/$name"
	[ -f "$work/utils/usr/share/man/man8/$name.8.gz" ] || fail "$name-utils: no man page"
	if "$tool" --help 2>&1 | grep -q "^usage: $name"; then
		ok "$name-utils: /usr/sbin/$name runs ($(dpkg-deb -f "$utils" Architecture), Depends: $(dpkg-deb -f "$utils" Depends))"
	else
		fail "$name-utils: /usr/sbin/$name --help prints no usage"
	fi
else
	fail "$utils not built"
fi

# The generation step from the shipped tree alone catches a file the build
# needs but the package forgot, without root and without compiling modules.
kver=$(ls -d /lib/modules/*/build 2>/dev/null | sed 's|/lib/modules/||; s|/build$||' | sort -V | head -n 1)
if [ -n "$kver" ]; then
	cp -a "$work/root/$src" "$work/tree"
	if make -C "$work/tree" -s KVER="$kver" generated > "$work/gen.log" 2>&1; then
		ok "shipped tree generates headers for $kver"
	else
		fail "shipped tree cannot generate headers for $kver:"
		tail -n 20 "$work/gen.log"
	fi
else
	echo "note: no kernel build tree, generation step not tried"
fi

[ $fails = 0 ] && { echo "check-deb: passed"; exit 0; }
echo "check-deb: $fails failure(s)"
exit 1
