# SPDX-License-Identifier: GPL-2.0
"""Find and unpack the BTF blobs of a target kernel.

The base BTF is the .BTF section of vmlinux.  For the running kernel it is
/sys/kernel/btf/vmlinux; for any other kernel it is dug out of the installed
image: a bzImage carries the compressed vmlinux ELF as its payload, whose
position the x86 boot protocol records in the setup header.  Module BTF is
the .BTF section of the (possibly compressed) .ko.
"""

import bz2
import gzip
import hashlib
import os
import shutil
import struct
import subprocess

try:
    import lzma
except ImportError:  # python built without liblzma: fall back to xz(1)
    lzma = None


class SourceError(Exception):
    pass


def _need_tool(tool, package):
    if shutil.which(tool) is None:
        raise SourceError("'%s' not found: install the Debian package %s"
                          % (tool, package))


def _run_filter(argv, data, package, what):
    _need_tool(argv[0], package)
    proc = subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0 or not proc.stdout:
        raise SourceError("%s: %s failed: %s" % (
            what, " ".join(argv),
            proc.stderr.decode(errors="replace").strip()))
    return proc.stdout


def _xz(data, what):
    if lzma is not None:
        try:
            return lzma.LZMADecompressor().decompress(data)
        except lzma.LZMAError as err:
            raise SourceError("%s: xz data is corrupt: %s" % (what, err))
    return _run_filter(["xz", "-dc"], data, "xz-utils", what)


def _zstd(data, what):
    return _run_filter(["zstd", "-dcq"], data, "zstd", what)


# Compressed-stream signatures a bzImage payload or a .ko may start with.
_FORMATS = (
    (b"\xfd7zXZ\x00", "xz", _xz),
    (b"\x28\xb5\x2f\xfd", "zstd", _zstd),
    (b"\x1f\x8b", "gzip", lambda d, w: gzip.decompress(d)),
    (b"BZh", "bzip2", lambda d, w: bz2.decompress(d)),
)


def decompress(data, what):
    for magic, _name, fn in _FORMATS:
        if data.startswith(magic):
            return fn(data, what)
    raise SourceError("%s: unknown compression (first bytes %s); supported: "
                      "xz, zstd, gzip, bzip2" % (what, data[:6].hex()))


def elf_section(data, name, what):
    """Bytes of section NAME of a 64-bit little-endian ELF image, or None."""
    if data[:4] != b"\x7fELF":
        raise SourceError("%s: not an ELF file" % what)
    if data[4] != 2 or data[5] != 1:
        raise SourceError("%s: only 64-bit little-endian ELF is supported"
                          % what)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff == 0 or shnum == 0:
        return None

    def header(i):
        return struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)

    names_off = header(shstrndx)[4]
    want = name.encode()
    for i in range(shnum):
        sh_name, _type, _flags, _addr, off, size = header(i)
        start = names_off + sh_name
        if data[start:data.index(b"\0", start)] == want:
            return data[off:off + size]
    return None


def bzimage_payload(image, what):
    """The compressed kernel inside an x86 bzImage (boot protocol >= 2.08)."""
    if image[0x202:0x206] != b"HdrS":
        raise SourceError("%s: not an x86 bzImage (no HdrS setup header)"
                          % what)
    version, = struct.unpack_from("<H", image, 0x206)
    if version < 0x208:
        raise SourceError("%s: boot protocol %#x has no payload fields"
                          % (what, version))
    setup_sects = image[0x1F1] or 4
    pm_start = (setup_sects + 1) * 512
    offset, length = struct.unpack_from("<II", image, 0x248)
    payload = image[pm_start + offset:pm_start + offset + length]
    # The build appends the decompressed size as a 32-bit word; a stream
    # decoder that insists on consuming everything must not see it.  Not to
    # gzip, whose own trailer already ends with that size.
    if payload.startswith(b"\x1f\x8b"):
        return payload
    return payload[:-4] if len(payload) > 4 else payload


def _file_key(path):
    st = os.stat(path)
    return "%s:%d:%d" % (os.path.realpath(path), st.st_size, st.st_mtime_ns)


