"""The web site real apps are pointed at: an HTTP server on 127.0.0.1 whose pages report what they see
(title, user agent, computed styles, injected globals…) back to it with `fetch`, so a test observes the
app from inside the page. It can go down and come back on the same port (the retry page's test)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Added to every page: reports on load, on demand (window.lpReport) and when a test asks through a query.
REPORTER = """<script>
window.lpReport = function (kind, extra) {
  var s = getComputedStyle(document.body);
  var ad = document.querySelector('.ad');
  var data = Object.assign({kind: kind, title: document.title, href: location.href, ua: navigator.userAgent,
    w: innerWidth, h: innerHeight, border: s.borderTopColor, ad: ad ? getComputedStyle(ad).display : null,
    injected: window.__lpInjected || null, jquery: typeof window.jQuery === 'function' ? jQuery.fn.jquery : null,
    loads: Number(sessionStorage.getItem('loads') || 0),
    find: (function () { var f = document.getElementById('__localpack_find');
      return f ? getComputedStyle(f).display !== 'none' : false; })(),
    selection: String(window.getSelection()), toast: (document.getElementById('__localpack_toast') || {}).textContent || null,
    menu: window.__lpMenu || 0}, extra || {});
  fetch(REPORT, {method: 'POST', mode: 'no-cors', body: JSON.stringify(data)});
};
sessionStorage.setItem('loads', String(Number(sessionStorage.getItem('loads') || 0) + 1));
window.addEventListener('contextmenu', function (e) { window.__lpMenu = (window.__lpMenu || 0) + 1;
  setTimeout(function () { window.lpReport('contextmenu', {prevented: e.defaultPrevented}); }, 100); });
window.addEventListener('load', function () { setTimeout(function () { window.lpReport('load'); }, 400); });
// A report a second, so a test can see a state (a find bar, a selection, a note) whenever it looks.
setInterval(function () { window.lpReport('tick'); }, 1000);
</script>"""


def page(title: str, body: str, report_url: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<script>var REPORT = {json.dumps(report_url)};</script>{REPORTER}</head>"
        f"<body style='margin:0;font:16px sans-serif'>{body}</body></html>"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """Pages by path (`pages[path] = html`), downloads by path, reports by app tag."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.host = host  # another loopback address (127.0.0.2…) is another site to the app
        self.port = port or free_port()
        self.pages: dict[str, str] = {}
        self.downloads: dict[str, tuple[str, bytes]] = {}  # path → (file name, bytes)
        self.reports: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.hits: list[str] = []
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def report_url(self, tag: str) -> str:
        return f"{self.url}report/{tag}"

    def add_page(self, path: str, tag: str, title: str, body: str) -> None:
        self.pages[path] = page(title, body, self.report_url(tag))

    def start(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                site.hits.append(self.path)
                if path in site.downloads:
                    name, data = site.downloads[path]
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Disposition", f'attachment; filename="{name}"')
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                html = site.pages.get(path)
                if html is None:
                    self.send_error(404)
                    return
                data = html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                tag = self.path.split("/report/", 1)[-1]
                try:
                    data = json.loads(body)
                except ValueError:
                    data = {"raw": body.decode(errors="replace")}
                with site._cond:
                    site.reports[tag].append(data)
                    site._cond.notify_all()
                self.send_response(204)
                self.end_headers()

        server = ThreadingHTTPServer((self.host, self.port), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_report(self, tag: str, timeout: float = 30, **match: Any) -> dict[str, Any]:
        """The first report from `tag` whose fields equal `match` (a callable value is a predicate)."""

        def fits(r: dict[str, Any]) -> bool:
            return all(v(r.get(k)) if callable(v) else r.get(k) == v for k, v in match.items())

        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = next((r for r in self.reports[tag] if fits(r)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = json.dumps(self.reports[tag][-3:], ensure_ascii=False)[:2000]
                    raise AssertionError(f"no report from {tag} matching {match} in {timeout:.0f} s; last: {seen}")
                self._cond.wait(left)

    def clear(self, tag: str) -> None:
        with self._cond:
            self.reports[tag].clear()
