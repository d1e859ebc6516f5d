"""Real apps (pytest marker `real`): compiled with cargo through `localpack build`, installed with apt-get,
started from /usr/bin under Xvfb with a window manager, a D-Bus session and a tray, and observed as a user
would: from inside the page (it reports to the test site), from the window system (titles, sizes, WM_CLASS,
icons, screenshots in test-artifacts/) and from the outside (the browser it hands links to, the files it
writes, a second launch).

Apps: `full` (a url app with every option on; the runtime with a tray), `dist` (a local web app with the
defaults), `bare` (a url app with every option off, compiled on its own with --compile), `second` (another
app from the runtime `dist` compiled, with no compiler in the loop), `big` (a 20,000-file web app) and
`release` (the release profile users get by default).
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import Desktop, wait_for
from tests.realapps import ARTIFACTS, App, build, deb_of, install, localpack_env, prepare_home, uninstall
from tests.testsite import Site

pytestmark = pytest.mark.real

BLOCK = 100  # CSS px: the full app's page is a stack of full-width blocks, each a link a test clicks


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def desktop() -> Iterator[Desktop]:  # conftest.py skips the real tier where its tools are missing
    desk = Desktop.start(ARTIFACTS / "desktop")
    yield desk
    desk.stop()


@pytest.fixture(scope="module")
def home() -> Path:
    return prepare_home()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    s = Site()
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def full_site() -> Iterator[Site]:
    """The full app's own site, so the retry test can take it down without disturbing the others."""
    s = Site()
    blocks = [
        ("ext", "<a id='ext' href='http://outside.test/landing'>another site</a>"),
        ("popup", "<a href='/popup' target='_blank'>a new window of the same site</a>"),
        ("download", "<a href='/files/report.txt'>a download (Content-Disposition)</a>"),
        ("blob", "<a id='blob' download='blob-note.txt'>a blob download</a>"),
    ]
    body = "".join(f"<div style='height:{BLOCK}px;border-bottom:1px solid #ccc'>{html}</div>" for _, html in blocks)
    body += (
        "<div class='ad'>AN ADVERT</div><p>find the needle here</p>"
        "<script>document.getElementById('blob').href = URL.createObjectURL(new Blob(['from a blob']));"
        "document.querySelectorAll('a').forEach(function (a) { a.style.display = 'block';"
        " a.style.height = '100%'; });</script>"
    )
    s.add_page("/", "full", "Full Site Title", body)
    s.add_page("/popup", "full", "Popup Page", "<p>popup</p>")
    s.downloads["/files/report.txt"] = ("report.txt", b"report body\n")
    s.start()
    yield s
    s.stop()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def solid_png(path: Path, rgb: tuple[int, int, int], size: int = 512) -> Path:
    """A one-colour PNG, so the app's own icon is recognisable wherever it shows up."""
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


class Built:
    def __init__(self, name: str, folder: Path, result: dict, identifier: str) -> None:
        self.name, self.folder, self.result, self.identifier = name, folder, result, identifier
        self.deb = deb_of(result, folder)

    def app(self, tmp: Path, desktop: Desktop) -> App:
        return App(self.name, tmp / f"home-{self.name}-{time.monotonic_ns()}", desktop.env)


def build_and_install(folder: Path, *args: str, identifier: str, env: dict | None = None) -> Built:
    result = build(folder, *args, env=env)
    built = Built(result["app"], folder, result, identifier)
    install(built.deb)
    return built


