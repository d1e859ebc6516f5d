"""A hostile site against a real app (pytest marker `real`): what reaches the system opener, what loads in
frames, sign-in popups, and what a local page may call.

Three loopback hosts are three sites to the app: 127.0.0.1 is the app's own site, 127.0.0.2 a third party
(an embedded frame, other sites' links), 127.0.0.3 an identity provider (listed in `signin_hosts`). The stand-in
`xdg-open` on PATH (tests/realapps.py) records every URL the app hands to the system opener. Each scenario is
the site's front page, set before the app starts, so each launch starts with a fresh rate limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import Desktop, missing_tools, wait_for
from tests.realapps import (
    ARTIFACTS,
    App,
    build,
    deb_of,
    install,
    prepare_home,
    uninstall,
)
from tests.testsite import Site, page

pytestmark = pytest.mark.real

BLOCK = 100  # CSS px: each clickable block of a page
GAP = 1.2  # s: more than the app's one open a second, so each click's open is its own


@pytest.fixture(scope="module")
def desktop() -> Iterator[Desktop]:
    lacking = missing_tools()
    if lacking:
        pytest.fail(f"the real tier needs {', '.join(lacking)} (.ci/run installs them)")
    desk = Desktop.start(ARTIFACTS / "desktop-hostile")
    yield desk
    desk.stop()


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[Site, Site, Site]]:
    own, other, idp = Site(), Site(host="127.0.0.2"), Site(host="127.0.0.3")
    for s in (own, other, idp):
        s.start()
    yield own, other, idp
    for s in (own, other, idp):
        s.stop()


def blocks(*html: str) -> str:
    return "".join(f"<div style='height:{BLOCK}px;border-bottom:1px solid #ccc'>{h}</div>" for h in html) + (
        "<style>a,button{display:block;width:100%;height:100%}</style>"
    )


@pytest.fixture(scope="module")
def hostile(sites: tuple[Site, Site, Site], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    own = sites[0]
    prepare_home()
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "localpack.toml").write_text(f"""
[app]
name = "lp-hostile"
title = "Hostile"
identifier = "dev.localpack.test.hostile"
url = "{own.url}"
[behavior]
retry_page = false
external_links = "browser"
signin_hosts = ["127.0.0.3"]
open_schemes = ["zoommtg"]
[bundle]
targets = ["deb"]
""")
    result = build(folder, "--debug")
    install(deb_of(result, folder))
    yield "lp-hostile"
    uninstall("lp-hostile")


@pytest.fixture
def app(hostile: str, desktop: Desktop, tmp_path: Path) -> Iterator[App]:
    a = App(hostile, tmp_path / "home", desktop.env)
    yield a
    windows = desktop.windows("lp-hostile")
    if windows:
        desktop.screenshot(windows[0], ARTIFACTS / f"hostile-{tmp_path.name}.png")
    a.stop()
    print(a.log()[-4000:], "opened:", a.opened.urls())  # shown when the test failed


def start(app: App, desktop: Desktop, own: Site, body: str) -> str:
    own.clear("hostile")
    own.pages["/"] = page("Hostile Site", body, own.report_url("hostile"))
    app.launch()
    own.wait_report("hostile", timeout=90, kind="load")
    return wait_for(lambda: desktop.windows("lp-hostile"), 30, "the app's window")[0]  # type: ignore[index]


def click(desktop: Desktop, window: str, index: int) -> None:
    desktop.click(window, 300, int(index * BLOCK + BLOCK / 2))
    time.sleep(GAP)


NON_WEB = [
    "smb://host/share",
    "search-ms:query=x",
    "vscode://file/etc/passwd",
    "ms-settings:",
    "file:///etc/passwd",
    "msteams:/l/chat",
    "mailto:auto@example.com",
    "zoommtg://zoom.us/auto",
]


def test_a_page_and_its_frames_open_nothing_by_themselves(
    app: App, desktop: Desktop, sites: tuple[Site, Site, Site]
) -> None:
    own, other, _ = sites
    other.clear("hostile")
    other.add_page(
        "/frame",
        "hostile",
        "Frame",
        """<p>third-party frame</p><script>
window.addEventListener('load', function () { setTimeout(function () {
  lpReport('frame', {top: window.top === window});
  try { window.open('smb://frame/share'); } catch (e) {}
  location.href = 'mailto:frame@example.com';
  setTimeout(function () { location.href = 'vscode://frame'; }, 200);
  setTimeout(function () { location.href = '/frame2'; }, 600);
}, 300); });</script>""",
    )
    other.add_page("/frame2", "hostile", "Frame 2", "<p>the frame went on, in place</p>")
    tries = json.dumps(NON_WEB + [other.url + "popup"])
    start(
        app,
        desktop,
        own,
        f"""<iframe src='{other.url}frame' width=400 height=200></iframe><script>
