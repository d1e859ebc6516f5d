"""A report's target comes from the user: `report --retry` sends the token only to the API this run names
(flag, environment, else GitHub's), never to an `api` stored in a pending report; a repository named by the
build's config (not by --repo) is named before anything is sent. Two real HTTP servers speak GitHub's routes:
the foreign one must receive nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub

from tests.test_report import failed_build


@pytest.fixture
def two_githubs():
    ours, foreign = FakeGitHub(TOKEN).start(), FakeGitHub(TOKEN).start()
    yield ours, foreign
    ours.stop()
    foreign.stop()


def keep_one_report(run, home: Path, user_home: Path, ours: FakeGitHub, env: dict[str, str]) -> Path:
    failed_build(home, user_home)
    ours.fail(500, "POST /repos/octo/app/issues")
    assert run("report", "--yes", "--repo", "octo/app", env=env).code == 5
    [pending] = (home / "state" / "pending-reports").glob("*.json")
    return pending


def env_for(github: FakeGitHub, user_home: Path) -> dict[str, str]:
    return {
        "LOCALPACK_GITHUB_TOKEN": TOKEN,
        "GITHUB_TOKEN": "",
        "GH_TOKEN": "",
        "LOCALPACK_GITHUB_API": github.url,
        "HOME": str(user_home),
    }


def test_retry_never_sends_to_the_api_a_pending_report_names(run, home: Path, tmp_path: Path, two_githubs) -> None:
    ours, foreign = two_githubs
    user_home = tmp_path / "userhome"
    user_home.mkdir()
    env = env_for(ours, user_home)
    pending = keep_one_report(run, home, user_home, ours, env)
    data = json.loads(pending.read_text())
    assert data["api"] == ours.url
    data["api"] = foreign.url  # someone with access to the state folder points it elsewhere
    pending.write_text(json.dumps(data))
    ours.requests.clear()

    r = run("report", "--retry", env=env)
    assert r.code == 5
    assert foreign.requests == []  # the token never went there
    assert ours.issues == []  # and the report is not quietly sent somewhere else either: it is kept, and said
    assert f"it was kept for {foreign.url}" in r.err and ours.url in r.err and "--api-url" in r.err
    assert pending.exists()

    without_env = {**env, "LOCALPACK_GITHUB_API": ""}
    r = run("report", "--retry", "--api-url", ours.url, env=without_env)
    assert r.code == 5 and foreign.requests == [] and ours.issues == []

    r = run("report", "--retry", "--api-url", foreign.url, env=without_env)  # the user names it: then it goes
    assert r.code == 0, r.err
    assert len(foreign.issues) == 1 and not pending.exists()
    assert f"to octo/app at {foreign.url}" in r.err  # where it went is said before it is sent


def test_retry_sends_a_kept_report_to_the_api_it_was_kept_for(run, home: Path, tmp_path: Path, two_githubs) -> None:
    ours, foreign = two_githubs
    user_home = tmp_path / "userhome"
    user_home.mkdir()
    env = env_for(ours, user_home)
    keep_one_report(run, home, user_home, ours, env)
    r = run("report", "--retry", env=env)
    assert r.code == 0, r.err
    assert len(ours.issues) == 1 and foreign.requests == []


def test_a_repository_from_the_config_is_named_before_sending(run, home: Path, tmp_path: Path, two_githubs) -> None:
    ours, _ = two_githubs
    user_home = tmp_path / "userhome"
    user_home.mkdir()
    failed_build(home, user_home, repo="octo/app")  # the build's localpack.toml said [report] repo = "octo/app"
    r = run("report", "--yes", env=env_for(ours, user_home))
    assert r.code == 0, r.err
    named = r.err.index("the report goes to octo/app")
    assert "[report] repo" in r.err[named:] and "not by --repo" in r.err[named:]
    assert named < r.err.index("reported: ")

    failed_build(home, user_home, 2, repo="octo/app")
    r = run("report", "--yes", "--repo", "octo/app", env=env_for(ours, user_home))
    assert r.code == 0 and "not by --repo" not in r.err  # a flag is the user's own word
