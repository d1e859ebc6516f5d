"""An SVG icon draws nothing from outside itself: `<image href>` to a file (absolute or relative), `xlink:href`,
`<feImage>`, `<use>` of another file, `url()` to a file, `@import`, entities and XInclude are refused by `icon`,
`build` and the PakePlus import, naming the file, the element and the rule (exit 2; the import skips the icon
with a warning). An SVG that embeds its pictures as data: URIs is drawn, embedded pictures included."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from tests.conftest import CARGO_STANDIN, no_traceback, write_config

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">{}</svg>'
)


def red_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (64, 64), (255, 0, 0, 255)).save(buf, "PNG")
    return buf.getvalue()


def leaky(private: Path) -> dict[str, tuple[str, str]]:
    """name → (SVG body, words of the refusal); `private` is a picture outside the SVG."""
    nested = base64.b64encode(SVG.format(f'<image href="{private}" width="64" height="64"/>').encode()).decode()
    return {
        "absolute": (f'<image href="{private}" width="64" height="64"/>', '<image href="/'),
        "relative": ('<image href="private.png" width="64" height="64"/>', '<image href="private.png"> draws'),
        "parent": ('<image href="../secret/private.png" width="64" height="64"/>', "outside the SVG"),
        "xlink": (f'<image xlink:href="{private}" width="64" height="64"/>', "<image xlink:href="),
        "other prefix": (f'<image xmlns:l="http://www.w3.org/1999/xlink" l:href="{private}"/>', "<image l:href="),
        "file url": (f'<image href="file://{private}" width="64" height="64"/>', "outside the SVG"),
        "feImage": (
            f'<filter id="f"><feImage href="{private}"/></filter><rect width="64" height="64" filter="url(#f)"/>',
            "<feImage href=",
        ),
        "use": ('<use href="other.svg#logo"/>', '<use href="other.svg#logo">'),
        "css url": (f'<rect width="64" height="64" style="fill: url({private})"/>', "uses url("),
        "css escape": ('<rect width="64" height="64" style="fill: u\\72l(private.png)"/>', "CSS escape"),
        "import": (f'<style>@import "{private}";</style>', "@import"),
        "attribute url": (f'<rect width="64" height="64" mask="url(file://{private})"/>', "uses url(file://"),
        "xinclude": ('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="private.png"/>', "XInclude"),
        "nested svg": (
            f'<image href="data:image/svg+xml;base64,{nested}" width="64" height="64"/>',
            "embeds an SVG that",
        ),
        "xml base": ('<g xml:base="/etc/"><rect width="1" height="1"/></g>', "base address"),
    }


ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY p SYSTEM "file:///etc/hostname">]>'
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text y="20">&p;</text></svg>'
)


@pytest.fixture
def private(tmp_path: Path) -> Path:
    """A red picture of the user's, outside the SVG (and next to it, for the relative references)."""
    folder = tmp_path / "secret"
    folder.mkdir()
    (folder / "private.png").write_bytes(red_png())
    (tmp_path / "icons-src").mkdir()
    (tmp_path / "icons-src" / "private.png").write_bytes(red_png())
    return folder / "private.png"


def one_error(r, name: str, expect: str) -> None:
    assert r.code == 2, r.err
    [line] = [ln for ln in r.err.splitlines() if ln.startswith("error: ")]
    assert name in line and expect in line, line
    assert no_traceback(r.text)


def test_icon_refuses_every_reference_outside_the_svg(
    run, home: Path, tmp_path: Path, tauri_cli: Path, private: Path
) -> None:
    cases = {
        **{k: (SVG.format(body), expect) for k, (body, expect) in leaky(private).items()},
        "entity": (ENTITY, "declares entities"),
    }
    for name, (text, expect) in cases.items():
        src = tmp_path / "icons-src" / f"{name.replace(' ', '-')}.svg"
        src.write_text(text, encoding="utf-8")
        r = run("icon", str(src), "--out", str(tmp_path / "out"), env={"LOCALPACK_TAURI": str(tauri_cli)})
        one_error(r, src.name, expect)
    assert not (tmp_path / "out").exists() and not (home / "cache" / "icons").exists()


def test_an_svg_with_its_pictures_embedded_is_drawn(run, tmp_path: Path, tauri_cli: Path) -> None:
    from PIL import Image

    embedded = base64.b64encode(red_png()).decode()
    src = tmp_path / "logo.svg"
    src.write_text(
        SVG.format(
            f'<defs><linearGradient id="g"><stop offset="0" stop-color="blue"/></linearGradient>'
            f'</defs><image xlink:href="data:image/png;base64,{embedded}" width="64" height="32"/>'
            '<rect y="32" width="64" height="32" fill="url(#g)"/><a href="https://example.com">'
            '<circle r="1"/></a>'
        ),
        encoding="utf-8",
    )
    r = run("icon", str(src), "--out", str(tmp_path / "out"), env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 0, r.err
    with Image.open(tmp_path / "out" / "icon.png") as im:
        im = im.convert("RGBA")
        assert im.getpixel((256, 100))[:3] == (255, 0, 0)  # the embedded picture, drawn
        assert im.getpixel((256, 400))[2] > 200  # the gradient: url(#g) is the SVG's own


def test_build_refuses_a_leaking_svg_icon_before_it_starts(
    run, home: Path, tmp_path: Path, tauri_cli: Path, private: Path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "icon.svg").write_text(SVG.format(leaky(private)["absolute"][0]), encoding="utf-8")
    write_config(app, '[app]\nname = "leak"\nurl = "https://example.com"\nicon = "icon.svg"\n')
    r = run(
        "build",
        str(app / "localpack.toml"),
        "--targets",
        "deb",
        "--runner",
        str(CARGO_STANDIN),
        "--no-preflight",
        "--out",
        str(tmp_path / "dist"),
        env={"LOCALPACK_TAURI": str(tauri_cli)},
    )
    one_error(r, "icon.svg", "draws something from outside the SVG")
    assert not (tmp_path / "dist").exists() and not (home / "state" / "builds").exists()


@pytest.mark.parametrize("case", ["absolute", "relative", "feImage"])
def test_a_pakeplus_base64_svg_that_leaks_is_not_taken(run, tmp_path: Path, private: Path, case: str) -> None:
    project = tmp_path / "pp"
    project.mkdir()
    svg = SVG.format(leaky(private)[case][0]).encode()
    (project / "ppconfig.json").write_text(
        json.dumps(
            {
                "name": "leak",
                "url": "https://example.com",
                "icon": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    r = run("init", "--from-pakeplus", str(project / "ppconfig.json"), "--dir", str(out))
    assert r.code == 0 and no_traceback(r.text), r.err
    assert "no usable icon" in r.err and "draws something from outside the SVG" in r.err, r.err
    assert [p.name for p in out.iterdir()] == ["localpack.toml"]
