# SPDX-License-Identifier: GPL-2.0
"""Turn BTF types back into C declarations.

decl(tid, name) builds a declarator from the inside out the way C reads it:
pointers prefix the name, arrays and parameter lists suffix it, and a
pointer to an array or function needs parentheses.  Named structs, unions,
enums and typedefs are referenced by name; anonymous aggregates are written
out in place, as the kernel source has them.
"""

# BTF spells integer types the way DWARF does; use the usual C spelling.
INT_NAMES = {
    "_Bool": "bool",
    "short int": "short",
    "short unsigned int": "unsigned short",
    "long int": "long",
    "long unsigned int": "unsigned long",
    "long long int": "long long",
    "long long unsigned int": "unsigned long long",
}
QUALIFIERS = {"CONST": "const", "VOLATILE": "volatile", "RESTRICT": "restrict"}


def enum_value(val):
    """An enumerator value as a C constant of the right magnitude."""
    if 0 <= val <= 0x7FFFFFFF or -0x80000000 <= val < 0:
        return str(val)
    if val < 0:
        return "(%dLL)" % val
    return "%#xULL" % val if val > 0xFFFFFFFF else "%#xU" % val


def wrap(line, width=80):
    """Break a long declaration after the commas of its parameter list
    (those inside exactly one level of parentheses)."""
    if len(line.expandtabs(8)) <= width:
        return line
    indent = line[:len(line) - len(line.lstrip("\t"))] + "\t\t"
    pieces, depth, start = [], 0, 0
    for i, c in enumerate(line):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 1:
            pieces.append(line[start:i + 1])
            start = i + 2          # skip ", "
    pieces.append(line[start:])
    out, cur = [], pieces[0]
    for p in pieces[1:]:
        if len((cur + " " + p).expandtabs(8)) > width:
            out.append(cur)
            cur = indent + p
        else:
            cur += " " + p
    out.append(cur)
    return "\n".join(out)


