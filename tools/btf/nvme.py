# SPDX-License-Identifier: GPL-2.0
"""Select the nvme host driver's private types from module BTF and write
them out as C with layout assertions.

What is private is decided by a fixed list of roots and names (below) plus a
closure: every type a generated struct embeds by value is generated too,
unless vmlinux BTF or the kernel headers define it, in which case the header
definition is used and only its size is asserted.  Types used only through
pointers get a forward declaration.
"""

import os

from . import render

CORE = "nvme-core"
FABRICS = "nvme-fabrics"
MODULE_PATHS = {
    CORE: "drivers/nvme/host/nvme-core",
    FABRICS: "drivers/nvme/host/nvme-fabrics",
}
# A type only that module defines: finding it in vmlinux BTF means the
# module is built in (CONFIG_NVME_CORE=y / CONFIG_NVME_FABRICS=y).
BUILTIN_PROBE = {CORE: "nvme_ctrl", FABRICS: "nvmf_ctrl_options"}
# Module.symvers names a built-in export's module "vmlinux"; pick the
# module's own exports by name then.
BUILTIN_PREFIXES = {CORE: ("nvme_", "__nvme_", "admin_timeout"),
                    FABRICS: ("nvmf_",)}

# (module whose BTF defines it, BTF kind, name, required)
ROOTS = (
    (CORE, "ENUM", "nvme_ctrl_state", True),
    (CORE, "ENUM", "nvme_ctrl_flags", False),
    (CORE, "STRUCT", "nvme_request", True),
    (CORE, "STRUCT", "nvme_ctrl", True),
    (CORE, "STRUCT", "nvme_ctrl_ops", True),
    (FABRICS, "STRUCT", "nvmf_host", False),
    (FABRICS, "STRUCT", "nvmf_ctrl_options", True),
    (FABRICS, "STRUCT", "nvmf_transport_ops", True),
)

# Anonymous enums of nvme.h/fabrics.h, found by one of their enumerators.
# The guard macro tells compat/nvme_private_consts.h not to supply its
# fallback values.
ANON_ENUMS = (
    (CORE, "NVME_REQ_CANCELLED", "NTO_BTF_HAVE_NVME_REQ_FLAGS"),
    (CORE, "NVME_SUBMIT_AT_HEAD", "NTO_BTF_HAVE_NVME_SUBMIT_FLAGS"),
    (FABRICS, "NVMF_OPT_TRANSPORT", "NTO_BTF_HAVE_NVMF_OPT"),
)

# Names defined by drivers/nvme/host/*.h or *.c, never by public headers;
# they are generated when embedded by value and forward-declared otherwise.
PRIVATE_NAMES = {
    "nvme_request", "nvme_ctrl_state", "nvme_fault_inject", "nvme_ctrl_flags",
    "nvme_ctrl", "nvme_iopolicy", "nvme_subsystem", "nvme_ns_ids",
    "nvme_ns_head", "nvme_ns_features", "nvme_ns", "nvme_ctrl_ops",
    "nvme_quirks", "nvme_zone_info", "nvme_submit_flags_t",
    "nvme_dhchap_queue_context", "nvmf_host", "nvmf_ctrl_options",
    "nvmf_transport_ops",
}

# Exported variables.  pahole does not emit VAR records for ordinary
# globals, so their types are known here; a BTF VAR wins when present.
KNOWN_VARIABLES = {
    "nvme_wq": "struct workqueue_struct *",
    "nvme_reset_wq": "struct workqueue_struct *",
    "nvme_delete_wq": "struct workqueue_struct *",
    "nvme_io_timeout": "unsigned int",
    "admin_timeout": "unsigned int",
}

# Tracepoint plumbing that nvme-core exports for its own trace events.
TRACEPOINT_PREFIXES = ("__traceiter_", "__tracepoint_", "__SCK__", "__SCT__")

KERNEL_INCLUDES = (
    "linux/types.h", "linux/stddef.h", "linux/build_bug.h", "linux/kernel.h",
    "linux/nvme.h", "linux/device.h", "linux/cdev.h", "linux/pci.h",
    "linux/kref.h", "linux/list.h", "linux/mutex.h", "linux/rwsem.h",
    "linux/spinlock.h", "linux/srcu.h", "linux/wait.h", "linux/workqueue.h",
    "linux/timer.h", "linux/xarray.h", "linux/blk-mq.h", "linux/sed-opal.h",
    "linux/fault-inject.h", "linux/rcupdate.h", "linux/t10-pi.h",
    "linux/ratelimit_types.h", "linux/key.h", "linux/uuid.h", "linux/in.h",
    "linux/inet.h",
)


