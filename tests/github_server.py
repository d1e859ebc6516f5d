"""A fake GitHub REST API on 127.0.0.1 (GitHub itself is unreachable here).

Speaks the routes localpack uses, with GitHub's response shapes and headers:
GET /user, GET /repos/O/R, GET /search/issues, POST /repos/O/R/issues,
POST /repos/O/R/issues/N/comments. It records every request (method, path,
query, headers, JSON body) and can be told to fail (`fail(status, ...)`), to
misbehave as no GitHub does (`fail(..., body=Raw(...) | Trickle(...) | Flood(...))`:
other bytes than JSON, a reply one byte at a time, a body without end), or be
stopped and restarted on the same port.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw: str


@dataclass
class Raw:
    """A reply body sent as these bytes, not as JSON."""

    data: bytes
    content_type: str = "application/json; charset=utf-8"


@dataclass
class Trickle:
    """The reply one byte every `interval` seconds, for at most `seconds` (`head`: the status line and headers too,
    else only the body)."""

    data: bytes = b'{"login": "octo"}'
    interval: float = 0.5
    seconds: float = 90.0
    head: bool = False


@dataclass
class Flood:
    """A body of `size` spaces announced by Content-Length, or (size None) a chunked body without end; either
    stops when the client hangs up (or after 1 GiB)."""

    size: int | None = None


@dataclass
class Repo:
    private: bool = False
    has_issues: bool = True
    push: bool = True
    labels: set[str] = field(default_factory=lambda: {"bug"})


class FakeGitHub:
    def __init__(self, token: str, scopes: str | None = "repo, workflow", login: str = "octo") -> None:
        self.token = token
        self.scopes = scopes  # X-OAuth-Scopes; None: a fine-grained token (no header)
        self.login = login
        self.repos: dict[str, Repo] = {"octo/app": Repo()}
        self.issues: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.requests: list[Request] = []
        self.failures: list[tuple[str, int, dict[str, str], dict[str, Any]]] = []
        self.unknown_labels = "create"  # "create" (push access), "drop" (docs), "reject" (403, seen in practice)
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    # control
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeGitHub:
        fake = self

        class Handler(_Handler):
            github = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail(
        self, status: int, route: str = "", times: int = 1, headers: dict[str, str] | None = None, body: Any = None
    ) -> None:
        """Answer the next `times` requests whose "METHOD path" contains `route` with `status` and `body` (any JSON
        value, or a `Raw`, `Trickle` or `Flood` reply)."""
        for _ in range(times):
            self.failures.append(
                (route, status, headers or {}, {"message": f"fake failure {status}"} if body is None else body)
            )

    def of(self, method: str, path_prefix: str = "") -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # routes
    def handle(self, req: Request) -> tuple[int, dict[str, str], Any]:
        for i, (route, status, headers, body) in enumerate(self.failures):
            if route in f"{req.method} {req.path}":
                del self.failures[i]
                return status, headers, body
        if req.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}
        if req.method == "GET" and req.path == "/user":
            headers = {"X-OAuth-Scopes": self.scopes} if self.scopes is not None else {}
            return 200, headers, {"login": self.login, "id": 1, "type": "User"}
        if req.method == "GET" and req.path == "/search/issues":
            return 200, {}, self._search(req.query.get("q", ""))
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/issues(?:/(\d+)/comments)?)?", req.path)
        if not m or m.group(1) not in self.repos:
            return 404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        name, repo = m.group(1), self.repos[m.group(1)]
        if req.method == "GET" and not m.group(2):
            perms = {"admin": repo.push, "maintain": repo.push, "push": repo.push, "triage": repo.push, "pull": True}
            return (
                200,
                {},
                {"full_name": name, "private": repo.private, "has_issues": repo.has_issues, "permissions": perms},
            )
        if not repo.has_issues:
            return 410, {}, {"message": "Issues are disabled for this repo"}
        if req.method == "POST" and m.group(2) == "/issues":
            return self._create_issue(name, repo, req.body)
        if req.method == "POST" and m.group(3):
            issue = next((i for i in self.issues if i["repo"] == name and i["number"] == int(m.group(3))), None)
            if issue is None:
                return 404, {}, {"message": "Not Found"}
            comment = {"id": 1000 + len(self.comments), "body": req.body["body"], "issue": issue["number"]}
            comment["html_url"] = f"{issue['html_url']}#issuecomment-{comment['id']}"
            self.comments.append(comment)
            return 201, {}, comment
        return 404, {}, {"message": "Not Found"}

    def _create_issue(self, name: str, repo: Repo, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        if not isinstance(body, dict) or not body.get("title"):
            return (
                422,
                {},
                {
                    "message": "Validation Failed",
                    "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}],
                },
            )
        labels = list(body.get("labels") or [])
        unknown = [label for label in labels if label not in repo.labels]
        if unknown and self.unknown_labels == "reject":
            return 403, {}, {"message": "You do not have permission to create labels on this repository."}
        if unknown and self.unknown_labels == "create":
            repo.labels.update(unknown)
        if self.unknown_labels == "drop" or not repo.push:
            labels = [label for label in labels if label in repo.labels and label not in unknown]
        number = len(self.issues) + 1
        issue = {
            "number": number,
            "repo": name,
            "title": body["title"],
            "body": body.get("body", ""),
            "state": "open",
            "labels": [{"name": label} for label in labels],
            "html_url": f"https://github.com/{name}/issues/{number}",
            "url": f"{self.url}/repos/{name}/issues/{number}",
        }
        self.issues.append(issue)
        return 201, {}, issue

    def _search(self, q: str) -> dict[str, Any]:
        phrases = re.findall(r'"([^"]+)"', q)
        repo = re.search(r"\brepo:(\S+)", q)
        want_open = "is:open" in q
        items = [
            i
            for i in self.issues
            if (not repo or i["repo"] == repo.group(1))
            and (not want_open or i["state"] == "open")
            and all(p in i["body"] for p in phrases)
        ]
        return {"total_count": len(items), "incomplete_results": False, "items": items}


class _Handler(BaseHTTPRequestHandler):
    github: FakeGitHub

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _serve(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        req = Request(
            self.command,
            split.path,
            {k: v[0] for k, v in parse_qs(split.query).items()},
            {k.lower(): v for k, v in self.headers.items()},
            body,
            raw,
        )
        self.github.requests.append(req)
        status, headers, payload = self.github.handle(req)
        try:
            if isinstance(payload, Trickle):
                return self._trickle(status, headers, payload)
            if isinstance(payload, Flood):
                return self._flood(status, headers, payload)
        except OSError:  # the client hung up, as it should
            return None
        kind = payload.content_type if isinstance(payload, Raw) else "application/json; charset=utf-8"
        data = payload.data if isinstance(payload, Raw) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-RateLimit-Limit", "5000")
        if "X-RateLimit-Remaining" not in headers:
            self.send_header("X-RateLimit-Remaining", "4999")
            self.send_header("X-RateLimit-Reset", str(int(time.time()) + 3600))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _trickle(self, status: int, headers: dict[str, str], t: Trickle) -> None:
        head = f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {len(t.data)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.close_connection = True
        if not t.head:
            self.wfile.write(head.encode())
            self.wfile.flush()
        end = time.monotonic() + t.seconds
        for byte in (head.encode() if t.head else b"") + t.data:
            if time.monotonic() > end:
                return
            time.sleep(t.interval)
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _flood(self, status: int, headers: dict[str, str], f: Flood) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if f.size is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(f.size))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.close_connection = True
        chunk, sent = b" " * (64 << 10), 0
        while sent < (f.size if f.size is not None else 1 << 30):
            part = chunk[: f.size - sent] if f.size is not None else chunk
            self.wfile.write(part if f.size is not None else b"%x\r\n%s\r\n" % (len(part), part))
            sent += len(part)

    do_GET = _serve
    do_POST = _serve


TOKEN = "ghp_" + "T0kenForTests" * 3  # 39 characters after the prefix: looks like a classic token


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """A fake GitHub on 127.0.0.1 that accepts TOKEN; stopped after the test."""
    fake = FakeGitHub(TOKEN).start()
    yield fake
    fake.stop()
