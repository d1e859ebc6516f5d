"""Windows without a compiler: an app's own exe resources written into its copy of the prebuilt runtime exe.

A Windows exe carries its icon (RT_ICON images and an RT_GROUP_ICON directory) and its version info (RT_VERSION:
ProductName, FileDescription, file and product version, LegalCopyright, …) as PE resources, which is why a per-app
compile used to be needed there. Here the staged copy of the runtime's exe gets the app's: the resource tree is
edited with LIEF (a well-kept PE/ELF/Mach-O library that rebuilds the .rsrc section) and the exe is written back.
The version info is a VS_VERSIONINFO block built here to Microsoft's layout; the icon is the app's icon.ico.

Only the copy is changed, never the runtime (cache or wheel); nothing else in the exe moves. The caller on macOS
has no equivalent: the app's icon lives in the bundle, not in the binary.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

RT_ICON, RT_GROUP_ICON, RT_VERSION = 3, 14, 16
LANG_EN_US = 1033
CODE_PAGE_UNICODE = 1200
_FIXED = 0xFEEF04BD


@dataclass(frozen=True)
class ExeInfo:
    product_name: str
    description: str
    version: str  # major.minor.patch
    copyright: str = ""
    company: str = ""
    internal_name: str = ""  # the binary's name without .exe


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def _block(key: str, value: bytes, *, text: bool, children: bytes = b"") -> bytes:
    """One VS_VERSIONINFO node: wLength, wValueLength (in WCHARs for text), wType, szKey, padding to 4, Value,
    padding to 4, Children; wLength counts all of it but the padding after the last byte."""
    value_length = len(value) // 2 if text else len(value)
    node = _padded(struct.pack("<HHH", 0, value_length, 1 if text else 0) + (key + "\0").encode("utf-16-le")) + value
    if children:
        node = _padded(node) + children
    return struct.pack("<H", len(node)) + node[2:]


def _numbers(version: str) -> tuple[int, int, int, int]:
    """x.y.z → four 16-bit numbers (a larger part is held at 65535: the fixed field cannot say more)."""
    parts = [min(int(p), 0xFFFF) for p in version.split("-", 1)[0].split("+", 1)[0].split(".")[:3]]
    return (*parts, *[0] * (4 - len(parts)))  # type: ignore[return-value]


def version_info(info: ExeInfo) -> bytes:
    """The RT_VERSION resource (VS_VERSIONINFO) for `info`."""
    a, b, c, d = _numbers(info.version)
    ms, ls = (a << 16) | b, (c << 16) | d
    fixed = struct.pack("<13I", _FIXED, 0x00010000, ms, ls, ms, ls, 0x3F, 0, 0x00040004, 1, 0, 0, 0)
    strings = {
        "CompanyName": info.company,
        "FileDescription": info.description,
        "FileVersion": info.version,
        "InternalName": info.internal_name,
        "LegalCopyright": info.copyright,
        "OriginalFilename": f"{info.internal_name}.exe" if info.internal_name else "",
        "ProductName": info.product_name,
        "ProductVersion": info.version,
    }
    entries = b"".join(_padded(_block(k, (v + "\0").encode("utf-16-le"), text=True)) for k, v in strings.items() if v)
    table = _block(f"{LANG_EN_US:04x}{CODE_PAGE_UNICODE:04x}", b"", text=True, children=entries)
    string_info = _block("StringFileInfo", b"", text=True, children=_padded(table))
    translation = _block("Translation", struct.pack("<HH", LANG_EN_US, CODE_PAGE_UNICODE), text=False)
    var_info = _block("VarFileInfo", b"", text=True, children=_padded(translation))
    return _block("VS_VERSION_INFO", fixed, text=False, children=_padded(string_info) + _padded(var_info))


def icon_images(ico: bytes) -> tuple[list[bytes], list[bytes]]:
    """An .ico file → (its images, their 12-byte directory entries without the file offset), ValueError if it is
    not one."""
    if len(ico) < 6:
        raise ValueError("not an .ico file")
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    if reserved != 0 or kind != 1 or count == 0 or len(ico) < 6 + 16 * count:
        raise ValueError("not an .ico file")
    images, entries = [], []
    for i in range(count):
        entry = ico[6 + 16 * i : 6 + 16 * (i + 1)]
        size, offset = struct.unpack_from("<II", entry, 8)
        if offset + size > len(ico):
            raise ValueError("a damaged .ico file")
        images.append(ico[offset : offset + size])
        entries.append(entry[:12])
    return images, entries


def group_icon(entries: list[bytes], first_id: int) -> bytes:
    """RT_GROUP_ICON (GRPICONDIR): the .ico's directory, each entry naming its RT_ICON by id."""
    return struct.pack("<HHH", 0, 1, len(entries)) + b"".join(
        e + struct.pack("<H", first_id + i) for i, e in enumerate(entries)
    )


def stamp(exe: Path, info: ExeInfo, ico: Path) -> None:
    """Write the app's icon and version info into `exe` (a copy of the runtime's), in place."""
    import lief  # lazy: a large native library that only a Windows build needs

    binary = lief.PE.parse(str(exe))
    if binary is None:
        raise ValueError(f"{exe.name} is not a PE file")
    images, entries = icon_images(ico.read_bytes())
    root = binary.resources if binary.has_resources else lief.PE.ResourceDirectory(0)
    for kind in (RT_ICON, RT_GROUP_ICON, RT_VERSION):
        for child in [c for c in root.childs if c.id == kind]:
            root.delete_child(child)

    def add(kind: int, items: list[tuple[int, bytes]]) -> None:
        folder = lief.PE.ResourceDirectory(kind)
        for item_id, data in items:
            entry = lief.PE.ResourceDirectory(item_id)
            leaf = lief.PE.ResourceData(list(data), 0)
            leaf.id = LANG_EN_US
            entry.add_child(leaf)
            folder.add_child(entry)
        root.add_child(folder)

    add(RT_ICON, [(i + 1, image) for i, image in enumerate(images)])
    add(RT_GROUP_ICON, [(1, group_icon(entries, 1))])
    add(RT_VERSION, [(1, version_info(info))])
    if not binary.has_resources:
        binary.set_resources(root)
    config = lief.PE.Builder.config_t()
    config.resources = True
    tmp = exe.with_name(exe.name + ".stamp")
    binary.write(str(tmp), config)
    tmp.replace(exe)