class GenError(Exception):
    pass


def _c_kind(t):
    if t.kind in ("STRUCT", "UNION"):
        return t.kind.lower()
    if t.kind in ("ENUM", "ENUM64"):
        return "enum"
    if t.kind == "FWD":
        return "union" if t.kflag else "struct"
    if t.kind == "TYPEDEF":
        return "typedef"
    return None


class Generator:
    def __init__(self, kver, base, modules, symvers, headers, builtin=()):
        """modules: {CORE: Btf, FABRICS: Btf}, the base Btf for a module in
        BUILTIN; symvers: {sym: (module, export kind)}."""
        self.kver = kver
        self.base = base
        self.modules = modules
        self.symvers = symvers
        self.headers = headers
        self.builtin = set(builtin)
        self.order = []          # [(module, Type)] to emit, dependencies first
        self.emitted = {}        # (c kind, name) -> (module, Type)
        self.in_progress = set()
        self.forward = set()     # 'struct foo' declared by pointer use
        self.public_sizes = {}   # 'struct device' -> size
        self.anon_enums = []     # [(module, Type, guard)]
        self.functions = []      # [(module, name, Type FUNC)]
        self.variables = []      # [(name, decl text, how)]
        self.missing = []        # [(module, symbol)] exports we cannot type
        self.notes = []

    # -- classification -----------------------------------------------------

    def is_public(self, t):
        kind = _c_kind(t)
        if t.name in PRIVATE_NAMES:
            return False
        if kind == "typedef":
            if self.base.find("TYPEDEF", t.name):
                return True
        else:
            btf_kinds = ("ENUM", "ENUM64") if kind == "enum" else \
                (kind.upper(),)
            for k in btf_kinds:
                if self.base.find_one(k, t.name) is not None:
                    return True
        return self.headers.defines(kind, t.name)

    # -- closure ------------------------------------------------------------

    def visit(self, mod, tid, by_value, member=False):
        """Make type TID of module MOD usable in the generated header."""
        btf = self.modules[mod]
        t = btf[tid]
        k = t.kind
        if k == "PTR":
            self.visit(mod, t.type, False)
        elif k == "ARRAY":
            self.visit(mod, t.elem, by_value, member)
        elif k in ("CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"):
            self.visit(mod, t.type, by_value, member)
        elif k == "FUNC_PROTO":
            self.visit(mod, t.type, True)
            for p in t.params:
                if p.type:
                    self.visit(mod, p.type, True)
        elif k in ("STRUCT", "UNION") and not t.name:
            for m in t.members:
                self.visit(mod, m.type, True, member)
        elif k in ("ENUM", "ENUM64") and not t.name:
            pass
        elif k in ("STRUCT", "UNION", "FWD"):
            tag = "%s %s" % (_c_kind(t), t.name)
            if not by_value:
                self.forward.add(tag)
            elif self.is_public(t):
                if member:
                    self.public_sizes[tag] = btf.sizeof(tid)
            elif k == "FWD":
                raise GenError("%s embeds %s by value but its BTF only has "
                               "a forward declaration" % (mod, tag))
            else:
                self.generate(mod, t)
        elif k in ("ENUM", "ENUM64"):
            if self.is_public(t):
                if member:
                    self.public_sizes["enum " + t.name] = t.size
            else:
                self.generate(mod, t)
        elif k == "TYPEDEF":
            if self.is_public(t):
                under = btf.skip_modifiers(tid)
                if member and under.kind in ("STRUCT", "UNION"):
                    self.public_sizes[t.name] = btf.sizeof(tid)
            else:
                self.generate(mod, t)

    def generate(self, mod, t):
        key = (_c_kind(t), t.name)
        if key in self.emitted or key in self.in_progress:
            return
        self.in_progress.add(key)
        if t.kind in ("STRUCT", "UNION"):
            for m in t.members:
                self.visit(mod, m.type, True, member=True)
        elif t.kind == "TYPEDEF":
            self.visit(mod, t.type, True)
        self.in_progress.discard(key)
        self.emitted[key] = (mod, t)
        self.order.append((mod, t))

    def _find(self, mod, kind, name):
        btf = self.modules[mod]
        t = btf.find_one(kind, name)
        if t is None and kind == "ENUM":
            t = btf.find_one("ENUM64", name)
        return t

    def collect(self):
        for mod, kind, name, required in ROOTS:
            t = self._find(mod, kind, name)
            if t is None:
                if required:
                    raise GenError("%s BTF has no %s %s: cannot generate "
                                   "nvme_private.h for %s"
                                   % (mod, kind.lower(), name, self.kver))
                self.notes.append("%s %s is not in %s BTF on this kernel"
                                  % (kind.lower(), name, mod))
                continue
            self.generate(mod, t)
        for mod, marker, guard in ANON_ENUMS:
            for t in self.modules[mod].own_types():
                if t.kind in ("ENUM", "ENUM64") and not t.name and \
                        any(n == marker for n, _ in t.values):
                    self.anon_enums.append((mod, t, guard))
                    break
        self._collect_exports()
        self._cross_check()

    def _collect_exports(self):
        for mod in (CORE, FABRICS):
            btf = self.modules[mod]
            owner = "vmlinux" if mod in self.builtin else MODULE_PATHS[mod]
            exports = sorted(s for s, (m, kind) in self.symvers.items()
                             if m == owner and
                             kind.startswith("EXPORT_SYMBOL"))
            if mod in self.builtin:
                exports = [s for s in exports
                           if s.startswith(BUILTIN_PREFIXES[mod])]
            for sym in exports:
                if sym.startswith(TRACEPOINT_PREFIXES):
                    continue
                funcs = [t for t in btf.find("FUNC", sym, own_only=True)]
                if funcs:
                    self.functions.append((mod, sym, funcs[0]))
                    self.visit(mod, funcs[0].type, True)
                    continue
                var = btf.find("VAR", sym, own_only=True)
                if var:
                    r = render.Renderer(btf)
                    self.variables.append((sym, r.decl(var[0].type, sym),
                                           "BTF VAR"))
                    self.visit(mod, var[0].type, True)
                elif sym in KNOWN_VARIABLES:
                    ctype = KNOWN_VARIABLES[sym]
                    sep = "" if ctype.endswith("*") else " "
                    self.variables.append((sym, ctype + sep + sym, "known"))
                else:
                    self.missing.append((mod, sym))
        if not any(mod == CORE for mod, _, _ in self.functions):
            raise GenError("no nvme-core export has a BTF FUNC record: is "
                           "%s/Module.symvers from the same kernel?"
                           % self.kver)

    def _cross_check(self):
        """nvme-core and nvme-fabrics each carry their own copy of the shared
        types; if the copies disagree the inputs are not one kernel build."""
        for mod, t in self.order:
            if t.kind not in ("STRUCT", "UNION"):
                continue
            for other, btf in self.modules.items():
                if btf is self.modules[mod]:
                    continue
                twin = btf.find_one(t.kind, t.name)
                if twin is None or not twin.vlen:
                    continue
                mine = [(m.name, m.bit_offset) for m in t.members]
                theirs = [(m.name, m.bit_offset) for m in twin.members]
                if mine != theirs or t.size != twin.size:
                    raise GenError("%s %s differs between %s and %s BTF"
                                   % (t.kind.lower(), t.name, mod, other))

    # -- output ---------------------------------------------------------------

    def layout(self):
        """Machine-readable description of what was generated (for tests)."""
        out = {"kver": self.kver, "structs": {}, "enums": {},
               "anon_enums": {}, "public_sizes": dict(self.public_sizes),
               "functions": [name for _, name, _ in self.functions],
               "variables": [name for name, _, _ in self.variables]}
        for mod, t in self.order:
            btf = self.modules[mod]
            if t.kind in ("STRUCT", "UNION"):
                out["structs"]["%s %s" % (t.kind.lower(), t.name)] = {
                    "size": t.size,
                    "members": self._flat_members(btf, t, 0)}
            elif t.kind in ("ENUM", "ENUM64"):
                out["enums"][t.name] = dict(t.values)
        for _mod, t, guard in self.anon_enums:
            out["anon_enums"][guard] = dict(t.values)
        return out

    def _flat_members(self, btf, t, base_bits):
        """Members addressable by name from the outer struct, with anonymous
        aggregates flattened, as offsetof() sees them."""
        res = []
        for m in t.members:
            bits = base_bits + m.bit_offset
            sub = btf.skip_modifiers(m.type)
            if not m.name and sub.kind in ("STRUCT", "UNION"):
                res.extend(self._flat_members(btf, sub, bits))
                continue
            if not m.name:
                continue
            entry = {"name": m.name, "offset": bits // 8,
                     "bitfield": bool(m.bitfield_size)}
            if m.bitfield_size:
                entry["bit_offset"] = bits
                entry["bits"] = m.bitfield_size
            else:
                size = btf.sizeof(m.type)
                entry["size"] = size
            res.append(entry)
        return res

    def _struct_text(self, mod, t):
        btf = self.modules[mod]
        r = render.Renderer(btf)
        tag = "%s %s" % (t.kind.lower(), t.name)
        lines = [r.body(t, 0) + ";", ""]
        lines.append("NTO_BTF_ASSERT_SIZE(%s, %d);" % (tag, t.size))
        for m in self._flat_members(btf, t, 0):
            if m["bitfield"]:
                lines.append("/* %s: %d-bit field at bit %d (offsetof() "
                             "cannot name bit-fields) */"
                             % (m["name"], m["bits"], m["bit_offset"]))
                continue
            lines.append("NTO_BTF_ASSERT_OFFSET(%s, %s, %d);"
                         % (tag, m["name"], m["offset"]))
            if m["size"]:
                lines.append("NTO_BTF_ASSERT_MEMBER_SIZE(%s, %s, %d);"
                             % (tag, m["name"], m["size"]))
        return "\n".join(lines)

    def _type_text(self, mod, t):
        r = render.Renderer(self.modules[mod])
        if t.kind in ("STRUCT", "UNION"):
            return self._struct_text(mod, t)
        if t.kind in ("ENUM", "ENUM64"):
            return "%s;\n\nNTO_BTF_ASSERT_SIZE(enum %s, %d);" % (
                r.enum_body(t, 0), t.name, t.size)
        if t.kind == "TYPEDEF":
            return "typedef %s;" % r.decl(t.type, t.name)
        raise GenError("cannot emit %r" % t)

    def types_header(self, origin, consts_path, funcs_name):
        guards = [g for _, _, g in self.anon_enums]
        out = [
            "/* SPDX-License-Identifier: GPL-2.0 */",
            "/*",
            " * Private nvme host types of %s, generated by" % self.kver,
            " * tools/nvme-btf-types from the kernel's BTF; do not edit.",
            " *",
        ]
        out += [" * %s" % line for line in origin]
        out += [
            " *",
            " * Layouts are asserted against the BTF numbers below, so a",
            " * disagreement with the kernel headers fails the build naming",
            " * the type and member.",
            " */",
            "#ifndef NTO_NVME_PRIVATE_H",
            "#define NTO_NVME_PRIVATE_H",
            "",
        ]
        out += ["#include <%s>" % h for h in KERNEL_INCLUDES]
        out += [
            "",
            "#define NTO_NVME_PRIVATE_FROM_BTF 1",
            '#define NTO_BTF_KVER "%s"' % self.kver,
            "",
            "/* Enumerator groups that BTF provides on this kernel. */",
        ]
        out += ["#define %s 1" % g for g in guards] or ["/* none */"]
        out += [
            "",
            '#include "%s"' % consts_path,
            "",
            "/*",
            " * sparse does not model every layout attribute of the kernel",
            " * headers (struct device comes out smaller), so the checks are",
            " * the compiler's job; sparse runs on the same source.",
            " */",
            "#ifdef __CHECKER__",
            "#define NTO_BTF_UNCHECKED static_assert(1, \"checked by the compiler\")",
            "#define NTO_BTF_ASSERT_SIZE(type, n) NTO_BTF_UNCHECKED",
            "#define NTO_BTF_ASSERT_OFFSET(type, member, n) NTO_BTF_UNCHECKED",
            "#define NTO_BTF_ASSERT_MEMBER_SIZE(type, member, n) NTO_BTF_UNCHECKED",
            "#else",
            "#define NTO_BTF_ASSERT_SIZE(type, n)\t\t\t\t\t\\",
            "\tstatic_assert(sizeof(type) == (n), \"BTF of \"\t\t\t\\",
            "\t\t      NTO_BTF_KVER \": sizeof(\" #type \") must be \" #n)",
            "#define NTO_BTF_ASSERT_OFFSET(type, member, n)\t\t\t\t\\",
            "\tstatic_assert(offsetof(type, member) == (n), \"BTF of \"\t\\",
            "\t\t      NTO_BTF_KVER \": offsetof(\" #type \", \" #member\t\\",
            "\t\t      \") must be \" #n)",
            "#define NTO_BTF_ASSERT_MEMBER_SIZE(type, member, n)\t\t\t\\",
            "\tstatic_assert(sizeof(((type *)0)->member) == (n),\t\t\\",
            "\t\t      \"BTF of \" NTO_BTF_KVER \": sizeof(\" #type \".\"\t\\",
            "\t\t      #member \") must be \" #n)",
            "#endif",
            "",
            "/* Every struct and union reached through a pointer. */",
        ]
        out += ["%s;" % f for f in sorted(self.forward)]
        out.append("")
        for mod, t, guard in self.anon_enums:
            r = render.Renderer(self.modules[mod])
            out += ["/* From %s BTF (anonymous enum; %s) */" % (mod, guard),
                    r.enum_body(t, 0) + ";", ""]
        for mod, t in self.order:
            out += ["/* From %s BTF */" % mod, self._type_text(mod, t), ""]
        out.append("/* Public types embedded by value: the kernel headers "
                   "must agree with BTF. */")
        for tag in sorted(self.public_sizes):
            out.append("NTO_BTF_ASSERT_SIZE(%s, %d);"
                       % (tag, self.public_sizes[tag]))
        out += ["", '#include "%s"' % funcs_name, "",
                "#endif /* NTO_NVME_PRIVATE_H */", ""]
        return "\n".join(out)

    def funcs_header(self):
        out = [
            "/* SPDX-License-Identifier: GPL-2.0 */",
            "/*",
            " * nvme-core and nvme-fabrics exports of %s: prototypes from"
            % self.kver,
            " * BTF FUNC records, generated by tools/nvme-btf-types; do not",
            " * edit.  Needs the types of nvme_private.h (or of the real",
            " * nvme.h/fabrics.h) to be declared first.",
            " */",
            "#ifndef NTO_NVME_PRIVATE_FUNCS_H",
            "#define NTO_NVME_PRIVATE_FUNCS_H",
            "",
        ]
        fwd = set()
        for mod, _name, func in self.functions:
            self._pointer_tags(mod, func.type, fwd)
        if any(text.startswith("struct workqueue_struct")
               for _, text, _ in self.variables):
            fwd.add("struct workqueue_struct")
        out += ["%s;" % f for f in sorted(fwd)]
        out += ["", "/* Exported variables */"]
        for name, text, how in self.variables:
            note = "" if how == "BTF VAR" else \
                "\t/* no BTF VAR record: type known */"
            out.append("extern %s;%s" % (text, note))
        for mod in (CORE, FABRICS):
            r = render.Renderer(self.modules[mod])
            out += ["", "/* %s */" % mod]
            for m, name, func in self.functions:
                if m == mod:
                    out.append(render.wrap("%s;" % r.decl(func.type, name)))
        if self.missing:
            out += ["", "/*",
                    " * Exported, but without a BTF FUNC or VAR record or a "
                    "known type,",
                    " * so not declared here:"]
            out += [" *   %s (%s)" % (s, m) for m, s in self.missing]
            out.append(" */")
        out += ["", "#endif /* NTO_NVME_PRIVATE_FUNCS_H */", ""]
        return "\n".join(out)

    def _pointer_tags(self, mod, tid, acc, seen=None):
        """Struct/union tags reachable from TID (for forward declarations)."""
        seen = set() if seen is None else seen
        if tid in seen:
            return
        seen.add(tid)
        t = self.modules[mod][tid]
        if t.kind in ("STRUCT", "UNION", "FWD") and t.name:
            acc.add("%s %s" % (_c_kind(t), t.name))
        elif t.kind == "FUNC_PROTO":
            self._pointer_tags(mod, t.type, acc, seen)
            for p in t.params:
                self._pointer_tags(mod, p.type, acc, seen)
        elif t.kind in ("PTR", "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"):
            self._pointer_tags(mod, t.type, acc, seen)
        elif t.kind == "ARRAY":
            self._pointer_tags(mod, t.elem, acc, seen)


