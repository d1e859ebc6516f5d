"""Importing a PakePlus project: `init --from-pakeplus` and `--from-pakeplus` on render."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from PIL import Image

from localpack.config import pakeplus
from tests.conftest import CARGO_STANDIN

CUSTOM_JS = "console.log('hi </script>');\ndocument.title = `x ${1}`;\n"


def icon_b64(color=(255, 80, 0, 255)) -> str:
    buf = io.BytesIO()
    Image.new("RGBA", (640, 640), color).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def ppconfig(folder: Path, **changes: object) -> Path:
    """A ppconfig.json as PakePlus writes it (its template's keys), filled in by a user."""
    data = {
        "name": "MyChatApp",
        "url": "https://chat.example.com/",
        "showName": "聊天助手 Pro",
        "appid": "com.my_chat.app",
        "icon": icon_b64(),
        "iconRound": True,
        "state": False,
        "single": True,
        "injectJq": True,
        "tauriApi": True,
        "devbug": False,
        "debug": True,
        "version": "2",
        "platform": "desktop",
        "width": 1024,
        "height": 700,
        "desc": "一个聊天应用",
        "jsFile": [],
        "filterCss": ".ad-banner; #side > .promo;",
        "customJs": CUSTOM_JS,
        "isHtml": False,
        "htmlPath": "",
        "htmlFiles": [],
        "more": {
            "windows": {
                "label": "",
                "title": "",
                "url": "",
                "userAgent": "Mozilla/5.0 PakePlus",
                "width": 1024,
                "height": 700,
                "theme": "Dark",
                "resizable": True,
                "fullscreen": False,
                "maximized": False,
                "minWidth": 400,
                "minHeight": 300,
                "maxWidth": 1920,
                "maxHeight": 1080,
                "decorations": True,
                "transparent": True,
                "titleBarStyle": "Overlay",
                "visible": True,
                "focus": True,
                "closable": True,
                "minimizable": True,
                "maximizable": True,
                "alwaysOnTop": True,
                "alwaysOnBottom": False,
                "center": False,
                "skipTaskbar": False,
                "tabbingIdentifier": None,
                "parent": None,
                "dragDropEnabled": True,
                "browserExtensionsEnabled": False,
                "devtools": True,
                "contentProtected": False,
                "hiddenTitle": False,
                "incognito": False,
                "proxyUrl": "http://127.0.0.1:7890",
                "useHttpsScheme": False,
                "zoomHotkeysEnabled": True,
                "acceptFirstMouse": False,
                "create": False,
            }
        },
        "android": {"name": "PakePlus", "showName": "Pake Plus"},
        "ios": {"name": ""},
        "desktop": {"name": "MyChatApp", "showName": "聊天助手 Pro", "version": "2", "id": "com.my_chat.app"},
        "watermark": True,
    }
    data.update(changes)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ppconfig.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name,expected",
    [("PakePlus", "pake-plus"), ("MyAPPName", "my-app-name"), ("ChatGPT4", "chat-gpt4"), ("simple", "simple")],
)
def test_camel_case_names_become_kebab(name: str, expected: str) -> None:
    assert pakeplus.kebab_name(name) == expected


@pytest.mark.parametrize(
    "version,expected,noted",
    [
        ("0.0.1", "0.0.1", False),
        ("1", "1.0.0", True),
        ("2.1", "2.1.0", True),
        ("v3.02.1", "3.2.1", True),
        ("beta", "1.0.0", True),
    ],
)
def test_versions_become_semver_with_a_note(version: str, expected: str, noted: bool) -> None:
    fixed, note = pakeplus.semver(version)
    assert fixed == expected and bool(note) == noted


def test_init_imports_every_field(run, tmp_path: Path) -> None:
    src = ppconfig(tmp_path / "pp")
    proj = tmp_path / "proj"
    proj.mkdir()
    r = run("init", "--from-pakeplus", str(src), "--dir", str(proj))
    assert r.code == 0, r.err
    text = (proj / "localpack.toml").read_text(encoding="utf-8")
    cfg = tomllib.loads(text)
    assert cfg["app"] == {
        "name": "my-chat-app",
        "title": "聊天助手 Pro",
        "identifier": "com.my-chat.app",
        "version": "2.0.0",
        "description": "一个聊天应用",
        "url": "https://chat.example.com/",
        "icon": "my-chat-app-icon.png",
        "icon_round": True,
    }
    w = cfg["window"]
    assert (w["width"], w["height"], w["min_width"], w["max_height"]) == (1024, 700, 400, 1080)
    assert (
        w["user_agent"],
        w["theme"],
        w["hide_title_bar"],
        w["always_on_top"],
        w["center"],
        w["proxy"],
        w["zoom_hotkeys"],
    ) == ("Mozilla/5.0 PakePlus", "dark", True, True, False, "http://127.0.0.1:7890", True)
    b = cfg["behavior"]
    assert (b["single_instance"], b["remember_window"], b["devtools"]) == (True, False, True)
    assert b["hide_selectors"] == [".ad-banner", "#side > .promo"] and b["inject"] == ["my-chat-app-custom.js"]
    assert (proj / "my-chat-app-custom.js").read_text() == CUSTOM_JS
    with Image.open(proj / "my-chat-app-icon.png") as im:
        assert im.size == (640, 640)
    # What changed is said, in the output and in the file; what has no equivalent is named in one warning.
    for note in ("'MyChatApp' → 'my-chat-app'", "'com.my_chat.app' → 'com.my-chat.app'", "'2' → '2.0.0'"):
        assert note in r.err and note in text
    assert "tauriApi" in r.err and "never exposes the Tauri API" in r.err
    assert cfg["behavior"]["inject_jquery"] is True  # injectJq
    [unmapped] = [line for line in r.err.splitlines() if "no localpack equivalent" in line]
    for field in ("more.windows.transparent=true", "android, ios", "watermark"):
        assert field in unmapped and field in text  # also a comment in the file
    assert "skipTaskbar" not in unmapped  # PakePlus defaults are not noise
    assert run("render", cwd=proj).code == 0


