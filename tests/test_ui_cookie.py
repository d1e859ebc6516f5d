"""The ui's credential is not handed to other local servers: a browser (Debian's chromium, driven by Playwright)
opens the ui's printed address, then visits a second server on other ports of this machine, by every loopback
name; that server receives neither the key nor a cookie that opens the ui."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.ui_server import UiServer

pytest.importorskip("playwright.sync_api")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]]

    def do_GET(self) -> None:
        self.seen.append(
            {"path": self.path, "host": self.headers.get("Host", ""), "cookie": self.headers.get("Cookie", "")}
        )
        body = b"<html><body>another server</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def other_server() -> tuple[ThreadingHTTPServer, list[dict[str, str]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, seen


def test_the_browser_sends_the_ui_credential_to_no_other_port(
    browser, home: Path, tmp_path: Path, tauri_cli: Path
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    ui = UiServer(home, folder, {"LOCALPACK_TAURI": str(tauri_cli)})
    v4, seen4 = other_server()
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(ui.url)
        assert page.locator("body").inner_text()  # the ui answered the browser at its per-run name
        assert "403" not in page.content() and "key=" not in page.url
        [cookie] = context.cookies()
        assert cookie["domain"] == ui.host and cookie["value"] == ui.key  # host-only, for this run's name
        port = v4.server_address[1]
        for address in (
            f"http://127.0.0.1:{port}/",
            f"http://localhost:{port}/",
            f"http://ui.localhost:{port}/",
            f"http://localpack.localhost:{port}/",
        ):
            page.goto(address)
            assert "another server" in page.content(), address
        assert {r["host"] for r in seen4} == {
            f"{h}:{port}" for h in ("127.0.0.1", "localhost", "ui.localhost", "localpack.localhost")
        }
        for request in seen4:
            assert ui.key not in request["cookie"] and ui.key not in request["path"], request
            # Whatever cookie it did get opens nothing.
            got = requests.get(
                ui.base + "/new", headers={"Cookie": request["cookie"]}, allow_redirects=False, timeout=10
            )
            assert got.status_code == 403
        context.close()

        # The control: a cookie of 127.0.0.1 (where the ui used to set its key) does reach the other port.
        context = browser.new_context()
        context.add_cookies([{"name": f"localpack-ui-{ui.port}", "value": ui.key, "domain": "127.0.0.1", "path": "/"}])
        context.new_page().goto(f"http://127.0.0.1:{port}/")
        assert ui.key in seen4[-1]["cookie"] or ui.key in seen4[-2]["cookie"]
        context.close()
    finally:
        v4.shutdown()
        ui.stop()


def test_a_port_another_program_holds_on_ipv6_loopback_is_not_used() -> None:
    """Browsers may try ::1 first for a `.localhost` name: a server of someone else there would get the key."""
    import socket

    from localpack.errors import ConfigError
    from localpack.ui.server import bind

    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    squatter = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    try:
        squatter.bind(("::1", 0))
    except OSError:
        pytest.skip("no ::1 here")
    squatter.listen(1)
    taken = squatter.getsockname()[1]
    try:
        with pytest.raises(ConfigError, match=rf"cannot listen on \[::1\]:{taken}"):
            bind(taken)
        socks = bind(0)
        assert {s.getsockname()[0] for s in socks} == {"127.0.0.1", "::1"}
        assert len({s.getsockname()[1] for s in socks}) == 1
        for s in socks:
            s.close()
    finally:
        squatter.close()
