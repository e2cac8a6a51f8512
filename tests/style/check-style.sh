#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Project rules a reviewer would otherwise catch by hand:
#  - checkpatch (from Debian's linux-source package, extracted at test time)
#    is clean on every kernel source file of ours;
#  - no kernel version tests outside compat/;
#  - no copy of the kernel-private nvme headers and no hand-written
#    definition of their structures.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fail=0

cp_dir=$top/build/tools
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	src=$(ls /usr/src/linux-source-6.12.tar.xz /usr/src/linux-source-6.1.tar.xz 2>/dev/null | head -n 1)
	[ -n "$src" ] || { echo "check-style: install linux-source-6.12 (for checkpatch.pl)"; exit 1; }
	mkdir -p "$cp_dir"
	tar -xJf "$src" -C "$cp_dir" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
fi

files=$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'compat/*.h' 'compat/probes/*.c' \
	'tests/vendor-stub/*.c')
for f in $files; do
	out=$("$cp_dir/scripts/checkpatch.pl" --no-tree --quiet --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE -f "$f" 2>&1)
	if [ -n "$out" ]; then
		echo "$out"
		fail=1
	fi
done
echo "checkpatch: $(echo "$files" | wc -w) files checked"

if git grep -n -E 'LINUX_VERSION_CODE|KERNEL_VERSION\(' -- src include; then
	echo "kernel version tests outside compat/ (use a feature probe)"; fail=1
fi
if git ls-files src include compat | grep -E '(^|/)(nvme|fabrics)\.h$'; then
	echo "a copy of a kernel-private nvme header is committed"; fail=1
fi
if git grep -n -E '^struct (nvme_ctrl|nvme_request|nvmf_ctrl_options|nvmf_transport_ops|nvme_ctrl_ops) \{' -- ':!tools/btf'; then
	echo "a kernel-private nvme structure is defined by hand; it must come from BTF"; fail=1
fi
exit $fail
