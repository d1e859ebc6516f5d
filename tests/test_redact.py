"""Secrets never reach a log, a terminal or an issue body."""

from __future__ import annotations

from pathlib import Path

import pytest

from localpack.core.redact import MASK, redact

CLASSIC = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
FINE = "github_pat_11ABCDEFG0123456789abc_" + "x" * 59


@pytest.mark.parametrize(
    "secret",
    [
        CLASSIC,
        FINE,
        "gho_" + "z" * 36,
        "ghu_" + "Y" * 36,
        "ghs_" + "9" * 36,
        "ghr_" + "a1" * 18,
    ],
)
def test_github_token_patterns(secret: str) -> None:
    out = redact(f"cloning with {secret} now")
    assert secret not in out and MASK in out


@pytest.mark.parametrize(
    "text, secret",
    [
        ("Authorization: Bearer abc.def-123", "abc.def-123"),
        ("curl -H 'authorization: token s3cr3tvalue' https://x", "s3cr3tvalue"),
        ("{'Authorization': 'Basic dXNlcjpwYXNz'}", "dXNlcjpwYXNz"),
        ("fetching https://ann:hunter2pw@git.example.com/repo.git", "hunter2pw"),
        ("GET https://api.example.com/x?access_token=abcdef123&page=2", "abcdef123"),
        ("export NPM_TOKEN=npm_abcdefgh123", "npm_abcdefgh123"),
        ('TAURI_SIGNING_PRIVATE_KEY_PASSWORD="pa ss word"', "pa ss word"),
        ("clone https://u:p@ss@w0rd@host/x.git", "ss@w0rd"),  # the userinfo runs to the authority's last @
        ("https://oauth2:tok3nvalue@gitlab.example/x.git", "tok3nvalue"),
        ("GET /api/v4/projects?private_token=glvalue123&page=2", "glvalue123"),
        ("https://app.example/cb#access_token=ya29.a0AfH&expires_in=3599", "ya29.a0AfH"),
        ("next=/login?next=/x?token=inner5ecret", "inner5ecret"),  # a secret parameter inside another's value
        ("GITLAB_PAT=abcd1234efgh", "abcd1234efgh"),
        ("CI_JOB_JWT_V2: opaque-value", "opaque-value"),
        ("NPM_CONFIG__AUTH=dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("npm_config__authtoken=lowercase-value", "lowercase-value"),
        ("//registry.npmjs.org/:_authToken=some-npm-token", "some-npm-token"),
        ('{"DB_PASS": "hunter2"}', "hunter2"),
        ("token glpat-AbCdEfGhIjKlMnOpQrSt12", "glpat-AbCdEfGhIjKlMnOpQrSt12"),
        ("npm_" + "a1B2" * 9, "npm_" + "a1B2" * 9),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0"),
    ],
)
def test_headers_urls_and_assignments(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_values_of_secret_named_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_SERVICE_SECRET", "plain-looking-value-42")
    monkeypatch.setenv("SOME_API_KEY", "k3y-v4lue-xyz")
    out = redact("the build printed plain-looking-value-42 and k3y-v4lue-xyz")
    assert "plain-looking-value-42" not in out and "k3y-v4lue-xyz" not in out


def test_extra_secrets_of_any_shape() -> None:
    assert "tok" not in redact("the value tok appears", ["tok"])


def test_home_becomes_tilde_only_for_whole_components(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "ann"
    monkeypatch.setenv("HOME", str(home))
    text = f"error at {home}/proj/src/main.rs and {home}na/other and {home}"
    out = redact(text, home=True)
    assert out == f"error at ~/proj/src/main.rs and {home}na/other and ~"
    assert redact(text) == text  # home is kept unless asked


@pytest.mark.parametrize(
    "line",
    [
        "   Compiling tauri v2.12.6 (registry `crates-io`) key=value for the keyboard",
        "PATH=/usr/bin:/bin AUTHOR=ann PWD=/src",  # PAT, AUTH only as whole parts of a name
        "see https://example.com/a@b and ssh-style git@github.com:o/r.git",
        "GET https://crates.io/api/v1/crates?page=2&per_page=100",
    ],
)
def test_ordinary_build_output_is_untouched(line: str) -> None:
    assert redact(line, env=False) == line
