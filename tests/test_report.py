"""`localpack report` against a fake GitHub on 127.0.0.1: what is sent, what never is, and retries."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, github  # noqa: F401  (fixture)

from localpack.cli.report import file_failure
from localpack.config import rules
from localpack.core import records
from localpack.errors import ConfigError
from localpack.output import Console
from localpack.paths import Paths
from localpack.report.filing import (
    check_repo,
    compose,
    normalise,
    prepare,
    preview_text,
    send,
    signature,
)

# Tokens planted in the build log and the environment: none may leave the machine.
PLANTED_CLASSIC = "ghp_" + "PlantedInTheLog" * 3
PLANTED_FINE = "github_pat_11PLANTED0123456789abc_" + "p" * 59
PLANTED_ENV = "env-secret-value-9876"
PLANTED_PROXY_PASSWORD = "proxyPassw0rd"
SECRETS = [TOKEN, PLANTED_CLASSIC, PLANTED_FINE, PLANTED_ENV, PLANTED_PROXY_PASSWORD]


def paths_of(home: Path) -> Paths:
    return Paths(config=home / "config", cache=home / "cache", state=home / "state")


@pytest.fixture
def user_home(tmp_path: Path) -> Path:
    h = tmp_path / "userhome"
    h.mkdir()
    return h


@pytest.fixture
def env(github: FakeGitHub, user_home: Path) -> dict[str, str]:
    return {
        "LOCALPACK_GITHUB_TOKEN": TOKEN,
        "GITHUB_TOKEN": "",
        "GH_TOKEN": "",
        "LOCALPACK_GITHUB_API": github.url,
        "HOME": str(user_home),
        "DEPLOY_SECRET": PLANTED_ENV,
    }


def failed_build(home: Path, user_home: Path, n: int = 1, repo: str = "octo/app") -> Path:
    """A build record plus its log, as the build writes them, for a crates.io failure with secrets in it."""
    paths = paths_of(home)
    log = paths.logs / f"example-2026112{n}T070000.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    ws = user_home / f"run{n}" / "workspaces" / "example"
    log.write_text(
        "\n".join(
            [
                f"# localpack 0.1.0 build of example 1.0.0 at 2026-11-2{n}T07:00:00Z",
                f"$ tauri build --bundles deb,rpm  # cwd {ws}",
                f"# env: GITHUB_TOKEN={PLANTED_CLASSIC}",
                f"note: using {PLANTED_FINE} for the private registry",
                "> GET https://index.crates.io/config.json Authorization: Bearer " + TOKEN,
                f"deploy secret is {PLANTED_ENV}",
                *[f"   Compiling crate-{i} v1.0.{i}" for i in range(300)],
                "    Updating crates.io index",
                "warning: spurious network error (3 tries remaining): [6] Could not resolve hostname "
                "(Could not resolve host: index.crates.io)",
                f"error: failed to get `tauri` as a dependency of package `example v1.0.0 ({ws}/src-tauri)`",
                "",
                "Caused by:",
                "  download of config.json failed",
                "",
                "Caused by:",
                "  failed to download from `https://index.crates.io/config.json`",
                "```",  # a stray fence in the log must not break the issue's markdown
                "failed to build app: failed to build app",
                f"# exit 101 after {n}.5s",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    record = {
        "schema": records.SCHEMA,
        "id": f"example-2026112{n}T070000000000",
        "localpack": "0.1.0",
        "app": "example",
        "title": "Example",
        "version": "1.0.0",
        "config": {
            "app": {"name": "example", "url": "https://example.com/app", "dist": None},
            "window": {"proxy": f"http://ann:{PLANTED_PROXY_PASSWORD}@proxy.local:3128"},
            "behavior": {"inject": [str(user_home / "inject.js")]},
            "report": {"repo": repo},
        },
        "config_digest": "0" * 64,
        "targets": ["deb", "rpm"],
        "debug": False,
        "offline": False,
        "platform": {"os": "linux", "arch": "x86_64", "release": "6.1.0", "distro": "Debian GNU/Linux 12"},
        "tools": {"tauri-cli": "2.12.5", "rustc": "1.95.0", "cargo": "1.95.0"},
        "started": f"2026-11-2{n}T07:00:00Z",
        "duration_s": 12.5,
        "phases": {},
        "workspace": str(ws),
        "log": str(log),
        "out": str(user_home / "dist"),
        "ok": False,
        "error": {
            "code": "build_failed",
            "message": "build failed: crates.io could not be reached",
            "hint": "connect",
            "cause": "crates_io_unreachable",
        },
        "artifacts": [],
    }
    path = records.save(paths, records.BuildRecord.from_json(record))
    time.sleep(0.01)  # records sort by mtime: keep "last" well defined
    return path


def assert_no_secrets(*texts: str, user_home: Path | None = None) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
        if user_home is not None:
            assert str(user_home) not in text


def test_report_files_an_issue_and_sends_no_secret(run, home: Path, user_home: Path, github: FakeGitHub, env) -> None:
    failed_build(home, user_home)
    r = run("report", "--yes", env=env)
    assert r.code == 0, r.err
    assert r.out.strip() == "https://github.com/octo/app/issues/1"

    assert [(q.method, q.path) for q in github.requests] == [
        ("GET", "/repos/octo/app"),
        ("GET", "/search/issues"),
        ("POST", "/repos/octo/app/issues"),
    ]
    for q in github.requests:
        assert q.headers["authorization"] == f"Bearer {TOKEN}"
        assert q.headers["x-github-api-version"] == "2022-11-28"
        assert q.headers["accept"] == "application/vnd.github+json"
    search = github.requests[1].query["q"]
    post = github.requests[2].body
    sig = post["body"].split("<!-- localpack-signature: ")[1].split(" -->")[0]
    assert search == f'repo:octo/app is:issue is:open "{sig}" in:body'
    assert post["title"] == "build failed: crates_io_unreachable (example, linux/x86_64)"
    assert post["labels"] == ["localpack", "build-failure"]
    body = post["body"]
    assert "crates.io could not be reached" in body and "localpack prefetch" in body  # diagnosis + hint
    assert "| tauri-cli | 2.12.5 |" in body and "Debian GNU/Linux 12" in body and "deb, rpm" in body
    assert "https://example.com/app" in body  # URLs are kept
    assert "~/inject.js" in body and "~/run1/workspaces/example/src-tauri" in body  # home → ~
    assert "<details><summary>Last 200 lines of the build log</summary>" in body
    assert "crate-299" in body and "crate-50 " not in body  # the tail only
    assert "\n````text\n" in body  # longer fence than the stray ``` in the log
    assert_no_secrets(*(q.raw for q in github.requests), r.out, r.err, user_home=user_home)
    assert [p.name for p in (home / "state" / "logs").iterdir()] == ["example-20261121T070000.log"]  # no new logs


def test_second_report_of_same_failure_adds_a_comment(
    run, home: Path, user_home: Path, github: FakeGitHub, env
) -> None:
    failed_build(home, user_home, 1)
    assert run("report", "--yes", env=env).code == 0
    failed_build(home, user_home, 2)  # same failure, another run: other paths, times, durations
    r = run("report", "--last", "--yes", env=env)
    assert r.code == 0, r.err
    assert len(github.issues) == 1
    assert len(github.comments) == 1 and github.comments[0]["issue"] == 1
    assert r.out.strip() == "https://github.com/octo/app/issues/1"
    assert "added a comment to #1" in r.err
    assert_no_secrets(github.comments[0]["body"], user_home=user_home)


def test_unreachable_github_keeps_the_report_and_retry_sends_it_once(
    run, home: Path, user_home: Path, github: FakeGitHub, env
) -> None:
    failed_build(home, user_home)
    github.stop()
    r = run("report", "--yes", env=env)
    assert r.code == 5
    assert "localpack report --retry" in r.err
    pending = list((home / "state" / "pending-reports").glob("*.json"))
    assert len(pending) == 1
    assert_no_secrets(pending[0].read_text(), user_home=user_home)

    github.requests.clear()
    github.start()  # back, on the same port
    r = run("report", "--retry", env=env)
    assert r.code == 0, r.err
    assert r.out.strip() == "https://github.com/octo/app/issues/1"
    assert len(github.issues) == 1
    assert not list((home / "state" / "pending-reports").glob("*.json"))
    r = run("report", "--retry", env=env)
    assert r.code == 0 and "no pending reports" in r.err
    assert len(github.issues) == 1 and not github.comments


@pytest.mark.parametrize(
    "status, headers, expect",
    [
        (500, {}, "server error (500)"),
        (429, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 600)}, "the limit resets at"),
        (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 600)}, "rate limit"),
    ],
)
def test_server_errors_and_rate_limits_are_kept_for_retry(
    run, home: Path, user_home: Path, github: FakeGitHub, env, status: int, headers: dict, expect: str
) -> None:
    failed_build(home, user_home)
    github.fail(
        status,
        "POST /repos/octo/app/issues",
        headers=headers,
        body={"message": "API rate limit exceeded" if status != 500 else "Server Error"},
    )
    r = run("report", "--yes", env=env)
    assert r.code == 5
    assert expect in r.err and "--retry" in r.err
    assert len(list((home / "state" / "pending-reports").glob("*.json"))) == 1
    assert run("report", "--retry", env=env).code == 0
    assert len(github.issues) == 1


@pytest.mark.parametrize(
    "setup, expect",
    [
        ("bad_token", "rejected the token"),
        ("no_permission", 'needs "Issues: Read and write"'),
        ("unknown_repo", "repository octo/nope was not found"),
        ("issues_disabled", "issues are disabled in octo/app"),
        ("invalid", "refused the request as invalid (422"),
    ],
)
def test_errors_that_a_retry_would_not_fix(
    run, home: Path, user_home: Path, github: FakeGitHub, env, setup: str, expect: str
) -> None:
    failed_build(home, user_home, repo="octo/nope" if setup == "unknown_repo" else "octo/app")
    if setup == "bad_token":
        env = {**env, "LOCALPACK_GITHUB_TOKEN": "ghp_" + "W" * 36}
    elif setup == "no_permission":
        github.fail(
            403,
            "POST /repos/octo/app/issues",
            times=2,
            body={"message": "Resource not accessible by personal access token"},
        )
    elif setup == "issues_disabled":
        github.repos["octo/app"].has_issues = False
    elif setup == "invalid":
        github.fail(
            422,
            "POST /repos/octo/app/issues",
            times=2,
            body={
                "message": "Validation Failed",
                "errors": [{"resource": "Issue", "code": "custom", "message": "body is too long"}],
            },
        )
    r = run("report", "--yes", env=env)
    assert r.code == 5
    assert expect in r.err, r.err
    assert "Traceback" not in r.text
    assert not (home / "state" / "pending-reports").exists()
    assert_no_secrets(r.text, "ghp_" + "W" * 36 if setup == "bad_token" else "")


def test_labels_refused_then_issue_filed_without_them(
    run, home: Path, user_home: Path, github: FakeGitHub, env
) -> None:
    github.unknown_labels = "reject"
    failed_build(home, user_home)
    r = run("report", "--yes", env=env)
    assert r.code == 0, r.err
    posts = github.of("POST", "/repos/octo/app/issues")
    assert [p.body.get("labels") for p in posts] == [["localpack", "build-failure"], None]
    assert len(github.issues) == 1


def test_without_terminal_and_without_yes_it_refuses(run, home: Path, user_home: Path, github: FakeGitHub, env) -> None:
    failed_build(home, user_home)
    r = run("report", env=env)
    assert r.code == 2
    assert "--yes" in r.err
    assert github.requests == []


def test_without_token_is_a_usage_error(run, home: Path, user_home: Path, github: FakeGitHub, env) -> None:
    failed_build(home, user_home)
    r = run("report", "--yes", env={**env, "LOCALPACK_GITHUB_TOKEN": ""})
    assert r.code == 2
    assert "localpack token set" in r.err
    assert github.requests == []


def test_without_repo_it_says_where_to_set_one(run, home: Path, user_home: Path, github: FakeGitHub, env) -> None:
    failed_build(home, user_home, repo="")
    r = run("report", "--yes", env=env)
    assert r.code == 2 and "--repo OWNER/NAME" in r.err
    r = run("report", "--yes", "--repo", "octo/app", env=env)
    assert r.code == 0 and len(github.issues) == 1


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(
    run, home: Path, user_home: Path, github: FakeGitHub, env
) -> None:
    record = failed_build(home, user_home)
    r = run("report", str(record), "--dry-run", env={**env, "LOCALPACK_GITHUB_TOKEN": ""})
    assert r.code == 0, r.err
    assert github.requests == []
    assert "title: build failed: crates_io_unreachable (example, linux/x86_64)" in r.out
    assert "labels: localpack, build-failure" in r.out
    assert "<!-- localpack-signature: " in r.out
    assert_no_secrets(r.out, r.err, user_home=user_home)


def test_nothing_to_report(run, env) -> None:
    r = run("report", "--yes", env=env)
    assert r.code == 2 and "no failed build" in r.err


def test_signature_ignores_paths_numbers_and_hashes() -> None:
    a = "error: failed to get `tauri` as a dependency of package `t1 v1.0.0 (/home/ann/x/src-tauri)`"
    b = "error: failed to get `tauri` as a dependency of package `t1 v2.3.4 (C:\\Users\\bob\\y\\src-tauri)`"
    assert normalise(a) == normalise(b)
    assert signature("crates_io_unreachable", a) == signature("crates_io_unreachable", b)
    assert signature("crates_io_unreachable", a) != signature("disk_full", a)
    assert normalise("target/release/build/app-2cd9b7cd989b4b2b/out") == "<path>"
    assert normalise("hash 2cd9b7cd989b4b2b seen") == "hash <hash> seen"


def test_compose_keeps_the_body_under_githubs_limit(home: Path, user_home: Path) -> None:
    path = failed_build(home, user_home)
    record = json.loads(path.read_text())
    Path(record["log"]).write_text("\n".join("x" * 2000 for _ in range(400)))
    report = compose(record, "octo/app", [])
    assert len(report.body) < 65_536


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("answer, issues", [("y", 1), ("n", 0)])
def test_on_a_terminal_it_shows_the_preview_and_asks(
    home: Path, user_home: Path, github: FakeGitHub, env, answer: str, issues: int
) -> None:
    import os
    import subprocess
    import sys

    failed_build(home, user_home)
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "localpack", "report"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, "LOCALPACK_HOME": str(home)},
    )
    os.close(slave)
    os.write(master, f"{answer}\n".encode())
    out, err = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0, err
    assert "title: build failed: crates_io_unreachable" in err and "send this to github (octo/app)" in err
    assert len(github.issues) == issues
    assert ("nothing was sent" in err) == (issues == 0)
    assert_no_secrets(out, err, user_home=user_home)


class Answers(Console):
    """A console whose questions are answered by the test, and which keeps what it was told."""

    def __init__(self, *, present: bool, answer: bool = False) -> None:
        super().__init__()
        self.present, self.answer = present, answer
        self.said: list[str] = []
        self.asked: list[str] = []

    def info(self, text: str) -> None:
        self.said.append(text)

    def warn(self, text: str) -> None:
        self.said.append("warning: " + text)

    def can_ask(self) -> bool:
        return self.present

    def confirm(self, question: str, *, default: bool = False) -> bool:
        self.asked.append(question)
        return self.answer


def test_prepare_composes_and_checks_but_sends_nothing(
    home: Path, user_home: Path, github: FakeGitHub, env, monkeypatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    record = failed_build(home, user_home)
    heard: list[str] = []
    outgoing = prepare(record, paths=paths_of(home), warn=heard.append)
    assert outgoing.report.repo == "octo/app" and outgoing.api == github.url
    assert outgoing.token is not None and outgoing.token.value == TOKEN
    assert github.requests == [] and heard == []
    text = preview_text(outgoing.report)
    assert text.startswith(
        "repo: octo/app\ntitle: build failed: crates_io_unreachable (example, linux/x86_64)\n"
        "labels: localpack, build-failure\nbody:\n<!-- localpack-signature: "
    )
    dry = prepare(record, paths=paths_of(home), dry_run=True, warn=heard.append)
    assert dry.token is None and dry.report == outgoing.report
    with pytest.raises(ValueError):
        send(dry, paths=paths_of(home), say=heard.append)
    assert send(outgoing, paths=paths_of(home), say=heard.append) == "https://github.com/octo/app/issues/1"
    assert heard == ["created issue #1"]


def test_file_failure_asks_the_console_and_refuses_when_nobody_can_answer(
    home: Path, user_home: Path, github: FakeGitHub, env, monkeypatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    record = failed_build(home, user_home)
    no = Answers(present=True, answer=False)
    assert file_failure(no, record) == ""
    assert no.asked == ["send this to github (octo/app) with your token?"]
    assert no.said[0].startswith("repo: octo/app\n") and no.said[-1] == "nothing was sent"
    with pytest.raises(ConfigError, match="no terminal to ask on"):
        file_failure(Answers(present=False), record)
    assert github.requests == []
    yes = Answers(present=True, answer=True)
    assert file_failure(yes, record) == "https://github.com/octo/app/issues/1" and yes.said[-1] == "created issue #1"


def test_a_log_outside_localpacks_folder_is_not_read_and_the_caller_hears_so(home: Path, user_home: Path) -> None:
    record = json.loads(failed_build(home, user_home).read_text())
    elsewhere = user_home / "elsewhere.log"
    elsewhere.write_text(f"error: {PLANTED_CLASSIC}\n")
    heard: list[str] = []
    report = compose({**record, "log": str(elsewhere)}, "octo/app", [], paths_of(home).logs, heard.append)
    assert PLANTED_CLASSIC not in report.body
    assert len(heard) == 1 and heard[0].startswith("not reading the log")


@pytest.mark.parametrize(
    "name, ok",
    [
        ("octo/app", True),
        ("my-org/app.js_2", True),
        ("", False),
        ("octo", False),
        ("octo/app/x", False),
        ("octo/a b", False),
    ],
)
def test_a_repository_name_follows_the_configs_rule(name: str, ok: bool) -> None:
    assert (rules.repo(name) is None and name != "") == ok
    if ok:
        assert check_repo(name) == name
    else:
        with pytest.raises(ConfigError, match="is not a GitHub repository name"):
            check_repo(name)
