"""`localpack ui` in a real browser (Debian's chromium, driven by Playwright): fill the form, build with the
stand-in cargo, watch the progress, download the .deb; field errors; Cancel; the Chinese page.
Each page's screenshot goes to test-artifacts/."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.ui_server import ARTIFACTS, UiServer, alive, command_lines, wait_for

pytest.importorskip("playwright.sync_api")

# (No page.wait_for_function: it evaluates strings, which the pages' content security policy forbids.)
# Kept in sessionStorage across the reload that shows the result: every phase the page displayed.
RECORD_PHASES = """
new MutationObserver(() => {
  const phase = document.getElementById("phase");
  if (!phase) return;
  const seen = JSON.parse(sessionStorage.getItem("phases") || "[]");
  if (seen[seen.length - 1] !== phase.textContent) { seen.push(phase.textContent); }
  sessionStorage.setItem("phases", JSON.stringify(seen));
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture
def ui(home: Path, tmp_path: Path, tauri_cli: Path, request: pytest.FixtureRequest):
    folder = tmp_path / "work"
    folder.mkdir()
    env = {"LOCALPACK_TAURI": str(tauri_cli), **getattr(request, "param", {})}
    server = UiServer(home, folder, env)
    yield server
    server.stop()


def new_page(browser, server: UiServer, locale: str = "en-GB"):  # noqa: ANN001, ANN201
    context = browser.new_context(locale=locale, accept_downloads=True, viewport={"width": 1100, "height": 900})
    context.add_init_script(RECORD_PHASES)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    return page


def shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def icon_file(folder: Path) -> Path:
    from PIL import Image, ImageDraw

    path = folder / "logo.png"
    im = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((150, 50, 450, 350), fill=(11, 95, 255, 255))
    im.save(path)
    return path


def build_from_saved_page(page) -> None:  # noqa: ANN001
    page.click("#go-build")
    page.check("input[name=targets][value=deb]")
    for other in ("rpm", "appimage"):
        page.uncheck(f"input[name=targets][value={other}]")
    page.check("input[name=no_preflight]")
    page.click("#start")
    page.wait_for_selector("#outcome", timeout=120_000)


def test_new_app_to_a_downloaded_deb(browser, ui: UiServer, tmp_path: Path) -> None:
    page = new_page(browser, ui)
    assert "key=" not in page.url  # the key became a cookie and left the address bar
    page.fill("#f-app-url", "https://www.example.com/app")
    page.locator("#f-app-url").dispatch_event("change")
    wait_for(lambda: page.get_attribute("#f-app-name", "placeholder") == "example")  # named as `init` names it
    page.fill("#f-app-title", "Example 示例")
    page.set_input_files("#f-app-icon", str(icon_file(tmp_path)))
    page.check("#f-app-icon-round")
    wait_for(lambda: page.evaluate("document.getElementById('icon-preview').naturalWidth") == 256)
    page.click("summary:has-text('Window')")
    page.fill("#f-window-width", "1000")
    shot(page, "new-app")
    page.click("#save")
    page.wait_for_selector("#go-build")
    shot(page, "saved")
    config = (ui.folder / "localpack.toml").read_text()
    assert 'name = "example"' in config and 'title = "Example 示例"' in config and "width = 1000" in config
    assert 'icon = "example-icon.png"' in config and (ui.folder / "example-icon.png").is_file()
    assert "# localpack.toml: one desktop app" in config  # init's commented file

    page.click("#go-build")
    shot(page, "build")
    page.check("input[name=targets][value=deb]")
    page.check("input[name=no_preflight]")
    page.click("#start")
    page.wait_for_selector("#outcome", timeout=120_000)
    phases = page.evaluate("JSON.parse(sessionStorage.getItem('phases') || '[]')")
    assert "compiling" in phases and phases[-1] == "done", phases
    assert "Built example 1.0.0" in page.inner_text("#outcome")
    shot(page, "build-result")
    with page.expect_download() as info:
        page.click("a[download]")
    deb = tmp_path / "downloaded.deb"
    info.value.save_as(deb)
    field = subprocess.run(["dpkg-deb", "-f", str(deb), "Package"], capture_output=True, text=True, check=True)
    assert field.stdout.strip() == "example"
    assert hashlib.sha256(deb.read_bytes()).hexdigest() in page.inner_text("table.artifacts")
    assert str(ui.folder / "dist") in page.inner_text("#folder")

    page.click("nav >> text=History")
    page.click("table.history a")
    assert "# localpack" in page.inner_text("pre.output")
    shot(page, "history-record")


def test_an_invalid_value_shows_its_field_error_and_writes_nothing(browser, ui: UiServer) -> None:
    page = new_page(browser, ui)
    page.fill("#f-app-url", "https://example.com")
    page.click("summary:has-text('Window')")
    page.fill("#f-window-zoom", "900")
    page.fill("#f-window-width", "wide")
    page.click("#save")
    error = page.locator("#e-window-zoom")
    assert error.inner_text() == "window.zoom must be a percentage from 20 to 500"
    assert page.get_attribute("#f-window-zoom", "aria-invalid") == "true"
    assert page.get_attribute("#f-window-zoom", "aria-describedby") == "e-window-zoom"
    assert "must be a whole number" in page.inner_text("#e-window-width")
    assert page.input_value("#f-window-zoom") == "900"  # what was typed stays
    shot(page, "new-app-error")
    assert list(ui.folder.iterdir()) == []


@pytest.mark.parametrize("ui", [{"STANDIN_MODE": "hang"}], indirect=True)
def test_cancel_leaves_no_process_of_the_build(browser, ui: UiServer) -> None:
    (ui.folder / "localpack.toml").write_text('[app]\nname = "slow"\nurl = "https://example.com"\n')
    page = new_page(browser, ui)
    page.click("nav >> text=Build")
    page.check("input[name=targets][value=deb]")
    page.check("input[name=no_preflight]")
    page.click("#start")
    page.wait_for_selector("#cancel")
    wait_for(lambda: any("time.sleep(600)" in line for line in command_lines(ui.descendants())))
    tree = ui.descendants()
    wait_for(lambda: page.inner_text("#phase") == "compiling")
    shot(page, "build-running")
    page.click("#cancel")
    page.wait_for_selector("#outcome")
    assert "cancelled" in page.inner_text("#outcome")
    assert not alive(tree), [p.pid for p in alive(tree)]
    assert ui.descendants() == []


def test_the_chinese_page(browser, ui: UiServer, tmp_path: Path) -> None:
    page = new_page(browser, ui, locale="zh-CN")  # Accept-Language: zh-CN
    assert page.inner_text("h1") == "新建应用"
    assert page.inner_text("label[for=f-app-title]") == "显示名称"
    page.fill("#f-app-url", "https://example.com")
    page.fill("#f-app-name", "My App")
    page.click("#save")
    assert page.inner_text("#e-app-name") == (
        "app.name 只能包含小写英文字母、数字和 '-'，以字母开头，最多 63 个字符（例如 'my-app'）"
    )
    assert "未保存任何内容" in page.inner_text(".alert")
    shot(page, "zh-new-app-error")
    page.fill("#f-app-name", "zh-demo")
    page.click("#save")
    assert "已写入" in page.inner_text("[role=status]")
    build_from_saved_page(page)
    assert page.inner_text("#outcome").startswith("zh-demo 1.0.0 构建成功")
    assert page.inner_text("table.artifacts thead").split() == ["文件", "格式", "大小", "SHA-256"]
    assert "所在文件夹" in page.inner_text("#job")
    shot(page, "zh-build-result")
    page.click("button[lang=en]")  # the switch
    assert "Built zh-demo 1.0.0" in page.inner_text("#outcome")
    page.click("button[lang=zh-CN]")
    assert "构建成功" in page.inner_text("#outcome")


def test_doctor_import_and_settings_pages(browser, ui: UiServer, tmp_path: Path) -> None:
    page = new_page(browser, ui)
    page.click("nav >> text=Doctor")
    rows = page.inner_text("table.checks")
    assert "rustc" in rows and "tauri-cli" in rows
    shot(page, "doctor")
    page.goto(ui.base + "/doctor?targets=dep")
    assert "did you mean 'deb'" in page.inner_text(".alert")

    pp = tmp_path / "upload" / "ppconfig.json"
    pp.parent.mkdir()
    pp.write_text(
        '{"name": "MyChatApp", "showName": "My Chat", "url": "https://chat.example.com", '
        '"version": "2", "injectJq": true, "startPwd": "secret"}'
    )
    page.click("nav >> text=Import")
    page.set_input_files("#f-ppconfig", str(pp))
    page.click("button:has-text('Import')")
    assert "version '2' → '2.0.0'" in page.inner_text("ul.notes")
    assert "startPwd" in page.inner_text("ul.warnings") and "secret" not in page.inner_text("ul.warnings")
    shot(page, "import")
    assert 'name = "my-chat-app"' in (ui.folder / "localpack.toml").read_text()

    page.click("nav >> text=Settings")
    assert "No token is set." in page.inner_text("#token-status")
    page.fill("#f-token", "not-a-token")
    page.click("button[value=set]")
    assert "does not look like a GitHub token" in page.inner_text("[role=alert]")
    assert page.input_value("#f-token") == ""
    shot(page, "settings")
