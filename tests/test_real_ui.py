"""`localpack ui` driving a real compile (marker `real`): the form in Debian's chromium, Build with the real
cargo, the progress reaching done, the .deb downloaded from the page and installed, the app showing its site.

It has a localpack home of its own at a stable place (its runtime workspace is not the app tests'), sharing
their cargo target dir: the runtime's own crate compiles for real each run, its dependencies are reused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.desktop import Desktop, missing_tools
from tests.realapps import ARTIFACTS, BASE, REAL_TARGET, App, install, localpack_env, uninstall
from tests.test_ui_browser import new_page, shot
from tests.testsite import Site
from tests.ui_server import UiServer

pytestmark = pytest.mark.real


@pytest.fixture
def real_ui(tmp_path: Path):
    home = BASE / "ui-home"
    for stale in ("state", "config", "cache/runtimes"):
        shutil.rmtree(home / stale, ignore_errors=True)  # no compiled runtime: the build compiles one
    (home / "cache").mkdir(parents=True, exist_ok=True)
    if not (home / "cache" / "cargo-target").is_symlink():
        (home / "cache" / "cargo-target").symlink_to(REAL_TARGET)
    folder = tmp_path / "work"
    folder.mkdir()
    server = UiServer(home, folder, localpack_env(LOCALPACK_HOME=str(home)), runner=None)
    yield server
    server.stop()


def test_the_page_builds_a_real_app(browser, real_ui: UiServer, tmp_path: Path) -> None:
    site = Site()
    site.add_page("/", "ui-app", "Built From The Page", "<p>hello from the page</p>")
    site.start()
    page = new_page(browser, real_ui)
    page.fill("#f-app-url", site.url)
    page.fill("#f-app-name", "lp-from-ui")
    page.fill("#f-app-title", "From The Page")
    page.click("#save")
    page.wait_for_selector("#go-build")
    page.click("#go-build")
    page.check("input[name=targets][value=deb]")
    for other in ("rpm", "appimage"):
        page.uncheck(f"input[name=targets][value={other}]")
    page.check("input[name=debug]")
    page.click("#start")
    page.wait_for_selector("#outcome", timeout=40 * 60_000)
    phases = page.evaluate("JSON.parse(sessionStorage.getItem('phases') || '[]')")
    assert "compiling" in phases and phases[-1] == "done", phases
    assert "Built lp-from-ui 1.0.0" in page.inner_text("#outcome"), page.inner_text("#outcome")
    shot(page, "real-ui-build-result")
    with page.expect_download() as info:
        page.click("a[download]")
    deb = tmp_path / "from-the-page.deb"
    info.value.save_as(deb)
    install(deb)
    lacking = missing_tools()
    assert not lacking, lacking
    desk = Desktop.start(ARTIFACTS / "desktop-ui")
    app = App("lp-from-ui", tmp_path / "home", desk.env)
    try:
        app.launch()
        assert site.wait_report("ui-app", timeout=90, kind="load")["title"] == "Built From The Page"
    finally:
        app.stop()
        desk.stop()
        site.stop()
        uninstall("lp-from-ui")
