# SPDX-License-Identifier: GPL-2.0
"""Renderer self-test for layout_check.py.

The nvme structs exercise few of the C layout rules, so the renderer of
tools/btf is also run over large public vmlinux structs that do: anonymous
unions and structs, bit-fields including ":0" breaks, flexible and
zero-length arrays, function pointers, __aligned members and cache-line
aligned types.  Each is rendered under a private name (nto_rt_<name>) next to
the real definition from the kernel headers, and every size and offset the
compiler gives the copy must equal the BTF number.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)),
                                "..", "..", "tools"))

from btf import btf as btfmod, render, sources  # noqa: E402

STRUCTS = ("request", "bio", "page", "sk_buff", "sock", "tcp_sock",
           "file_operations", "inode", "super_block", "task_struct",
           "mm_struct", "net_device_ops", "device", "blk_mq_tag_set",
           "request_queue")
INCLUDES = ("linux/blkdev.h", "linux/blk-mq.h", "linux/bio.h",
            "linux/mm_types.h", "linux/fs.h", "linux/sched.h",
            "linux/skbuff.h", "linux/netdevice.h", "net/sock.h", "net/tcp.h",
            "linux/device.h")


def _flat(btf, t, base_bits):
    out = []
    for m in t.members:
        bits = base_bits + m.bit_offset
        sub = btf.skip_modifiers(m.type)
        if not m.name and sub.kind in ("STRUCT", "UNION"):
            out += _flat(btf, sub, bits)
        elif m.name and not m.bitfield_size:
            out.append((m.name, bits // 8))
    return out


def build(kver, btf_workdir):
    """(preamble lines, [(group, key, expr)], {key: BTF value})."""
    raw, _src = sources.base_btf(kver, btf_workdir)
    btf = btfmod.Btf(raw)
    r = render.Renderer(btf)
    pre = ["#include <%s>" % h for h in INCLUDES]
    entries, want = [], {}
    for name in STRUCTS:
        t = btf.find_one("STRUCT", name)
        if t is None or not t.vlen:
            continue
        copy = "struct nto_rt_%s" % name
        pre.append(r.body(t, 0).replace("struct %s {" % name, copy + " {", 1)
                   + ";")
        group = "renderer self-test"
        key = "rt size %s" % copy
        entries.append((group, key, "sizeof(%s)" % copy))
        want[key] = t.size
        for member, off in _flat(btf, t, 0):
            key = "rt off %s.%s" % (copy, member)
            entries.append((group, key, "__builtin_offsetof(%s, %s)"
                            % (copy, member)))
            want[key] = off
    return pre, entries, want
