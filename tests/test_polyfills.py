"""The polyfills an app's pages get where the engine lacks the API, run in a real page (Debian's chromium, driven
by Playwright): what a site sees of `Notification` on macOS (`runtime/src/engine/notify.js`) and of
`navigator.setAppBadge` on Windows and macOS (`badge.js`), and of screen sharing where a Linux app refuses it
(`screen.js`, in place of WebKitGTK's switched-off `getDisplayMedia`). WKWebView and WebView2 cannot run here, so the one
part each polyfill talks to stands in, with the real one's interface: a WebKit script message handler
(`postMessage`, with replies a promise of the runtime's answer, as `WKScriptMessageHandlerWithReply`), and
WebView2's `chrome.webview.postMessage`. The runtime's side is `wkwebview_notify.rs` and `webview2.rs`, their
message parsing unit-tested in `notify_message.rs` and `overlay.rs`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")

ENGINE = Path(__file__).parent.parent / "runtime" / "src" / "engine"
POLYFILL = (ENGINE / "notify.js").read_text(encoding="utf-8")
BADGE = (ENGINE / "badge.js").read_text(encoding="utf-8")
SCREEN = (ENGINE / "screen.js").read_text(encoding="utf-8")
SITE = "https://chat.example"
# WKWebView's side: the handler the runtime registers; it records what the page sent and answers as told.
HANDLER = """
delete window.Notification;  // Chromium has its own; an app's WKWebView has none
window.__sent = [];
window.__replies = {ask: 'granted', show: 'shown', close: 'closed'};
window.webkit = {messageHandlers: {localpackNotify: {postMessage: function (text) {
  var message = JSON.parse(text);
  window.__sent.push(message);
  return Promise.resolve(window.__replies[message.op]);
}}}};
"""


def polyfill(policy: str, answers: dict[str, bool]) -> str:
    """notify.js as the runtime writes it (notify_message::script)."""
    config = json.dumps({"policy": policy, "answers": answers})
    return POLYFILL.replace("})(CONFIG);", f"}})({config});")


@pytest.fixture
def open_page(browser):  # noqa: ANN001, ANN201
    """A page of the site with the handler and the polyfill, as an app's window has them; closed after the test."""
    contexts = []

    def open_one(policy: str = "ask", answers: dict[str, bool] | None = None, handler: str = HANDLER):  # noqa: ANN202
        context = browser.new_context()
        contexts.append(context)
        context.add_init_script(handler)
        context.add_init_script(polyfill(policy, answers or {}))
        page_html = "<!doctype html><title>chat</title>"
        context.route(f"{SITE}/**", lambda route: route.fulfill(body=page_html, content_type="text/html"))
        page = context.new_page()
        page.goto(f"{SITE}/")
        return page

    yield open_one
    for context in contexts:
        context.close()


def test_a_kept_answer_is_the_permission_from_the_first_script_on(open_page) -> None:  # noqa: ANN001
    assert open_page(answers={SITE: True}).evaluate("Notification.permission") == "granted"
    assert open_page(answers={SITE: False}).evaluate("Notification.permission") == "denied"
    assert open_page(answers={"https://other.example": True}).evaluate("Notification.permission") == "default"
    assert open_page(policy="allow").evaluate("Notification.permission") == "granted"


def test_request_permission_asks_the_app_once_and_keeps_its_answer(open_page) -> None:  # noqa: ANN001
    page = open_page()
    assert page.evaluate("Notification.permission") == "default"
    seen = page.evaluate(
        """async () => {
          var called = null;
          var first = await Notification.requestPermission(function (a) { called = a; });
          var second = await Notification.requestPermission();
          await new Promise(function (ok) { setTimeout(ok, 0); });
          return {first: first, second: second, called: called, now: Notification.permission, sent: window.__sent};
        }"""
    )
    assert seen == {
        "first": "granted",
        "second": "granted",
        "called": "granted",
        "now": "granted",
        "sent": [{"op": "ask"}],
    }


def test_a_notification_is_sent_shown_clicked_and_closed_as_the_page_expects(open_page) -> None:  # noqa: ANN001
    page = open_page(policy="allow")
    seen = page.evaluate(
        """async () => {
          var events = [];
          var n = new Notification('Hello', {body: 'a message arrived', tag: 'inbox', icon: '/i.png'});
          n.onshow = function () { events.push('show'); };
          n.onclick = function (e) { events.push('click:' + e.type); };
          n.addEventListener('click', function () { events.push('listener'); });
          n.onclose = function () { events.push('close'); };
          await new Promise(function (ok) { setTimeout(ok, 50); });
          var shown = window.__sent[0];
          window.__localpackNotification(shown.id, 'click');  // what the runtime runs on a click
          n.close();
          n.close();  // once
          await new Promise(function (ok) { setTimeout(ok, 0); });
          return {events: events, sent: window.__sent, fields: [n.title, n.body, n.tag, n.icon]};
        }"""
    )
    show, close = seen["sent"]
    assert show == {"op": "show", "id": show["id"], "title": "Hello", "body": "a message arrived", "tag": "inbox"}
    assert close == {"op": "close", "id": show["id"]}
    assert seen["events"] == ["show", "click:click", "listener", "close"]  # the handler first, as a browser
    assert seen["fields"] == ["Hello", "a message arrived", "inbox", "/i.png"]


