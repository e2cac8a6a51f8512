#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the BTF-generated nvme types with the kernel's real headers.

Two translation units are compiled through the target's Kbuild (so that its
autoconf.h decides every #ifdef CONFIG_* in nvme.h): one includes the real
drivers/nvme/host/nvme.h and fabrics.h, the other the generated
nvme_private.h.  Both print, via asm-offsets style markers in the .s output,
the size of every generated struct, offset and size of every member,
the value of every enumerator and the size of every public type embedded by
value.  The tables are compared with each other and with the BTF numbers in
layout.json.  A third unit includes the real headers followed by the
generated nvme_private_funcs.h, so that the compiler rejects any prototype
or variable whose type differs from the kernel's declaration.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile

sys.dont_write_bytecode = True
import render_selftest  # noqa: E402

EMIT = ('#define NTO_EMIT(key, val) asm volatile("\\n.ascii \\"@NTO " key '
        '" %c0\\\\n\\"" : : "i" ((long)(val)))')
PRELUDE = ["#include <linux/module.h>", "#include <linux/blk-mq.h>"]
ASCII = re.compile(r'^\s*\.ascii\s+"@NTO (.*) (-?\d+)\\n"')
ERROR = re.compile(r"^([^:\s]+):(\d+):\d+: error: (.*)$")


def extract_headers(tarball, dest):
    """Pull drivers/nvme/host/{nvme,fabrics}.h out of a linux-source
    tarball, stopping as soon as both have been seen."""
    want = {"drivers/nvme/host/nvme.h", "drivers/nvme/host/fabrics.h"}
    host = os.path.join(dest, "drivers", "nvme", "host")
    os.makedirs(host, exist_ok=True)
    with tarfile.open(tarball, "r|*") as tf:
        for member in tf:
            rel = member.name.split("/", 1)[-1]
            if rel in want and member.isfile():
                data = tf.extractfile(member).read()
                with open(os.path.join(host, os.path.basename(rel)),
                          "wb") as f:
                    f.write(data)
                want.discard(rel)
                if not want:
                    break
    if want:
        sys.exit("layout_check: %s lacks %s" % (tarball, ", ".join(want)))
    return host


# compat/nvme_private_consts.h, evaluated on sample inputs where the macro
# takes arguments.  NVME_IO_TIMEOUT/NVME_ADMIN_TIMEOUT read module
# parameters, so only their multiplier can be compared.
CONSTS = (
    "NVME_DEFAULT_KATO", "NVME_CTRL_PAGE_SHIFT", "NVME_CTRL_PAGE_SIZE",
    "NVME_QID_ANY", "NVME_F_FABRICS", "NVME_F_METADATA_SUPPORTED",
    "NVME_F_BLOCKING", "nvme_genctr_mask(0x1234)",
    "nvme_cid_install_genctr(0x1b)", "nvme_genctr_from_cid(0xa5c3)",
    "nvme_tag_from_cid(0xa5c3)", "NVMF_MIN_QUEUE_SIZE",
    "NVMF_MAX_QUEUE_SIZE", "NVMF_DEF_QUEUE_SIZE", "NVMF_DEF_RECONNECT_DELAY",
    "NVMF_DEF_CTRL_LOSS_TMO", "NVMF_DEF_FAIL_FAST_TMO",
    "__builtin_constant_p(NVME_IO_TIMEOUT) ? -1 : HZ",
    "__builtin_constant_p(NVME_ADMIN_TIMEOUT) ? -1 : HZ",
)


def table_entries(layout):
    """[(group, key, C expression)] for everything the generator emitted."""
    out = [("constants", "const %s" % c, c) for c in CONSTS]
    for tag, info in sorted(layout["structs"].items()):
        out.append((tag, "size %s" % tag, "sizeof(%s)" % tag))
        for m in info["members"]:
            if m["bitfield"]:
                continue
            name = m["name"]
            out.append((tag, "off %s.%s" % (tag, name),
                        "__builtin_offsetof(%s, %s)" % (tag, name)))
            if m.get("size"):
                out.append((tag, "msize %s.%s" % (tag, name),
                            "sizeof(((%s *)0)->%s)" % (tag, name)))
    for group in ("enums", "anon_enums"):
        for _, values in sorted(layout[group].items()):
            for name in values:
                out.append(("enumerators", "enum %s" % name, name))
    for tag in sorted(layout["public_sizes"]):
        out.append(("public type sizes", "pubsize %s" % tag,
                    "sizeof(%s)" % tag))
    return out


