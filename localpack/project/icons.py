"""One picture → the icon files Tauri's `bundle.icon` expects, cached by content.

The source (PNG, JPEG, WebP; SVG rasterised by the Tauri CLI, whose `tauri icon` embeds resvg) is checked
by `core.pictures` before it is decoded (size per side and in all, and an SVG draws nothing from outside
itself), scaled to fit 1024 px, centred on a transparent 1024x1024 master and optionally given rounded
corners. The platform set then comes from the real `tauri icon` when the CLI is found, else from
Pillow. Sets are cached under `<cache>/icons/<sha256>/`, so a rebuild does not redo them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from localpack.core import pictures, proc
from localpack.errors import ConfigError, ToolMissing
from localpack.fsutil import check_output_folder, read_user_file
from localpack.paths import Paths
from localpack.toolchain.tauri_cli import locate

MASTER = 1024
SMALL = 512  # below this a source looks blurry on macOS and high-DPI screens
# file name → PNG side; plus icon.ico and icon.icns: exactly the built-in set in runtime/icons.
PNG_SIZES = {"32x32.png": 32, "64x64.png": 64, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SET_FILES = (*PNG_SIZES, "icon.ico", "icon.icns")
ICONS_MANIFEST = ".localpack-icons.json"  # what `localpack icon` wrote into --out, so it may replace them next time
RADIUS = 0.18  # rounded corners: radius as a share of the side (close to PakePlus's and macOS's look)
CACHE_VERSION = b"localpack-icons-2"  # 2: scaled before it is squared; SVG drawn from its checked copy
HINT = "export the icon as a PNG, ideally 1024x1024"


def _tauri_argv() -> tuple[str, ...] | None:
    found = locate(Paths.from_env())
    return found.argv if found else None


def _read(src: Path) -> bytes:
    """The picture's bytes: a regular file of at most `pictures.MAX_BYTES`."""
    return read_user_file(
        src, "picture", "pass a PNG, JPEG, WebP or SVG file, ideally 1024x1024", limit=pictures.MAX_BYTES
    )


def _open(src: Path, data: bytes, tauri: tuple[str, ...] | None) -> Any:
    """The source as an RGBA Pillow image, its size within `pictures`' limits, checked on the header before a
    pixel is decoded (an SVG: on its declared size and everything it embeds)."""
    if src.suffix.lower() == ".svg":
        return _rasterise_svg(src, data, tauri)
    try:
        with pictures.open_raster(data) as im:
            im.load()
            return im.convert("RGBA")
    except pictures.PictureProblem as e:
        raise ConfigError(f"{src}: {e}", HINT) from None
    except Exception as e:  # noqa: BLE001 - Pillow raises many kinds of error for a damaged picture: all are bad input
        raise ConfigError(f"{src}: not a readable PNG, JPEG or WebP image ({type(e).__name__})", HINT) from None


def _rasterise_svg(src: Path, data: bytes, tauri: tuple[str, ...] | None) -> Any:
    """The SVG drawn at 1024x1024 by the Tauri CLI, from the copy `pictures.check_svg` wrote of it, alone in a
    folder of its own: nothing outside the SVG can be drawn into the icon."""
    from PIL import Image

    try:
        clean = pictures.check_svg(data)
    except pictures.PictureProblem as e:
        raise ConfigError(
            f"{src}: {e}", "embed every picture in the SVG (a data: URI), or export the icon as a PNG ideally 1024x1024"
        ) from None
    if tauri is None:
        raise ToolMissing(
            f"{src}: an SVG icon needs the Tauri CLI to rasterise it",
            "run `localpack setup`, or export the icon as a 1024x1024 PNG",
        )
    with tempfile.TemporaryDirectory(prefix="localpack-svg-") as tmp:
        (Path(tmp) / "src").mkdir()
        (Path(tmp) / "src" / "icon.svg").write_bytes(clean)
        done = proc.run(
            [
                *tauri,
                "icon",
                str(Path(tmp) / "src" / "icon.svg"),
                "-o",
                str(Path(tmp) / "out"),
                "--png",
                str(MASTER),
                "--fit",
                "contain",
            ],
            timeout=120,
        )
        pngs = sorted((Path(tmp) / "out").glob("*.png"))
        if not done.ok or not pngs:
            raise ConfigError(f"{src}: the Tauri CLI could not rasterise this SVG", done.output[-300:].strip())
        with Image.open(pngs[0]) as im:
            return im.convert("RGBA")


def quiet(_text: str) -> None:
    """No one to tell (a caller that passes no `warn`)."""


