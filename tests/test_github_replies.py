"""GitHub's replies are hostile input: `token test` and `report` against a fake GitHub that answers as no GitHub
does (HTML, a list, a string, nested error bodies, absurd rate-limit headers, `items` that is no list, a body
without end, a reply one byte at a time). Each ends in exit 5 with one line naming the host, the status and what
was wrong; no traceback; a report is kept for `report --retry`, nothing else is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, Flood, Raw, Trickle, github  # noqa: F401  (fixture)

from tests.conftest import no_traceback
from tests.test_report import failed_build

NO_ENV_TOKENS = {"LOCALPACK_GITHUB_TOKEN": TOKEN, "GITHUB_TOKEN": "", "GH_TOKEN": ""}
DEEP = b"[" * 100_000 + b"]" * 100_000

# (route, status, headers, body) → words the error line must hold
REPLIES = {
    "html": (
        "GET /user",
        200,
        {},
        Raw(b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>", "text/html"),
        "answered 200 to `check the token`, but not as GitHub does: it is an HTML page",
    ),
    "a list": ("GET /user", 200, {}, [], "the reply is a list, not an object"),
    "a string": ("GET /user", 200, {}, "octo", "the reply is a string, not an object"),
    "login not text": ("GET /user", 200, {}, {"login": {"name": "octo"}}, "`login` of the reply is an object"),
    "deep json": ("GET /user", 200, {}, Raw(DEEP), "bytes are not JSON (or nest too deep)"),
    "empty": ("GET /user", 200, {}, Raw(b""), "it is empty"),
    "nested error": (
        "GET /user",
        401,
        {},
        {"message": {"message": ["Bad credentials"]}, "errors": "x"},
        "GitHub rejected the token (401)",
    ),
    "deep error": ("GET /user", 401, {}, Raw(DEEP), "GitHub rejected the token (401)"),
    "huge reset": (
        "GET /user",
        403,
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9" * 5000},
        {"message": "API rate limit exceeded"},
        "rate limit was reached",
    ),
    "past reset": (
        "GET /user",
        429,
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "-5", "Retry-After": "1" * 400},
        {"message": "slow down"},
        "rate limit was reached",
    ),
    "permissions a list": (
        "GET /repos/octo/app",
        200,
        {},
        {"permissions": ["push"], "private": False},
        "`permissions` of the reply is a list",
    ),
    "huge number": ("GET /repos/octo/app", 200, {}, Raw(b'{"private": false, "x": ' + b"9" * 5000 + b"}"), "not JSON"),
    "body of 300 MB": ("GET /user", 200, {}, Flood(300 << 20), "larger than 8 MiB"),
    "body without end": ("GET /user", 200, {}, Flood(None), "larger than 8 MiB"),
    "redirect elsewhere": (
        "GET /user",
        302,
        {"Location": "https://elsewhere.example/user"},
        {},
        "redirects to another host (elsewhere.example)",
    ),
    "redirect loop": ("GET /user", 301, {"Location": "/user"}, {}, "redirects more than 3 times"),
}


def error_line(stderr: str) -> str:
    [line] = [ln for ln in stderr.splitlines() if ln.startswith("error: ")]
    return line


@pytest.mark.parametrize("name", REPLIES)
def test_token_test_refuses_replies_github_would_not_send(run, github: FakeGitHub, name: str) -> None:
    route, status, headers, body, expect = REPLIES[name]
    github.fail(status, route, headers=headers, body=body, times=5)
    r = run(
        "token", "test", "--repo", "octo/app", env={**NO_ENV_TOKENS, "LOCALPACK_GITHUB_API": github.url}, timeout=60
    )
    assert r.code == 5, r.err
    line = error_line(r.err)
    assert expect in line and ("127.0.0.1" in line or "GitHub" in line), line
    assert no_traceback(r.text) and TOKEN not in r.text and len(line) < 400


@pytest.mark.parametrize("slow", [Trickle(), Trickle(head=True)], ids=["body", "headers"])
def test_a_server_that_trickles_is_cut_off_at_the_replys_deadline(run, github: FakeGitHub, slow: Trickle) -> None:
    # The fake sends a byte every 0.5 s for 90 s; the run's hard limit of 45 s fails the test if nothing cuts it.
    github.fail(200, "GET /user", body=slow)
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_API": github.url, "LOCALPACK_GITHUB_TIMEOUT": "3"}
    r = run("token", "test", env=env, timeout=45)
    assert r.code == 5, r.err
    assert "127.0.0.1" in error_line(r.err) and "did not answer in time" in r.err and "3 s" in r.err
    assert "LOCALPACK_GITHUB_TIMEOUT" in r.err and no_traceback(r.text)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "1e9", "9" * 5000, "nan"])
def test_a_bad_reply_timeout_is_a_usage_error(run, github: FakeGitHub, value: str) -> None:
    r = run(
        "token", "test", env={**NO_ENV_TOKENS, "LOCALPACK_GITHUB_API": github.url, "LOCALPACK_GITHUB_TIMEOUT": value}
    )
    assert r.code == 2 and "LOCALPACK_GITHUB_TIMEOUT" in error_line(r.err) and no_traceback(r.text), r.err
    assert github.requests == []


@pytest.fixture
def user_home(tmp_path: Path) -> Path:
    h = tmp_path / "userhome"
    h.mkdir()
    return h


SEARCHES = {
    "items not a list": ({"total_count": 1, "items": {"number": 1}}, "`items` of the reply is an object"),
    "no items": ({"total_count": 0}, "it has no `items` list"),
    "number as text": ({"items": [{"number": "1", "state": "open", "body": "x"}]}, "`number` of items[0] is a string"),
    "item a string": ({"items": ["#1"]}, "items[0] is a string, not an object"),
    "html": (Raw(b"<html><body>502 Bad Gateway</body></html>", "text/html"), "it is an HTML page"),
    "body without end": (Flood(None), "larger than 8 MiB"),
}


@pytest.mark.parametrize("name", SEARCHES)
def test_report_keeps_the_report_when_github_answers_oddly(
    run, home: Path, user_home: Path, github: FakeGitHub, name: str
) -> None:
    failed_build(home, user_home)
    body, expect = SEARCHES[name]
    github.fail(200, "GET /search/issues", body=body)
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_API": github.url, "HOME": str(user_home)}
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    r = run("report", "--yes", env=env, timeout=60)
    assert r.code == 5, r.err
    line = error_line(r.err)
    assert expect in line and "answered 200 to `search issues`" in line, line
    assert "report --retry" in r.err and no_traceback(r.text)
    [kept] = (home / "state" / "pending-reports").glob("*.json")
    assert json.loads(kept.read_text())["repo"] == "octo/app"
    after = sorted(p.relative_to(home) for p in home.rglob("*"))
    assert set(after) - set(before) == {kept.relative_to(home), kept.parent.relative_to(home)}
    assert github.issues == []
    r = run("report", "--retry", env=env)  # GitHub answers as GitHub again: the kept report goes out once
    assert r.code == 0, r.err
    assert len(github.issues) == 1 and not list(kept.parent.glob("*.json"))


def test_an_api_url_with_a_password_is_refused_without_printing_it(run, github: FakeGitHub) -> None:
    secret = "pa:ss@w0rd"
    for api in (
        f"https://user:{secret}@github.example.com/api/v3",
        f"http://u:{secret}@127.0.0.1:1/",
        f"https://u:{secret}@evil.com\\@github.example.com/",
    ):
        for args in (["token", "test", "--api-url", api], ["report", "--retry", "--api-url", api]):
            r = run(*args, env=NO_ENV_TOKENS)
            assert r.code == 2 and no_traceback(r.text), (args, r.err)
            assert "w0rd" not in r.text and "--api-url" in error_line(r.err), r.err
    r = run("token", "test", env={**NO_ENV_TOKENS, "LOCALPACK_GITHUB_API": f"https://u:{secret}@ghe.example/api"})
    assert r.code == 2 and "w0rd" not in r.text and "LOCALPACK_GITHUB_API" in r.err
    assert github.requests == []
