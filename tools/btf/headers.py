# SPDX-License-Identifier: GPL-2.0
"""Which type names the target kernel's public headers define.

A type the nvme structures embed by value is taken from the kernel headers
when they define it and generated from BTF otherwise.  vmlinux BTF answers
for most names; this index answers for public types that only modules use
(struct nvme_command, struct nvme_id_power_state, ...).  It is a textual
scan of KDIR's include directories, so it errs towards "public": a
definition inside #if 0 still counts.  The layout assertions in the
generated header catch any wrong guess at build time.
"""

import os
import re

_TAG = re.compile(rb"\b(struct|union|enum)\s+([A-Za-z_]\w*)\s*\{")
_TYPEDEF_END = re.compile(rb"\}\s*([A-Za-z_]\w*)\s*;")
_TYPEDEF_PLAIN = re.compile(rb"\btypedef\s[^;{}()]*?\b([A-Za-z_]\w*)\s*;")
_TYPEDEF_FN = re.compile(rb"\btypedef\s[^;{}]*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)")
_MAKEFILE_INCLUDE = re.compile(r"^\s*include\s+(/\S+)/Makefile\s*$", re.M)


def header_roots(kdir):
    """KDIR and, for split Debian headers packages, the common tree that
    KDIR's Makefile includes."""
    roots = [kdir]
    try:
        with open(os.path.join(kdir, "Makefile")) as f:
            text = f.read()
    except OSError:
        return roots
    for m in _MAKEFILE_INCLUDE.finditer(text):
        if os.path.isdir(m.group(1)):
            roots.append(m.group(1))
    return roots


class HeaderIndex:
    def __init__(self, kdir):
        self.kdir = kdir
        self._tags = None
        self._typedefs = None

    def _dirs(self):
        for root in header_roots(self.kdir):
            yield os.path.join(root, "include")
            arch = os.path.join(root, "arch")
            if os.path.isdir(arch):
                for a in sorted(os.listdir(arch)):
                    yield os.path.join(arch, a, "include")

    def _scan(self):
        tags, typedefs = set(), set()
        for d in self._dirs():
            for dirpath, _dirs, files in os.walk(d):
                for fn in files:
                    if not fn.endswith(".h"):
                        continue
                    try:
                        with open(os.path.join(dirpath, fn), "rb") as f:
                            text = f.read()
                    except OSError:
                        continue
                    for m in _TAG.finditer(text):
                        tags.add((m.group(1).decode(), m.group(2).decode()))
                    if b"typedef" in text:
                        for rx in (_TYPEDEF_END, _TYPEDEF_PLAIN, _TYPEDEF_FN):
                            for m in rx.finditer(text):
                                typedefs.add(m.group(1).decode())
        self._tags, self._typedefs = tags, typedefs

    def defines(self, kind, name):
        """kind is 'struct', 'union', 'enum' or 'typedef'."""
        if self._tags is None:
            self._scan()
        if kind == "typedef":
            return name in self._typedefs
        return (kind, name) in self._tags
