"""Every app option reaches the right place: the window in tauri.conf.json and in the settings the runtime reads
at start-up (`localpack/app.json`), the runtime's feature set, the bundled files, or the page script (run under
node with a small DOM stand-in). The project stays valid for the Tauri schema and the real Tauri CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from localpack.build import variant
from localpack.config import model as config
from localpack.errors import ConfigError
from localpack.project import app_settings, render, runtime_source, workspace
from tests.conftest import CARGO_STANDIN, FAKES

NODE = shutil.which("node")
INIT_JS = runtime_source.runtime_dir() / "src" / "init.js"


def project(tmp_path: Path, **values: object) -> Path:
    cfg = config.load(None, {"app.name": "demo", "app.url": "https://example.com/", **values})
    dest = tmp_path / f"ws{len(list(tmp_path.glob('ws*')))}"
    workspace.write_tree(dest, render.render(cfg, jquery=b"/* jquery */" if cfg.behavior.inject_jquery else None))
    return dest


def conf(dest: Path) -> dict:
    return json.loads((dest / "src-tauri" / "tauri.conf.json").read_text(encoding="utf-8"))


def window(dest: Path) -> dict:
    return conf(dest)["app"]["windows"][0]


def settings(dest: Path) -> dict:
    return json.loads((dest / render.RESOURCES / "app.json").read_text(encoding="utf-8"))


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
def test_window_options_reach_the_window_the_runtime_builds(
    tmp_path: Path, key: str, value: object, field: str, expected: object
) -> None:
    extra = {"behavior.tray": True} if key == "behavior.start_hidden" else {}
    default = project(tmp_path)
    assert window(default).get(field) != expected
    dest = project(tmp_path, **{key: value}, **extra)
    assert window(dest)[field] == expected == settings(dest)["window"][field]  # validated by the CLI; read at start


def test_the_window_is_described_not_created_by_the_config(tmp_path: Path) -> None:
    dest = project(tmp_path)
    assert window(dest)["create"] is False and window(dest)["label"] == "main"
    assert "theme" not in window(dest)  # "system": follow the desktop


def test_hide_title_bar_is_the_macos_overlay(tmp_path: Path) -> None:
    w = window(project(tmp_path, **{"window.hide_title_bar": True}))
    assert (w["titleBarStyle"], w["hiddenTitle"]) == ("Overlay", True)


@pytest.mark.parametrize(
    "key,value,path,expected",
    [
        ("window.zoom", 125, ("zoom",), 1.25),
        ("window.title_from_page", False, ("title_from_page",), False),
        ("window.new_window", "new", ("new_window",), "new"),
        ("behavior.single_instance", False, ("single_instance",), False),
        ("behavior.remember_window", False, ("remember_window",), False),
        ("behavior.autostart", True, ("autostart",), True),
        ("behavior.context_menu", False, ("page", "context_menu"), False),
        ("behavior.find_in_page", False, ("page", "find_in_page"), False),
        ("behavior.reload_shortcut", False, ("page", "reload_shortcut"), False),
        ("behavior.downloads", False, ("downloads", "enabled"), False),
        ("behavior.activation_shortcut", "CmdOrCtrl+Shift+K", ("activation_shortcut",), "CmdOrCtrl+Shift+K"),
        ("behavior.external_links", "app", ("links", "browser"), False),
        ("behavior.retry_page", False, ("start_page",), False),
    ],
)
def test_behaviour_options_reach_the_runtime_settings(
    tmp_path: Path, key: str, value: object, path: tuple, expected: object
) -> None:
    def get(dest: Path) -> object:
        found: object = settings(dest)
        for part in path:
            found = found[part]  # type: ignore[index]
        return found

    assert get(project(tmp_path)) != expected
    assert get(project(tmp_path, **{key: value})) == expected


def test_downloads_go_to_the_chosen_folder(tmp_path: Path) -> None:
    dest = project(tmp_path, **{"behavior.download_dir": tmp_path / "dl"})
    assert settings(dest)["downloads"] == {"enabled": True, "dir": str(tmp_path / "dl")}
    assert settings(project(tmp_path))["downloads"] == {"enabled": True, "dir": None}


@pytest.mark.parametrize(
    "values,features",
    [
        ({}, ()),
        ({"behavior.tray": True}, ("tray",)),
        ({"behavior.devtools": True}, ("devtools",)),
        ({"behavior.tray": True, "behavior.devtools": True}, ("devtools", "tray")),
        ({"window.proxy": "http://127.0.0.1:8080"}, ()),  # macos-proxy: on macOS only
    ],
)
def test_options_that_need_a_cargo_feature_select_a_runtime_variant(values: dict, features: tuple) -> None:
    cfg = config.load(None, {"app.name": "demo", "app.url": "https://example.com/", **values})
    assert variant.runtime_features(cfg, debug=False) == features
    assert "devtools" not in variant.runtime_features(cfg, debug=True)  # debug builds have the inspector


def test_plugins_are_called_from_rust_only(tmp_path: Path) -> None:
    cap = json.loads((project(tmp_path) / "src-tauri" / "capabilities" / "default.json").read_text())
    assert cap["permissions"] == [] and "remote" not in cap  # no page, remote or not, gets one


def test_browser_links_leave_the_app_and_app_links_stay(tmp_path: Path) -> None:
    links = settings(project(tmp_path, **{"behavior.internal_hosts": ("*.例子.com", "accounts.google.com")}))["links"]
    assert links == {
        "browser": True,
        "internal_hosts": [
            "localpack.localhost",
            "example.com",
            "*.example.com",
            "*.xn--fsqu00a.com",
            "accounts.google.com",
        ],
        "signin_hosts": list(app_settings.SIGNIN_HOSTS),
        "open_schemes": [],
    }
    assert settings(project(tmp_path, **{"behavior.external_links": "app"}))["links"]["browser"] is False


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc not installed")
def test_link_rules_decide_as_documented(tmp_path: Path) -> None:
    """links.rs is plain std: compile it with rustc and ask it, with the hosts and schemes render computes, what
    a top-level navigation of the main window does."""
    cfg = config.load(
        None,
        {
            "app.name": "d",
            "app.url": "https://www.example.com/app",
            "behavior.internal_hosts": ("*.sso.io",),
            "behavior.open_schemes": ("ZoomMtg",),
            "behavior.signin_hosts": ("idp.corp.example/auth",),
        },
    )
    links = app_settings.settings(cfg, [])["links"]
    load, open_, refuse = "Load", "Open", "Refuse"
    cases = [
        ("https", "www.example.com", "/", load),
        ("https", "example.com", "/", load),
        ("http", "docs.example.com", "/", load),
        ("https", "EXAMPLE.com", "/", load),
        ("https", "evil-example.com", "/", open_),
        ("https", "example.com.evil.io", "/", open_),
        ("https", "login.sso.io", "/", load),
        ("https", "sso.io", "/", open_),
        ("http", "localpack.localhost", "/", load),
        ("localpack", "localhost", "/", load),
        ("about", "", "blank", load),
        ("data", "", "text/html,x", refuse),
        ("mailto", "", "a@b.c", open_),
        ("tel", "", "+1", open_),
        ("zoommtg", "x", "/", open_),
        ("msteams", "x", "/", refuse),
        ("smb", "host", "/share", refuse),
        ("file", "", "/etc/passwd", refuse),
        ("search-ms", "", "query=x", refuse),
        ("https", "accounts.google.com", "/o", load),
        ("https", "github.com", "/login/oauth", load),
        ("https", "github.com", "/someone", open_),
        ("https", "idp.corp.example", "/auth/start", load),
        ("https", "idp.corp.example", "/other", open_),
    ]
    main = tmp_path / "probe.rs"
    source = runtime_source.runtime_dir() / "src" / "links.rs"

    def strings(values: list[str]) -> str:
        return "vec![" + ", ".join(json.dumps(v) + ".into()" for v in values) + "]"

    main.write_text(
        f"#[allow(dead_code)]\n#[path = {json.dumps(str(source))}]\nmod links;\n"
        "fn main() { let policy = links::Policy { browser: true, new_windows: false, "
        f"internal_hosts: {strings(links['internal_hosts'])}, "
        f"signin_hosts: {strings(links['signin_hosts'])}, open_schemes: {strings(links['open_schemes'])} }};"
        " let a: Vec<String> = std::env::args().collect(); for p in a[1..].chunks(3) {"
        " let link = links::Link { scheme: &p[0], host: &p[1], path: &p[2] };"
        ' println!("{:?}", policy.navigation(link, links::Frame::Main, false, Some(true))); } }\n'
    )
    subprocess.run(
        ["rustc", "--edition", "2021", "-o", str(tmp_path / "probe"), str(main)], check=True, capture_output=True
    )
    args = [x for scheme, host, path, _ in cases for x in (scheme, host, path)]
    got = subprocess.run([str(tmp_path / "probe"), *args], capture_output=True, text=True, check=True).stdout
    decided = [line.split("(")[0] for line in got.splitlines()]
    assert dict(zip([f"{s}://{h}{p}" for s, h, p, _ in cases], decided, strict=True)) == {
        f"{s}://{h}{p}": e for s, h, p, e in cases
    }


@pytest.mark.parametrize(
    "scheme", ["file", "FILE", "JavaScript", "data", "vbScript", "zoom mtg", "a:b", "1abc", "", "zoommtg\n"]
)
def test_open_schemes_never_include_local_files_or_script_urls(scheme: str) -> None:
    with pytest.raises(ConfigError) as e:
        config.load(None, {"app.name": "d", "app.url": "https://example.com/", "behavior.open_schemes": (scheme,)})
    assert "behavior.open_schemes" in str(e.value)
    schema = json.loads((Path(config.__file__).parent / "localpack.schema.json").read_text())
    item = schema["properties"]["behavior"]["properties"]["open_schemes"]["items"]
    if scheme.strip() == scheme:  # the schema's pattern says the same (a trailing newline aside: `$` in JSON Schema)
        assert not re.search(item["pattern"], scheme)


def test_open_schemes_and_signin_hosts_reach_the_runtime() -> None:
    cfg = config.load(
        None,
        {
            "app.name": "d",
            "app.url": "https://example.com/",
            "behavior.open_schemes": ("ZoomMtg", "msteams"),
            "behavior.signin_hosts": ("Bücher.example/Login", "*.okta.com"),
        },
    )
    links = app_settings.settings(cfg, [])["links"]
    assert links["open_schemes"] == ["zoommtg", "msteams"]
    assert links["signin_hosts"] == [*app_settings.SIGNIN_HOSTS, "xn--bcher-kva.example/Login", "*.okta.com"]
    for bad in ("https://idp.example", "idp.example:443/x", "idp.example/a b", "/path"):
        with pytest.raises(ConfigError):
            config.load(None, {"app.name": "d", "app.url": "https://example.com/", "behavior.signin_hosts": (bad,)})


def test_inject_files_run_in_order(tmp_path: Path) -> None:
    files = {
        "b.js": "window.b = 1;",
        "a.css": "body { color: red }",
        "a.js": "window.a = '</script>';",
        "z.css": "p { margin: 0 }",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    order = tuple(tmp_path / n for n in ("b.js", "a.css", "a.js", "z.css"))
    dest = project(tmp_path, **{"behavior.inject": order, "behavior.hide_selectors": (".ad",)})
    assert settings(dest)["scripts"] == ["01-b.js", "02-a.js"]  # each its own initialization script, in order
    assert (dest / render.INJECT_DIR / "02-a.js").read_text() == files["a.js"]
    assert settings(dest)["page"]["css"] == "body { color: red }\np { margin: 0 }\n.ad { display: none !important; }"


def test_jquery_is_shipped_only_when_asked(tmp_path: Path) -> None:
    on = project(tmp_path, **{"behavior.inject_jquery": True})
    assert (on / render.RESOURCES / "jquery.min.js").read_bytes() == b"/* jquery */" and settings(on)["page"]["jquery"]
    assert not (project(tmp_path) / render.RESOURCES / "jquery.min.js").exists()


def run_in_dom(script: Path, scenario: str, href: str) -> dict:
    proc = subprocess.run(
        [NODE, str(FAKES / "dom_standin.js"), str(script), scenario, href], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def page_script(tmp_path: Path, dest: Path) -> Path:
    """init.js with the page settings in front, exactly as the runtime composes it (runtime/src/window.rs)."""
    script = tmp_path / f"init-{dest.name}.js"
    script.write_text(f"{INIT_JS.read_text().rstrip()}({json.dumps(settings(dest)['page'])});")
    return script


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_hidden_selectors_survive_page_updates_and_page_keys_work(tmp_path: Path) -> None:
    selectors = ('a[href*="ad"]', "#side > .promo", "</style><script>")
    init = page_script(tmp_path, project(tmp_path, **{"behavior.hide_selectors": selectors}))
    subprocess.run([NODE, "--check", str(init)], check=True)
    got = run_in_dom(init, "init", "https://example.com/page")
    expected = "\n".join(f"{s} {{ display: none !important; }}" for s in selectors)
    assert got["atStart"] == [{"parent": "html", "text": expected}]  # before <head> exists
    assert got["afterHead"] == got["afterSpaUpdate"] == got["afterSecondRun"] == [{"parent": "head", "text": expected}]
    assert got["reloads"] == 3  # F5, Ctrl+R, Cmd+R; not a bare "r" nor Ctrl+Alt+R
    assert (got["findBefore"], got["findAfter"]) == (None, "flex")  # Ctrl+F opens the find bar
    assert got["contextMenuPrevented"] is False
    assert run_in_dom(init, "init", "localpack://localhost/")["styles"] == []  # not on localpack's retry page

    off = page_script(
        tmp_path,
        project(
            tmp_path,
            **{"behavior.reload_shortcut": False, "behavior.find_in_page": False, "behavior.context_menu": False},
        ),
    )
    got = run_in_dom(off, "init", "https://example.com/")
    assert (got["reloads"], got["findAfter"], got["contextMenuPrevented"]) == (0, None, True)


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_a_local_apps_pages_get_the_page_settings_too(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<div id=app></div>")
    cfg = config.load(None, {"app.name": "spa", "app.dist": web, "behavior.hide_selectors": (".x",)})
    dest = tmp_path / "spa"
    workspace.write_tree(dest, render.render(cfg))
    assert run_in_dom(page_script(tmp_path, dest), "init", "localpack://localhost/")["styles"] != []


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_the_retry_page_waits_for_the_site_then_opens_it(tmp_path: Path) -> None:
    url = 'https://example.com/app?q="x"&y=</script>'
    dest = project(tmp_path, **{"app.url": url, "app.title": "Ünï </script> 中"})
    assert settings(dest)["start_page"] is True
    page = (dest / render.WEB_DIR / "index.html").read_text()
    assert page.count("</script>") == 1  # the values cannot close the script element
    script = tmp_path / "offline.js"
    script.write_text(re.search(r"<script>\n(.*)</script>", page, re.S).group(1))
    subprocess.run([NODE, "--check", str(script)], check=True)
    got = run_in_dom(script, "offline", "localpack://localhost/")
    assert got["shownWhileDown"] and got["replacedWhileDown"] == []
    assert (got["title"], got["site"]) == ("Ünï </script> 中", url)
    assert got["replaced"] == [url] and [f["mode"] for f in got["fetches"]] == ["no-cors", "no-cors"]

    off = project(tmp_path, **{"behavior.retry_page": False})
    assert not (off / render.WEB_DIR).exists() and settings(off)["start_page"] is False


def test_a_local_app_is_served_from_its_resources(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<div id=app></div>")
    cfg = config.load(None, {"app.name": "spa", "app.dist": web})
    files = render.render(cfg)
    assert files[f"{render.WEB_DIR}/index.html"] == b"<div id=app></div>"  # no retry page: the app's own
    s = json.loads(files[f"{render.RESOURCES}/app.json"])
    assert s["url"] is None and s["start_page"] is False and "url" not in s["window"]


def test_tray_and_hide_on_close(tmp_path: Path) -> None:
    dest = project(tmp_path, **{"behavior.tray": True, "behavior.hide_on_close": True, "app.title": 'T "q" 中'})
    assert settings(dest)["tray"] == {"enabled": True, "hide_on_close": True}
    assert settings(dest)["title"] == 'T "q" 中'  # the tray's tooltip
    assert settings(project(tmp_path))["tray"] == {"enabled": False, "hide_on_close": False}
    with pytest.raises(ConfigError, match="needs behavior.tray"):
        config.load(None, {"app.name": "a", "app.url": "https://e.com", "behavior.hide_on_close": True})


def test_identity_is_the_apps_own(tmp_path: Path) -> None:
    dest = project(tmp_path, **{"app.identifier": "org.example.chat", "app.version": "2.3.4", "app.title": "Chat"})
    s = settings(dest)
    assert (s["identifier"], s["product_name"], s["version"]) == ("org.example.chat", "demo", "2.3.4")
    c = conf(dest)
    assert (c["identifier"], c["version"], c["mainBinaryName"]) == ("org.example.chat", "2.3.4", "demo")
    assert (dest / render.RESOURCES / render.ICON_FILE).read_bytes() == (
        dest / render.ICONS_DIR / "icon.png"
    ).read_bytes()


@pytest.mark.parametrize(
    "title,targets,expected",
    [
        ("Plain App", (), "Plain App"),
        ("中文应用", (), "demo"),
        ("Café Ünïcode", (), "Cafe Unicode"),
        ("中文应用", ("nsis",), "中文应用"),
        ("中文应用", ("msi", "nsis"), "demo"),
    ],
)
def test_windows_product_name_is_ascii_only_when_an_msi_may_be_built(
    tmp_path: Path, title: str, targets: tuple, expected: str
) -> None:
    dest = project(tmp_path, **{"app.title": title, "bundle.targets": targets})
    win = json.loads((dest / "src-tauri" / "tauri.windows.conf.json").read_text(encoding="utf-8"))
    assert win == {"productName": expected}
    assert conf(dest)["productName"] == title and window(dest)["title"] == title  # macOS .app name, window title


def test_bundle_metadata_and_the_desktop_entry(tmp_path: Path) -> None:
    dest = project(
        tmp_path,
        **{
            "app.title": "Chat {{x}} 中",
            "app.description": "line one\nline two \\ {{y}}",
            "bundle.publisher": "ACME",
            "bundle.category": "developer tool",
            "bundle.copyright": "© 2026 ACME",
            "bundle.license": "MIT OR Apache-2.0",
            "bundle.long_description": "Long\ntext",
            "bundle.keywords": ("chat", "聊天"),
        },
    )
    b = conf(dest)["bundle"]
    assert (b["publisher"], b["category"], b["copyright"], b["license"], b["longDescription"]) == (
        "ACME",
        "DeveloperTool",
        "© 2026 ACME",
        "MIT OR Apache-2.0",
        "Long\ntext",
    )
    entry = (dest / "src-tauri" / "linux" / "app.desktop").read_text(encoding="utf-8")
    assert "Name=Chat \\{{x}} 中\n" in entry
    assert (
        "Comment=line one line two \\\\ \\{{y}}\n" in entry
    )  # one line (package metadata); the bundler turns \{{ into {{
    assert "Keywords=chat;聊天;\n" in entry and "Categories={{categories}}" in entry


FULL = {
    "app.title": "全部 Options",
    "app.description": "d",
    "window.min_width": 400,
    "window.min_height": 300,
    "window.max_width": 3000,
    "window.max_height": 2000,
    "window.resizable": False,
    "window.fullscreen": True,
    "window.maximized": True,
    "window.always_on_top": True,
    "window.decorations": False,
    "window.center": False,
    "window.hide_title_bar": True,
    "window.zoom": 90,
    "window.zoom_hotkeys": False,
    "window.user_agent": "UA",
    "window.incognito": True,
    "window.proxy": "http://127.0.0.1:8080",
    "window.theme": "dark",
    "behavior.external_links": "browser",
    "behavior.internal_hosts": ("*.example.org",),
    "behavior.devtools": True,
    "behavior.hide_selectors": (".ad",),
    "behavior.tray": True,
    "behavior.hide_on_close": True,
    "behavior.start_hidden": True,
    "behavior.inject_jquery": True,
    "behavior.autostart": True,
    "behavior.activation_shortcut": "Ctrl+Alt+L",
    "window.new_window": "new",
    "bundle.category": "Productivity",
    "bundle.copyright": "c",
    "bundle.license": "MIT",
    "bundle.long_description": "l",
    "bundle.keywords": ("k",),
    "bundle.publisher": "p",
}
MINIMAL = {
    "behavior.external_links": "app",
    "behavior.single_instance": False,
    "behavior.remember_window": False,
    "behavior.retry_page": False,
    "behavior.reload_shortcut": False,
    "behavior.downloads": False,
    "behavior.find_in_page": False,
    "window.title_from_page": False,
}


@pytest.mark.parametrize("values", [{}, FULL, MINIMAL], ids=["defaults", "everything", "minimal"])
def test_every_option_mix_is_valid_for_the_tauri_schema(tmp_path: Path, values: dict, tauri_schema: dict) -> None:
    dest = project(tmp_path, **values)
    jsonschema.Draft7Validator(tauri_schema).validate(conf(dest))
    window_schema = {**tauri_schema, "$ref": "#/definitions/WindowConfig"}
    jsonschema.Draft7Validator(window_schema).validate(settings(dest)["window"])


@pytest.mark.parametrize("values", [FULL, MINIMAL], ids=["everything", "minimal"])
def test_the_tauri_cli_accepts_every_option_and_leaves_the_project_alone(
    tmp_path: Path, tauri_cli: Path, values: dict
) -> None:
    dest = project(tmp_path, **values)
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    env = {**os.environ, "STANDIN_MODE": "fail", "CARGO_TARGET_DIR": str(tmp_path / "target")}
    proc = subprocess.run(
        [str(tauri_cli), "build", "--bundles", "deb", "--runner", str(CARGO_STANDIN)],
        cwd=dest,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and f"could not compile `{runtime_source.CRATE}`" in proc.stderr, proc.stderr[-2000:]
    after = {p: p.read_bytes() for p in before}
    assert [str(p) for p in before if before[p] != after[p]] == []  # render stays idempotent across builds
