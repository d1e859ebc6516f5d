"""Files a user points localpack at, and files in its state dir, are input: read only when they are regular
files of sane size, checked field by field, and never able to steer a path. Bad ones exit 2, never hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from github_server import FakeGitHub, github  # noqa: F401  (fixture)

from tests.conftest import no_traceback
from tests.test_report import env, failed_build, user_home  # noqa: F401  (fixtures)

KINDS = ["fifo", "char-device", "folder", "under-a-file", "link-loop", "too-large"]


def bad_path(tmp_path: Path, kind: str) -> Path:
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo.toml")
        return tmp_path / "fifo.toml"
    if kind == "char-device":
        return Path("/dev/zero")
    if kind == "folder":
        (tmp_path / "folder.toml").mkdir()
        return tmp_path / "folder.toml"
    if kind == "under-a-file":
        (tmp_path / "file.txt").write_text("x")
        return tmp_path / "file.txt" / "localpack.toml"
    if kind == "link-loop":
        os.symlink(tmp_path / "b.toml", tmp_path / "a.toml")
        os.symlink(tmp_path / "a.toml", tmp_path / "b.toml")
        return tmp_path / "a.toml"
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 7_000_000)  # 70 MB: more than a config (or a ppconfig.json) may be
    return big


@pytest.mark.parametrize("kind", KINDS)
def test_a_config_that_is_not_a_regular_file_is_refused_without_hanging(
    run, home: Path, tmp_path: Path, kind: str
) -> None:
    path = str(bad_path(tmp_path, kind))
    for args in (
        ["render", path],
        ["build", path, "--no-preflight"],
        ["prefetch", path],
        ["render", "--from-pakeplus", path],
        ["init", "--from-pakeplus", path, "--dir", str(tmp_path)],
        ["report", path, "--dry-run"],
    ):
        r = run(*args, timeout=30)  # a FIFO used to block forever, /dev/zero to read forever
        assert r.code == 2 and "hint:" in r.err and no_traceback(r.err), (args, r.err)
        assert len(r.err.strip().splitlines()) == 2, r.err  # one line and its hint
        if kind == "too-large":  # refused by its size, not read and parsed
            assert "too large" in r.err, (args, r.err)
    assert not home.exists() and not (tmp_path / "localpack.toml").exists()


def _without_file_permission_override() -> None:
    """Root reads any file: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the child (PR_CAPBSET_DROP)."""
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    for cap in (1, 2):
        prctl(24, cap, 0, 0, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux permissions")
def test_an_unreadable_config_is_refused(run, tmp_path: Path) -> None:
    config = tmp_path / "localpack.toml"
    config.write_text('[app]\nname = "x"\nurl = "https://example.com"\n')
    config.chmod(0o000)
    for args in (["render"], ["build", "--no-preflight"], ["render", str(config)]):  # ./localpack.toml, or named
        r = subprocess.run(
            [sys.executable, "-m", "localpack", *args],
            cwd=tmp_path,
            env={**os.environ, "LOCALPACK_HOME": str(tmp_path / "home")},
            preexec_fn=_without_file_permission_override if os.geteuid() == 0 else None,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 2 and no_traceback(r.stderr), r.stderr
        named = str(config) in args  # then the command line's own check answers
        assert ("not readable" if named else "cannot read the config file (Permission denied)") in r.stderr, r.stderr
    assert not (tmp_path / "home").exists()


def record_with(home: Path, user_home: Path, **fields: object) -> Path:
    """A failed build's record as found in the state dir, with some fields replaced."""
    path = failed_build(home, user_home)
    record = {**json.loads(path.read_text()), **fields}
    path.write_text(json.dumps(record))
    return path


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "../../../../tmp/localpack-escaped"},  # would steer where the pending report is written
        {"id": "example-20261121T070000/../../x"},
        {"platform": 5},
        {"targets": "deb"},
        {"tools": ["rustc"]},
        {"error": "oops"},
        {"config": []},
        {"ok": "false"},
        {"duration_s": "long"},
        {"platform": {"os": {"nested": 1}}},
    ],
)
def test_a_record_with_bad_fields_is_refused(
    run, home: Path, user_home: Path, github: FakeGitHub, env, fields: dict
) -> None:
    record = record_with(home, user_home, **fields)
    github.stop()  # unreachable: a report that got through would be kept in pending-reports/
    for args in ([str(record), "--yes"], ["--last", "--yes"], [str(record), "--dry-run"]):
        r = run("report", *args, env=env)
        assert r.code == 2 and no_traceback(r.err), (args, r.err)
    assert not (home / "state" / "pending-reports").exists() and not Path("/tmp/localpack-escaped.json").exists()


@pytest.mark.parametrize("log", ["/etc/passwd", "../../../../../../etc/passwd", "LINK", "{logs}/../secret.log"])
def test_a_record_reads_its_log_only_from_localpacks_log_folder(
    run, home: Path, user_home: Path, env, log: str
) -> None:
    logs = home / "state" / "logs"
    (home / "state" / "secret.log").parent.mkdir(parents=True, exist_ok=True)
    (home / "state" / "secret.log").write_text("SECRET-OUTSIDE-LOGS\n")
    record = failed_build(home, user_home)
    if log == "LINK":
        os.symlink("/etc/passwd", logs / "looks-like-a.log")
        log = str(logs / "looks-like-a.log")
    record_with(home, user_home, log=log.format(logs=logs))
    r = run("report", str(record), "--dry-run", env={**env, "LOCALPACK_GITHUB_TOKEN": ""})
    assert r.code == 0, r.err
    assert "root:" not in r.out and "SECRET-OUTSIDE-LOGS" not in r.out
    assert "the build log is not available" in r.out and "not in localpack's log folder" in r.err


@pytest.mark.parametrize(
    "change",
    [{"repo": "../../x"}, {"body": 5}, {"labels": "localpack"}, {"api": "http://github.example.com"}, {"api": 7}, None],
)
def test_a_tampered_pending_report_is_not_sent(
    run, home: Path, user_home: Path, github: FakeGitHub, env, change: dict | None
) -> None:
    failed_build(home, user_home)
    github.stop()
    assert run("report", "--yes", env=env).code == 5
    [pending] = (home / "state" / "pending-reports").glob("*.json")
    if change is None:
        pending.write_text("[1, 2")  # not even JSON
    else:
        pending.write_text(json.dumps({**json.loads(pending.read_text()), **change}))
    github.start()
    r = run("report", "--retry", env={**env, "LOCALPACK_GITHUB_API": ""})
    assert r.code == 5 and "could not be sent and are kept" in r.err and no_traceback(r.err), r.err
    assert github.issues == [] and pending.exists()
