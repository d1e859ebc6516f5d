"""`localpack token set|status|test|clear`: precedence, storage, refusal, and the check against GitHub."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, github  # noqa: F401  (fixture)

from localpack.paths import Paths
from localpack.report import token as github_token

NO_ENV_TOKENS = {"LOCALPACK_GITHUB_TOKEN": "", "GITHUB_TOKEN": "", "GH_TOKEN": ""}
OTHER = "ghp_" + "Z" * 36
FINE = "github_pat_11ABCDEFG0123456789abc_" + "x" * 59


def paths_of(home: Path) -> Paths:
    return Paths(config=home / "config", cache=home / "cache", state=home / "state")


def test_set_from_stdin_stores_0600_and_prints_no_token(run, home: Path) -> None:
    r = run("token", "set", "--stdin", input=TOKEN + "\n", env=NO_ENV_TOKENS)
    assert r.code == 0, r.err
    stored = paths_of(home).token_file
    assert stored.read_text().strip() == TOKEN
    if sys.platform != "win32":
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert TOKEN not in r.text
    assert str(stored) in r.err


def test_hidden_prompt_does_not_echo(run, home: Path) -> None:
    r = run("token", "set", input=TOKEN + "\n", env=NO_ENV_TOKENS)
    assert r.code == 0, r.err
    assert paths_of(home).token_file.read_text().strip() == TOKEN
    assert TOKEN not in r.text


@pytest.mark.parametrize("value", ["hello", "ghp_short", "password123", "a" * 40 + "x", "ghx_" + "a" * 36, ""])
def test_refuses_what_is_not_a_token(run, home: Path, value: str) -> None:
    r = run("token", "set", "--stdin", input=value + "\n", env=NO_ENV_TOKENS)
    assert r.code == 2
    assert "does not look like a GitHub token" in r.err
    assert not paths_of(home).token_file.exists()


@pytest.mark.parametrize("value", [TOKEN, FINE, "gho_" + "a" * 36, "0123456789abcdef0123456789abcdef01234567"])
def test_accepts_token_shapes(value: str) -> None:
    assert github_token.looks_like_token(value)


def test_precedence(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = paths_of(home)
    github_token.save(paths, TOKEN)
    for name in github_token.ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    assert github_token.resolve(paths).source == "file"
    monkeypatch.setenv("GH_TOKEN", OTHER)
    assert (github_token.resolve(paths).source, github_token.resolve(paths).value) == ("GH_TOKEN", OTHER)
    monkeypatch.setenv("GITHUB_TOKEN", FINE)
    assert github_token.resolve(paths).source == "GITHUB_TOKEN"
    monkeypatch.setenv("LOCALPACK_GITHUB_TOKEN", TOKEN)
    assert github_token.resolve(paths).source == "LOCALPACK_GITHUB_TOKEN"
    assert TOKEN not in repr(github_token.resolve(paths))


def test_status_says_where_never_what(run, home: Path) -> None:
    r = run("token", "status", env=NO_ENV_TOKENS)
    assert r.code == 0 and "no token" in r.err
    run("token", "set", "--stdin", input=TOKEN, env=NO_ENV_TOKENS)
    r = run("token", "status", env=NO_ENV_TOKENS)
    assert "github-token" in r.err and "classic" in r.err
    assert "0600" in r.err  # LOCALPACK_HOME set: the file, never the keyring
    r = run("token", "status", env={**NO_ENV_TOKENS, "GH_TOKEN": OTHER})
    assert "GH_TOKEN" in r.err
    assert TOKEN not in r.text and OTHER not in r.text


def test_status_warns_about_loose_permissions(run, home: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX permissions")
    run("token", "set", "--stdin", input=TOKEN, env=NO_ENV_TOKENS)
    paths_of(home).token_file.chmod(0o644)
    r = run("token", "status", env=NO_ENV_TOKENS)
    assert "chmod 600" in r.err


def test_clear_removes_the_stored_token(run, home: Path) -> None:
    run("token", "set", "--stdin", input=TOKEN, env=NO_ENV_TOKENS)
    r = run("token", "clear", env={**NO_ENV_TOKENS, "GH_TOKEN": OTHER})
    assert r.code == 0
    assert not paths_of(home).token_file.exists()
    assert "still provided by the environment variable GH_TOKEN" in r.err


def test_token_test_shows_login_and_scopes(run, github: FakeGitHub) -> None:
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_TOKEN": TOKEN, "LOCALPACK_GITHUB_API": github.url}
    r = run("token", "test", "--repo", "octo/app", env=env)
    assert r.code == 0, r.err
    assert "GitHub user: octo" in r.err and "scopes: repo, workflow" in r.err
    assert "can create issues" in r.err
    assert [(q.method, q.path) for q in github.requests] == [("GET", "/user"), ("GET", "/repos/octo/app")]
    for q in github.requests:
        assert q.headers["authorization"] == f"Bearer {TOKEN}"
        assert q.headers["accept"] == "application/vnd.github+json"
        assert q.headers["x-github-api-version"] == "2022-11-28"
    assert TOKEN not in r.text


def test_token_test_classic_without_repo_scope(run, github: FakeGitHub) -> None:
    github.scopes = "read:user"
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_TOKEN": TOKEN}
    r = run("token", "test", "--repo", "octo/app", "--api-url", github.url, env=env)
    assert r.code == 5
    assert "`repo` or `public_repo`" in r.err


def test_token_test_fine_grained_token(run, github: FakeGitHub) -> None:
    github.scopes = None
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_TOKEN": TOKEN, "LOCALPACK_GITHUB_API": github.url}
    r = run("token", "test", "--repo", "octo/app", env=env)
    assert r.code == 0, r.err
    assert "fine-grained" in r.err and "Issues: Read and write" in r.err


@pytest.mark.parametrize(
    "token, repo, expect",
    [
        (OTHER, "octo/app", "rejected the token"),
        (TOKEN, "octo/missing", "repository octo/missing was not found"),
    ],
)
def test_token_test_failures(run, github: FakeGitHub, token: str, repo: str, expect: str) -> None:
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_TOKEN": token, "LOCALPACK_GITHUB_API": github.url}
    r = run("token", "test", "--repo", repo, env=env)
    assert r.code == 5
    assert expect in r.err
    assert token not in r.text and "Traceback" not in r.text


def test_token_test_without_token_is_a_usage_error(run) -> None:
    r = run("token", "test", env=NO_ENV_TOKENS)
    assert r.code == 2 and "localpack token set" in r.err


def test_token_test_with_github_unreachable(run, github: FakeGitHub) -> None:
    github.stop()
    env = {**NO_ENV_TOKENS, "LOCALPACK_GITHUB_TOKEN": TOKEN, "LOCALPACK_GITHUB_API": github.url}
    r = run("token", "test", env=env)
    assert r.code == 5
    assert "cannot reach 127.0.0.1" in r.err and "Traceback" not in r.text
