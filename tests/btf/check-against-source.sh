#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cross-check the BTF-generated nvme types of one kernel against the real
# drivers/nvme/host/nvme.h and fabrics.h of its source:
#
#   tests/btf/check-against-source.sh [-v] KVER [SRC]
#
# SRC is a linux-source tarball (default: Debian's
# /usr/src/linux-source-<major.minor>.tar.xz; only the two headers are
# extracted, into a temporary directory) or an unpacked source tree.
# KDIR defaults to /lib/modules/KVER/build.  Prints "N passed, N failed" per
# struct and a total; exits non-zero on any difference.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
verbose=()
if [ "${1:-}" = "-v" ]; then
	verbose=(-v)
	shift
fi
kver=${1:?usage: $0 [-v] KVER [SRC]}
kdir=${KDIR:-/lib/modules/$kver/build}
src=${2:-}
if [ -z "$src" ]; then
	series=$(echo "$kver" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
	src=/usr/src/linux-source-$series.tar.xz
fi
[ -e "$src" ] || { echo "check-against-source: $src not found: install linux-source-${series:-X.Y}" >&2; exit 1; }
[ -d "$kdir" ] || { echo "check-against-source: $kdir not found: install linux-headers-$kver" >&2; exit 1; }

tmp=$(mktemp -d /tmp/nto-btf-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "check-against-source: $kver, generated vs $src (KDIR $kdir)"
"$top/tools/nvme-btf-types" --kver "$kver" --kdir "$kdir" \
	--out "$tmp/gen/nvme_private.h" --workdir "$tmp/btf"
python3 "$top/tests/btf/layout_check.py" "${verbose[@]}" --kdir "$kdir" \
	--layout "$tmp/btf/layout.json" --gen "$tmp/gen" --src "$src" \
	--workdir "$tmp/cmp" --kver "$kver" --btf-workdir "$tmp/btf"
