"""Nobody but the person who started `localpack ui` drives it.

- The server's address is a name made per run, `<random>.localhost:PORT` (browsers resolve every name under
  `localhost` to loopback themselves). Browsers send a cookie to every port of the host that set it, so a
  cookie of `127.0.0.1` or `localhost` would reach any other server on this machine the browser visits; a
  cookie of the per-run name reaches only a server the browser visits by that name, which nobody else knows.
- A secret made per run travels in the first URL (`/?key=…`); the server answers that request with a
  cookie (HttpOnly, SameSite=Strict, for the per-run name only) and a redirect to the same page without the
  key, so reloading works and the secret leaves the address bar. Every request without the cookie gets 403.
- `Host` must be that name and port (a DNS-rebinding page has another host name; `127.0.0.1:PORT` and
  `localhost:PORT` are refused too, so no cookie is ever set for them).
- A state-changing request (anything but GET/HEAD) must carry an `Origin` of this server.
- No CORS headers are ever sent; every response forbids framing, sniffing, referrers to other sites and caching, and
  the content security policy allows only this server's own scripts and styles.
- A request body is at most `MAX_BODY` bytes (an upload and the form's fields): a larger `Content-Length` gets
  413 with the limit before a byte is read, and a body streamed without one stops being read at the limit.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD"}
MAX_BODY = 33 << 20  # an upload of at most 32 MiB (pages/base.py: MAX_UPLOAD) and the fields of its form
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" would make browsers send `Origin: null`
    (b"cache-control", b"no-store"),
]


def cookie_name(port: int) -> str:
    """Cookies do not tell ports apart: two servers on one machine must not overwrite each other's."""
    return f"localpack-ui-{port}"


class Guard:
    """ASGI middleware in front of every route (static files included)."""

    def __init__(self, app: Any, *, secret: str, host: str, port: int) -> None:
        self.app, self.secret, self.port = app, secret, port
        self.hosts = {f"{host}:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = cookie_name(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"]
        if headers.get("host") not in self.hosts:
            await _forbidden(send, "this server answers only at the address `localpack ui` printed")
            return
        if method not in SAFE_METHODS and headers.get("origin") not in self.origins:
            await _forbidden(send, "a change must come from a page of this server (Origin)")
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        key = next((v for k, v in query if k == "key"), None)
        if key is not None and method in SAFE_METHODS and self._matches(key):
            rest = urlencode([(k, v) for k, v in query if k != "key"])
            location = quote(scope["path"]) + (f"?{rest}" if rest else "")
            await _redirect_with_cookie(send, location, self.cookie, self.secret)
            return
        jar = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed Cookie header is just no cookie
            jar = SimpleCookie()
        morsel = jar.get(self.cookie)
        if morsel is None or not self._matches(morsel.value):
            await _forbidden(send, "open the address that `localpack ui` printed (it carries this run's key)")
            return
        length = headers.get("content-length")
        if length is not None and not (length.isdigit() and len(length) <= 12 and int(length) <= MAX_BODY):
            await _plain(
                send,
                413,
                f"413 request too large: localpack ui takes at most {MAX_BODY >> 20} MiB "
                f"(an icon or a ppconfig.json of at most {(MAX_BODY >> 20) - 1} MiB)",
            )
            return
        await self.app(scope, _bounded(receive), _with_headers(send))

    def _matches(self, value: str) -> bool:
        return hmac.compare_digest(value.encode(), self.secret.encode())


def _with_headers(send: Send) -> Send:
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *HEADERS]
        await send(message)

    return wrapped


def _bounded(receive: Receive) -> Receive:
    """`receive` that delivers at most MAX_BODY bytes of body, then says the client left (the page answers 413)."""
    seen = 0

    async def wrapped() -> MutableMapping[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                return {"type": "http.disconnect"}
        return message

    return wrapped


async def _forbidden(send: Send, reason: str) -> None:
    await _plain(send, 403, f"403 forbidden: {reason}")


async def _plain(send: Send, status: int, text: str) -> None:
    body = f"{text}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Send, location: str, name: str, secret: str) -> None:
    cookie = f"{name}={secret}; Path=/; HttpOnly; SameSite=Strict"
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"set-cookie", cookie.encode()),
                (b"content-length", b"0"),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