var tries = {tries}, i = 0;
function next() {{
  if (i >= tries.length) {{ setTimeout(function () {{ lpReport('done'); }}, 1500); return; }}
  var u = tries[i++];
  try {{ window.open(u, '_blank'); }} catch (e) {{}}
  var a = document.createElement('a'); a.href = u; a.target = '_blank'; document.body.appendChild(a); a.click();
  if (u.indexOf('http') !== 0) {{ try {{ location.href = u; }} catch (e) {{}} }}
  setTimeout(next, 250);
}}
window.addEventListener('load', function () {{ setTimeout(next, 800); }});
</script>""",
    )
    done = own.wait_report("hostile", timeout=60, kind="done")
    assert done["href"] == own.url and done["loads"] == 1  # the page never left
    inside = other.wait_report("hostile", timeout=30, kind="frame")
    assert inside["top"] is False  # the third-party frame rendered in place and reported from inside
    other.wait_report("hostile", timeout=30, kind="load", href=other.url + "frame2")  # and navigated in place
    time.sleep(2)
    assert app.opened.urls() == []  # nothing reached the opener without the user
    assert "refused" in app.log()


def test_only_web_and_mail_links_the_user_clicks_reach_the_opener(
    app: App, desktop: Desktop, sites: tuple[Site, Site, Site]
) -> None:
    own, other, _ = sites
    other.add_page("/clicked", "hostile", "Clicked", "<p>clicked</p>")
    window = start(
        app,
        desktop,
        own,
        blocks(
            "<a href='mailto:user@example.com'>mail</a>",
            "<a href='smb://host/share'>a share</a>",
            f"<a href='{other.url}landing' target='_blank'>another site, new window</a>",
            f"<a href='#' onclick=\"window.open('vscode://file/x'); location.href='{other.url}clicked'; return false\">"
            "a script on click</a>",
            "<a href='zoommtg://zoom.us/join'>zoom (listed in open_schemes)</a>",
            "<a href='msteams:/l/chat'>teams (not listed)</a>",
            "<a href='file:///etc/passwd' target='_blank'>a local file, new window</a>",
        ),
    )
    for index in range(7):
        click(desktop, window, index)
    expected = ["mailto:user@example.com", other.url + "landing", other.url + "clicked", "zoommtg://zoom.us/join"]
    wait_for(lambda: app.opened.urls() == expected, 20, f"exactly {expected} at the opener")
    time.sleep(2)
    assert app.opened.urls() == expected


def test_a_navigation_loop_opens_one_tab_not_one_per_turn(
    app: App, desktop: Desktop, sites: tuple[Site, Site, Site]
) -> None:
    own, other, _ = sites
    other.add_page("/loop", "hostile", "Loop", "<p>loop</p>")
    start(
        app,
        desktop,
        own,
        f"""<script>
var n = 0;
window.addEventListener('load', function () {{ var t = setInterval(function () {{
  n += 1;
  if (n > 60) {{ clearInterval(t); setTimeout(function () {{ lpReport('done', {{n: n}}); }}, 1500); return; }}
  location.href = {json.dumps(other.url)} + 'loop?' + n;
}}, 60); }});
</script>""",
    )
    own.wait_report("hostile", timeout=60, kind="done")
    time.sleep(2)
    opened = [u for u in app.opened.urls() if "/loop?" in u]
    assert 1 <= len(opened) <= 5, opened  # one a second at most, five a minute: not 60 tabs


def test_a_sign_in_popup_hands_its_token_back_and_closes(
    app: App, desktop: Desktop, sites: tuple[Site, Site, Site]
) -> None:
    own, _, idp = sites
    idp.clear("hostile")
    idp.add_page(
        "/signin",
        "hostile",
        "Sign in",
        """<p>identity provider</p><script>
window.addEventListener('load', function () { setTimeout(function () {
  lpReport('popup', {opener: !!window.opener, init: window.__localpackInit === true});
  window.opener.postMessage({token: 'T0K3N-42'}, '*');
  setTimeout(function () { window.close(); }, 800);
}, 300); });</script>""",
    )
    window = start(
        app,
        desktop,
        own,
        blocks(
            f"<button onclick=\"window.popup = window.open('{idp.url}signin', 'signin', 'width=480,height=560');"
            " lpReport('opened', {handle: !!window.popup && typeof window.popup.postMessage === 'function'})\">"
            "Sign in</button>"
        )
        + """<script>
