#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Show that the layout checks bite:
#   - a module including the generated nvme_private.h builds as generated;
#   - editing one BTF number in it (a member offset, a struct size, the size
#     of a public type) or the layout of a generated struct makes the build
#     fail with a message naming the type and member;
#   - check-against-source's comparison fails when the "real" headers differ
#     from the kernel (a member inserted, a prototype changed).
#
#   tests/btf/tamper-test.sh KVER [SRC]
#
# SRC as for check-against-source.sh (default: Debian's linux-source
# tarball); without it the last two cases are skipped.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${1:?usage: $0 KVER [SRC]}
kdir=${KDIR:-/lib/modules/$kver/build}
series=$(echo "$kver" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
src=${2:-/usr/src/linux-source-$series.tar.xz}

tmp=$(mktemp -d /tmp/nto-btf-tamper.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

"$top/tools/nvme-btf-types" --kver "$kver" --kdir "$kdir" \
	--out "$tmp/gen/nvme_private.h" --workdir "$tmp/btf" || exit 1
pristine=$tmp/gen/nvme_private.h.orig
cp "$tmp/gen/nvme_private.h" "$pristine"

mkdir -p "$tmp/mod"
cat > "$tmp/mod/tamper.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include "nvme_private.h"

int nto_tamper_probe(struct nvme_ctrl *ctrl);
int nto_tamper_probe(struct nvme_ctrl *ctrl)
{
	return ctrl->state == NVME_CTRL_LIVE ? (int)sizeof(*ctrl) : 0;
}
MODULE_LICENSE("GPL");
EOF
printf 'obj-m := tamper.o\nccflags-y := -I%s\n' "$tmp/gen" > "$tmp/mod/Kbuild"

verdict() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $2"
	else
		failed=$((failed + 1))
		echo "FAIL $2"
		[ -f "$tmp/log" ] && tail -n 20 "$tmp/log" | sed 's/^/    /'
	fi
}

build() {
	rm -f "$tmp/mod/tamper.o"
	make -C "$kdir" M="$tmp/mod" tamper.o > "$tmp/log" 2>&1
}

# edit PYTHON-REGEX REPLACEMENT-FUNCTION: rewrite the first match in a fresh
# copy of the generated header; fails if the pattern is not there.
edit() {
	python3 - "$pristine" "$tmp/gen/nvme_private.h" "$1" "$2" <<'EOF'
import re, sys
src, dst, pattern, repl = sys.argv[1:]
text = open(src).read()
new, n = re.subn(pattern, eval(repl), text, count=1, flags=re.M)
if n != 1:
    sys.exit("tamper: pattern not found: " + pattern)
open(dst, "w").write(new)
EOF
}

# expect_break NAME MESSAGE-REGEX: the edited header must not build, and the
# compiler must say which type and member disagree.
expect_break() {
	if build; then
		verdict 1 "$1: tampered header still builds"
	elif grep -Eq "$2" "$tmp/log"; then
		verdict 0 "$1: build fails with: $(grep -Eo "$2[^\"]*" "$tmp/log" | head -n 1)"
	else
		verdict 1 "$1: build failed, but without a message matching /$2/"
	fi
}

build
verdict $? "generated header builds unmodified"

edit '^(NTO_BTF_ASSERT_OFFSET\(struct nvme_ctrl, state, )(\d+)\)' \
	'lambda m: "%s%d)" % (m.group(1), int(m.group(2)) + 8)'
expect_break "member offset edited" 'offsetof\(struct nvme_ctrl, state\) must be'

edit '^(NTO_BTF_ASSERT_SIZE\(struct nvme_request, )(\d+)\)' \
	'lambda m: "%s%d)" % (m.group(1), int(m.group(2)) + 8)'
expect_break "struct size edited" 'sizeof\(struct nvme_request\) must be'

edit '^(NTO_BTF_ASSERT_SIZE\(struct device, )(\d+)\)' \
	'lambda m: "%s%d)" % (m.group(1), int(m.group(2)) + 8)'
expect_break "public type size edited" 'sizeof\(struct device\) must be'

edit '^(struct nvme_ctrl \{\n\tbool comp_seen;\n)' \
	'lambda m: m.group(1) + "\tu64 nto_tampered;\n"'
expect_break "member inserted into struct nvme_ctrl" 'offsetof\(struct nvme_ctrl, [a-z_]+\) must be'

edit '^(\tstruct nvmf_host )\*(host;\n)' \
	'lambda m: m.group(1) + m.group(2)'
expect_break "member type changed in struct nvmf_ctrl_options" 'nvmf_ctrl_options[,.] ?[a-z_]+\) must be'

# The cross-check itself must notice a header that differs from the kernel.
if [ -e "$src" ]; then
	python3 -c "
import sys; sys.path.insert(0, '$top/tests/btf')
import layout_check
layout_check.extract_headers('$src', '$tmp/src')" ||
		{ verdict 1 "extract headers from $src"; src=; }
fi
if [ -n "$src" ] && [ -e "$src" ]; then
	host=$tmp/src/drivers/nvme/host
	cp "$host/nvme.h" "$tmp/nvme.h.orig"
	cp "$host/fabrics.h" "$tmp/fabrics.h.orig"
	check() {
		rm -rf "$tmp/cmp"
		python3 "$top/tests/btf/layout_check.py" --kdir "$kdir" \
			--layout "$tmp/btf/layout.json" --gen "$tmp/gen" \
			--src "$tmp/src" --workdir "$tmp/cmp" > "$tmp/log" 2>&1
	}
	cp "$pristine" "$tmp/gen/nvme_private.h"

	sed -i -E '0,/^\tbool comp_seen;/s//\tbool comp_seen;\n\tint nto_tampered;/' "$host/nvme.h"
	if check; then
		verdict 1 "cross-check: member inserted into the real nvme_ctrl goes unnoticed"
	else
		grep -q '^struct nvme_ctrl: .* [1-9][0-9]* failed' "$tmp/log"
		verdict $? "cross-check: member inserted into the real nvme_ctrl: $(grep '^struct nvme_ctrl:' "$tmp/log")"
	fi
	cp "$tmp/nvme.h.orig" "$host/nvme.h"

	if grep -q 'nvmf_should_reconnect(struct nvme_ctrl \*ctrl, int status);' "$host/fabrics.h"; then
		sed -i 's/nvmf_should_reconnect(struct nvme_ctrl \*ctrl, int status);/nvmf_should_reconnect(struct nvme_ctrl *ctrl);/' "$host/fabrics.h"
	else
		sed -i 's/nvmf_should_reconnect(struct nvme_ctrl \*ctrl);/nvmf_should_reconnect(struct nvme_ctrl *ctrl, int status);/' "$host/fabrics.h"
	fi
	if check; then
		verdict 1 "cross-check: changed nvmf_should_reconnect prototype goes unnoticed"
	else
		grep -q 'FAIL nvmf_should_reconnect' "$tmp/log"
		verdict $? "cross-check: changed nvmf_should_reconnect prototype is reported"
	fi
	cp "$tmp/fabrics.h.orig" "$host/fabrics.h"
else
	skipped=$((skipped + 2))
	echo "SKIP cross-check cases: no kernel source ($src)"
fi

echo "tamper: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