def test_without_permission_a_notification_errors_and_nothing_is_sent(open_page) -> None:  # noqa: ANN001
    for page in (open_page(policy="deny"), open_page()):
        seen = page.evaluate(
            """async () => {
              var events = [];
              var n = new Notification('Hello');
              n.onerror = function () { events.push('error'); };
              n.onshow = function () { events.push('show'); };
              await new Promise(function (ok) { setTimeout(ok, 50); });
              return {events: events, sent: window.__sent};
            }"""
        )
        assert seen == {"events": ["error"], "sent": []}


def test_the_runtimes_refusal_is_an_error_event_and_a_stray_click_does_nothing(open_page) -> None:  # noqa: ANN001
    page = open_page(policy="allow")
    seen = page.evaluate(
        """async () => {
          window.__replies.show = 'denied';
          var events = [];
          var n = new Notification('Hello');
          n.onerror = function () { events.push('error'); };
          n.onclick = function () { events.push('click'); };
          await new Promise(function (ok) { setTimeout(ok, 50); });
          window.__localpackNotification(12345, 'click');
          window.__localpackNotification(window.__sent[0].id, 'close');
          return events;
        }"""
    )
    assert seen == ["error"]


def test_no_handler_no_polyfill(open_page) -> None:  # noqa: ANN001
    page = open_page(handler="delete window.Notification;")
    assert page.evaluate("typeof Notification") == "undefined"
    with pytest.raises(Exception, match="Illegal constructor|1 argument required"):
        open_page(policy="allow").evaluate("new Notification()")


# The badge: WebView2's messaging (Windows) and a WebKit handler (macOS, Linux), each recording what it got.
WEBVIEW2 = "window.__sent = []; window.chrome.webview = {postMessage: function (m) { window.__sent.push(m); }};"
WEBKIT = """window.__sent = [];
window.webkit = {messageHandlers: {localpackBadge: {postMessage: function (m) { window.__sent.push(m); }}}};"""
SET_BADGES = """async () => {
  var refused = await navigator.setAppBadge(-1).then(function () { return false; }, function (e) { return e.name; });
  await navigator.setAppBadge(7);
  await navigator.setAppBadge(2.9);
  await navigator.clearAppBadge();
  await navigator.setAppBadge();
  return {refused: refused, sent: window.__sent};
}"""


@pytest.mark.parametrize(
    ("engine", "posted"),
    [
        (WEBVIEW2, [{"localpackBadge": 7}, {"localpackBadge": 2}, {"localpackBadge": 0}, {"localpackBadge": 0}]),
        (WEBKIT, [7, 2, 0, 0]),
    ],
    ids=["webview2", "webkit"],
)
def test_set_app_badge_posts_a_whole_count_and_refuses_a_negative_one(browser, engine: str, posted: list) -> None:  # noqa: ANN001
    context = browser.new_context()
    try:
        context.add_init_script(engine)
        context.add_init_script(BADGE)
        page = context.new_page()
        page.goto("about:blank")
        assert page.evaluate(SET_BADGES) == {"refused": "TypeError", "sent": posted}
    finally:
        context.close()


# Screen sharing refused (Linux): WebKitGTK's getDisplayMedia is switched off, so it is absent, as deleted here.
NATIVE = "MediaDevices.prototype.getDisplayMedia.toString().indexOf('[native code]') >= 0"
SHARE = (
    """async () => {
  var started = performance.now();
  var answer = await navigator.mediaDevices.getDisplayMedia({video: true}).then(
    function () { return 'granted'; }, function (e) { return e.name; });
  return {answer: answer, ms: performance.now() - started, native: """
    + NATIVE
    + """};
}"""
)


@pytest.mark.parametrize("engine_has_it", [False, True], ids=["switched-off", "engine's own"])
def test_refused_screen_sharing_is_a_not_allowed_error_at_once(browser, engine_has_it: bool) -> None:  # noqa: ANN001
    context = browser.new_context()
    try:
        if not engine_has_it:
            context.add_init_script("delete MediaDevices.prototype.getDisplayMedia;")
        context.add_init_script(SCREEN)
        context.route(f"{SITE}/**", lambda route: route.fulfill(body="<!doctype html>", content_type="text/html"))
        page = context.new_page()
        page.goto(f"{SITE}/")
        if engine_has_it:  # left alone: the engine's own (not called: headless Chromium's waits for a picker)
            assert page.evaluate(NATIVE)
        else:  # refused at once: no picker, no wait
            seen = page.evaluate(SHARE)
            assert not seen["native"] and seen["answer"] == "NotAllowedError" and seen["ms"] < 1000, seen
    finally:
        context.close()
