"""Pictures that explode: a few bytes that declare a huge picture are refused from their header, before a pixel
is decoded, by `localpack icon`, `build`, the ui's icon preview and the PakePlus import, with one line naming the
file and the limit (exit 2); nothing is written. Every canvas made from an accepted picture stays small."""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib
from pathlib import Path

import pytest

from localpack.core import pictures
from tests.conftest import CARGO_STANDIN, no_traceback, write_config
from tests.ui_server import UiServer


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares width x height and holds no pixel data: under 100 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 0, 0)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_header(width: int) -> bytes:
    """A lossless WebP that declares width x 1 (its VP8L header holds 14 bits per side)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (4, 4), (255, 0, 0, 255)).save(buf, "WEBP", lossless=True)
    data = bytearray(buf.getvalue())
    bits = int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1)
    data[21:25] = (bits | (width - 1)).to_bytes(4, "little")
    return bytes(data)


def ico_with_png_frame(width: int, height: int) -> bytes:
    """An ICO whose directory says 16x16 but whose frame is a PNG of width x height."""
    frame = png_header(width, height)
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(frame), 22) + frame


def svg_declaring(width: str, height: str, box: str = "") -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        + (f' viewBox="{box}"' if box else "")
        + '><rect width="10" height="10" fill="red"/></svg>'
    ).encode()


BOMBS = {
    "png 100000x1.png": (png_header(100_000, 1), "is 100000x1 pixels: at most 8192 per side"),
    "png 1x100000.png": (png_header(1, 100_000), "is 1x100000 pixels: at most 8192 per side"),
    "png 5000x5000.png": (png_header(5000, 5000), "is 5000x5000 pixels: at most 16,777,216 in all"),
    "png 60000x60000.png": (png_header(60_000, 60_000), "declares too many pixels"),
    "jpeg 9000x10.jpg": (jpeg_header(9000, 10), "is 9000x10 pixels: at most 8192 per side"),
    "jpeg 4500x4500.jpg": (jpeg_header(4500, 4500), "at most 16,777,216 in all"),
    "webp 16384x1.webp": (webp_header(16384), "is 16384x1 pixels"),
    "ico posing as png.png": (ico_with_png_frame(100_000, 1), "not a readable PNG, JPEG or WebP picture"),
    "svg 100000x1.svg": (svg_declaring("100000", "1"), "declares a size of 100000x1 pixels"),
    "svg in inches.svg": (svg_declaring("100in", "100in"), "declares a size of 9600x9600 pixels"),
    "svg no size.svg": (svg_declaring("0", "10"), 'declares width="0": it must be above 0'),
    "svg viewbox.svg": (svg_declaring("100%", "100%", "0 0 1e30 1"), "every number at most 1e9"),
    "svg embeds a bomb.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><image width="64" height="64" href="data:'
        b"image/png;base64," + base64.b64encode(png_header(100_000, 1)) + b'"/></svg>',
        "embeds a picture that is 100000x1 pixels",
    ),
}


def assert_one_line(r, name: str, expect: str) -> None:
    assert r.code == 2, r.err
    [line] = [ln for ln in r.err.splitlines() if ln.startswith("error: ")]
    assert name in line and expect in line, line
    assert no_traceback(r.text)


@pytest.mark.parametrize("name", BOMBS)
def test_icon_refuses_pictures_that_declare_too_many_pixels(
    run, home: Path, tmp_path: Path, tauri_cli: Path, name: str
) -> None:
    data, expect = BOMBS[name]
    assert len(data) < 1000 or "svg" in name
    src = tmp_path / name
    src.write_bytes(data)
    r = run("icon", str(src), "--out", str(tmp_path / "icons"), env={"LOCALPACK_TAURI": str(tauri_cli)}, timeout=60)
    assert_one_line(r, name, expect)
    assert not (tmp_path / "icons").exists() and not (home / "cache" / "icons").exists()


@pytest.mark.parametrize("name", ["png 100000x1.png", "jpeg 9000x10.jpg", "svg 100000x1.svg"])
def test_build_refuses_them_before_it_starts(run, home: Path, tmp_path: Path, tauri_cli: Path, name: str) -> None:
    data, expect = BOMBS[name]
    (tmp_path / "app" / name).parent.mkdir()
    (tmp_path / "app" / name).write_bytes(data)
    write_config(tmp_path / "app", f'[app]\nname = "bomb"\nurl = "https://example.com"\nicon = "{name}"\n')
    r = run(
        "build",
        str(tmp_path / "app" / "localpack.toml"),
        "--targets",
        "deb",
        "--runner",
        str(CARGO_STANDIN),
        "--no-preflight",
        "--out",
        str(tmp_path / "dist"),
        env={"LOCALPACK_TAURI": str(tauri_cli)},
        timeout=60,
    )
    assert_one_line(r, name, expect)
    assert not (tmp_path / "dist").exists() and not (home / "state" / "builds").exists()


def test_a_wide_banner_is_scaled_before_it_is_squared(run, tmp_path: Path) -> None:
    """8192x64 is within the limits; its master is 1024x1024 with the banner across the middle, made without an
    8192x8192 canvas."""
    from PIL import Image

    src = tmp_path / "banner.png"
    Image.new("RGBA", (8192, 64), (0, 128, 255, 255)).save(src)
    r = run("icon", str(src), "--out", str(tmp_path / "icons"))
    assert r.code == 0, r.err
    with Image.open(tmp_path / "icons" / "icon.png") as im:
        im = im.convert("RGBA")
        assert im.size == (512, 512)
        assert im.getpixel((256, 256))[2] > 200 and im.getpixel((256, 256))[3] == 255
        assert im.getpixel((256, 10))[3] == 0  # transparent above the band


def test_the_ui_preview_refuses_them_and_keeps_serving(home: Path, tmp_path: Path, tauri_cli: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    server = UiServer(home, folder, {"LOCALPACK_TAURI": str(tauri_cli)})
    try:
        s = server.session()
        for name in ("png 100000x1.png", "png 5000x5000.png", "svg embeds a bomb.svg"):
            data, expect = BOMBS[name]
            r = s.post(server.base + "/icon-preview", files={"icon_file": (name.replace(" ", "-"), data)}, timeout=30)
            if r.status_code == 200:  # stored: the preview is where the picture is decoded
                r = s.get(server.base + f"/uploads/{r.json()['upload']}/preview.png", timeout=30)
                assert r.status_code == 400 and expect in r.text, r.text
            else:
                assert r.status_code == 400 and expect in r.json()["error"], r.text
        assert s.get(server.base + "/new", timeout=10).ok  # still serving
    finally:
        err = server.stop()
    assert no_traceback(err)


def test_a_pakeplus_icon_that_explodes_is_not_taken(run, tmp_path: Path) -> None:
    project = tmp_path / "pp"
    project.mkdir()
    for i, data in enumerate([png_header(100_000, 1), ico_with_png_frame(100_000, 1), svg_declaring("9e5", "9e5")]):
        config = {
            "name": "bomb",
            "url": "https://example.com",
            "icon": "data:image/png;base64," + base64.b64encode(data).decode(),
        }
        (project / "ppconfig.json").write_text(json.dumps(config), encoding="utf-8")
        out = tmp_path / f"out{i}"
        out.mkdir()
        r = run("init", "--from-pakeplus", str(project / "ppconfig.json"), "--dir", str(out))
        assert r.code == 0 and no_traceback(r.text), r.err
        assert "no usable icon" in r.err and ("pixels: at most" in r.err or "has a frame of 100000x1" in r.err), r.err
        assert [p.name for p in out.iterdir()] == ["localpack.toml"]


def test_the_limits_hold_for_every_ico_frame() -> None:
    with pytest.raises(pictures.PictureProblem, match="has a frame of 100000x1 pixels"):
        pictures.open_raster(ico_with_png_frame(100_000, 1), pictures.IMPORTED)
