"""Importing real PakePlus configs (tests/data/pakeplus, sources in its README): each imports with exit 0,
every field is mapped, a checked repeat, or named in the output, and the result renders."""

from __future__ import annotations

import base64
import copy
import io
import json
import shutil
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from PIL import Image

from localpack.config import pakeplus
from localpack.errors import ConfigError

DATA = Path(__file__).resolve().parent / "data" / "pakeplus"
CASES = sorted(p.name for p in DATA.iterdir() if p.is_dir())
SHOWN = "scripts/ppconfig.json"


def checkout(tmp_path: Path, case: str, *, web_files: bool = True) -> Path:
    """The case as the user's clone of their PakePlus repository; an isHtml app gets the src/ folder the
    cloud flow commits its files to (a small stand-in page: the real files are not in the test data)."""
    repo = tmp_path / case
    shutil.copytree(DATA / case, repo)
    if web_files and load(repo).get("isHtml"):
        (repo / "src").mkdir()
        (repo / "src" / "index.html").write_text("<!doctype html><title>应用</title><h1>hi</h1>", encoding="utf-8")
    return repo


def load(repo: Path) -> dict:
    return json.loads((repo / SHOWN).read_text(encoding="utf-8-sig"))


def save(repo: Path, data: dict) -> None:
    (repo / SHOWN).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def fields(data: dict) -> list[str]:
    """Every field at the depths PakePlus keeps settings: top level, desktop.*, more.*, more.windows.*."""
    more = data.get("more") or {}
    return (
        [*data]
        + [f"desktop.{k}" for k in data.get("desktop") or {}]
        + [f"more.{k}" for k in more]
        + [f"more.windows.{k}" for k in more.get("windows") or {}]
    )


