"""Sessions that outlive the app (pytest marker `real`), beside tests/test_real_engine.py's relaunched URL
app: a web-folder app's localStorage and IndexedDB under `localpack://` survive a relaunch, and a URL app's
login cookie, localStorage and IndexedDB survive installing a newer version of the app (same identifier,
higher app.version) over the old one. Both report to the compatibility site (tests/compatsite.py).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_real_engine as engine
from tests.compatsite import CompatSite
from tests.desktop import Desktop, wait_for
from tests.realapps import App, build, deb_of, install, prepare_home, uninstall

pytestmark = pytest.mark.real
desktop, site = engine.desktop, engine.site  # the engine tests' desktop and compatibility site


def write_app(folder: Path, toml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "localpack.toml").write_text(toml, encoding="utf-8")
    return folder


def installed_version(package: str) -> str:
    done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    return done.stdout.strip()


def quit_app(app: App, desktop: Desktop, window: str) -> None:
    """Quit as a user does: close the window (WebKit writes what it keeps on the way out)."""
    desktop.close(window)
    wait_for(lambda: all(p.poll() is not None for p in app.procs), 20, "the app to quit")
    app.stop()


# ---------------------------------------------------------------- a web-folder app
def folder_page(site: CompatSite) -> str:
    """Reads what the last run kept (localStorage, IndexedDB); stores it when nothing is there; reports both."""
    report = json.dumps(f"{site.url}report/compat")
    return f"""<!doctype html><html><head><meta charset='utf-8'><title>Folder Session</title></head><body>
<h1>Folder Session</h1><script>
var idb = function (mode, value) {{
  return new Promise(function (ok) {{
    var open = indexedDB.open('folder', 1);
    open.onupgradeneeded = function () {{ open.result.createObjectStore('kv'); }};
    open.onerror = function () {{ ok('error ' + open.error); }};
    open.onsuccess = function () {{
      var tx = open.result.transaction('kv', mode), store = tx.objectStore('kv');
      var req = mode === 'readwrite' ? store.put(value, 'login') : store.get('login');
      req.onsuccess = function () {{ ok(mode === 'readwrite' ? 'stored' : (req.result || null)); }};
      req.onerror = function () {{ ok('error ' + req.error); }};
    }};
  }});
}};
window.addEventListener('load', async function () {{
  var out = {{kind: 'folder', href: location.href, local: localStorage.getItem('login'), idb: await idb('readonly')}};
  if (!out.local) {{ localStorage.setItem('login', 'bob'); out.stored = await idb('readwrite', 'bob'); }}
  fetch({report}, {{method: 'POST', mode: 'no-cors', body: JSON.stringify(out)}});
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def home() -> Path:
    """Fresh state once for the module; both apps are packaged from the runtime it compiles."""
    return prepare_home()


@pytest.fixture(scope="module")
def folder_app(home: Path, site: CompatSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("folder-session")
    (folder / "web").mkdir()
    (folder / "web" / "index.html").write_text(folder_page(site), encoding="utf-8")
    write_app(
        folder,
        """
[app]
name = "lp-folder-session"
title = "Folder Session"
identifier = "dev.localpack.test.foldersession"
dist = "web"
[bundle]
targets = ["deb"]
""",
    )
    install(deb_of(build(folder, "--debug"), folder))
    yield "lp-folder-session"
    uninstall("lp-folder-session")


def test_a_web_folder_app_keeps_its_storage_across_a_relaunch(
    folder_app: str,
    site: CompatSite,
    desktop: Desktop,
    tmp_path: Path,
) -> None:
    site.clear()
    app = App(folder_app, tmp_path / "home", desktop.env)
    try:
        app.launch()
        first = site.wait_report("folder", 90)
        assert first["href"].startswith("localpack:")  # served from the app's own folder, not over http
        assert (first["local"], first["idb"], first["stored"]) == (None, None, "stored")
        window = wait_for(lambda: desktop.windows(folder_app), 30, "the app's window")[0]  # type: ignore[index]
        quit_app(app, desktop, window)
        app.launch()
        again = site.wait_report("folder", 90, after=1)
        assert again["local"] == "bob"  # localStorage under localpack://
        assert again["idb"] == "bob"  # IndexedDB under localpack://
        assert "stored" not in again
        window = wait_for(lambda: desktop.windows(folder_app), 30, "the app's window")[0]  # type: ignore[index]
        quit_app(app, desktop, window)
    finally:
        app.stop()
        print(app.log()[-4000:])


# ---------------------------------------------------------------- a URL app and its next version
def url_app_toml(site: CompatSite, version: str) -> str:
    return f"""
[app]
name = "lp-upgrade"
title = "Upgrade App"
identifier = "dev.localpack.test.upgrade"
version = "{version}"
url = "{site.url}"
[window]
width = 900
height = 700
[bundle]
targets = ["deb"]
"""


def test_a_url_app_keeps_its_login_when_a_new_version_is_installed_over_it(
    home: Path,
    site: CompatSite,
    desktop: Desktop,
    tmp_path: Path,
) -> None:
    site.clear()
    old = write_app(tmp_path / "v1", url_app_toml(site, "1.0.0"))
    new = write_app(tmp_path / "v2", url_app_toml(site, "1.1.0"))
    old_deb, new_deb = deb_of(build(old, "--debug"), old), deb_of(build(new, "--debug"), new)
    run = engine.Running(App("lp-upgrade", tmp_path / "home", desktop.env), desktop, site)
    try:
        install(old_deb)
        assert installed_version("lp-upgrade") == "1.0.0"
        assert run.start()["cookie"] == ""  # a fresh app: not logged in
        assert site.ask("login")["idb"] == "stored"  # the site's login: a persistent cookie, localStorage, IndexedDB
        run.quit()
        install(new_deb)  # the new version over the old one, as an update does
        assert installed_version("lp-upgrade") == "1.1.0"
        again = run.start()
        assert "session=alice-session" in again["cookie"]
        assert again["local"] == "alice"
        assert again["idb"] == "alice"
        run.quit()
    finally:
        run.app.stop()
        print(run.app.log()[-4000:])
        uninstall("lp-upgrade")
