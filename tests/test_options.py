"""Every app option reaches the right place: a tauri.conf.json field, a Rust builder call, Cargo.toml, or the
injected script (run under node with a small DOM stand-in). The rendered project stays valid for the Tauri
schema, the real Tauri CLI, rustfmt and node."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import jsonschema
import pytest

from localpack.config import model as config
from localpack.project import render, workspace
from localpack.errors import ConfigError
from tests.conftest import CARGO_STANDIN, FAKES

NODE = shutil.which("node")


def project(tmp_path: Path, **values: object) -> Path:
    cfg = config.load(None, {"app.name": "demo", "app.url": "https://example.com/", **values})
    dest = tmp_path / f"ws{len(list(tmp_path.glob('ws*')))}"
    workspace.write_tree(dest, render.render(cfg))
    return dest


def window(dest: Path) -> dict:
    return conf(dest)["app"]["windows"][0]


def conf(dest: Path) -> dict:
    return json.loads((dest / "src-tauri" / "tauri.conf.json").read_text(encoding="utf-8"))


def lib_rs(dest: Path) -> str:
    return (dest / "src-tauri" / "src" / "lib.rs").read_text(encoding="utf-8")


def cargo(dest: Path) -> dict:
    return tomllib.loads((dest / "src-tauri" / "Cargo.toml").read_text(encoding="utf-8"))


WINDOW_FIELDS = [
    ("window.min_width", 400, "minWidth", 400),
    ("window.min_height", 300, "minHeight", 300),
    ("window.max_width", 3000, "maxWidth", 3000),
    ("window.max_height", 2000, "maxHeight", 2000),
    ("window.resizable", False, "resizable", False),
    ("window.fullscreen", True, "fullscreen", True),
    ("window.maximized", True, "maximized", True),
    ("window.always_on_top", True, "alwaysOnTop", True),
    ("window.decorations", False, "decorations", False),
    ("window.center", False, "center", False),
    ("window.zoom_hotkeys", False, "zoomHotkeysEnabled", False),
    ("window.user_agent", "UA/1 中文", "userAgent", "UA/1 中文"),
    ("window.incognito", True, "incognito", True),
    ("window.proxy", "socks5://127.0.0.1:1080", "proxyUrl", "socks5://127.0.0.1:1080"),
    ("window.theme", "dark", "theme", "Dark"),
    ("window.theme", "light", "theme", "Light"),
    ("behavior.devtools", True, "devtools", True),
    ("behavior.start_hidden", True, "visible", False),
]


@pytest.mark.parametrize("key,value,field,expected", WINDOW_FIELDS, ids=[f"{w[0]}={w[1]}" for w in WINDOW_FIELDS])
def test_window_options_reach_the_window_config(tmp_path: Path, key: str, value: object, field: str,
                                               expected: object) -> None:
    extra = {"behavior.tray": True} if key == "behavior.start_hidden" else {}
    default = window(project(tmp_path))
    assert default.get(field) != expected
    assert window(project(tmp_path, **{key: value}, **extra))[field] == expected


def test_the_window_is_built_in_rust_from_its_config(tmp_path: Path) -> None:
    dest = project(tmp_path)
    assert window(dest)["create"] is False and window(dest)["label"] == "main"
    assert "WebviewWindowBuilder::from_config(app.handle(), &config)?" in lib_rs(dest)
    assert "theme" not in window(dest)  # "system": follow the desktop


def test_hide_title_bar_is_the_macos_overlay(tmp_path: Path) -> None:
    w = window(project(tmp_path, **{"window.hide_title_bar": True}))
    assert (w["titleBarStyle"], w["hiddenTitle"]) == ("Overlay", True)


def test_zoom_sets_the_webview_zoom_after_building(tmp_path: Path) -> None:
    assert "set_zoom" not in lib_rs(project(tmp_path))
    assert "window.set_zoom(1.25)?;" in lib_rs(project(tmp_path, **{"window.zoom": 125}))


@pytest.mark.parametrize("key,feature", [("behavior.devtools", "devtools"), ("window.proxy", "macos-proxy"),
                                         ("behavior.tray", "tray-icon")])
def test_options_that_need_a_tauri_feature_add_it(tmp_path: Path, key: str, feature: str) -> None:
    value = "http://127.0.0.1:8080" if key == "window.proxy" else True
    assert cargo(project(tmp_path))["dependencies"]["tauri"]["features"] == []
    assert feature in cargo(project(tmp_path, **{key: value}))["dependencies"]["tauri"]["features"]


PLUGINS = [
    ("behavior.single_instance", False, "tauri-plugin-single-instance", "tauri_plugin_single_instance::init(|app, _argv, _cwd|"),
    ("behavior.remember_window", False, "tauri-plugin-window-state", "StateFlags::all() & !StateFlags::VISIBLE"),
    ("behavior.external_links", "app", "tauri-plugin-opener", ".plugin(tauri_plugin_opener::init())"),
]


@pytest.mark.parametrize("key,off,crate,call", PLUGINS, ids=[p[2] for p in PLUGINS])
def test_each_plugin_is_added_only_when_its_option_needs_it(tmp_path: Path, key: str, off: object, crate: str,
                                                            call: str) -> None:
    on, without = project(tmp_path), project(tmp_path, **{key: off})
    assert crate in cargo(on)["dependencies"] and call in lib_rs(on)
    assert crate not in cargo(without)["dependencies"] and call not in lib_rs(without)
    for dest in (on, without):  # plugins are called from Rust only: no page, remote or not, gets a permission
        cap = json.loads((dest / "src-tauri" / "capabilities" / "default.json").read_text())
        assert cap["permissions"] == ["core:default"] and "remote" not in cap


def test_browser_links_leave_the_app_and_app_links_stay(tmp_path: Path) -> None:
    browser = project(tmp_path, **{"behavior.internal_hosts": ("*.例子.com", "accounts.google.com")})
    rust = lib_rs(browser)
    assert ".on_navigation(move |url| !open_outside(&on_navigation, url))" in rust
    assert "if open_outside(&on_new_window, &url)" in rust
    assert "app.opener().open_url(url.as_str(), None::<&str>)" in rust
    links = (browser / "src-tauri" / "src" / "links.rs").read_text()
    assert '"example.com",\n    "*.example.com",\n    "*.xn--fsqu00a.com",\n    "accounts.google.com"' in links
    app = project(tmp_path, **{"behavior.external_links": "app"})
    assert "on_navigation" not in lib_rs(app) and "mod links" not in lib_rs(app)
    assert not (app / "src-tauri" / "src" / "links.rs").exists()
    assert "window.navigate(url)" in lib_rs(app)  # new-window requests open in the one window


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc not installed")
def test_link_rules_decide_as_documented(tmp_path: Path) -> None:
    """links.rs is plain std: compile it with rustc and ask it."""
    dest = project(tmp_path, **{"app.url": "https://www.example.com/app", "behavior.internal_hosts": ("*.sso.io",)})
    cases = [("https", "www.example.com", True), ("https", "example.com", True), ("http", "docs.example.com", True),
             ("https", "EXAMPLE.com", True), ("https", "evil-example.com", False), ("https", "example.com.evil.io", False),
             ("https", "login.sso.io", True), ("https", "sso.io", False), ("https", "tauri.localhost", True),
             ("tauri", "localhost", True), ("about", "", True), ("data", "", True), ("mailto", "", False),
             ("tel", "", False), ("zoommtg", "x", False)]
    main = tmp_path / "probe.rs"
    main.write_text(f'#[allow(dead_code)]\nmod links {{ include!({json.dumps(str(dest / "src-tauri/src/links.rs"))}); }}\n'
                    'fn main() { let a: Vec<String> = std::env::args().collect(); '
                    'for p in a[1..].chunks(2) { println!("{}", links::is_internal(&p[0], &p[1])); } }\n')
    subprocess.run(["rustc", "--edition", "2021", "-o", str(tmp_path / "probe"), str(main)], check=True,
                   capture_output=True)
    args = [x for scheme, host, _ in cases for x in (scheme, host)]
    got = subprocess.run([str(tmp_path / "probe"), *args], capture_output=True, text=True, check=True).stdout.split()
    assert dict(zip([f"{s}://{h}" for s, h, _ in cases], got)) == {f"{s}://{h}": str(e).lower() for s, h, e in cases}


def test_inject_files_run_in_order(tmp_path: Path) -> None:
    files = {"b.js": "window.b = 1;", "a.css": "body { color: red }", "a.js": "window.a = '</script>';",
             "z.css": "p { margin: 0 }"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    order = tuple(tmp_path / n for n in ("b.js", "a.css", "a.js", "z.css"))
    dest = project(tmp_path, **{"behavior.inject": order, "behavior.hide_selectors": (".ad",)})
    rust = lib_rs(dest)
    first, second = rust.index('include_str!("../inject/01-b.js")'), rust.index('include_str!("../inject/02-a.js")')
    assert rust.index('include_str!("init.js")') < first < second
    assert (dest / "src-tauri" / "inject" / "02-a.js").read_text() == files["a.js"]
    init = (dest / "src-tauri" / "src" / "init.js").read_text()
    css = json.loads(re.search(r"style.textContent = (.*);\n", init).group(1))
    assert css == "body { color: red }\np { margin: 0 }\n.ad { display: none !important; }"


def run_in_dom(script: Path, scenario: str, href: str) -> dict:
    proc = subprocess.run([NODE, str(FAKES / "dom_standin.js"), str(script), scenario, href], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_hidden_selectors_survive_page_updates_and_reload_keys_work(tmp_path: Path) -> None:
    selectors = ('a[href*="ad"]', "#side > .promo", "</style><script>")
    dest = project(tmp_path, **{"behavior.hide_selectors": selectors})
    init = dest / "src-tauri" / "src" / "init.js"
    subprocess.run([NODE, "--check", str(init)], check=True)
    got = run_in_dom(init, "init", "https://example.com/page")
    expected = "\n".join(f"{s} {{ display: none !important; }}" for s in selectors)
    assert got["atStart"] == [{"parent": "html", "text": expected}]  # before <head> exists
    assert got["afterHead"] == got["afterSpaUpdate"] == got["afterSecondRun"] == [{"parent": "head", "text": expected}]
    assert got["reloads"] == 3  # F5, Ctrl+R, Cmd+R; not a bare "r" nor Ctrl+Alt+R
    assert run_in_dom(init, "init", "tauri://localhost/")["styles"] == []  # not on localpack's retry page

    no_keys = project(tmp_path, **{"behavior.reload_shortcut": False})
    assert run_in_dom(no_keys / "src-tauri" / "src" / "init.js", "init", "https://example.com/")["reloads"] == 0


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_the_retry_page_waits_for_the_site_then_opens_it(tmp_path: Path) -> None:
    url = 'https://example.com/app?q="x"&y=</script>'
    dest = project(tmp_path, **{"app.url": url, "app.title": "Ünï </script> 中"})
    assert 'config.url = tauri::WebviewUrl::App("index.html".into());' in lib_rs(dest)
    page = (dest / "dist" / "index.html").read_text()
    assert page.count("</script>") == 1  # the values cannot close the script element
    script = tmp_path / "offline.js"
    script.write_text(re.search(r"<script>\n(.*)</script>", page, re.S).group(1))
    subprocess.run([NODE, "--check", str(script)], check=True)
    got = run_in_dom(script, "offline", "tauri://localhost/")
    assert got["shownWhileDown"] and got["replacedWhileDown"] == []
    assert (got["title"], got["site"]) == ("Ünï </script> 中", url)
    assert got["replaced"] == [url] and [f["mode"] for f in got["fetches"]] == ["no-cors", "no-cors"]

    off = project(tmp_path, **{"behavior.retry_page": False})
    assert not (off / "dist").exists() and "WebviewUrl::App" not in lib_rs(off)


def test_a_local_app_is_its_own_frontend(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<div id=app></div>")
    cfg = config.load(None, {"app.name": "spa", "app.dist": web})
    files = render.render(cfg)
    assert files["dist/index.html"] == b"<div id=app></div>"  # no retry page: the app's own
    c = json.loads(files["src-tauri/tauri.conf.json"])
    # Unknown paths fall back to index.html in Tauri's asset resolver, so client-side routes keep working.
    assert c["build"]["frontendDist"] == "../dist" and "url" not in c["app"]["windows"][0]
    assert "WebviewUrl::App" not in files["src-tauri/src/lib.rs"].decode()


def test_tray_and_hide_on_close(tmp_path: Path) -> None:
    dest = project(tmp_path, **{"behavior.tray": True, "behavior.hide_on_close": True, "app.title": 'T "q" 中'})
    rust = lib_rs(dest)
    assert "create_tray(app)?;" in rust and '"show" => show_main(app)' in rust and '"quit" => app.exit(0)' in rust
    assert '.tooltip("T \\"q\\" \\u{4e2d}")' in rust
    assert "WindowEvent::CloseRequested { api, .. }" in rust and "api.prevent_close();" in rust
    plain = lib_rs(project(tmp_path))
    assert "create_tray" not in plain and "CloseRequested" not in plain
    with pytest.raises(ConfigError, match="needs behavior.tray"):
        config.load(None, {"app.name": "a", "app.url": "https://e.com", "behavior.hide_on_close": True})


@pytest.mark.parametrize("title,targets,expected", [
    ("Plain App", (), "Plain App"), ("中文应用", (), "demo"), ("Café Ünïcode", (), "Cafe Unicode"),
    ("中文应用", ("nsis",), "中文应用"), ("中文应用", ("msi", "nsis"), "demo"),
])
def test_windows_product_name_is_ascii_only_when_an_msi_may_be_built(tmp_path: Path, title: str, targets: tuple,
                                                                    expected: str) -> None:
    dest = project(tmp_path, **{"app.title": title, "bundle.targets": targets})
    win = json.loads((dest / "src-tauri" / "tauri.windows.conf.json").read_text(encoding="utf-8"))
    assert win == {"productName": expected}
    assert conf(dest)["productName"] == title and window(dest)["title"] == title  # macOS .app name, window title


def test_bundle_metadata_and_the_desktop_entry(tmp_path: Path) -> None:
    dest = project(tmp_path, **{
        "app.title": "Chat {{x}} 中", "app.description": "line one\nline two \\ {{y}}",
        "bundle.publisher": "ACME", "bundle.category": "developer tool", "bundle.copyright": "© 2026 ACME",
        "bundle.license": "MIT OR Apache-2.0", "bundle.long_description": "Long\ntext",
        "bundle.keywords": ("chat", "聊天"),
    })
    b = conf(dest)["bundle"]
    assert (b["publisher"], b["category"], b["copyright"], b["license"], b["longDescription"]) == (
        "ACME", "DeveloperTool", "© 2026 ACME", "MIT OR Apache-2.0", "Long\ntext")
    entry = (dest / "src-tauri" / "linux" / "app.desktop").read_text(encoding="utf-8")
    assert "Name=Chat \\{{x}} 中\n" in entry
    assert "Comment=line one line two \\\\ \\{{y}}\n" in entry  # one line (package metadata); the bundler turns \{{ into {{
    assert "Keywords=chat;聊天;\n" in entry and "Categories={{categories}}" in entry


FULL = {
    "app.title": "全部 Options", "app.description": "d", "window.min_width": 400, "window.min_height": 300,
    "window.max_width": 3000, "window.max_height": 2000, "window.resizable": False, "window.fullscreen": True,
    "window.maximized": True, "window.always_on_top": True, "window.decorations": False, "window.center": False,
    "window.hide_title_bar": True, "window.zoom": 90, "window.zoom_hotkeys": False, "window.user_agent": "UA",
    "window.incognito": True, "window.proxy": "http://127.0.0.1:8080", "window.theme": "dark",
    "behavior.external_links": "browser", "behavior.internal_hosts": ("*.example.org",), "behavior.devtools": True,
    "behavior.hide_selectors": (".ad",), "behavior.tray": True, "behavior.hide_on_close": True,
    "behavior.start_hidden": True, "bundle.category": "Productivity", "bundle.copyright": "c",
    "bundle.license": "MIT", "bundle.long_description": "l", "bundle.keywords": ("k",), "bundle.publisher": "p",
}
COMBOS = [{}, FULL, {"behavior.external_links": "app", "behavior.single_instance": False,
                     "behavior.remember_window": False, "behavior.retry_page": False, "behavior.reload_shortcut": False},
          {"behavior.single_instance": False, "behavior.tray": True, "window.zoom": 150}]


@pytest.mark.parametrize("values", COMBOS, ids=["defaults", "everything", "minimal", "tray-only"])
def test_option_combinations_stay_valid_rust_js_and_config(tmp_path: Path, values: dict, tauri_schema: dict) -> None:
    dest = project(tmp_path, **values)
    jsonschema.Draft7Validator(tauri_schema).validate(conf(dest))
    if shutil.which("rustfmt"):
        for rs in sorted((dest / "src-tauri").rglob("*.rs")):
            proc = subprocess.run(["rustfmt", "--edition", "2021", "--emit", "stdout", str(rs)], capture_output=True,
                                  text=True)
            assert proc.returncode == 0, f"{rs.name}: {proc.stderr}"
    if NODE:
        subprocess.run([NODE, "--check", str(dest / "src-tauri" / "src" / "init.js")], check=True)


@pytest.mark.parametrize("values", [FULL, COMBOS[2]], ids=["everything", "minimal"])
def test_the_tauri_cli_accepts_every_option_and_leaves_cargo_toml_alone(tmp_path: Path, tauri_cli: Path,
                                                                       values: dict) -> None:
    dest = project(tmp_path, **values)
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    env = {**os.environ, "STANDIN_MODE": "fail", "CARGO_TARGET_DIR": str(tmp_path / "target")}
    proc = subprocess.run([str(tauri_cli), "build", "--bundles", "deb", "--runner", str(CARGO_STANDIN)], cwd=dest,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "could not compile `demo`" in proc.stderr, proc.stderr[-2000:]
    after = {p: p.read_bytes() for p in before}
    assert [str(p) for p in before if before[p] != after[p]] == []  # render stays idempotent across builds