def value_at(data: dict, path: str) -> object:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def config(repo: Path) -> dict:
    return tomllib.loads((repo / "localpack.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_a_real_config_imports_with_every_field_accounted_for_and_renders(run, tmp_path: Path, case: str) -> None:
    repo = checkout(tmp_path, case)
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    data = load(repo)
    imported = pakeplus.convert(data, (repo / SHOWN).resolve(), shown=SHOWN)
    for path in fields(data):
        fate = imported.fates.get(path)
        assert fate in (pakeplus.MAPPED, pakeplus.SAME, pakeplus.NAMED, pakeplus.IGNORED), path
        if fate in (pakeplus.NAMED, pakeplus.IGNORED) and value_at(data, path) not in (None, "", [], {}):
            assert path.rsplit(".", 1)[-1] in r.err, f"{path} is neither imported nor named"
    assert SHOWN in r.err  # the messages name the file as the user gave it
    cfg = config(repo)
    assert cfg["app"]["title"] == data["showName"] and cfg["app"]["version"] == data["version"]
    rendered = run("render", "--json", cwd=repo)
    assert rendered.code == 0, rendered.err
    conf = json.loads((Path(json.loads(rendered.out)["workspace"]) / "src-tauri" / "tauri.conf.json").read_text())
    assert conf["identifier"] == cfg["app"]["identifier"]


def test_a_2_2_3_site_keeps_its_page_title_icon_and_identifier(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.2.3-url")
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    cfg = config(repo)
    assert cfg["window"]["title_from_page"] is True  # desktop.pageTitle
    assert cfg["app"]["identifier"] == "com.capstonelin.desktop"  # what PakePlus built the desktop app with
    assert cfg["app"]["icon"] == "./app-icon.png"  # desktop.iconPath; iconPath is on the user's Windows disk
    assert "is a Windows path" in r.err
    # PakePlus's template keeps injectJq = true at the top; the desktop section it builds from says false
    assert cfg["behavior"]["inject_jquery"] is False and "top-level injectJq = true differs" in r.err
    assert cfg["behavior"]["inject"] == ["efecebabfaaf-custom.js"]
    assert (cfg["app"]["url"], cfg["window"]["width"], cfg["window"]["height"]) == (
        "https://capstonelin.us.ci/",
        1024,
        768,
    )


def test_a_start_password_is_named_with_the_reason_and_never_echoed(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.2.4-start-password")
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    [warning] = [line for line in r.err.splitlines() if "no localpack equivalent" in line]
    assert "startPwd" in warning and "no protection" in warning and "pwdTitle" in warning
    text = (repo / "localpack.toml").read_text(encoding="utf-8")
    assert "12345678" not in r.err + r.out + text  # the password itself
    cfg = config(repo)
    assert cfg["behavior"]["autostart"] is True and cfg["behavior"]["devtools"] is True
    assert "message" in r.err and "documentation_url" in r.err  # the GitHub reply saved into the file: named


def test_right_click_off_in_2_2_8_hides_the_context_menu(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.2.8-cjk")
    assert run("init", "--from-pakeplus", SHOWN, cwd=repo).code == 0
    cfg = config(repo)
    assert cfg["behavior"]["context_menu"] is False and cfg["behavior"]["autostart"] is False
    assert cfg["app"]["title"] == "题库复习"


def test_an_html_app_uses_the_files_committed_beside_scripts(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.2.3-html-cjk")
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    cfg = config(repo)
    assert cfg["app"]["dist"] == "./src" and "url" not in cfg["app"]
    assert cfg["app"]["title"] == "CogniChart — 逻辑推理与数据决策工具"
    assert cfg["app"]["identifier"] == "cognichart.desktop"


def test_an_html_app_without_its_files_names_the_given_file_and_takes_dist(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.1.5-html-cjk", web_files=False)
    (repo / SHOWN).rename(repo / "my-export.json")
    r = run("init", "--from-pakeplus", "my-export.json", cwd=repo)
    assert r.code == 2 and "my-export.json: isHtml is true" in r.err and "--dist" in r.err
    assert "ppconfig.json" not in r.err and not (repo / "localpack.toml").exists()
    web = repo / "web"
    web.mkdir()
    (web / "index.html").write_text("<h1>鸳鸯</h1>", encoding="utf-8")
    r = run("init", "--from-pakeplus", "my-export.json", "--dist", "web", cwd=repo)
    assert r.code == 0, r.err
    assert config(repo)["app"]["dist"] == "./web"
    r = run("render", "--from-pakeplus", "my-export.json", "--dist", "web", "--json", cwd=tmp_path)
    assert r.code == 2 and "my-export.json: no such file" in r.err  # relative to where it runs
    r = run("render", "--from-pakeplus", "my-export.json", "--dist", "web", "--json", cwd=repo)
    assert r.code == 0, r.err


def test_filter_css_and_js_files_of_a_real_config(run, tmp_path: Path) -> None:
    """No public config has these set (see the data README): they are filled into a real one."""
    repo = checkout(tmp_path, "v2.2.3-url")
    data = load(repo)
    data.update(filterCss=".ad-banner;#side > .promo", jsFile=["extra.js", "gone.js"])
    save(repo, data)
    (repo / "scripts" / "extra.js").write_text("console.log('extra')\n")
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    behavior = config(repo)["behavior"]
    assert behavior["hide_selectors"] == [".ad-banner", "#side > .promo"]
    assert behavior["inject"] == ["efecebabfaaf-custom.js", "./scripts/extra.js"]
    assert "jsFile 'gone.js'" in r.err
    assert run("render", cwd=repo).code == 0


WRONG_TYPES = [
    ("width", "abc"),
    ("jsFile", 5),
    ("jsFile", [5]),
    ("more", [1]),
    ("desktop", "x"),
    ("more.windows", 3),
    ("more.windows.minWidth", "wide"),
    ("desktop.autoStart", "yes"),
    ("icon", 5),
    ("name", ["a"]),
    ("version", {}),
    ("desktop.startMethod", 1),
    ("android", "x"),
    ("isHtml", "no"),
    ("more.windows.width", 800.5),
]


@pytest.mark.parametrize("path,value", WRONG_TYPES, ids=[f"{p}={v!r}" for p, v in WRONG_TYPES])
def test_a_field_of_the_wrong_type_is_exit_2_naming_the_file_and_field(
    run, tmp_path: Path, path: str, value: object
) -> None:
    repo = checkout(tmp_path, "v2.2.4-start-password")
    data = load(repo)
    node = data
    *parents, last = path.split(".")
    for part in parents:
        node = node[part]
    node[last] = value
    save(repo, data)
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 2, r.err
    [line] = [x for x in r.err.splitlines() if x.startswith("error:")]
    assert SHOWN in line and f"field {path} must be" in line and "Traceback" not in r.err


def test_no_field_value_crashes_the_importer() -> None:
    """Every field of a real config, set to values of each JSON type: converted, or a ConfigError."""
    source = (DATA / "v2.2.8-cjk" / SHOWN).resolve()
    data = json.loads(source.read_text(encoding="utf-8"))
    for path in fields(data):
        for value in (7, -1, 2.5, "x", "", True, [], [1], {}, {"a": 1}, None):
            broken = copy.deepcopy(data)
            node = broken
            *parents, last = path.split(".")
            for part in parents:
                node = node[part]
            node[last] = value
            try:
                pakeplus.convert(broken, source, shown="pp.json")
            except ConfigError as e:
                assert e.message.startswith("pp.json: ") and "\n" not in e.message, (path, value)


def png(color=(0, 120, 255, 255), size=64, fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA" if fmt != "GIF" else "P", (size, size), color if fmt != "GIF" else 3).save(buf, fmt)
    return buf.getvalue()


def test_an_icon_that_does_not_decode_is_warned_about_and_the_app_still_renders(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.2.8-cjk")
    data = load(repo)
    data["icon"] = "data:image/png;base64," + base64.b64encode(b"\x89PNG garbage" * 100).decode()
    save(repo, data)
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    assert "icon (not a PNG, JPEG, WebP or SVG image (it does not decode))" in r.err
    assert "icon" not in config(repo)["app"] and not list(repo.glob("*-icon.*"))
    assert run("render", cwd=repo).code == 0


def test_icon_path_on_this_machine_is_used_and_other_formats_become_png(run, tmp_path: Path) -> None:
    repo = checkout(tmp_path, "v2.2.3-custom-js-cjk")
    data = load(repo)
    picture = tmp_path / "AppData" / "icon.gif"
    picture.parent.mkdir()
    picture.write_bytes(png(fmt="GIF"))
    data["iconPath"] = str(picture)
    save(repo, data)
    r = run("init", "--from-pakeplus", SHOWN, cwd=repo)
    assert r.code == 0, r.err
    cfg = config(repo)
    assert cfg["app"]["icon"] == "feffbbbbddfcbdfdc-icon.png" and "converted to PNG" in r.err
    with Image.open(repo / cfg["app"]["icon"]) as im:
        assert im.format == "PNG" and im.size == (64, 64)
    (repo / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    data["iconPath"] = str(repo / "fake.png")
    save(repo, data)
    r = run("init", "--from-pakeplus", SHOWN, "--force", cwd=repo)
    assert r.code == 0 and "it does not decode" in r.err and "icon" not in config(repo)["app"]


def test_a_desktop_section_of_another_project_is_not_used(tmp_path: Path) -> None:
    source = (DATA / "v2.1.5" / SHOWN).resolve()
    data = json.loads(source.read_text(encoding="utf-8"))
    data["desktop"].update(name="PakePlus", showName="xiaoshen", single=False, debug=True)  # the template's
    imported = pakeplus.convert(data, source, shown="x.json")
    assert any("belongs to another project" in w for w in imported.warnings)
    assert imported.values["app.title"] == "ChatGPT-CN" and imported.values["behavior.single_instance"] is True
    assert imported.values["behavior.devtools"] is False


def test_repeats_that_disagree_are_named_and_the_built_window_wins(tmp_path: Path) -> None:
    source = (DATA / "v212" / SHOWN).resolve()
    data = json.loads(source.read_text(encoding="utf-8"))
    data["desktop"]["showName"] = "Other"
    data["more"]["windows"].update(width=1920, title="Else")
    data["url"] = "0v0.pro/chat"
    imported = pakeplus.convert(data, source, shown="x.json")
    notes = " ".join(imported.notes)
    assert "desktop.showName 'Other' differs from showName '0v0'" in notes
    assert "more.windows.title 'Else' differs" in notes
    assert imported.values["window.width"] == 1920 and "the top-level width = 800 differs" in notes
    assert imported.values["app.url"] == "https://0v0.pro/chat" and "needs its scheme" in notes