class Renderer:
    def __init__(self, btf):
        self.btf = btf

    def _skip_tags(self, tid):
        t = self.btf[tid]
        while t.kind == "TYPE_TAG":
            t = self.btf[t.type]
        return t

    def tag(self, t):
        """'struct foo', 'enum bar', a typedef or base name; '' if
        anonymous."""
        if t.kind in ("STRUCT", "UNION"):
            return "%s %s" % (t.kind.lower(), t.name) if t.name else ""
        if t.kind in ("ENUM", "ENUM64"):
            return "enum %s" % t.name if t.name else ""
        if t.kind == "FWD":
            return "%s %s" % ("union" if t.kflag else "struct", t.name)
        if t.kind in ("INT", "FLOAT"):
            return INT_NAMES.get(t.name, t.name)
        if t.kind == "TYPEDEF":
            return t.name
        if t.kind == "VOID":
            return "void"
        return ""

    def decl(self, tid, inner="", indent=0, flex_ok=False):
        """C text declaring INNER (a name or abstract declarator) of type TID.

        flex_ok allows a zero-length array to be written as a flexible array
        member, which is only legal as the last member of a struct.
        """
        t = self.btf[tid]
        k = t.kind
        spaced = (" " + inner) if inner else ""
        if k == "PTR":
            target = self._skip_tags(t.type)
            if target.kind in ("ARRAY", "FUNC_PROTO"):
                return self.decl(t.type, "(*%s)" % inner, indent)
            return self.decl(t.type, "*" + inner, indent)
        if k in QUALIFIERS:
            target = self._skip_tags(t.type)
            if target.kind == "PTR":
                return self.decl(t.type, "%s %s" % (QUALIFIERS[k], inner)
                                 if inner else QUALIFIERS[k], indent)
            return "%s %s" % (QUALIFIERS[k], self.decl(t.type, inner, indent))
        if k == "TYPE_TAG":
            return self.decl(t.type, inner, indent)
        if k == "ARRAY":
            dim = "" if (t.nelems == 0 and flex_ok) else str(t.nelems)
            return self.decl(t.elem, "%s[%s]" % (inner, dim), indent)
        if k == "FUNC_PROTO":
            return self.decl(t.type, "%s(%s)" % (inner, self.params(t)),
                             indent)
        if k in ("STRUCT", "UNION") and not t.name:
            return self.body(t, indent) + spaced
        if k in ("ENUM", "ENUM64") and not t.name:
            return self.enum_body(t, indent) + spaced
        name = self.tag(t)
        if not name:
            raise ValueError("cannot render %r" % t)
        return name + spaced

    def params(self, proto, with_names=True):
        if not proto.params:
            return "void"
        out = []
        for p in proto.params:
            if p.type == 0 and not p.name:
                out.append("...")
            else:
                out.append(self.decl(p.type, p.name if with_names else ""))
        return ", ".join(out)

    def body(self, t, indent):
        """'struct {...}' / 'union {...}' with members, closing at INDENT."""
        head = t.kind.lower() + (" " + t.name if t.name else "")
        if not t.members:
            return head + " {\n" + "\t" * indent + "}"
        plan, tail = self._layout(t)
        tab = "\t" * (indent + 1)
        lines = [head + " {"]
        last = len(t.members) - 1
        for i, m in enumerate(t.members):
            padding, attr = plan[i]
            lines += [tab + p for p in padding]
            text = self.decl(m.type, m.name, indent + 1,
                             flex_ok=(i == last and t.kind == "STRUCT"))
            if m.bitfield_size:
                text += " : %d" % m.bitfield_size
            lines.append(wrap(tab + text + attr + ";"))
        lines.append("\t" * indent + "}" + tail)
        return "\n".join(lines)

    # -- layout reconstruction ------------------------------------------------
    #
    # BTF keeps every member's offset but drops what produced it: unnamed
    # bit-fields (including ":0", which starts a new storage unit),
    # __aligned() on members or types, and __packed.  Replay the C layout
    # rules over the members and put back whatever explains a difference;
    # the generated static_asserts verify the result.

    def _packed(self, t):
        btf = self.btf
        for m in t.members:
            if not m.bitfield_size and \
                    m.bit_offset % (8 * btf.alignof(m.type)):
                return True
        return t.size % btf.alignof(t.id) != 0

    @staticmethod
    def _min_align(pos_bits, off_bits):
        """Smallest power-of-two alignment (bytes) that moves a member from
        the first free bit POS to OFF."""
        k = 1
        while k <= 4096:
            if off_bits % (8 * k) == 0 and off_bits - pos_bits < 8 * k:
                return k
            k *= 2
        return None

    def _bitfield_padding(self, m, pos, unit):
        """Unnamed bit-fields that move the next free bit from POS to the
        member's BTF offset."""
        ctype = self.decl(m.type)
        off = m.bit_offset
        out = []
        while pos < off:
            boundary = -(-pos // unit) * unit
            if pos % unit and off >= boundary:
                out.append("%s : 0;" % ctype)
                pos = boundary
            else:
                step = min(off - pos, unit - pos % unit)
                out.append("%s : %d;" % (ctype, step))
                pos += step
        return out

    def _layout(self, t):
        """[(padding lines, member attribute)] per member, and the text to
        put after the closing brace."""
        btf = self.btf
        union = t.kind == "UNION"
        packed = self._packed(t)
        plan = []
        pos = 0                       # first free bit
        align = 1                     # of the aggregate, as rendered
        end = 0
        for m in t.members:
            padding, attr = [], ""
            off = m.bit_offset
            if union:
                pos = 0
            if m.bitfield_size:
                unit = 8 * btf.sizeof(m.type)
                natural = pos
                if not packed and (pos // unit !=
                                   (pos + m.bitfield_size - 1) // unit):
                    natural = -(-pos // unit) * unit
                if off != natural and off > pos:
                    padding = self._bitfield_padding(m, pos, unit)
                if not packed:
                    align = max(align, btf.alignof(m.type))
                pos = off + m.bitfield_size
            else:
                a = 1 if packed else btf.alignof(m.type)
                natural = -(-pos // (8 * a)) * (8 * a)
                if off > natural:
                    k = self._min_align(pos, off)
                    if k:
                        attr = " __aligned(%d)" % k
                        a = max(a, k)
                align = max(align, a)
                pos = off + 8 * btf.sizeof(m.type)
            end = max(end, pos)
            plan.append((padding, attr))
        tail = " __packed" if packed else ""
        size_bits = 8 * t.size
        natural_size = -(-end // (8 * align)) * (8 * align)
        if not packed and size_bits > natural_size:
            k = self._min_align(end, size_bits)
            if k:
                tail = " __aligned(%d)" % k
        return plan, tail

    def enum_body(self, t, indent):
        head = "enum" + (" " + t.name if t.name else "")
        lines = [head + " {"]
        for name, val in t.values:
            lines.append("\t" * (indent + 1) + "%s = %s," % (name,
                                                           enum_value(val)))
        lines.append("\t" * indent + "}")
        return "\n".join(lines)
