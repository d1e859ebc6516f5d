"""A small GitHub REST client: the few routes `token test` and `report` use.

Every failure becomes a `GitHubError` whose text says what to do and never contains the token.
`GitHubUnreachable` (network down, timeout, 5xx, rate limit, a reply that is not GitHub's) means "try
again later": `report` keeps the report on disk for `report --retry`.

A reply is hostile input. requests' timeouts bound each socket read, not a reply, so a server that sends
a byte every few seconds would hold a request for ever: a timer shuts the request's sockets down at the
reply's deadline (`LOCALPACK_GITHUB_TIMEOUT`, default 60 s, redirects and body included). The body is
streamed and given up past `MAX_REPLY` bytes (decompressed), parsed in one place (`_parse`), and each
route checks the shape of what it uses before anyone reads it.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from localpack import __version__, jsonio
from localpack.config import urls
from localpack.core.redact import redact
from localpack.errors import ConfigError, ReportFailed

DEFAULT_API = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT = (5.0, 30.0)  # connect, and each read (seconds): requests' own timeouts
REPLY_SECONDS = 60.0  # the whole reply, from connecting to the last byte (LOCALPACK_GITHUB_TIMEOUT)
MAX_REPLY_SECONDS = 3600.0
MAX_REPLY = 8 << 20  # bytes of a reply body, decompressed; GitHub's largest answer here (10 issues) is < 1 MiB
CHUNK = 16 << 10  # read size: one decompressed chunk stays small even from a gzip bomb
MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)
ISSUES_SCOPE_HINT = (
    "a classic token needs the `repo` scope (or `public_repo` for a public repository); "
    'a fine-grained token needs "Issues: Read and write" on that repository'
)


class GitHubError(ReportFailed):
    """GitHub answered, but not with what was asked (bad token, no access, …)."""

    def __init__(self, message: str, hint: str = "", status: int | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


class GitHubUnreachable(GitHubError):
    """Network down, timeout, 5xx or rate limit: worth trying again later."""


class GitHubBadReply(GitHubUnreachable):
    """An answer that is not GitHub's (an HTML page, a list, too large, a field of the wrong type): a proxy,
    a captive portal or a wrong --api-url answered. Kept for a retry like an unreachable GitHub: nothing is lost."""


def api_url(explicit: str | None = None) -> str:
    """--api-url, else LOCALPACK_GITHUB_API, else api.github.com (GitHub Enterprise: https://HOST/api/v3).

    The token travels in every request, so plain http:// is allowed only to this machine (loopback), and the
    URL may carry no user name or password (the token authenticates; a password would end up in messages)."""
    reply_seconds()  # a bad LOCALPACK_GITHUB_TIMEOUT is refused as early as a bad address
    where = "--api-url" if explicit else "LOCALPACK_GITHUB_API"
    url = (explicit or os.environ.get("LOCALPACK_GITHUB_API") or DEFAULT_API).rstrip("/")
    shown = redact(url, env=False)
    hint = "use the https:// address of the API, e.g. https://github.example.com/api/v3"
    try:
        parsed = urls.parse(url, ("https", "http"), example="https://github.example.com/api/v3")
    except urls.URLProblem as e:
        raise ConfigError(f"{where} {e}", hint) from None
    if parsed.userinfo:
        raise ConfigError(
            f"{where} {shown}: must not carry a user name or password (the token authenticates)",
            "remove the `user:password@` part",
        ) from None
    if parsed.scheme == "http" and not parsed.is_loopback:
        raise ConfigError(
            f"{where} {shown}: plain http:// would send your token unencrypted to {parsed.host}; "
            "http:// is allowed only for this machine (localhost, 127.0.0.1, ::1)",
            hint,
        )
    return url


def reply_seconds() -> float:
    """How long one reply may take in all: LOCALPACK_GITHUB_TIMEOUT (seconds), else REPLY_SECONDS."""
    value = os.environ.get("LOCALPACK_GITHUB_TIMEOUT", "").strip()
    if not value:
        return REPLY_SECONDS
    try:
        seconds = float(value) if len(value) <= 20 else -1.0
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= MAX_REPLY_SECONDS:
        raise ConfigError(
            f"LOCALPACK_GITHUB_TIMEOUT {value[:40]!r}: must be a number of seconds above 0 and at "
            f"most {MAX_REPLY_SECONDS:.0f}",
            "unset it to use the default of 60 s",
        )
    return seconds


@dataclass(frozen=True)
class User:
    login: str
    scopes: list[str] | None  # classic tokens only (X-OAuth-Scopes); None for fine-grained tokens


class _Bearer:
    """requests auth hook: an explicit auth object also stops requests from reading ~/.netrc."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, r: Any) -> Any:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:
        return "_Bearer(***)"


def _cuttable_adapter() -> Any:  # a requests HTTPAdapter (requests is imported lazily)
    """A requests adapter that remembers the sockets it opens, so that `cut()` (from the deadline's timer
    thread) can shut them down: a read blocked on a trickling server then ends at once."""
    from requests.adapters import HTTPAdapter

    class Adapter(HTTPAdapter):
        def __init__(self) -> None:
            self.sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
            super().__init__(max_retries=0)

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self._watch(self.poolmanager)

        def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
            manager = super().proxy_manager_for(proxy, **kwargs)
            self._watch(manager)
            return manager

        def _watch(self, manager: Any) -> None:
            if getattr(manager, "_localpack_watched", False):
                return
            manager.pool_classes_by_scheme = {
                scheme: self._pool(cls) for scheme, cls in manager.pool_classes_by_scheme.items()
            }
            manager._localpack_watched = True

        def _pool(self, pool_cls: type) -> type:
            sockets = self.sockets

            class Connection(pool_cls.ConnectionCls):
                def connect(self) -> None:
                    super().connect()
                    if self.sock is not None:
                        sockets.add(self.sock)

            return type(pool_cls.__name__, (pool_cls,), {"ConnectionCls": Connection})

        def cut(self) -> None:
            for sock in list(self.sockets):
                try:
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: also under TLS
                except OSError:
                    pass

    return Adapter()


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: Any  # requests' case-insensitive headers
    body: bytes


class GitHub:
    def __init__(self, token: str, api: str | None = None) -> None:
        import requests

        self.api = api_url(api)
        self._deadline = reply_seconds()
        self._token = token
        self._session = requests.Session()
        self._adapter = _cuttable_adapter()
        self._session.mount("https://", self._adapter)
        self._session.mount("http://", self._adapter)
        self._session.auth = _Bearer(token)
        self._session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"localpack/{__version__}",
            }
        )

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.close()

    # routes: each checks the fields it (or its caller) reads, so a reply of another shape is refused here
    def user(self) -> User:
        what = "check the token"
        r = self._request("GET", "/user", what=what)
        data = self._object(r, what, {"login": str})
        scopes = r.headers.get("X-OAuth-Scopes")
        parsed = [s.strip() for s in scopes.split(",") if s.strip()] if scopes is not None else None
        return User(data.get("login", "?"), parsed)

    def repo(self, repo: str) -> dict[str, Any]:
        what = f"read {repo}"
        data = self._object(
            self._request("GET", f"/repos/{repo}", what=what, repo=repo),
            what,
            {"private": bool, "has_issues": bool, "permissions": dict},
        )
        if not all(isinstance(v, bool) for v in data.get("permissions", {}).values()):
            raise self._bad(what, 200, "its `permissions` are not true/false values")
        return data

    def search_issues(self, query: str) -> list[dict[str, Any]]:
        what = "search issues"
        r = self._request("GET", "/search/issues", params={"q": query, "per_page": 10}, what=what)
        items = self._object(r, what, {"items": list}).get("items")
        if items is None:
            raise self._bad(what, r.status, "it has no `items` list")
        return [
            self._fields(
                item,
                what,
                f"items[{i}]",
                {"number": int, "state": str, "body": (str, type(None)), "html_url": str},
                required=("number",),
            )
            for i, item in enumerate(items)
        ]

    def create_issue(self, repo: str, title: str, body: str, labels: list[str]) -> dict[str, Any]:
        payload: dict[str, Any] = {"title": title, "body": body}
        if labels:
            payload["labels"] = labels
        what = f"create an issue in {repo}"
        return self._object(
            self._request("POST", f"/repos/{repo}/issues", json=payload, what=what, repo=repo),
            what,
            {"number": int, "html_url": str},
        )

    def comment(self, repo: str, number: int, body: str) -> dict[str, Any]:
        what = f"comment on {repo}#{number}"
        return self._object(
            self._request("POST", f"/repos/{repo}/issues/{number}/comments", json={"body": body}, what=what, repo=repo),
            what,
            {"html_url": str},
        )

    # plumbing
    def _request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        repo: str | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> _Reply:
        """One call, redirects followed here (requests would read a redirect's body whole): at most
        MAX_REDIRECTS, only to the API's own host, all within one deadline."""
        import requests

        expired = threading.Event()

        def cut() -> None:
            expired.set()
            self._adapter.cut()

        timer = threading.Timer(self._deadline, cut)
        timer.daemon = True
        timer.start()
        url = self.api + path
        try:
            for _ in range(MAX_REDIRECTS + 1):
                r = self._session.request(
                    method, url, params=params, json=json, timeout=TIMEOUT, stream=True, allow_redirects=False
                )
                try:
                    reply = _Reply(r.status_code, r.headers, self._read(r, what, expired))
                finally:
                    r.close()
                if reply.status not in REDIRECTS:
                    break
                url, params = self._redirect(reply, url, method, what), None
            else:
                raise self._bad(what, reply.status, f"it redirects more than {MAX_REDIRECTS} times")
        except (requests.RequestException, http.client.HTTPException, OSError, ValueError) as e:
            if expired.is_set() or isinstance(e, requests.Timeout) or "timed out" in str(e):
                raise self._late(what) from None
            raise GitHubUnreachable(
                f"cannot reach {self._host()} (could not {what}): {self._clean(_reason(e))}",
                "check the network (or --api-url / LOCALPACK_GITHUB_API), then try again",
            ) from None
        finally:
            timer.cancel()
        if expired.is_set():
            raise self._late(what)
        if reply.status < 400:
            return reply
        raise self._error(reply, what, repo)

    def _redirect(self, reply: _Reply, url: str, method: str, what: str) -> str:
        """Where a 3xx sends this request: the same host only (the token goes with it), and a POST only with
        307/308 (which repeat it); GitHub redirects renamed and moved repositories."""
        from urllib.parse import urljoin, urlsplit

        target = urljoin(url, reply.headers.get("Location", ""))
        here, there = urlsplit(self.api), urlsplit(target)
        if (there.scheme, there.netloc) != (here.scheme, here.netloc):
            raise self._bad(
                what,
                reply.status,
                f"it redirects to another host ({there.hostname or '?'}), where the token is not sent",
            )
        if method != "GET" and reply.status not in (307, 308):
            raise self._bad(what, reply.status, f"it redirects a {method} with {reply.status}, which would drop it")
        return target

    def _read(self, r: Any, what: str, expired: threading.Event) -> bytes:
        """The body, streamed and given up past MAX_REPLY bytes (announced or decompressed)."""
        declared = r.headers.get("Content-Length", "")
        if re.fullmatch(r"[0-9]{1,20}", declared) and int(declared) > MAX_REPLY:
            raise self._too_large(what, r.status_code)
        body = bytearray()
        for chunk in r.iter_content(CHUNK):
            body += chunk
            if len(body) > MAX_REPLY:
                raise self._too_large(what, r.status_code)
            if expired.is_set():
                raise self._late(what)
        return bytes(body)

    def _late(self, what: str) -> GitHubUnreachable:
        return GitHubUnreachable(
            f"{self._host()} did not answer in time (could not {what}: the whole reply may take {self._deadline:g} s)",
            "check the network, then try again (LOCALPACK_GITHUB_TIMEOUT sets the limit)",
        )

    def _too_large(self, what: str, status: int) -> GitHubBadReply:
        return self._bad(what, status, f"it is larger than {MAX_REPLY >> 20} MiB, the most a reply may be")

    def _bad(self, what: str, status: int, why: str) -> GitHubBadReply:
        return GitHubBadReply(
            f"{self._host()} answered {status} to `{what}`, but not as GitHub does: {why}",
            "check --api-url / LOCALPACK_GITHUB_API (a proxy or captive portal may have "
            "answered instead of GitHub), then try again",
            status,
        )

    def _object(self, reply: _Reply, what: str, fields: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
        """The reply as one JSON object whose `fields`, where present, have these types."""
        data, why = _parsed(reply)
        if why is not None:
            raise self._bad(what, reply.status, why)
        return self._fields(data, what, "the reply", fields, status=reply.status)

    def _fields(
        self,
        data: Any,
        what: str,
        name: str,
        fields: dict[str, type | tuple[type, ...]],
        required: tuple[str, ...] = (),
        status: int = 200,
    ) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self._bad(what, status, f"{name} is {_kind(data)}, not an object")
        for key, types in fields.items():
            value = data.get(key)
            if key not in data:
                if key in required:
                    raise self._bad(what, status, f"{name} has no `{key}`")
                continue
            if (
                not isinstance(value, types)
                or (isinstance(value, bool) and bool not in _tuple(types))
                or (type(value) is int and not 0 <= value < 1 << 63)
            ):
                raise self._bad(what, status, f"`{key}` of {name} is {_kind(value)}")
        return data

    def _error(self, r: _Reply, what: str, repo: str | None) -> GitHubError:
        status = r.status
        data, _ = _parsed(r)
        data = data if isinstance(data, dict) else {}  # an error's body is only read for GitHub's words
        message = self._clean(data["message"])[:300] if isinstance(data.get("message"), str) else ""
        said = f": {message}" if message else ""
        if status in (403, 429) and (
            r.headers.get("X-RateLimit-Remaining") == "0"
            or "Retry-After" in r.headers
            or "rate limit" in message.lower()
        ):
            return GitHubUnreachable(
                f"GitHub's rate limit was reached (could not {what}){said}", _reset_hint(r.headers), status
            )
        if status == 401:
            return GitHubError(
                f"GitHub rejected the token (401{said})",
                "the token is wrong, expired or revoked: create a new one and run `localpack token set`",
                status,
            )
        if status == 403:
            return GitHubError(f"the token may not {what} (403{said})", ISSUES_SCOPE_HINT, status)
        if status == 404:
            target = f"repository {repo}" if repo else "the requested resource"
            return GitHubError(
                f"{target} was not found, or the token has no access to it (404)",
                f"check --repo / [report] repo; for a private repository {ISSUES_SCOPE_HINT}",
                status,
            )
        if status == 410:
            return GitHubError(
                f"issues are disabled in {repo or 'that repository'} (410)",
                "choose a repository with issues enabled (--repo OWNER/NAME)",
                status,
            )
        if status == 422:
            errors = data.get("errors") if isinstance(data.get("errors"), list) else []
            details = "; ".join(
                self._clean(text)[:200]
                for e in errors[:10]
                if isinstance(e, dict)
                for text in (e.get("message"), e.get("code"))
                if isinstance(text, str)
            )
            return GitHubError(
                f"GitHub refused the request as invalid (422{said}{'; ' + details if details else ''})",
                "this is probably a localpack bug: run with --dry-run and include that output",
                status,
            )
        if status >= 500:
            return GitHubUnreachable(
                f"GitHub had a server error ({status}) and could not {what}", "try again later", status
            )
        return GitHubError(f"GitHub answered {status} (could not {what}){said}", "", status)

    def _host(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.api)  # the host and port only: never a user name or password
        host = parts.hostname or "?"
        host = f"[{host}]" if ":" in host else host
        return host if parts.port is None else f"{host}:{parts.port}"

    def _clean(self, text: str) -> str:
        return redact(text, [self._token])


def _parse(body: bytes) -> Any:
    """A reply body as JSON: the one place a reply is parsed, with jsonio's limits. ValueError when it is not."""
    return jsonio.loads(body, limit=MAX_REPLY)


def _parsed(reply: _Reply) -> tuple[Any, str | None]:
    """The parsed body and None, or None and why it is not JSON (in words, never its content)."""
    try:
        return _parse(reply.body), None
    except (ValueError, RecursionError):
        kind = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind == "text/html" or reply.body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
            return None, "it is an HTML page"
        if not reply.body.strip():
            return None, "it is empty"
        return None, f"its {len(reply.body)} bytes are not JSON (or nest too deep)"


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _kind(value: Any) -> str:
    """What a JSON value is, in words (never the value itself: it may be huge or hold anything)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number out of range" if isinstance(value, int) and not 0 <= value < 1 << 63 else "a number"
    return {str: "a string", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _reason(e: Exception) -> str:
    """The innermost useful sentence of a requests/urllib3 error (they nest several layers)."""
    text = str(e)
    for marker in ("Failed to establish a new connection: ", "Failed to resolve", "Connection refused"):
        i = text.find(marker)
        if i >= 0:
            return text[i:].split("'))")[0].split('"))')[0].rstrip(")'\"")
    return text[:200]


def _reset_hint(headers: Any) -> str:
    """When a rate limit ends, from Retry-After or X-RateLimit-Reset (hostile headers: only a reset within a day
    of now counts)."""
    retry_after = headers.get("Retry-After", "")
    if re.fullmatch(r"[0-9]{1,6}", retry_after):
        return f"GitHub asks to wait {int(retry_after)}s before trying again"
    reset = headers.get("X-RateLimit-Reset", "")
    now = int(time.time())
    if re.fullmatch(r"[0-9]{1,12}", reset) and abs(int(reset) - now) <= 86400:
        when = time.strftime("%H:%M:%S", time.localtime(int(reset)))
        return f"the limit resets at {when} (in about {max(0, int(reset) - now) // 60} min)"
    return "wait a few minutes, then try again"
