"""Pictures are hostile input: what one may be, checked before a pixel of it is decoded.

Raster pictures are judged by their headers: at most `MAX_SIDE` pixels per side and `MAX_PIXELS` in all,
so a 92-byte PNG that declares 100000x1 is refused before anything is allocated for it. For an ICO, every
frame counts (a frame may hold a PNG of its own size), read from the file's directory before Pillow opens
it: Pillow decodes an ICO's largest frame as it opens the file. An SVG declares its size in `width`, `height` and
`viewBox`: the same limits hold for it, and for every picture it embeds.

An SVG renders nothing from outside itself. The icon step rasterises SVG with the Tauri CLI (`tauri icon`,
resvg), whose loader reads any `<image href>` or `<feImage href>` from the disk, absolute or relative to
the SVG's folder, so `check_svg` refuses every reference that is not `#fragment` or a `data:` URI (whose
picture is checked in turn), `url()` other than `url(#…)`, `@import`, CSS escapes, XInclude and DOCTYPE
declarations, and returns a copy written from what it parsed: the rasteriser reads exactly what was checked
(no parser of another opinion in between).
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import struct
from typing import Any
from urllib.parse import unquote_to_bytes
from xml.parsers import expat

MAX_BYTES = 16 << 20  # a picture file; a 1024x1024 PNG is a few MB
MAX_SIDE = 8192  # pixels per side
MAX_PIXELS = 4096 * 4096  # pixels in all: 64 MiB once decoded as RGBA
RASTER = ("PNG", "JPEG", "WEBP")  # what an icon may be (besides SVG)
EMBEDDED = ("PNG", "JPEG", "GIF", "WEBP")  # what resvg draws inside an SVG
IMPORTED = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "ICO")  # what a PakePlus import converts
MAX_NESTING = 2  # an SVG in an SVG in an SVG, no deeper
XINCLUDE = "http://www.w3.org/2001/XInclude"
_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "em": 16.0, "ex": 8.0}
_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


class PictureProblem(ValueError):
    """The rule a picture breaks, as words that follow its name ("icon.png: is 100000x1 pixels: …")."""


class Unreadable(PictureProblem):
    """Not a picture of the formats asked for, or a damaged one."""


def check_size(width: float, height: float, lead: str = "is") -> None:
    """The size limits, for a size read from a header or declared by an SVG."""
    if width > MAX_SIDE or height > MAX_SIDE:
        raise PictureProblem(f"{lead} {_dims(width, height)} pixels: at most {MAX_SIDE} per side may be read")
    if width * height > MAX_PIXELS:
        raise PictureProblem(
            f"{lead} {_dims(width, height)} pixels: at most {MAX_PIXELS:,} in all may be read (4096x4096)"
        )


def _dims(width: float, height: float) -> str:
    return f"{width:g}x{height:g}"


def open_raster(data: bytes, formats: tuple[str, ...] = RASTER) -> Any:
    """`data` opened with Pillow (its header read, nothing decoded) after its size passed the limits; the caller
    loads it. PictureProblem for another format, a damaged header or a size over the limits."""
    import warnings

    from PIL import Image

    if len(data) > MAX_BYTES:
        raise PictureProblem(f"is more than {MAX_BYTES >> 20} MiB")
    if "ICO" in formats and data[:4] == b"\0\0\1\0":  # Pillow decodes an ICO's largest frame as it opens it
        for width, height in _ico_frames(data):
            check_size(width, height, "has a frame of")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=list(formats))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise PictureProblem(f"declares too many pixels ({e})") from None
    except Exception as e:  # noqa: BLE001 - Pillow raises many kinds of error for a damaged picture: all are bad input
        raise Unreadable(f"is not a readable {_names(formats)} picture ({type(e).__name__})") from None
    check_size(*im.size)
    return im


def _names(formats: tuple[str, ...]) -> str:
    names = [{"WEBP": "WebP"}.get(f, f) for f in formats]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def _ico_frames(data: bytes) -> list[tuple[int, int]]:
    """The size of every frame of an ICO: its directory's, or, for a frame that is a PNG, the PNG's own."""
    count = struct.unpack_from("<H", data, 4)[0] if len(data) >= 6 else 0
    sizes = []
    for i in range(count):
        entry = 6 + 16 * i
        if entry + 16 > len(data):
            raise PictureProblem("is an ICO whose directory is cut short")
        width, height = data[entry] or 256, data[entry + 1] or 256
        offset = struct.unpack_from("<I", data, entry + 12)[0]
        frame = data[offset : offset + 24]
        if frame[:8] == b"\x89PNG\r\n\x1a\n" and len(frame) == 24:
            width, height = struct.unpack(">II", frame[16:24])
        sizes.append((width, height))
    return sizes


def check(data: bytes) -> None:
    """A picture a PakePlus project gives (SVG, or a raster it converts): PictureProblem unless it passes."""
    if looks_like_svg(data):
        check_svg(data)
    else:
        open_raster(data, IMPORTED).close()


def looks_like_svg(data: bytes) -> bool:
    head = data.lstrip()[:256].lower().removeprefix(b"\xef\xbb\xbf")
    return head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype"))


def check_svg(data: bytes, depth: int = 0) -> bytes:
    """The SVG written anew from what was parsed and checked (UTF-8, no DOCTYPE, comments or processing
    instructions); PictureProblem when it would draw anything from outside itself or break a limit."""
    if len(data) > MAX_BYTES:
        raise PictureProblem(f"is more than {MAX_BYTES >> 20} MiB")
    if data[:2] == b"\x1f\x8b":
        raise PictureProblem("is a compressed SVG (svgz): save it as plain SVG")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise PictureProblem("is not UTF-8 text, as an SVG must be here") from None
    copy = _Copy(depth)
    parser = expat.ParserCreate(encoding="UTF-8")
    parser.StartDoctypeDeclHandler = copy.doctype
    parser.EntityDeclHandler = copy.entity
    parser.SkippedEntityHandler = copy.skipped
    parser.ExternalEntityRefHandler = copy.external
    parser.StartElementHandler = copy.start
    parser.EndElementHandler = copy.end
    parser.CharacterDataHandler = copy.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise PictureProblem(
            f"is not well-formed XML ({expat.errors.messages.get(e.code, e)}, line {e.lineno})"
        ) from None
    if not copy.out:
        raise PictureProblem("has no <svg> element")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(copy.out) + "\n").encode("utf-8")


class _Copy:
    """expat's handlers: each element checked, then written to `out` as parsed."""

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.out: list[str] = []
        self.stack: list[str] = []
        self.css: list[str] = []

    # what a DOCTYPE may bring: refused
    def doctype(self, _name: str, _system: str | None, _public: str | None, internal: bool) -> None:
        if internal:
            raise PictureProblem("declares entities or defaults in its DOCTYPE, which an icon may not")

    def entity(self, name: str, *_args: object) -> None:
        raise PictureProblem(f"declares the entity {name!r}, which an icon may not")

    def skipped(self, name: str, _is_parameter: bool) -> None:
        raise PictureProblem(f"uses the entity &{name};, which an icon may not")

    def external(self, *_args: object) -> int:
        raise PictureProblem("refers to an external entity, which an icon may not")

    # the document
    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if not self.stack:
            if local != "svg":
                raise PictureProblem(f"has <{name}> as its outermost element, not <svg>")
            _check_declared_size(attrs)
        checked = {key: self._attr(name, key, value) for key, value in attrs.items()}
        self.out.append(f"<{name}" + "".join(f' {k}="{_attr_text(v)}"' for k, v in checked.items()) + ">")
        self.stack.append(local)
        if local == "style":
            self.css = []

    def end(self, name: str) -> None:
        if self.stack.pop() == "style":
            _check_css("".join(self.css), "its <style>", style=True)
        self.out.append(f"</{name}>")

    def text(self, data: str) -> None:
        if not self.stack:
            return
        if self.stack[-1] == "style":
            self.css.append(data)
        self.out.append(data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;"))

    def _attr(self, element: str, name: str, value: str) -> str:
        local = _local(name).lower()
        where = f'<{element} {name}="{_short(value)}">'
        if name.startswith("xmlns") and value.strip() == XINCLUDE:
            raise PictureProblem(f"{where} uses XInclude, which an icon may not")
        if name == "xml:base":
            raise PictureProblem(f"{where} sets a base address, which an icon may not")
        if local in ("href", "src"):
            target = value.strip()
            if target.startswith("#") or (_local(element) == "a" and local == "href"):  # a link is never loaded
                return value
            if target[:5].lower() == "data:":
                return self._data(where, target)
            raise PictureProblem(
                f"{where} draws something from outside the SVG (a file or an address); an icon draws only what it holds"
            )
        if local == "style":
            _check_css(value, where, style=True)
        elif "url(" in value.lower():
            _check_css(value, where, style=False)
        return value

    def _data(self, where: str, uri: str) -> str:
        """A data: URI's picture, checked: a raster by its header, an SVG in full (and written anew)."""
        head, comma, payload = uri[5:].partition(",")
        if not comma:
            raise PictureProblem(f"{where} is a data: URI without a comma")
        try:
            raw = (
                base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
                if head.lower().endswith(";base64")
                else unquote_to_bytes(payload)
            )
        except (binascii.Error, ValueError):
            raise PictureProblem(f"{where} holds base64 data that does not decode") from None
        if looks_like_svg(raw) or head.split(";")[0].strip().lower() == "image/svg+xml":
            if self.depth >= MAX_NESTING:
                raise PictureProblem(f"{where} nests SVG pictures more than {MAX_NESTING} deep")
            try:
                inner = check_svg(raw, self.depth + 1)
            except PictureProblem as e:
                raise PictureProblem(f"{where} embeds an SVG that {e}") from None
            return "data:image/svg+xml;base64," + base64.b64encode(inner).decode("ascii")
        try:
            open_raster(raw, EMBEDDED).close()
        except PictureProblem as e:
            raise PictureProblem(f"{where} embeds a picture that {e}") from None
        return uri


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _short(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 100 else value[:97] + "…"


def _attr_text(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _check_css(text: str, where: str, *, style: bool) -> None:
    """CSS that draws only from the SVG: url(#id) only, no @import, and (in style sheets) no escapes that could
    spell either."""
    if style and "\\" in text:
        raise PictureProblem(f"{where} has a CSS escape (\\), which an icon's style may not")
    if style and "@import" in text.lower():
        raise PictureProblem(f"{where} imports a style sheet (@import), which an icon may not")
    for target in _URL.findall(text):
        if not target.startswith("#"):
            raise PictureProblem(
                f"{where} uses url({_short(target)}), something outside the SVG; an icon may "
                "only use url(#…) of its own elements"
            )


def _check_declared_size(attrs: dict[str, str]) -> None:
    size = []
    for key in ("width", "height"):
        value = attrs.get(key)
        if value is None:
            continue
        m = _LENGTH.fullmatch(value)
        if m is None:
            raise PictureProblem(f'declares {key}="{_short(value)}", which is not a length')
        number = float(m.group(1))
        if not math.isfinite(number) or number <= 0:
            raise PictureProblem(f'declares {key}="{_short(value)}": it must be above 0')
        if m.group(2) != "%":
            size.append((key, number * _PX[m.group(2) or ""]))
    box = attrs.get("viewBox")
    if box is not None:
        numbers = [float(n) for n in _NUMBER.findall(box)]
        if len(numbers) != 4 or re.sub(r"[\s,]", "", _NUMBER.sub("", box)):
            raise PictureProblem(f'declares viewBox="{_short(box)}", which is not four numbers')
        if not all(math.isfinite(n) and abs(n) <= 1e9 for n in numbers) or numbers[2] <= 0 or numbers[3] <= 0:
            raise PictureProblem(
                f'declares viewBox="{_short(box)}": its width and height must be above 0, and every number at most 1e9'
            )
    declared = dict(size)
    if declared:
        check_size(declared.get("width", 1.0), declared.get("height", 1.0), "declares a size of")