def ksrc_headers(kver, ksrc):
    """The escape hatch: use the real headers of a kernel source tree."""
    host = os.path.join(os.path.abspath(ksrc), "drivers", "nvme", "host")
    for f in ("nvme.h", "fabrics.h"):
        if not os.path.exists(os.path.join(host, f)):
            raise GenError("--ksrc %s: %s/%s not found" % (ksrc, host, f))
    types = "\n".join([
        "/* SPDX-License-Identifier: GPL-2.0 */",
        "/*",
        " * Private nvme host types of %s taken from the kernel source" % kver,
        " * tree given with --ksrc; generated by tools/nvme-btf-types.",
        " */",
        "#ifndef NTO_NVME_PRIVATE_H",
        "#define NTO_NVME_PRIVATE_H",
        "",
        "#define NTO_NVME_PRIVATE_FROM_KSRC 1",
        "",
        '#include "%s/nvme.h"' % host,
        '#include "%s/fabrics.h"' % host,
        "",
        "#endif /* NTO_NVME_PRIVATE_H */",
        ""])
    funcs = "\n".join([
        "/* SPDX-License-Identifier: GPL-2.0 */",
        "/* --ksrc build: the prototypes come from %s/nvme.h and fabrics.h. */"
        % host,
        '#include "nvme_private.h"',
        ""])
    return types, funcs