def btf_values(layout):
    vals = {}
    for tag, info in layout["structs"].items():
        vals["size %s" % tag] = info["size"]
        for m in info["members"]:
            if not m["bitfield"]:
                vals["off %s.%s" % (tag, m["name"])] = m["offset"]
                if m.get("size"):
                    vals["msize %s.%s" % (tag, m["name"])] = m["size"]
    for group in ("enums", "anon_enums"):
        for _, values in layout[group].items():
            for name, v in values.items():
                vals["enum %s" % name] = v
    for tag, size in layout["public_sizes"].items():
        vals["pubsize %s" % tag] = size
    return vals


def group_order(group):
    """Structs first, then the other tables, the self-test last."""
    return (not group.startswith(("struct", "union")),
            group == "renderer self-test", group)


def expected(key, btf, real):
    """What both units must print: the BTF number, or for the hand-written
    constants (which BTF does not know) the real header's value."""
    return real if key.startswith("const ") else btf[key]


def kbuild(kdir, workdir, unit):
    """Build UNIT.s in WORKDIR; return [(file, line, message)] of errors."""
    # Kbuild unexports LC_ALL, so pin the message locale itself.
    env = dict(os.environ, LANG="C", LC_MESSAGES="C", LC_CTYPE="C")
    env.pop("LC_ALL", None)
    proc = subprocess.run(["make", "-C", kdir, "M=" + workdir, unit + ".s"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False, env=env)
    with open(os.path.join(workdir, "make.log"), "a") as f:
        f.write(proc.stdout)
    errors = []
    for line in proc.stdout.splitlines():
        m = ERROR.match(line)
        if m:
            errors.append((m.group(1), int(m.group(2)), m.group(3)))
    if proc.returncode != 0 and not errors:
        errors.append(("", 0, "make failed; see %s/make.log" % workdir))
    return errors


def write_table_unit(path, preamble, entries):
    """PREAMBLE, then one NTO_EMIT per line; returns {line number: key}."""
    lines = ["// SPDX-License-Identifier: GPL-2.0"] + PRELUDE + preamble
    lines += [EMIT, "void nto_layout(void);", "void nto_layout(void)", "{"]
    where = {}
    for _, key, expr in entries:
        lines.append('\tNTO_EMIT("%s", %s);' % (key, expr))
        where[len(lines)] = key
    lines += ["}", 'MODULE_LICENSE("GPL");', ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return where


def read_table(path):
    vals = {}
    with open(path) as f:
        for line in f:
            m = ASCII.match(line)
            if m:
                vals[m.group(1)] = int(m.group(2))
    return vals


def build_tables(kdir, workdir, units):
    """Compile each unit's table, dropping the entries the compiler rejects
    (they count as failures) until what is left compiles."""
    tables, rejected = {}, {}
    for u, (preamble, unit_entries) in units.items():
        live, rejected[u] = list(unit_entries), {}
        src = os.path.join(workdir, u + ".c")
        while True:
            where = write_table_unit(src, preamble, live)
            errors = kbuild(kdir, workdir, u)
            if not errors:
                break
            keys = {where[ln]: msg for f, ln, msg in errors
                    if f.endswith("/" + u + ".c") and ln in where}
            if not keys:   # an error outside the table: give up on the unit
                rejected[u]["<compile>"] = "%s:%d: %s" % errors[0]
                live = []
                break
            rejected[u].update(keys)
            live = [e for e in live if e[1] not in keys]
        s_file = os.path.join(workdir, u + ".s")
        tables[u] = read_table(s_file) if live else {}
    return tables, rejected


def check_prototypes(kdir, workdir, real_host, gen_dir, layout):
    """Real headers + generated prototypes in one unit: every 'conflicting
    types' error is a prototype that disagrees with the kernel."""
    path = os.path.join(workdir, "funcs.c")
    lines = ["// SPDX-License-Identifier: GPL-2.0"] + PRELUDE + [
        '#include "%s/nvme.h"' % real_host,
        '#include "%s/fabrics.h"' % real_host,
        '#include "%s/nvme_private_funcs.h"' % gen_dir,
        'MODULE_LICENSE("GPL");', ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    bad = {}
    for _, _, msg in kbuild(kdir, workdir, "funcs"):
        m = re.search(r"conflicting types for ['\u2018](\w+)['\u2019]", msg)
        bad[m.group(1) if m else "<compile>"] = msg
    text = ""
    for f in ("nvme.h", "fabrics.h"):
        with open(os.path.join(real_host, f)) as fh:
            text += fh.read()
    results = []
    for kind in ("functions", "variables"):
        for name in layout[kind]:
            if "<compile>" in bad:
                results.append((kind, name, "fail", bad["<compile>"]))
            elif name in bad:
                results.append((kind, name, "fail", bad[name]))
            elif not re.search(r"\b%s\b" % re.escape(name), text):
                results.append((kind, name, "skip",
                                "not declared in nvme.h/fabrics.h"))
            else:
                results.append((kind, name, "pass", ""))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kdir", required=True)
    ap.add_argument("--layout", required=True)
    ap.add_argument("--gen", required=True, help="dir of nvme_private.h")
    ap.add_argument("--src", required=True,
                    help="linux-source tarball or unpacked kernel tree")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--kver", help="also run the renderer self-test on "
                    "this kernel's vmlinux BTF")
    ap.add_argument("--btf-workdir", help="generator workdir (BTF cache)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    with open(args.layout) as f:
        layout = json.load(f)
    os.makedirs(args.workdir, exist_ok=True)
    with open(os.path.join(args.workdir, "Kbuild"), "w") as f:
        f.write("obj-m := real.o gen.o funcs.o render.o\n")
    if os.path.isdir(args.src):
        real_host = os.path.join(os.path.abspath(args.src),
                                 "drivers", "nvme", "host")
    else:
        real_host = extract_headers(args.src,
                                    os.path.join(args.workdir, "src"))

    entries = table_entries(layout)
    gen_h = os.path.join(os.path.abspath(args.gen), "nvme_private.h")
    units = {
        "real": (['#include "%s/nvme.h"' % real_host,
                  '#include "%s/fabrics.h"' % real_host], entries),
        "gen": (['#include "%s"' % gen_h], entries),
    }
    want = {}
    rt_entries = []
    if args.kver:
        pre, rt_entries, want = render_selftest.build(args.kver,
                                                      args.btf_workdir)
        units["render"] = (pre, rt_entries)
    tables, rejected = build_tables(args.kdir, args.workdir, units)
    btf = btf_values(layout)

    groups = {}
    for group, key, _ in entries + rt_entries:
        groups.setdefault(group, []).append(key)
    passed = failed = skipped = 0
    for group in sorted(groups, key=group_order):
        # One verdict per member: its offset and size must both agree.
        verdicts = {}
        for key in groups[group]:
            item = key.split(" ", 2)[-1] if key.startswith("rt ") else \
                key.split(" ", 1)[1]
            if key.startswith("rt "):
                real = gen = tables["render"].get(key)
                why = rejected["render"].get(key)
                expect, shown = want[key], want[key]
            else:
                real = tables["real"].get(key)
                gen = tables["gen"].get(key)
                why = rejected["real"].get(key) or rejected["gen"].get(key)
                expect, shown = expected(key, btf, real), btf.get(key, "-")
            ok = why is None and real is not None and real == gen == expect
            if not ok:
                print("  FAIL %s: real=%s generated=%s btf=%s%s"
                      % (key, real, gen, shown, " (%s)" % why if why else ""))
            if group == "renderer self-test":
                item = item.split(".")[0]   # one verdict per struct
            verdicts[item] = verdicts.get(item, True) and ok
        p = sum(verdicts.values())
        fl = len(verdicts) - p
        print("%s: %d passed, %d failed" % (group, p, fl))
        passed += p
        failed += fl
    for u in units:
        if "<compile>" in rejected[u]:
            print("  FAIL %s.c did not compile: %s"
                  % (u, rejected[u]["<compile>"]))
            failed += 1

    results = check_prototypes(args.kdir, args.workdir, real_host,
                               os.path.abspath(args.gen), layout)
    for kind in ("functions", "variables"):
        mine = [r for r in results if r[0] == kind]
        for _, name, verdict, why in mine:
            if verdict == "fail" or (verdict == "skip" and args.verbose):
                print("  %s %s: %s" % (verdict.upper(), name, why))
        p = sum(1 for r in mine if r[2] == "pass")
        fl = sum(1 for r in mine if r[2] == "fail")
        sk = sum(1 for r in mine if r[2] == "skip")
        print("%s: %d passed, %d failed, %d skipped" % (
            "prototypes" if kind == "functions" else kind, p, fl, sk))
        passed += p
        failed += fl
        skipped += sk
    print("total: %d passed, %d failed, %d skipped"
          % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