def master_image(
    src: Path,
    *,
    round_corners: bool,
    tauri: tuple[str, ...] | None,
    warn: Callable[[str], None] = quiet,
    data: bytes | None = None,
) -> Any:
    """Centred on a transparent 1024x1024 canvas, optionally rounded, RGBA. The picture is scaled to fit first,
    then squared: no canvas is larger than the picture itself or the master (a 8192x1 banner never becomes an
    8192x8192 square)."""
    from PIL import Image, ImageDraw

    im = _open(src, _read(src) if data is None else data, tauri)
    w, h = im.size
    if max(w, h) < SMALL:
        warn(f"{src.name} is {w}x{h} px; icons look sharp from {SMALL} px (1024x1024 is best)")
    scale = MASTER / max(w, h)
    fit = (max(1, round(w * scale)), max(1, round(h * scale)))
    if fit != (w, h):
        im = im.resize(fit, Image.Resampling.LANCZOS)
    if fit != (MASTER, MASTER):
        square = Image.new("RGBA", (MASTER, MASTER), (0, 0, 0, 0))
        square.paste(im, ((MASTER - fit[0]) // 2, (MASTER - fit[1]) // 2))
        im = square
    if round_corners:
        mask = Image.new("L", (MASTER * 4, MASTER * 4), 0)  # drawn 4x larger for smooth edges
        ImageDraw.Draw(mask).rounded_rectangle(
            (0, 0, MASTER * 4 - 1, MASTER * 4 - 1), radius=int(MASTER * 4 * RADIUS), fill=255
        )
        mask = mask.resize((MASTER, MASTER), Image.Resampling.LANCZOS)
        alpha = Image.composite(im.getchannel("A"), Image.new("L", im.size, 0), mask)
        im.putalpha(alpha)
    return im


def _with_tauri(master_png: Path, out: Path, tauri: tuple[str, ...]) -> bool:
    with tempfile.TemporaryDirectory(prefix="localpack-icon-") as tmp:
        done = proc.run([*tauri, "icon", str(master_png), "-o", tmp], timeout=180)
        if not done.ok or not all((Path(tmp) / name).is_file() for name in SET_FILES):
            return False
        for name in SET_FILES:
            shutil.copyfile(Path(tmp) / name, out / name)
    return True


def _with_pillow(master: Any, out: Path) -> None:
    from PIL import Image

    for name, size in PNG_SIZES.items():
        master.resize((size, size), Image.Resampling.LANCZOS).save(out / name, format="PNG")
    master.save(out / "icon.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    master.save(out / "icon.icns", format="ICNS")


def generate(
    src: Path,
    *,
    round_corners: bool = False,
    cache: Path | None = None,
    tauri: tuple[str, ...] | None = None,
    use_tauri: bool = True,
    warn: Callable[[str], None] = quiet,
) -> dict[str, bytes]:
    """The icon set for `src` (file name → bytes), from the cache when this picture was done before."""
    if use_tauri and tauri is None:
        tauri = _tauri_argv()
    data = _read(src)
    key = hashlib.sha256(
        CACHE_VERSION + (b"round" if round_corners else b"square") + src.suffix.lower().encode() + data
    ).hexdigest()
    folder = (cache or Paths.from_env().cache / "icons") / key
    if all((folder / name).is_file() for name in SET_FILES):
        return {name: (folder / name).read_bytes() for name in SET_FILES}

    master = master_image(src, round_corners=round_corners, tauri=tauri, warn=warn, data=data)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        buf = io.BytesIO()
        master.save(buf, format="PNG")
        (tmp / "master.png").write_bytes(buf.getvalue())
        if not (tauri and _with_tauri(tmp / "master.png", tmp, tauri)):
            _with_pillow(master, tmp)
        (tmp / "master.png").unlink()
        try:
            os.replace(tmp, folder)
        except OSError:  # another process filled the same folder meanwhile: its set is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {name: (folder / name).read_bytes() for name in SET_FILES}


def for_config(cfg: Any, warn: Callable[[str], None] = quiet) -> dict[str, bytes] | None:
    """The render's icon step: the set for `app.icon`, or None for the built-in icon."""
    if cfg.app.icon is None:
        return None
    return generate(cfg.app.icon, round_corners=cfg.app.icon_round, warn=warn)


def write_set(src: Path, out: Path, *, round_corners: bool, warn: Callable[[str], None]) -> list[Path]:
    """`localpack icon`: write the set into `out` (checked first: a folder that can be written)."""
    check_output_folder(out, "--out")
    files = generate(src, round_corners=round_corners, warn=warn)
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
            written.append(out / name)
        (out / ICONS_MANIFEST).write_text(json.dumps({"files": sorted(files)}, indent=1) + "\n", encoding="utf-8")
    except OSError as e:
        raise ConfigError(
            f"--out {out}: cannot write {e.filename or out} ({e.strerror or e})", "pass another folder to --out"
        ) from None
    return written
