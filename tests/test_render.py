"""Rendering: valid Tauri v2 files, exact values, atomic and idempotent writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from localpack.config import model as config
from localpack.errors import ConfigError, FileProblem
from localpack.project import app_settings, render, runtime_source, workspace
from tests.conftest import CARGO_STANDIN

TITLES = ['Say "hi" \\ {{ x }} #{y} "# r#', "中文标题 😀 Ünïcödé", "</script>&<b>", "It's ${js} `tpl` &amp;"]


def make_cfg(tmp_path: Path, **values: object) -> config.AppConfig:
    flat = {"app.name": "demo", "app.url": "https://example.com/", **values}
    return config.load(None, flat)


def rendered(tmp_path: Path, cfg: config.AppConfig) -> Path:
    dest = tmp_path / "ws"
    workspace.write_tree(dest, render.render(cfg))
    return dest


def conf(dest: Path) -> dict:
    return json.loads((dest / "src-tauri" / "tauri.conf.json").read_text(encoding="utf-8"))


def settings(dest: Path) -> dict:
    """What the runtime reads at start-up."""
    return json.loads((dest / render.RESOURCES / "app.json").read_text(encoding="utf-8"))


def js_var(path: Path, name: str) -> object:
    """The value of `var NAME = <js literal>;` in a rendered script (the `js` filter writes JSON)."""
    match = re.search(rf"var {name} = (.*);\n", path.read_text(encoding="utf-8"))
    assert match, f"no var {name} in {path.name}"
    return json.loads(match.group(1))


@pytest.mark.parametrize("title", TITLES)
def test_nasty_values_round_trip_through_every_file(tmp_path: Path, title: str) -> None:
    desc = title + '\nsecond line "quoted" \\ \'\'\' """'
    url = 'https://例子.测试/路径/{{x}}?q="a"&b=#{c}'
    ua = title + " Mozilla/5.0 (X11)"
    cfg = make_cfg(tmp_path, **{"app.title": title, "app.description": desc, "app.url": url, "window.user_agent": ua})
    dest = rendered(tmp_path, cfg)
    c = conf(dest)
    assert c["productName"] == app_settings.product_name(cfg)
    for window in (c["app"]["windows"][0], settings(dest)["window"]):
        assert (window["title"], window["userAgent"], window["url"]) == (title, ua, url)
    assert (settings(dest)["title"], settings(dest)["url"]) == (title, url)
    # A url app bundles the retry page, which opens the url; without it there is no web folder.
    retry = dest / render.WEB_DIR / "index.html"
    assert js_var(retry, "SITE") == url and js_var(retry, "TITLE") == title
    assert settings(dest)["start_page"] is True
    no_retry = rendered(tmp_path / "nr", make_cfg(tmp_path, **{"app.url": url, "behavior.retry_page": False}))
    assert settings(no_retry)["start_page"] is False and not (no_retry / render.WEB_DIR).exists()
    one_line = " ".join(desc.split())  # package metadata gets the description on one line
    assert c["bundle"]["shortDescription"] == one_line and "\n" not in one_line


def test_rendered_config_validates_against_the_tauri_schema(tmp_path: Path, tauri_schema: dict) -> None:
    full = {
        "app.title": "Full 全",
        "app.description": "d",
        "window.min_width": 400,
        "window.min_height": 300,
        "window.max_width": 3000,
        "window.max_height": 2000,
        "window.hide_title_bar": True,
        "window.user_agent": "UA",
        "window.proxy": "http://127.0.0.1:8080",
        "window.incognito": True,
        "bundle.targets": ("deb", "rpm"),
        "bundle.publisher": "ACME",
        "bundle.category": "Utility",
    }
    for values in ({}, full):
        c = conf(rendered(tmp_path / str(len(values)), make_cfg(tmp_path, **values)))
        jsonschema.Draft7Validator(tauri_schema).validate(c)


def test_local_app_copies_the_web_folder(tmp_path: Path, tauri_schema: dict) -> None:
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<h1>hi</h1>")
    (web / "assets" / "app.js").write_text("console.log(1)")
    cfg = config.load(None, {"app.name": "local", "app.dist": web})
    dest = rendered(tmp_path, cfg)
    assert (dest / render.WEB_DIR / "assets" / "app.js").read_text() == "console.log(1)"
    c = conf(dest)
    assert c["bundle"]["resources"] == {"localpack/": "localpack/"}  # served by the runtime from the bundle
    assert "url" not in c["app"]["windows"][0] and settings(dest)["url"] is None
    jsonschema.Draft7Validator(tauri_schema).validate(c)


@pytest.mark.parametrize(
    "title,expected", [('Say "hi" \\ a/b: c?', "Say hi a b c"), ("中文 😀", "中文 😀"), ('/:*?"<>|', "demo")]
)
def test_product_name_is_the_title_minus_what_file_names_cannot_hold(tmp_path: Path, title: str, expected: str) -> None:
    assert conf(rendered(tmp_path, make_cfg(tmp_path, **{"app.title": title})))["productName"] == expected