def test_a_local_html_project_becomes_dist(run, tmp_path: Path) -> None:
    web = tmp_path / "pp" / "www"
    web.mkdir(parents=True)
    (web / "index.html").write_text("<h1>hi</h1>")
    src = ppconfig(tmp_path / "pp", isHtml=True, htmlPath="www", url="", filterCss="body > .x { color: red }")
    r = run("init", "--from-pakeplus", str(src), "--dir", str(tmp_path / "pp"))
    assert r.code == 0, r.err
    cfg = tomllib.loads((tmp_path / "pp" / "localpack.toml").read_text(encoding="utf-8"))
    assert cfg["app"]["dist"] == "./www" and "url" not in cfg["app"]
    assert cfg["behavior"]["inject"] == ["my-chat-app-custom.js", "my-chat-app-filter.css"]  # CSS rules, not selectors
    r = run("render", "--json", cwd=tmp_path / "pp")
    assert r.code == 0 and "src-tauri/localpack/web/index.html" in json.loads(r.out)["written"]


def test_bad_imports_are_exit_2_and_write_nothing(run, tmp_path: Path) -> None:
    src = ppconfig(tmp_path, isHtml=True, htmlPath="nowhere")
    r = run("init", "--from-pakeplus", str(src), "--dir", str(tmp_path))
    assert r.code == 2 and "htmlPath" in r.err and "--dist" in r.err
    (tmp_path / "broken.json").write_text("{nope")
    r = run("init", "--from-pakeplus", "broken.json")
    assert r.code == 2 and "not a valid JSON" in r.err
    src = ppconfig(tmp_path, width=300, more={"windows": {"minWidth": 400}})  # PakePlus allowed it; we do not
    r = run("init", "--from-pakeplus", str(src), "--dir", str(tmp_path))
    assert r.code == 2 and "window.min_width" in r.err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "lphome") == ["broken.json", "ppconfig.json"]


def test_from_pakeplus_on_render_and_flags_override_it(run, tmp_path: Path, home: Path) -> None:
    src = ppconfig(tmp_path / "pp")
    r = run("render", "--from-pakeplus", str(src), "--title", "Override", "--json")
    assert r.code == 0, r.err
    ws = Path(json.loads(r.out)["workspace"])
    assert ws == home / "cache" / "workspaces" / "my-chat-app"
    c = json.loads((ws / "src-tauri" / "tauri.conf.json").read_text(encoding="utf-8"))
    assert c["app"]["windows"][0]["title"] == "Override" and c["identifier"] == "com.my-chat.app"
    assert (ws / "src-tauri" / "localpack" / "inject" / "01-my-chat-app-custom.js").read_text() == CUSTOM_JS
    assert "no localpack equivalent" in r.err


def test_an_imported_cjk_project_builds_a_deb_that_shows_its_name(run, tmp_path: Path, tauri_cli: Path) -> None:
    src = ppconfig(tmp_path / "pp")
    assert run("init", "--from-pakeplus", str(src), "--dir", str(tmp_path / "pp")).code == 0
    r = run(
        "build",
        "--targets",
        "deb",
        "--runner",
        str(CARGO_STANDIN),
        "--no-preflight",
        "--json",
        cwd=tmp_path / "pp",
        env={"LOCALPACK_TAURI": str(tauri_cli)},
    )
    assert r.code == 0, r.err
    [art] = json.loads(r.out)["artifacts"]
    deb = tmp_path / "pp" / art["path"]

    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert field("Package") == "my-chat-app" and field("Version") == "2.0.0"
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        [entry] = [m for m in t.getmembers() if m.name.endswith(".desktop")]
        desktop = t.extractfile(entry).read().decode("utf-8")
        icon = t.extractfile(next(m for m in t.getmembers() if m.name.endswith("128x128/apps/my-chat-app.png")))
        with Image.open(icon) as im:  # the PakePlus icon, rounded
            assert im.getpixel((64, 64))[:3] == (255, 80, 0) and im.getpixel((1, 1))[3] == 0
    assert "Name=聊天助手 Pro\n" in desktop and "Comment=一个聊天应用\n" in desktop and "Exec=my-chat-app" in desktop
