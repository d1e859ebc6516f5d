"""A small GitHub REST client: the few routes `token test` and `report` use.

Every request has a timeout; every failure becomes a `GitHubError` whose text
says what to do and never contains the token. `GitHubUnreachable` (network
down, timeout, 5xx, rate limit) means "try again later": `report` keeps the
report on disk for `report --retry`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from localpack import __version__
from localpack.config import urls
from localpack.core.redact import redact
from localpack.errors import ConfigError, ReportFailed

DEFAULT_API = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
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


def api_url(explicit: str | None = None) -> str:
    """--api-url, else LOCALPACK_GITHUB_API, else api.github.com (GitHub Enterprise: https://HOST/api/v3).

    The token travels in every request, so plain http:// is allowed only to this machine (loopback)."""
    where = "--api-url" if explicit else "LOCALPACK_GITHUB_API"
    url = (explicit or os.environ.get("LOCALPACK_GITHUB_API") or DEFAULT_API).rstrip("/")
    hint = "use the https:// address of the API, e.g. https://github.example.com/api/v3"
    try:
        parsed = urls.parse(url, ("https", "http"), example="https://github.example.com/api/v3")
    except urls.URLProblem as e:
        raise ConfigError(f"{where} {e}", hint) from None
    if parsed.scheme == "http" and not parsed.is_loopback:
        raise ConfigError(
            f"{where} {url}: plain http:// would send your token unencrypted to {parsed.host}; "
            "http:// is allowed only for this machine (localhost, 127.0.0.1, ::1)",
            hint,
        )
    return url


@dataclass(frozen=True)
class User:
    login: str
    scopes: list[str] | None  # classic tokens only (X-OAuth-Scopes); None for fine-grained tokens


class _Bearer:
    """requests auth hook: an explicit auth object also stops requests from reading ~/.netrc."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, r):  # noqa: ANN001, ANN204
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:
        return "_Bearer(***)"


class GitHub:
    def __init__(self, token: str, api: str | None = None) -> None:
        import requests

        self.api = api_url(api)
        self._token = token
        self._session = requests.Session()
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

    # routes
    def user(self) -> User:
        r = self._request("GET", "/user", what="check the token")
        scopes = r.headers.get("X-OAuth-Scopes")
        parsed = [s.strip() for s in scopes.split(",") if s.strip()] if scopes is not None else None
        return User(r.json().get("login", "?"), parsed)

    def repo(self, repo: str) -> dict[str, Any]:
        return self._request("GET", f"/repos/{repo}", what=f"read {repo}", repo=repo).json()

    def search_issues(self, query: str) -> list[dict[str, Any]]:
        r = self._request("GET", "/search/issues", params={"q": query, "per_page": 10}, what="search issues")
        return list(r.json().get("items", []))

    def create_issue(self, repo: str, title: str, body: str, labels: list[str]) -> dict[str, Any]:
        payload: dict[str, Any] = {"title": title, "body": body}
        if labels:
            payload["labels"] = labels
        return self._request(
            "POST", f"/repos/{repo}/issues", json=payload, what=f"create an issue in {repo}", repo=repo
        ).json()

    def comment(self, repo: str, number: int, body: str) -> dict[str, Any]:
        return self._request(
            "POST",
            f"/repos/{repo}/issues/{number}/comments",
            json={"body": body},
            what=f"comment on {repo}#{number}",
            repo=repo,
        ).json()

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
    ):  # noqa: ANN202
        import requests

        url = self.api + path
        try:
            r = self._session.request(method, url, params=params, json=json, timeout=TIMEOUT)
        except requests.Timeout:
            raise GitHubUnreachable(
                f"{self._host()} did not answer in time (could not {what})", "check the network, then try again"
            ) from None
        except requests.RequestException as e:
            raise GitHubUnreachable(
                f"cannot reach {self._host()} (could not {what}): {self._clean(_reason(e))}",
                "check the network (or --api-url / LOCALPACK_GITHUB_API), then try again",
            ) from None
        if r.status_code < 400:
            return r
        raise self._error(r, what, repo)

    def _error(self, r, what: str, repo: str | None) -> GitHubError:  # noqa: ANN001
        status = r.status_code
        try:
            data = r.json()
        except ValueError:
            data = {}
        message = self._clean(str(data.get("message", "") if isinstance(data, dict) else ""))[:300]
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
            details = (
                "; ".join(
                    self._clean(str(e.get("message") or e.get("code") or e))
                    for e in data.get("errors", [])
                    if isinstance(e, dict)
                )
                if isinstance(data, dict)
                else ""
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

        return urlsplit(self.api).netloc or self.api

    def _clean(self, text: str) -> str:
        return redact(text, [self._token])


def _reason(e: Exception) -> str:
    """The innermost useful sentence of a requests/urllib3 error (they nest several layers)."""
    text = str(e)
    for marker in ("Failed to establish a new connection: ", "Failed to resolve", "Connection refused"):
        i = text.find(marker)
        if i >= 0:
            return text[i:].split("'))")[0].split('"))')[0].rstrip(")'\"")
    return text[:200]


def _reset_hint(headers) -> str:  # noqa: ANN001
    retry_after = headers.get("Retry-After")
    if retry_after and retry_after.isdigit():
        return f"GitHub asks to wait {retry_after}s before trying again"
    reset = headers.get("X-RateLimit-Reset")
    if reset and reset.isdigit():
        when = time.strftime("%H:%M:%S", time.localtime(int(reset)))
        minutes = max(0, int(reset) - int(time.time())) // 60
        return f"the limit resets at {when} (in about {minutes} min)"
    return "wait a few minutes, then try again"
