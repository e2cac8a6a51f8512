#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the RPMs with rpmbuild (works on Debian) and check them without
# installing: rpmlint when present, Requires, the file list against the
# .deb's, and the scriptlets, both by reading them and by running them
# against a stand-in dkms that records its calls.
#
#   tests/packaging/check-rpm.sh [--no-build]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
name=nvme-tcp-offload
version=$(cat "$top/VERSION")
spec=$top/rpm/$name.spec
rpmtop=$top/build/rpm
deb=$top/build/pkg/$name-dkms_${version}_all.deb

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

command -v rpmbuild >/dev/null || { echo "skip: rpmbuild not installed (apt-get install rpm)"; exit 77; }
if [ "${1:-}" != --no-build ]; then
	make -C "$top" -s rpm > /tmp/check-rpm.$$.log 2>&1 || { tail -n 30 /tmp/check-rpm.$$.log; rm -f /tmp/check-rpm.$$.log; echo "FAIL: make rpm"; exit 1; }
	rm -f /tmp/check-rpm.$$.log
fi
rpm=$(ls "$rpmtop"/RPMS/noarch/$name-dkms-"$version"-*.noarch.rpm 2>/dev/null | head -n 1)
srpm=$(ls "$rpmtop"/SRPMS/$name-"$version"-*.src.rpm 2>/dev/null | head -n 1)
[ -n "$rpm" ] && [ -n "$srpm" ] || { echo "FAIL: no RPMs under $rpmtop"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rpmspec -P "$spec" > /dev/null && ok "rpmspec -P parses the spec" || fail "rpmspec -P"
if command -v rpmlint >/dev/null; then
	if rpmlint -r "$top/rpm/$name.rpmlintrc" "$spec" "$rpm" "$srpm" > "$work/rpmlint" 2>&1; then
		ok "rpmlint: $(tail -n 1 "$work/rpmlint" | sed 's/^ *//')"
	else
		fail "rpmlint:"
		grep -E ': [EW]: ' "$work/rpmlint"
	fi
else
	echo "note: rpmlint not installed (Debian 12: apt-get install rpmlint); checked with rpmspec -P and rpmbuild only"
fi

req=$(rpm -qp --requires "$rpm" 2>/dev/null)
for r in dkms kernel-devel python3 xz zstd make gcc; do
	echo "$req" | grep -qx "$r" || fail "Requires lacks $r"
done
[ "$(rpm -qp --qf '%{ARCH}' "$rpm" 2>/dev/null)" = noarch ] || fail "not noarch"
ok "Requires: $(echo "$req" | grep -v '^rpmlib\|^/' | sort -u | tr '\n' ' ')"

# Same shipped tree, same modes as the .deb (both file lists are kept by hand).
rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm" 2>/dev/null | grep -v '^d' |
	grep -v ' /usr/share/doc/' | sort -k2 > "$work/rpm.files"
if [ -f "$deb" ]; then
	dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $1, $6 }' |
		grep -v ' /usr/share/doc/' | sort -k2 > "$work/deb.files"
	if diff -u "$work/deb.files" "$work/rpm.files" > "$work/files.diff"; then
		ok "rpm and deb ship the same $(wc -l < "$work/rpm.files") files"
	else
		fail "rpm and deb file lists differ (- deb, + rpm):"
		grep -E '^[-+][-l][-r][-w]' "$work/files.diff"
	fi
else
	echo "note: $deb not built, file lists not compared"
fi

# The scriptlets as rpm -qp --scripts shows them.
rpm -qp --scripts "$rpm" > "$work/scripts" 2>/dev/null
sed -n '/^postinstall scriptlet/,/^[a-z]* *scriptlet/p' "$work/scripts" | sed '1d;/scriptlet/d' > "$work/post"
sed -n '/^preuninstall scriptlet/,/^[a-z]* *scriptlet/p' "$work/scripts" | sed '1d;/scriptlet/d' > "$work/preun"
for s in post preun; do
	[ -s "$work/$s" ] && sh -n "$work/$s" || fail "%$s is missing or not valid sh"
