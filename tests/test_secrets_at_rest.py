"""What localpack keeps on disk (build records, logs, pending reports) is masked like the log and readable by
its owner only; the setup log names only the environment variables that matter to a build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, github  # noqa: F401  (fixture)

from tests.conftest import CARGO_STANDIN
from tests.test_setup import npm_env

CLASSIC = "ghp_" + "SecretInTheUrl0123456789abcdefABCDEF"
FINE = "github_pat_11SECRETSECRET0123456789_" + "s" * 59
PASSWORD = "hunter2hunter2"
SIG = "c2lnbmF0dXJlLXNlY3JldA"
SECRETS = [CLASSIC, FINE, PASSWORD, SIG, TOKEN]


@pytest.mark.parametrize("mode", ["", "fail"])
def test_build_records_and_logs_keep_no_secret_and_are_private(
    run, home: Path, tmp_path: Path, tauri_cli: Path, github: FakeGitHub, mode: str
) -> None:
    github.stop()  # a failed build's report is kept on disk
    r = run(
        "build",
        "--targets",
        "deb",
        "--runner",
        str(CARGO_STANDIN),
        "--no-preflight",
        "--name",
        "secret",
        "--url",
        f"https://{PASSWORD[:5]}:{PASSWORD}@app.example/?token={CLASSIC}&sig={SIG}",
        "--user-agent",
        f"MyAgent/1.0 ({FINE})",
        "--proxy",
        f"http://alice:{PASSWORD}@proxy.local:3128",
        env={"LOCALPACK_TAURI": str(tauri_cli), "STANDIN_MODE": mode},
    )
    assert r.code == (3 if mode else 0), r.err
    if mode:
        r = run(
            "report",
            "--yes",
            "--repo",
            "octo/app",
            env={"LOCALPACK_GITHUB_TOKEN": TOKEN, "LOCALPACK_GITHUB_API": github.url},
        )
        assert r.code == 5, r.err
    state = home / "state"
    [record] = (state / "builds").glob("*.json")
    text = record.read_text()
    assert "[REDACTED]" in text and json.loads(text)["config"]["app"]["url"].startswith("https://")
    kept = [record, *(state / "logs").iterdir(), *((state / "pending-reports").glob("*") if mode else [])]
    assert len(kept) >= 2 + bool(mode)
    for path in kept:
        content = path.read_text()
        for secret in SECRETS:
            assert secret not in content, (path.name, secret)
        assert path.stat().st_mode & 0o777 == 0o600, path
    for folder in ("builds", "logs", *(["pending-reports"] if mode else [])):
        assert (state / folder).stat().st_mode & 0o777 == 0o700, folder


def test_the_setup_log_names_only_build_variables(run, home: Path, tmp_path: Path) -> None:
    env, _ = npm_env(tmp_path)
    env = {**env, "MY_DIARY": "dear diary", "AWS_SECRET_ACCESS_KEY": "AKIA-not-for-logs", "CARGO_HOME": "/opt/cargo"}
    r = run("setup", env=env)
    assert r.code == 0, r.err
    [log] = (home / "state" / "logs").glob("setup-*.log")
    text = log.read_text()
    assert "# env: NPM_CONFIG_UPDATE_NOTIFIER=false" in text
    assert "MY_DIARY" not in text and "AWS_SECRET" not in text and "PATH=" not in text and "HOME=" not in text
    assert log.stat().st_mode & 0o777 == 0o600
