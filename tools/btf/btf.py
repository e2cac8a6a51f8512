# SPDX-License-Identifier: GPL-2.0
"""Reader for the kernel's BPF Type Format, base and split.

Only what the nvme type generator needs: every kind is decoded, nothing is
written back.  A split BTF (a module's .BTF) continues the type ids and the
string offsets of its base (vmlinux), so a Btf built with base= resolves ids
and names across both.  Format: Documentation/bpf/btf.rst.
"""

import struct

BTF_MAGIC = 0xEB9F

KIND_NAMES = {
    0: "UNKN", 1: "INT", 2: "PTR", 3: "ARRAY", 4: "STRUCT", 5: "UNION",
    6: "ENUM", 7: "FWD", 8: "TYPEDEF", 9: "VOLATILE", 10: "CONST",
    11: "RESTRICT", 12: "FUNC", 13: "FUNC_PROTO", 14: "VAR", 15: "DATASEC",
    16: "FLOAT", 17: "DECL_TAG", 18: "TYPE_TAG", 19: "ENUM64",
}

# Kinds whose third header word is a size; the others carry a type id there.
_SIZED = {"INT", "STRUCT", "UNION", "ENUM", "ENUM64", "DATASEC", "FLOAT"}

MODIFIERS = ("TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "TYPE_TAG")


class BtfError(Exception):
    pass


class Member:
    __slots__ = ("name", "type", "bit_offset", "bitfield_size")

    def __init__(self, name, type_id, bit_offset, bitfield_size):
        self.name = name
        self.type = type_id
        self.bit_offset = bit_offset
        self.bitfield_size = bitfield_size


class Param:
    __slots__ = ("name", "type")

    def __init__(self, name, type_id):
        self.name = name
        self.type = type_id


class Type:
    """One BTF type record.  Fields not meaningful for a kind stay None."""

    __slots__ = ("id", "kind", "name", "size", "type", "vlen", "kflag",
                 "members", "values", "params", "elem", "nelems",
                 "int_bits", "int_signed", "linkage", "signed_enum")

    def __init__(self, tid, kind, name):
        self.id = tid
        self.kind = kind
        self.name = name
        self.size = None
        self.type = None
        self.vlen = 0
        self.kflag = False
        self.members = None
        self.values = None
        self.params = None
        self.elem = None
        self.nelems = None
        self.int_bits = None
        self.int_signed = None
        self.linkage = None
        self.signed_enum = False

    def __repr__(self):
        return "<%s %d %r>" % (self.kind, self.id, self.name)


class Btf:
    """A parsed BTF blob.  types[i] is type id i; id 0 is void."""

    def __init__(self, data, base=None, origin="BTF"):
        self.origin = origin
        self.base = base
        if base is not None:
            self.types = list(base.types)
            self._str_base = base._str_base + len(base._strings_own)
        else:
            void = Type(0, "VOID", "")
            void.size = 0
            self.types = [void]
            self._str_base = 0
        self.first_id = len(self.types)
        self._parse(data)
        self._by_name = None
        self._align = None

    # -- decoding -----------------------------------------------------------

    def _parse(self, data):
        if len(data) < 24:
            raise BtfError("%s: too short for a BTF header" % self.origin)
        magic, version, _flags, hdr_len = struct.unpack_from("<HBBI", data, 0)
        if magic != BTF_MAGIC:
            raise BtfError("%s: bad BTF magic %#x (big-endian BTF is not "
                           "supported)" % (self.origin, magic))
        if version != 1:
            raise BtfError("%s: unsupported BTF version %d"
                           % (self.origin, version))
        type_off, type_len, str_off, str_len = struct.unpack_from(
            "<IIII", data, 8)
        body = hdr_len
        strs = body + str_off
        self._strings_own = bytes(data[strs:strs + str_len])
        types = memoryview(data)[body + type_off:body + type_off + type_len]
        self._decode_types(types)

    def str_at(self, off):
        if off >= self._str_base:
            buf = self._strings_own
            off -= self._str_base
        else:
            return self.base.str_at(off)
        end = buf.index(b"\0", off)
        return buf[off:end].decode("utf-8", "replace")

    def _decode_types(self, buf):
        pos = 0
        tid = len(self.types)
        n = len(buf)
        unpack = struct.unpack_from
        while pos < n:
            name_off, info, size_or_type = unpack("<III", buf, pos)
            pos += 12
            kind_no = (info >> 24) & 0x1F
            kind = KIND_NAMES.get(kind_no)
            if kind is None:
                raise BtfError("%s: unknown BTF kind %d at type %d"
                               % (self.origin, kind_no, tid))
            t = Type(tid, kind, self.str_at(name_off))
            t.vlen = info & 0xFFFF
            t.kflag = bool(info >> 31)
            if kind in _SIZED:
                t.size = size_or_type
            else:
                t.type = size_or_type
            if kind == "INT":
                (enc,) = unpack("<I", buf, pos)
                pos += 4
                t.int_bits = enc & 0xFF
                t.int_signed = bool((enc >> 24) & 1)
            elif kind == "ARRAY":
                t.elem, _index, t.nelems = unpack("<III", buf, pos)
                pos += 12
            elif kind in ("STRUCT", "UNION"):
                t.members = []
                for _ in range(t.vlen):
                    m_name, m_type, m_off = unpack("<III", buf, pos)
                    pos += 12
                    if t.kflag:
                        bits, off = m_off >> 24, m_off & 0xFFFFFF
                    else:
                        bits, off = 0, m_off
                    t.members.append(Member(self.str_at(m_name), m_type,
                                            off, bits))
            elif kind == "ENUM":
                t.signed_enum = t.kflag
                t.values = []
                for _ in range(t.vlen):
                    v_name, val = unpack("<Ii" if t.kflag else "<II",
                                         buf, pos)
                    pos += 8
                    t.values.append((self.str_at(v_name), val))
            elif kind == "ENUM64":
                t.signed_enum = t.kflag
                t.values = []
                for _ in range(t.vlen):
                    v_name, lo, hi = unpack("<III", buf, pos)
                    pos += 12
                    val = (hi << 32) | lo
                    if t.kflag and val >= 1 << 63:
                        val -= 1 << 64
                    t.values.append((self.str_at(v_name), val))
            elif kind == "FUNC_PROTO":
                t.params = []
                for _ in range(t.vlen):
                    p_name, p_type = unpack("<II", buf, pos)
                    pos += 8
                    t.params.append(Param(self.str_at(p_name), p_type))
            elif kind == "FUNC":
                t.linkage = t.vlen
            elif kind == "VAR":
                (t.linkage,) = unpack("<I", buf, pos)
                pos += 4
            elif kind == "DATASEC":
                pos += 12 * t.vlen
            elif kind == "DECL_TAG":
                pos += 4
            self.types.append(t)
            tid += 1

    # -- queries ------------------------------------------------------------

    def __getitem__(self, tid):
        return self.types[tid]

    def own_types(self):
        """Types defined by this blob (not its base)."""
        return self.types[self.first_id:]

    def find(self, kind, name, own_only=False):
        """All types of KIND named NAME, own ones first."""
        if self._by_name is None:
            idx = {}
            for t in self.types:
                if t.name:
                    idx.setdefault((t.kind, t.name), []).append(t)
            self._by_name = idx
        hits = self._by_name.get((kind, name), [])
        own = [t for t in hits if t.id >= self.first_id]
        if own_only:
            return own
        return own + [t for t in hits if t.id < self.first_id]

    def find_one(self, kind, name):
        """The complete definition of a named type, or None.

        A forward declaration or an empty duplicate is passed over in favour
        of a definition with members when there is one.
        """
        hits = self.find(kind, name)
        if not hits:
            return None
        for t in hits:
            if t.kind not in ("STRUCT", "UNION") or t.vlen:
                return t
        return hits[0]

    def in_base(self, tid):
        return self.base is not None and tid < self.first_id

    def skip_modifiers(self, tid, keep_typedefs=False):
        """Follow const/volatile/restrict/type tags (and typedefs unless told
        to keep them) down to the type that gives the storage."""
        t = self.types[tid]
        while t.kind in MODIFIERS:
            if keep_typedefs and t.kind == "TYPEDEF":
                break
            t = self.types[t.type]
        return t

    def alignof(self, tid):
        """Natural alignment as the x86-64/arm64 ABIs give it.  BTF records
        no alignment attributes, so this is a lower bound for types that
        carry __aligned(); callers compare against real offsets."""
        t = self.skip_modifiers(tid)
        if t.kind == "PTR":
            return 8
        if t.kind == "ARRAY":
            return self.alignof(t.elem)
        if t.kind in ("STRUCT", "UNION"):
            if self._align is None:
                self._align = {}
            if t.id not in self._align:
                self._align[t.id] = 1   # guards self-reference by value
                self._align[t.id] = max([self.alignof(m.type)
                                         for m in t.members if m.name or
                                         not m.bitfield_size] or [1])
            return self._align[t.id]
        if t.kind in ("INT", "ENUM", "ENUM64", "FLOAT"):
            return max(1, min(t.size, 16))
        return 1

    def sizeof(self, tid):
        t = self.skip_modifiers(tid)
        if t.kind == "PTR":
            return 8
        if t.kind == "ARRAY":
            return t.nelems * self.sizeof(t.elem)
        if t.size is None:
            raise BtfError("%s: no size for %r" % (self.origin, t))
        return t.size