done
grep -q "dkms add -m $name -v $version" "$work/post" || fail "%post: no dkms add -m $name -v $version"
grep -q "dkms build -m $name -v $version -k" "$work/post" || fail "%post: no per-kernel dkms build"
grep -q "dkms install -m $name -v $version -k" "$work/post" || fail "%post: no per-kernel dkms install"
grep -q "dkms remove -m $name -v $version .*--all" "$work/preun" || fail "%preun: no dkms remove --all"
grep -q -- "--rpm_safe_upgrade" "$work/preun" || fail "%preun: without --rpm_safe_upgrade an upgrade to the same version loses its modules"
ok "scriptlets call dkms add/build/install and remove --all"

# Run them with a dkms that logs and fails: every kernel with a build tree
# gets a build and an install, and a failing dkms never fails the transaction.
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "$*" >> "%s"\nexit 1\n' "$work/dkms.calls" > "$work/bin/dkms"
chmod +x "$work/bin/dkms"
PATH=$work/bin:$PATH sh "$work/post" > /dev/null 2>&1 || fail "%post exits non-zero when dkms fails"
PATH=$work/bin:$PATH sh "$work/preun" > /dev/null 2>&1 || fail "%preun exits non-zero when dkms fails"
for k in $(ls -d /lib/modules/*/build 2>/dev/null | sed 's|/lib/modules/||; s|/build$||'); do
	[ -e "/lib/modules/$k/build/Makefile" ] || continue
	grep -qx "build -m $name -v $version -k $k -q" "$work/dkms.calls" &&
		grep -qx "install -m $name -v $version -k $k -q" "$work/dkms.calls" &&
		ok "%post builds and installs for $k" ||
		fail "%post does not build/install for $k"
done
grep -q "^remove -m $name -v $version -q --all" "$work/dkms.calls" || fail "%preun did not run dkms remove --all"

# The tool: its own arch-dependent RPM from the same tarball.
urpm=$(ls "$rpmtop"/RPMS/*/$name-utils-"$version"-*.rpm 2>/dev/null | grep -v noarch | head -n 1)
usrpm=$(ls "$rpmtop"/SRPMS/$name-utils-"$version"-*.src.rpm 2>/dev/null | head -n 1)
if [ -z "$urpm" ] || [ -z "$usrpm" ]; then
	fail "no $name-utils RPM or SRPM under $rpmtop"
else
	files=$(rpm -qlp "$urpm" 2>/dev/null)
	for f in /usr/sbin/nvme-tcp-offload /usr/share/man/man8/nvme-tcp-offload.8; do
		echo "$files" | grep -q "^$f" || fail "$name-utils lacks $f"
	done
	arch=$(rpm -qp --qf '%{ARCH}' "$urpm" 2>/dev/null)
	[ "$arch" = "$(rpm --eval '%{_arch}')" ] && ok "$name-utils is $arch with the tool and its man page" ||
		fail "$name-utils arch is '$arch'"
	rpm2cpio "$urpm" | (cd "$work" && cpio -idm --quiet ./usr/sbin/nvme-tcp-offload 2>/dev/null)
	"$work/usr/sbin/nvme-tcp-offload" --help > "$work/help" 2>&1
	grep -q connect "$work/help" && ok "the packaged tool runs (--help)" || fail "packaged tool --help: $(head -n 3 "$work/help")"
	if command -v rpmlint >/dev/null; then
		if rpmlint -r "$top/rpm/$name-utils.rpmlintrc" "$top/rpm/$name-utils.spec" "$urpm" "$usrpm" > "$work/rpmlint-utils" 2>&1; then
			ok "rpmlint $name-utils: $(tail -n 1 "$work/rpmlint-utils" | sed 's/^ *//')"
		else
			fail "rpmlint $name-utils:"
			grep -E ': [EW]: ' "$work/rpmlint-utils"
		fi
	fi
fi

[ $fails = 0 ] && { echo "check-rpm: passed"; exit 0; }
echo "check-rpm: $fails failure(s)"
exit 1