window.addEventListener('message', function (e) {
  lpReport('token', {token: e.data && e.data.token, origin: e.origin});
  setTimeout(function () { lpReport('after', {closed: !!(window.popup && window.popup.closed)}); }, 2500);
});</script>""",
    )
    click(desktop, window, 0)
    assert own.wait_report("hostile", timeout=30, kind="opened")["handle"] is True  # window.open gave a handle
    popup = idp.wait_report("hostile", timeout=30, kind="popup")
    assert popup["opener"] is True and popup["init"] is True  # the opener kept; the app's scripts run in it
    token = own.wait_report("hostile", timeout=30, kind="token")
    assert (token["token"], token["origin"]) == ("T0K3N-42", idp.url.rstrip("/"))
    assert own.wait_report("hostile", timeout=30, kind="after")["closed"] is True
    wait_for(lambda: desktop.windows("lp-hostile") == [window], 20, "the popup's window gone, the app's still there")
    assert app.opened.urls() == []  # the sign-in never went to the browser


# ---------------------------------------------------------------- a local web app in "app" mode
@pytest.fixture(scope="module")
def local(hostile: str, sites: tuple[Site, Site, Site], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    own, _, _ = sites
    folder = tmp_path_factory.mktemp("hostile-dist")
    web = folder / "web"
    web.mkdir()
    report = json.dumps(own.report_url("local"))
    icon = "/usr/share/icons/hicolor/32x32/apps/lp-hostile-dist.png"
    (web / "index.html").write_text(f"""<!doctype html><html><head><meta charset='utf-8'><title>Local</title>
</head><body style='margin:0'>{blocks("<a href='#' id='go'>try the local file and a data page</a>")}<script>
function report(d) {{ fetch({report}, {{method: 'POST', mode: 'no-cors', body: JSON.stringify(d)}}); }}
document.getElementById('go').onclick = function () {{
  window.open('file:///etc/passwd');
  location.href = 'data:text/html,<title>DATA-PAGE</title>';
  setTimeout(function () {{ report({{kind: 'after', href: location.href, title: document.title}}); }}, 2000);
  return false;
}};
window.addEventListener('load', async function () {{
  var internals = typeof window.__TAURI_INTERNALS__, answer;
  try {{
    var r = await window.__TAURI_INTERNALS__.invoke('plugin:image|from_path', {{path: {json.dumps(icon)}}});
    answer = 'allowed ' + JSON.stringify(r);
  }} catch (e) {{ answer = 'refused ' + String(e); }}
  report({{kind: 'invoke', internals: internals, answer: answer}});
}});
</script></body></html>""")
    (folder / "localpack.toml").write_text("""
[app]
name = "lp-hostile-dist"
title = "Local"
identifier = "dev.localpack.test.hostiledist"
dist = "web"
[behavior]
external_links = "app"
[bundle]
targets = ["deb"]
""")
    result = build(folder, "--debug")
    assert result["runtime"]["compiled"] is False  # the hostile app's runtime
    install(deb_of(result, folder))
    yield "lp-hostile-dist"
    uninstall("lp-hostile-dist")


def test_a_local_page_gets_no_ipc_and_app_mode_shows_no_local_file(
    local: str, desktop: Desktop, tmp_path: Path, sites: tuple[Site, Site, Site]
) -> None:
    own, _, _ = sites
    own.clear("local")
    a = App(local, tmp_path / "home-local", desktop.env)
    try:
        a.launch()
        r = own.wait_report("local", timeout=90, kind="invoke")
        assert r["internals"] == "object"  # Tauri's bridge is there…
        assert r["answer"].startswith("refused") and "not allowed" in r["answer"]  # …and refuses the command
        window = wait_for(lambda: desktop.windows("lp-hostile-dist"), 30, "the app's window")[0]  # type: ignore[index]
        desktop.click(window, 300, BLOCK // 2)
        after = own.wait_report("local", timeout=30, kind="after")
        assert after["href"] == "localpack://localhost/index.html" and after["title"] == "Local"
        titles = [desktop.title(w) or "" for w in desktop.windows("lp-hostile-dist")]
        assert len(titles) == 1 and not any("passwd" in t or "DATA-PAGE" in t for t in titles), titles
        assert a.opened.urls() == []
    finally:
        a.stop()
        print(a.log()[-4000:])