@pytest.fixture(scope="module")
def full(home: Path, full_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    folder = tmp_path_factory.mktemp("full")
    write(folder, "inject.js", "window.__lpInjected = 'yes';\n")
    write(folder, "inject.css", "body { border-top: 7px solid rgb(1, 2, 3); }\n")
    write(
        folder,
        "localpack.toml",
        f"""
[app]
name = "lp-full"
title = "Full App"
identifier = "dev.localpack.test.full"
url = "{full_site.url}"
[window]
width = 1000
height = 700
zoom = 125
user_agent = "LocalpackTest/1.0 (full)"
[behavior]
tray = true
hide_on_close = true
single_instance = true
remember_window = true
external_links = "browser"
internal_hosts = ["*.example.com"]
inject = ["inject.js", "inject.css"]
hide_selectors = [".ad"]
devtools = true
retry_page = true
autostart = true
context_menu = false
inject_jquery = true
activation_shortcut = "Ctrl+Alt+L"
[bundle]
targets = ["deb"]
""",
    )
    built = build_and_install(folder, "--debug", identifier="dev.localpack.test.full")
    yield built
    uninstall("lp-full")


@pytest.fixture(scope="module")
def dist(home: Path, site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    folder = tmp_path_factory.mktemp("dist")
    web = folder / "web"
    write(web, "index.html", web_app_page(site, "dist", "Dist Home"))
    write(web / "assets", "app.css", "body { border-top: 5px solid rgb(4, 5, 6); }\n")
    write(
        folder,
        "localpack.toml",
        """
[app]
name = "lp-dist"
title = "Dist App"
identifier = "dev.localpack.test.dist"
dist = "web"
[bundle]
targets = ["deb", "rpm"]
""",
    )
    built = build_and_install(folder, "--debug", identifier="dev.localpack.test.dist")
    yield built
    uninstall("lp-dist")


def web_app_page(site: Site, tag: str, title: str) -> str:
    """A local web app's page: reports what it is served, its client-side route and attempts to escape."""
    return f"""<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>
<link rel='stylesheet' href='/assets/app.css'></head><body><h1>{title}</h1><script>
async function probe(p) {{ try {{ const r = await fetch(p); return r.status + ' ' + (await r.text()).slice(0, 40); }}
  catch (e) {{ return 'error ' + e; }} }}
window.addEventListener('load', async function () {{
  const out = {{kind: 'load', title: document.title, href: location.href, ua: navigator.userAgent,
    border: getComputedStyle(document.body).borderTopColor,
    route: await probe('/deep/link'), css: await probe('/assets/app.css'), missing: await probe('/missing.js'),
    escape: await probe('/..%2f..%2f..%2fetc%2fpasswd'), escape2: await probe('/assets/..%2f..%2f..%2fetc/passwd')}};
  fetch({json.dumps(site.report_url(tag))}, {{method: 'POST', mode: 'no-cors', body: JSON.stringify(out)}});
}});
</script></body></html>"""


# ---------------------------------------------------------------- helpers
def one_window(desktop: Desktop, name: str, timeout: float = 60) -> str:
    found = wait_for(lambda: desktop.windows(name), timeout, f"a window of {name}")
    return found[0]  # type: ignore[index]


def desktop_entry(name: str) -> dict[str, str]:
    text = Path(f"/usr/share/applications/{name}.desktop").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def shot(desktop: Desktop, window: str, name: str) -> Path:
    return desktop.screenshot(window, ARTIFACTS / f"{name}.png")


def shows(desktop: Desktop, window: str, name: str, rgb: tuple[int, int, int]) -> None:
    """The window paints the page (not a white window): its screenshot holds a band of the page's own colour."""
    from PIL import Image

    def painted() -> bool:
        with Image.open(shot(desktop, window, name)) as im:
            colours = im.convert("RGB").getcolors(im.width * im.height) or []
            return any(count >= 500 and colour == rgb for count, colour in colours)

    wait_for(painted, 20, f"the page's colour {rgb} in the window")


def click_block(desktop: Desktop, window: str, index: int, zoom: float = 1.25) -> None:
    desktop.click(window, 300, int((index * BLOCK + BLOCK / 2) * zoom))


# ---------------------------------------------------------------- the full app
@pytest.fixture
def full_app(full: Built, full_site: Site, desktop: Desktop, tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The full app, started and showing its site."""
    full_site.clear("full")
    app = full.app(tmp_path, desktop)
    app.launch()
    full_site.wait_report("full", timeout=90, kind="load")
    yield app, one_window(desktop, "lp-full")
    app.stop()
    print(app.log()[-4000:])  # shown when the test failed


def test_full_app_page_sees_every_option(
    full: Built, full_site: Site, desktop: Desktop, full_app: tuple[App, str]
) -> None:
    app, window = full_app
    r = full_site.wait_report("full", kind="load")
    assert r["ua"] == "LocalpackTest/1.0 (full)"
    assert r["border"] == "rgb(1, 2, 3)"  # the injected CSS
    assert r["ad"] == "none"  # hide_selectors
    assert r["injected"] == "yes"  # the injected JS ran
    assert r["jquery"] == "3.7.1"  # inject_jquery: the pinned jQuery, shipped with the app
    assert r["w"] == 800  # 1000 px wide at 125 % zoom
    shows(desktop, window, "full-app", (1, 2, 3))  # the injected CSS's 7 px band, painted


def test_full_app_window_is_the_apps_own(full: Built, desktop: Desktop, full_app: tuple[App, str]) -> None:
    app, window = full_app
    assert desktop.geometry(window) == (1000, 700)
    assert wait_for(lambda: desktop.title(window) == "Full Site Title", 10, "the page's title")  # title_from_page
    entry = desktop_entry("lp-full")
    assert entry["Name"] == "Full App"
    assert entry["StartupWMClass"] in desktop.wm_class(window)  # so a dock shows the app's own icon and name
    assert desktop.icon_size(window) is not None  # a window icon (the app's, from its resources)
    autostart = app.home / ".config" / "autostart" / "lp-full.desktop"
    assert "Exec=/usr/bin/lp-full" in autostart.read_text()  # autostart
    assert app.data_dir(full.identifier).is_dir()  # its own data dir, named by its identifier
    assert wait_for(desktop.tray_icons, 20, "a tray icon")  # the tray (an XEmbed icon in trayer)


def test_full_app_sends_other_sites_to_the_browser_and_reloads(
    full_site: Site, desktop: Desktop, full_app: tuple[App, str]
) -> None:
    app, window = full_app
    click_block(desktop, window, 0)
    wait_for(lambda: "http://outside.test/landing" in app.opened.urls(), 20, "the link in the system browser")
    full_site.clear("full")
    desktop.key(window, "ctrl+r")  # reload_shortcut; and the page is still the site's own
    r = full_site.wait_report("full", kind="load")
    assert (r["href"], r["loads"]) == (full_site.url, 2)


def test_full_app_opens_its_own_new_window_links_in_the_one_window(
    full_site: Site, desktop: Desktop, full_app: tuple[App, str]
) -> None:
    app, window = full_app
    click_block(desktop, window, 1)  # target=_blank to the app's own site
    full_site.wait_report("full", kind="load", href=full_site.url + "popup")
    assert desktop.windows("lp-full") == [window]
    assert wait_for(lambda: desktop.title(window) == "Popup Page", 10, "the popup's title in the one window")


def test_full_app_finds_in_page_and_has_no_context_menu(
    full_site: Site, desktop: Desktop, full_app: tuple[App, str]
) -> None:
    app, window = full_app
    desktop.key(window, "ctrl+f")
    full_site.wait_report("full", kind="tick", find=True)
    desktop.run("xdotool", "type", "--delay", "40", "needle")
    desktop.run("xdotool", "key", "Return")
    full_site.wait_report("full", kind="tick", selection="needle")
    shot(desktop, window, "full-app-find")
    before = set(desktop.windows("lp-full"))
    desktop.right_click(window, 300, 620)
    assert full_site.wait_report("full", kind="contextmenu")["prevented"] is True
    time.sleep(1)
    assert set(desktop.windows("lp-full")) == before  # no menu popped up


def test_full_app_saves_downloads_without_overwriting(
    full_site: Site, desktop: Desktop, full_app: tuple[App, str]
) -> None:
    app, window = full_app
    downloads = app.home / "Downloads"
    click_block(desktop, window, 2)
    wait_for(lambda: (downloads / "report.txt").is_file(), 20, "report.txt in ~/Downloads")
    toast = full_site.wait_report("full", kind="tick", toast=lambda t: bool(t))["toast"]
    assert toast == "Downloaded report.txt"  # the name only: the page can read the note, the folder names the user
    click_block(desktop, window, 2)
    wait_for(lambda: (downloads / "report (1).txt").is_file(), 20, "a second report, not over the first")
    assert (downloads / "report.txt").read_bytes() == (downloads / "report (1).txt").read_bytes() == b"report body\n"
    click_block(desktop, window, 3)
    wait_for(lambda: (downloads / "blob-note.txt").is_file(), 20, "the blob download")
    assert (downloads / "blob-note.txt").read_text() == "from a blob"


def test_full_app_hides_on_close_and_comes_back(full_site: Site, desktop: Desktop, full_app: tuple[App, str]) -> None:
    app, window = full_app
    desktop.close(window)  # hide_on_close: the window goes, the app stays (in the tray)
    wait_for(lambda: not desktop.windows("lp-full"), 10, "the window to hide")
    assert app.procs[0].poll() is None
    desktop.global_key("ctrl+alt+l")  # activation_shortcut, from anywhere
    wait_for(lambda: desktop.windows("lp-full"), 10, "the window back after the global shortcut")
    desktop.close(window)
    wait_for(lambda: not desktop.windows("lp-full"), 10, "the window to hide again")
    second = app.launch()  # single_instance: a second launch raises the first and exits
    assert second.wait(timeout=30) == 0
    wait_for(lambda: desktop.windows("lp-full"), 10, "the first window back after a second launch")
    assert len([p for p in app.procs if p.poll() is None]) == 1


def test_full_app_shows_the_retry_page_while_the_site_is_down(
    full: Built, full_site: Site, desktop: Desktop, tmp_path: Path
) -> None:
    full_site.stop()
    app = full.app(tmp_path, desktop)
    try:
        app.launch()
        window = one_window(desktop, "lp-full")
        wait_for(lambda: desktop.title(window) == "Full App", 20, "the retry page (the app's title)")
        time.sleep(2)
        shot(desktop, window, "full-app-retry")
        full_site.clear("full")
        full_site.start()  # the site answers again: the page moves on to it by itself
        full_site.wait_report("full", timeout=60, kind="load")
        assert wait_for(lambda: desktop.title(window) == "Full Site Title", 10, "the site's title")
    finally:
        app.stop()
        if full_site._server is None:
            full_site.start()


# ---------------------------------------------------------------- the local web app (defaults)
@pytest.fixture
def dist_app(dist: Built, site: Site, desktop: Desktop, tmp_path: Path) -> Iterator[tuple[App, str]]:
    site.clear("dist")
    app = dist.app(tmp_path, desktop)
    app.launch()
    site.wait_report("dist", timeout=90, kind="load")
    yield app, one_window(desktop, "lp-dist")
    app.stop()


def test_dist_app_serves_its_files_and_routes_and_nothing_else(
    site: Site, desktop: Desktop, dist_app: tuple[App, str]
) -> None:
    app, window = dist_app
    r = site.wait_report("dist", kind="load")
    assert r["border"] == "rgb(4, 5, 6)"  # its own CSS, served from the bundle's resources
    assert r["css"].startswith("200 body")
    assert r["route"].startswith("200 <!doctype html>")  # a client-side route gets index.html
    assert r["missing"].startswith("404")
    assert r["escape"].startswith("403") and r["escape2"].startswith("403")  # never /etc/passwd
    assert desktop.geometry(window) == (1200, 780)  # the default size
    assert desktop.title(window) == "Dist Home"
    shows(desktop, window, "dist-app", (4, 5, 6))


def test_dist_app_has_the_default_context_menu(desktop: Desktop, dist_app: tuple[App, str]) -> None:
    app, window = dist_app
    before = set(desktop.run("xdotool", "search", "--onlyvisible", "--name", ".*", check=False).stdout.split())
    desktop.right_click(window, 400, 400)
    wait_for(
        lambda: (
            set(desktop.run("xdotool", "search", "--onlyvisible", "--name", ".*", check=False).stdout.split()) - before
        ),
        10,
        "the context menu",
    )
    desktop.run("xdotool", "key", "Escape")


def test_dist_app_remembers_its_window(dist: Built, site: Site, desktop: Desktop, tmp_path: Path) -> None:
    app = dist.app(tmp_path, desktop)
    app.launch()
    window = one_window(desktop, "lp-dist")
    desktop.resize(window, 900, 640)
    wait_for(lambda: desktop.geometry(window) == (900, 640), 10, "the resize")
    time.sleep(1)
    desktop.close(window)  # the close button: the app quits and saves where its window was
    assert app.procs[0].wait(timeout=20) == 0
    state = app.home / ".config" / dist.identifier / ".window-state.json"
    assert state.is_file()
    app.launch()
    window = one_window(desktop, "lp-dist")
    assert wait_for(lambda: desktop.geometry(window) == (900, 640), 10, "the remembered size")
    app.stop()


# ---------------------------------------------------------------- every option off, compiled on its own
@pytest.fixture(scope="module")
def bare(home: Path, site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    folder = tmp_path_factory.mktemp("bare")
    site.add_page("/bare", "bare", "Bare Site", "<p>bare</p>")
    write(
        folder,
        "localpack.toml",
        f"""
[app]
name = "lp-bare"
title = "Bare App"
identifier = "dev.localpack.test.bare"
url = "{site.url}bare"
[window]
title_from_page = false
zoom_hotkeys = false
[behavior]
single_instance = false
remember_window = false
external_links = "app"
reload_shortcut = false
retry_page = false
context_menu = true
downloads = false
find_in_page = false
[bundle]
targets = ["deb"]
""",
    )
    built = build_and_install(folder, "--debug", "--compile", identifier="dev.localpack.test.bare")
    yield built
    uninstall("lp-bare")


def test_bare_app_compiled_on_its_own_does_only_what_is_asked(
    bare: Built, site: Site, desktop: Desktop, tmp_path: Path
) -> None:
    assert bare.result["runtime"] == {"id": None, "compiled": True, "reason": "--compile was given", "source": None}
    app = bare.app(tmp_path, desktop)
    try:
        site.clear("bare")
        app.launch()
        r = site.wait_report("bare", timeout=90, kind="load")
        assert r["border"] == "rgb(0, 0, 0)" and r["injected"] is None and r["jquery"] is None
        window = one_window(desktop, "lp-bare")
        assert desktop.title(window) == "Bare App"  # title_from_page = false
        shot(desktop, window, "bare-app")
        if not list(Path("/dev").glob("dri/renderD*")):  # no GPU render node here: the runtime picks the older renderer
            assert app.web_process_env().get("WEBKIT_DISABLE_DMABUF_RENDERER") == "1"
        desktop.key(window, "ctrl+r")  # no reload shortcut
        desktop.key(window, "ctrl+f")  # no find bar
        time.sleep(2)
        assert site.wait_report("bare", kind="tick", loads=1, find=False)
        app.launch()  # no single instance: a second app, a second window
        wait_for(lambda: len(desktop.windows("lp-bare")) == 2, 60, "two windows")
        assert not (app.home / ".config" / "autostart").exists()
    finally:
        app.stop()


# ---------------------------------------------------------------- a second app, no compiler in the loop
@pytest.fixture(scope="module")
def second(home: Path, site: Site, dist: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Everything an app can differ in, packaged around the runtime `dist` compiled (same profile and features),
    with a PATH that records every cargo and rustc call."""
    folder = tmp_path_factory.mktemp("second")
    body = (
        "<div class='hide-me'>hidden</div>"
        "<a href='/second-popup' target='_blank' style='display:block;height:300px'>new window</a>"
    )
    site.add_page("/second", "second", "Second Site", body)
    site.add_page("/second-popup", "second", "Second Popup", "<p>popup</p>")
    write(folder, "extra.css", "body { border-top: 9px solid rgb(9, 8, 7); }\n")
    write(folder, "extra.js", "window.__lpInjected = 'second';\n")
    solid_png(folder / "icon.png", (200, 30, 40))
    write(
        folder,
        "localpack.toml",
        f"""
[app]
name = "lp-second"
title = "Second App ✓"
identifier = "org.example.second"
url = "{site.url}second"
icon = "icon.png"
[window]
width = 760
height = 560
zoom = 80
new_window = "new"
[behavior]
external_links = "app"
inject = ["extra.css", "extra.js"]
hide_selectors = [".hide-me"]
[bundle]
targets = ["deb", "rpm"]
""",
    )
    shims = folder / "shims"
    record = folder / "calls.txt"
    shims.mkdir()
    for tool in ("cargo", "rustc"):
        real = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip()
        (shims / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> {record}\nexec {real} "$@"\n')
        (shims / tool).chmod(0o755)
    env = localpack_env(PATH=f"{shims}:{os.environ['PATH']}")
    built = build_and_install(folder, "--debug", identifier="org.example.second", env=env)
    built.calls = record.read_text().splitlines() if record.exists() else []  # type: ignore[attr-defined]
    yield built
    uninstall("lp-second")


def test_second_app_is_packaged_without_a_compile(second: Built, dist: Built) -> None:
    calls = second.calls  # type: ignore[attr-defined]
    print(f"[real] second app: {second.result['wall_s']} s wall, calls: {calls}", file=sys.stderr)
    assert second.result["runtime"]["compiled"] is False
    assert second.result["runtime"]["id"] == dist.result["runtime"]["id"]
    assert not [c for c in calls if c.startswith("cargo build") or re.match(r"rustc .*\.rs\b", c)], calls
    assert {a["format"] for a in second.result["artifacts"]} == {"deb", "rpm"}


def test_second_app_is_its_own_app(second: Built, site: Site, desktop: Desktop, tmp_path: Path) -> None:
    app = second.app(tmp_path, desktop)
    try:
        site.clear("second")
        app.launch()
        r = site.wait_report("second", timeout=90, kind="load")
        assert (r["border"], r["injected"], r["ad"]) == ("rgb(9, 8, 7)", "second", None)
        assert r["w"] == 950  # 760 px at 80 %
        window = one_window(desktop, "lp-second")
        assert desktop.geometry(window) == (760, 560)
        assert desktop.title(window) == "Second Site"
        assert desktop_entry("lp-second")["Name"] == "Second App ✓"
        icon = Path("/usr/share/icons/hicolor/128x128/apps/lp-second.png")
        assert icon.is_file() and _centre_rgb(icon) == (200, 30, 40)  # its own icon in the desktop entry
        assert app.data_dir("org.example.second").is_dir()  # its own data dir, not the runtime's
        shows(desktop, window, "second-app", (9, 8, 7))
        desktop.click(window, 200, 100)  # new_window = "new": another window of the app
        wait_for(lambda: len(desktop.windows("lp-second")) == 2, 30, "a second window")
    finally:
        app.stop()


def _centre_rgb(png: Path) -> tuple[int, int, int]:
    from PIL import Image

    with Image.open(png) as im:
        return im.convert("RGB").getpixel((im.width // 2, im.height // 2))


def test_two_apps_from_one_runtime_run_side_by_side(
    second: Built, dist: Built, site: Site, desktop: Desktop, tmp_path: Path
) -> None:
    one, two = dist.app(tmp_path, desktop), second.app(tmp_path, desktop)
    try:
        one.launch()
        two.launch()
        w1, w2 = one_window(desktop, "lp-dist"), one_window(desktop, "lp-second")
        desktop.minimize(w1)
        desktop.minimize(w2)
        again = two.launch()  # a second launch of `second` raises `second` only
        assert again.wait(timeout=30) == 0
        wait_for(
            lambda: desktop.windows("lp-second"),
            30,  # a launch within a second of the first window once lost its raise: window::show_main
            "lp-second raised",
            lambda: f"{desktop.describe('lp-second')}\n{two.log()[-2000:]}",
        )
        time.sleep(1)
        assert desktop.windows("lp-dist") == [], desktop.describe("lp-dist")
    finally:
        one.stop()
        two.stop()


# ---------------------------------------------------------------- a big web app
def test_a_big_web_app_is_packaged_without_a_compile(
    home: Path, site: Site, dist: Built, desktop: Desktop, tmp_path: Path
) -> None:
    folder = tmp_path / "big"
    web = folder / "web"
    write(web, "index.html", web_app_page(site, "big", "Big App"))
    write(web / "assets", "app.css", "body { border-top: 5px solid rgb(4, 5, 6); }\n")
    for i in range(20_000):
        part = web / "files" / f"{i // 1000:02d}"
        part.mkdir(parents=True, exist_ok=True)
        (part / f"f{i:05d}.bin").write_bytes(os.urandom(10_000))
    write(
        folder,
        "localpack.toml",
        """
[app]
name = "lp-big"
dist = "web"
[bundle]
targets = ["deb"]
""",
    )
    started = time.monotonic()
    result = build(folder, "--debug")
    print(f"[real] 20,000 files / 200 MB: packaged in {time.monotonic() - started:.1f} s", file=sys.stderr)
    assert result["runtime"]["compiled"] is False
    install(deb_of(result, folder))
    app = App("lp-big", tmp_path / "home-big", desktop.env)
    try:
        app.launch()
        r = site.wait_report("big", timeout=120, kind="load")
        assert r["route"].startswith("200 <!doctype html>") and r["escape"].startswith("403")
    finally:
        app.stop()
        uninstall("lp-big")


# ---------------------------------------------------------------- what users get by default: release
def test_release_build_runs_and_links_webkitgtk(home: Path, site: Site, desktop: Desktop, tmp_path: Path) -> None:
    folder = tmp_path / "release"
    site.add_page("/release", "release", "Release Site", "<p>release</p>")
    write(
        folder,
        "localpack.toml",
        f"""
[app]
name = "lp-release"
url = "{site.url}release"
[bundle]
targets = ["deb"]
""",
    )
    result = build(folder)
    deb = deb_of(result, folder)
    install(deb)
    try:
        binary = Path("/usr/bin/lp-release")
        needed = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True).stdout
        assert "libwebkit2gtk-4.1.so.0" in needed
        print(
            f"[real] release binary {binary.stat().st_size / 1e6:.1f} MB, .deb {deb.stat().st_size / 1e6:.1f} MB",
            file=sys.stderr,
        )
        app = App("lp-release", tmp_path / "home-release", desktop.env)
        try:
            app.launch()
            site.wait_report("release", timeout=90, kind="load")
            shot(desktop, one_window(desktop, "lp-release"), "release-app")
        finally:
            app.stop()
    finally:
        uninstall("lp-release")
