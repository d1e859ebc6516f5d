"""`localpack icon` and the render's icon step: one picture → the files Tauri's bundle expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import IcnsImagePlugin, Image

from localpack.config import model as config
from localpack.project import icons, render

PNGS = {"32x32.png": 32, "64x64.png": 64, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}


def picture(path: Path, size: tuple[int, int], fmt: str, color=(20, 120, 200)) -> Path:
    Image.new("RGB", size, color).save(path, format=fmt)
    return path


def assert_complete_set(folder: Path) -> None:
    for name, side in PNGS.items():
        with Image.open(folder / name) as im:
            assert (im.format, im.size, im.mode) == ("PNG", (side, side), "RGBA"), name
    with Image.open(folder / "icon.ico") as ico:
        sizes = sorted(ico.info["sizes"])
        assert ico.format == "ICO" and sizes[0] == (16, 16) and sizes[-1] == (256, 256) and (32, 32) in sizes
    with open(folder / "icon.icns", "rb") as f:
        icns = IcnsImagePlugin.IcnsFile(f)
        assert {(16, 16, 2), (128, 128, 1), (512, 512, 2)} <= set(icns.itersizes())
    with Image.open(folder / "icon.icns") as im:
        assert im.format == "ICNS"


def test_icon_from_a_small_non_square_jpeg_gives_a_complete_set(run, tmp_path: Path, tauri_cli: Path) -> None:
    src = picture(tmp_path / "logo.jpg", (300, 200), "JPEG")
    r = run("icon", str(src), "--out", "out", env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 0, r.err
    assert "300x200" in r.err and "512" in r.err  # the small-picture warning
    assert_complete_set(tmp_path / "out")
    with Image.open(tmp_path / "out" / "icon.png") as im:
        assert im.getpixel((256, 10))[3] == 0  # centred on a transparent square: empty bands above and below
        assert im.getpixel((256, 256))[3] == 255 and im.getpixel((5, 256))[3] == 255
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*PNGS, "icon.ico", "icon.icns", ".localpack-icons.json"]
    )


@pytest.mark.parametrize("fmt,suffix", [("PNG", ".png"), ("WEBP", ".webp"), ("JPEG", ".jpeg")])
def test_pillow_alone_makes_the_same_set(tmp_path: Path, fmt: str, suffix: str) -> None:
    src = picture(tmp_path / f"logo{suffix}", (640, 640), fmt)
    files = icons.generate(src, cache=tmp_path / "cache", use_tauri=False)
    out = tmp_path / "out"
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data)
    assert_complete_set(out)


def test_round_corners_are_transparent(tmp_path: Path) -> None:
    src = picture(tmp_path / "sq.png", (1024, 1024), "PNG")
    square = icons.master_image(src, round_corners=False, tauri=None)
    rounded = icons.master_image(src, round_corners=True, tauri=None)
    assert square.getpixel((3, 3))[3] == 255
    assert rounded.getpixel((3, 3))[3] == 0 and rounded.getpixel((512, 3))[3] == 255
    assert rounded.getpixel((512, 512))[3] == 255


def test_the_set_is_cached_by_content(tmp_path: Path) -> None:
    src = picture(tmp_path / "a.png", (600, 600), "PNG")
    first = icons.generate(src, cache=tmp_path / "cache", use_tauri=False)
    [folder] = (tmp_path / "cache").iterdir()
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert icons.generate(src, cache=tmp_path / "cache", use_tauri=False) == first
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps  # nothing was redone
    icons.generate(src, round_corners=True, cache=tmp_path / "cache", use_tauri=False)
    picture(src, (600, 600), "PNG", color=(1, 2, 3))
    icons.generate(src, cache=tmp_path / "cache", use_tauri=False)
    assert len(list((tmp_path / "cache").iterdir())) == 3


def test_svg_is_rasterised_by_the_tauri_cli(run, tmp_path: Path, tauri_cli: Path) -> None:
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
        '<rect width="300" height="200" fill="#36c"/></svg>'
    )
    r = run("icon", "logo.svg", "--out", "out", "--round", env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 0, r.err
    assert_complete_set(tmp_path / "out")
    with Image.open(tmp_path / "out" / "icon.png") as im:
        assert im.getpixel((256, 256))[:3] == (51, 102, 204) and im.getpixel((256, 10))[3] == 0


def test_a_file_that_is_not_an_image_is_exit_2(run, tmp_path: Path) -> None:
    (tmp_path / "fake.png").write_text("not a picture")
    r = run("icon", "fake.png")
    assert r.code == 2 and "not a readable PNG" in r.err and "Traceback" not in r.err
    assert run("icon", "missing.png").code == 2


def test_render_uses_the_configured_icon_and_the_built_in_one_otherwise(run, tmp_path: Path) -> None:
    src = picture(tmp_path / "logo.png", (512, 512), "PNG", color=(250, 0, 0))
    cfg = config.load(None, {"app.name": "a", "app.url": "https://e.com", "app.icon": src})
    files = render.render(cfg, icons=icons.generate(src, cache=tmp_path / "c", use_tauri=False))
    default = render.render(config.load(None, {"app.name": "a", "app.url": "https://e.com"}))
    expected = json.loads(files["src-tauri/tauri.conf.json"])["bundle"]["icon"]
    for name in expected:
        assert f"src-tauri/{name}" in files and files[f"src-tauri/{name}"] != default[f"src-tauri/{name}"]
    assert sorted(k for k in files if "/icons/" in k) == sorted(k for k in default if "/icons/" in k)

    r = run("render", "--url", "https://e.com", "--name", "a", "--icon", str(src), "--json")
    assert r.code == 0, r.err
    ws = Path(json.loads(r.out)["workspace"])
    with Image.open(ws / "src-tauri" / "icons" / "icon.png") as im:
        assert im.getpixel((256, 256))[:3] == (250, 0, 0)