def _cached(workdir, stem, src, produce):
    """Run produce() unless workdir holds its result for this very SRC."""
    key = hashlib.sha1(_file_key(src).encode()).hexdigest()[:16]
    path = os.path.join(workdir, "%s.%s.btf" % (stem, key))
    if os.path.exists(path):
        with open(path, "rb") as f:
            return f.read()
    data = produce()
    for old in os.listdir(workdir):    # drop copies from earlier images
        if old.startswith(stem + ".") and old.endswith(".btf"):
            os.unlink(os.path.join(workdir, old))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return data


def _raw_btf_in(blob):
    """A BTF blob inside a kernel image that is not an ELF file (arm64
    Image): the largest well-formed BTF header found in it."""
    best = None
    pos = blob.find(b"\x9f\xeb\x01\x00\x18\x00\x00\x00")
    while pos >= 0:
        type_off, type_len, str_off, str_len = struct.unpack_from(
            "<IIII", blob, pos + 8)
        total = 24 + str_off + str_len
        if type_off == 0 and str_off == type_len and \
                pos + total <= len(blob) and \
                (best is None or total > len(best)):
            best = blob[pos:pos + total]
        pos = blob.find(b"\x9f\xeb\x01\x00\x18\x00\x00\x00", pos + 1)
    return best


def vmlinux_btf(image):
    """The .BTF of the kernel in IMAGE (bzImage, compressed or plain
    vmlinux/Image)."""
    with open(image, "rb") as f:
        raw = f.read()
    if raw[0x202:0x206] == b"HdrS":
        kernel = decompress(bzimage_payload(raw, image), image)
    elif raw[:4] == b"\x7fELF":
        kernel = raw
    else:
        kernel = decompress(raw, image)
    if kernel[:4] == b"\x7fELF":
        btf = elf_section(kernel, ".BTF", image + " (vmlinux)")
    else:
        btf = _raw_btf_in(kernel)
    if btf is None:
        raise SourceError("%s: the kernel has no BTF (built without "
                          "CONFIG_DEBUG_INFO_BTF)" % image)
    return btf


def base_btf(kver, workdir, kdir=None):
    """Raw vmlinux BTF of KVER and a description of where it came from."""
    running = "/sys/kernel/btf/vmlinux"
    if kver == os.uname().release and os.path.exists(running):
        with open(running, "rb") as f:
            return f.read(), running
    # Debian/Ubuntu install the image in /boot; Fedora keeps the packaged
    # copy beside the modules.
    for image in ("/boot/vmlinuz-%s" % kver,
                  "/lib/modules/%s/vmlinuz" % kver):
        if os.path.exists(image):
            return _cached(workdir, "vmlinux", image,
                           lambda: vmlinux_btf(image)), image
    # Some headers packages carry a BTF-only vmlinux for module builds.
    if kdir and os.path.exists(os.path.join(kdir, "vmlinux")):
        path = os.path.join(kdir, "vmlinux")
        with open(path, "rb") as f:
            btf = elf_section(f.read(), ".BTF", path)
        if btf is not None:
            return btf, path
    raise SourceError("/boot/vmlinuz-%s not found: install linux-image-%s "
                      "(the kernel image carries the base BTF)"
                      % (kver, kver))


def module_btf(kver, relpath, workdir):
    """Raw split BTF of /lib/modules/KVER/kernel/RELPATH.ko[.xz|.zst|.gz]."""
    stem = os.path.join("/lib/modules", kver, "kernel", relpath)
    for ext in (".ko", ".ko.xz", ".ko.zst", ".ko.gz"):
        path = stem + ext
        if os.path.exists(path):
            break
    else:
        raise SourceError("%s.ko not found (nor .ko.xz/.ko.zst/.ko.gz): "
                          "install linux-image-%s" % (stem, kver))

    def produce():
        with open(path, "rb") as f:
            raw = f.read()
        elf = raw if ext == ".ko" else decompress(raw, path)
        btf = elf_section(elf, ".BTF", path)
        if btf is None:
            raise SourceError("%s has no .BTF section (kernel built without "
                              "CONFIG_DEBUG_INFO_BTF_MODULES)" % path)
        return btf
    return _cached(workdir, os.path.basename(relpath), path, produce), path


def exported_symbols(kdir):
    """{symbol: (module, export kind)} from KDIR/Module.symvers."""
    path = os.path.join(kdir, "Module.symvers")
    if not os.path.exists(path):
        raise SourceError("%s not found: install linux-headers for this "
                          "kernel (or point --kdir at a built tree)" % path)
    syms = {}
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 4:
                syms[fields[1]] = (fields[2], fields[3])
    return syms
