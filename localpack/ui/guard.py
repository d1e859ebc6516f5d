"""Nobody but the person who started `localpack ui` drives it.

- A secret made per run travels in the first URL (`/?key=…`); the server answers that request with a
  cookie (HttpOnly, SameSite=Strict) and a redirect to the same page without the key, so reloading works
  and the secret leaves the address bar. Every request without the cookie gets 403.
- `Host` must be `127.0.0.1:PORT` or `localhost:PORT` (a DNS-rebinding page has another host name).
- A state-changing request (anything but GET/HEAD) must carry an `Origin` of this server.
- No CORS headers are ever sent; every response forbids framing, sniffing, referrers to other sites and caching, and
  the content security policy allows only this server's own scripts and styles.
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

    def __init__(self, app: Any, *, secret: str, port: int) -> None:
        self.app, self.secret, self.port = app, secret, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = cookie_name(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"]
        if headers.get("host") not in self.hosts:
            await _forbidden(send, "this server answers only at 127.0.0.1 or localhost on its own port")
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
        await self.app(scope, receive, _with_headers(send))

    def _matches(self, value: str) -> bool:
        return hmac.compare_digest(value.encode(), self.secret.encode())


def _with_headers(send: Send) -> Send:
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *HEADERS]
        await send(message)

    return wrapped


async def _forbidden(send: Send, reason: str) -> None:
    body = f"403 forbidden: {reason}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
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
