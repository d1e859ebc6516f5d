"""What the importer reads from disk: the ppconfig.json itself, and the icon a field points at or holds."""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from PIL import Image

from localpack import jsonio
from localpack.config import rules as config_rules
from localpack.core import pictures
from localpack.errors import ConfigError
from localpack.fsutil import read_user_file

MAX_BYTES = 64 << 20  # a ppconfig.json with a large base64 icon is a few MB


def read(path: Path) -> dict[str, Any]:
    """A ppconfig.json, read only if it is a regular file of sane size (a FIFO would block forever)."""
    if path.expanduser().is_dir():
        raise ConfigError(
            f"{path}: is a folder, not a ppconfig.json", f"pass the file, e.g. {path / 'scripts' / 'ppconfig.json'}"
        )
    raw = read_user_file(path.expanduser(), "file", "pass the path of your PakePlus ppconfig.json", limit=MAX_BYTES)
    try:
        data = jsonio.loads(raw, limit=MAX_BYTES)
    except ValueError as e:
        raise ConfigError(f"{path}: not a valid JSON file ({e})", "export ppconfig.json from PakePlus again") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a PakePlus config (expected a JSON object)", "pass ppconfig.json")
    where = jsonio.first_string(data, lambda text: "\0" in text)  # no path, config or comment can hold it
    if where is not None:
        raise ConfigError(
            f"{path}: field {where} holds a NUL byte (\\u0000), which no file name or config can hold",
            "remove it from that field, or export the project from PakePlus again",
        )
    return data


def image_kind(data: bytes) -> str | None:
    """'png', 'jpg', 'webp' or 'svg' when `data` really decodes as such; 'other' for another format Pillow
    reads (converted to PNG); None when it is no image."""
    head = data.lstrip()[:256].lower()
    if head.startswith((b"<svg", b"<?xml")):
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError:
            return None
        return "svg" if root.tag.rsplit("}", 1)[-1] == "svg" else None
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            fmt = im.format
    except Exception:  # Pillow raises many types (OSError, SyntaxError, ValueError, DecompressionBombError…)
        return None
    return {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}.get(fmt or "", "other")


def as_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        buf = io.BytesIO()
        im.convert("RGBA").save(buf, "PNG")
    return buf.getvalue()


@dataclass(frozen=True)
class Icon:
    """A usable icon: a file of this machine used where it is, or bytes to write as `<name>-icon.<kind>`."""

    file: Path | None = None
    data: bytes = b""
    kind: str = ""
    converted: bool = False  # another image format, converted to PNG


def icon_in(field: str, text: str, base: Path) -> Icon | str:
    """The icon one field gives (`icon` may hold base64 data; any field may name a file, relative to `base`);
    the reason when it cannot be used."""
    if field == "icon" and (text.startswith("data:") or len(text) >= 1024):
        if text.startswith("data:") and "," not in text:
            return "a data: URL without a ',' before its data"
        try:
            data = base64.b64decode(text.split(",", 1)[1] if text.startswith("data:") else text, validate=True)
        except (binascii.Error, ValueError):
            return "neither base64 image data nor an existing file"
        return _icon(data, None)
    if foreign_windows_path(text):
        return f"{text!r} is a Windows path, not on this machine"
    file = base / Path(text).expanduser()
    if not file.is_file():
        return f"{text!r} is not a file on this machine"
    return _icon(file.read_bytes(), file.resolve())


def _icon(data: bytes, file: Path | None) -> Icon | str:
    try:
        pictures.check(data)  # before anything decodes it: size limits, an SVG that draws only itself
    except pictures.Unreadable:
        return "not a PNG, JPEG, WebP or SVG image (it does not decode)"
    except pictures.PictureProblem as e:
        return f"it {e}"
    kind = image_kind(data)
    if kind is None:
        return "not a PNG, JPEG, WebP or SVG image (it does not decode)"
    if kind == "other":
        return Icon(data=as_png(data), kind="png", converted=True)
    if file is not None and file.suffix.lower() in config_rules.ICON_SUFFIXES:
        return Icon(file=file)
    return Icon(data=data, kind=kind)


def foreign_windows_path(text: str) -> bool:
    """`C:\\Users\\…` on a machine that is not Windows: PakePlus's GUI ran on another computer."""
    return bool(re.match(r"^[A-Za-z]:[\\/]", text)) and os.name != "nt"