def test_remote_pages_get_no_ipc_permissions(tmp_path: Path) -> None:
    dest = rendered(tmp_path, make_cfg(tmp_path))
    cap = json.loads((dest / "src-tauri" / "capabilities" / "default.json").read_text())
    assert "remote" not in cap and cap["permissions"] == []
    assert conf(dest)["app"]["withGlobalTauri"] is False


def test_the_runtime_crate_is_copied_as_it_is(tmp_path: Path) -> None:
    """Every app's project holds the same runtime sources byte for byte; only its config and resources differ."""
    one = rendered(tmp_path / "one", make_cfg(tmp_path, **{"app.name": "my-app-2"}))
    two = rendered(tmp_path / "two", make_cfg(tmp_path, **{"app.name": "other", "behavior.tray": True}))
    for rel, data in runtime_source.sources().items():
        if rel != "tauri.conf.json":
            assert (one / "src-tauri" / rel).read_bytes() == data == (two / "src-tauri" / rel).read_bytes()
    assert conf(one)["mainBinaryName"] == "my-app-2"  # the binary is named after the app at bundle time
    cargo = tomllib.loads((one / "src-tauri" / "Cargo.toml").read_text())
    assert cargo["package"]["name"] == runtime_source.CRATE


def test_runtime_sources_are_rustfmt_clean() -> None:
    rustfmt = shutil.which("rustfmt")
    if rustfmt is None:
        pytest.skip("rustfmt not installed")
    sources = sorted((runtime_source.runtime_dir() / "src").glob("*.rs"))
    proc = subprocess.run(
        [rustfmt, "--check", "--edition", "2021", *map(str, sources)],
        capture_output=True,
        text=True,
        cwd=runtime_source.runtime_dir(),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_second_render_rewrites_nothing(tmp_path: Path) -> None:
    cfg = make_cfg(tmp_path)
    dest = rendered(tmp_path, cfg)
    before = {p: p.stat().st_mtime_ns for p in dest.rglob("*") if p.is_file()}
    os.utime(dest / "src-tauri" / "Cargo.toml", ns=(1, 1))  # a rewrite would show as a new mtime
    before[dest / "src-tauri" / "Cargo.toml"] = 1
    result = workspace.write_tree(dest, render.render(cfg))
    assert not result.changed
    assert {p: p.stat().st_mtime_ns for p in dest.rglob("*") if p.is_file()} == before


def test_render_owns_only_its_files(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("x")
    (web / "old.js").write_text("old")
    dest = rendered(tmp_path, config.load(None, {"app.name": "a", "app.dist": web}))
    (dest / "src-tauri" / "target").mkdir()
    (dest / "src-tauri" / "target" / "keep").write_text("build output")
    (dest / "target").mkdir()
    (dest / "target" / "bundle").write_text("a bundle")
    (web / "old.js").unlink()
    (web / "index.html").write_text("y")
    result = workspace.write_tree(dest, render.render(config.load(None, {"app.name": "a", "app.dist": web})))
    web_dir = render.WEB_DIR
    assert result.written == (f"{web_dir}/index.html",) and result.removed == (f"{web_dir}/old.js",)
    assert not (dest / web_dir / "old.js").exists()
    assert (dest / "src-tauri" / "target" / "keep").read_text() == "build output"
    assert (dest / "target" / "bundle").read_text() == "a bundle"


def test_a_failed_first_render_leaves_no_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = render.render(make_cfg(tmp_path))
    calls = {"n": 0}
    real = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(FileProblem) as e:  # one line naming the file (as it would be) and the cause
        workspace.write_tree(tmp_path / "ws", files)
    assert str(tmp_path / "ws") in e.value.message and "No space left on device" in e.value.message
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_rerender_is_completed_next_time(tmp_path: Path) -> None:
    cfg = make_cfg(tmp_path)
    dest = rendered(tmp_path, cfg)
    (dest / "src-tauri" / "src" / "main.rs").write_text("half")  # as if a render stopped half-way
    result = workspace.write_tree(dest, render.render(cfg))
    assert "src-tauri/src/main.rs" in result.written
    assert (dest / workspace.MANIFEST).exists()


def test_refuses_a_foreign_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    with pytest.raises(ConfigError, match="not made by localpack"):
        workspace.write_tree(out, render.render(make_cfg(tmp_path)))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_the_tauri_cli_accepts_the_project_and_reaches_cargo(tmp_path: Path, tauri_cli: Path) -> None:
    dest = rendered(tmp_path, make_cfg(tmp_path, **{"app.title": TITLES[0]}))
    env = {**os.environ, "STANDIN_MODE": "fail", "CARGO_TARGET_DIR": str(tmp_path / "target")}
    cmd = [str(tauri_cli), "build", "--bundles", "deb", "--runner", str(CARGO_STANDIN)]
    proc = subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert f"could not compile `{runtime_source.CRATE}`" in proc.stderr  # past config validation, failed in "cargo"

    # The same CLI does reject a config it finds invalid, before cargo runs.
    c = conf(dest)
    c["app"]["windows"][0]["widht"] = 3
    (dest / "src-tauri" / "tauri.conf.json").write_text(json.dumps(c))
    proc = subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "could not compile" not in proc.stderr
