"""No secret reaches a child process: the stand-in cargo, run by the real Tauri CLI under `build` (from the CLI
and from `localpack ui`), dumps its whole environment, and no variable whose name says secret is in it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from localpack.core import proc
from tests.conftest import CARGO_STANDIN
from tests.test_ui import events, start_build
from tests.ui_server import UiServer

# Names a user's shell or CI may hold (names only masking's rule calls secret: TOKEN, SECRET, PASSWORD, KEY …).
SECRETS = {
    "LOCALPACK_GITHUB_TOKEN": "ghp_" + "A1b2C3d4" * 5,
    "GITHUB_TOKEN": "ghs_" + "E5f6G7h8" * 5,
    "GH_TOKEN": "gho_" + "I9j0K1l2" * 5,
    "NPM_TOKEN": "npm-secret-value-1",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-value-2",
    "DB_PASSWORD": "db-secret-value-3",
    "OPENAI_API_KEY": "sk-secret-value-4",
    "TAURI_SIGNING_PRIVATE_KEY": "tauri-secret-value-5",
    "Registry_Credentials": "mixed-case-secret-6",
}


def leaked(dump: Path) -> list[str]:
    """Every secret name or value found in the environments the stand-in cargo saw (one JSON object a line)."""
    lines = dump.read_text().splitlines()
    assert lines, "the stand-in cargo never ran"
    found = []
    for line in lines:
        env = json.loads(line)
        found += [k for k in SECRETS if k in env]
        found += [k for k, v in SECRETS.items() if any(v in value for value in env.values())]
    return found


def test_a_cli_build_gives_cargo_no_secret(run, tmp_path: Path, tauri_cli: Path) -> None:
    dump = tmp_path / "env.jsonl"
    r = run(
        "build",
        "--url",
        "https://example.com",
        "--name",
        "no-secrets",
        "--targets",
        "deb",
        "--no-preflight",
        "--runner",
        str(CARGO_STANDIN),
        env={"LOCALPACK_TAURI": str(tauri_cli), "STANDIN_ENV": str(dump), **SECRETS},
    )
    assert r.code == 0, r.err
    assert leaked(dump) == []
    env = json.loads(dump.read_text().splitlines()[0])
    assert env["STANDIN_ENV"] == str(dump) and env["PATH"]  # the rest of the environment is passed on
    assert env["CARGO_TARGET_DIR"]  # and what localpack sets


def test_a_ui_build_gives_cargo_no_secret(home: Path, tmp_path: Path, tauri_cli: Path) -> None:
    dump = tmp_path / "env.jsonl"
    folder = tmp_path / "work"
    folder.mkdir()
    server = UiServer(home, folder, {"LOCALPACK_TAURI": str(tauri_cli), "STANDIN_ENV": str(dump), **SECRETS})
    try:
        s = server.session()
        job = start_build(s, server)
        assert events(s, server, job)[-1] == {"event": "end", "state": "ok"}
    finally:
        server.stop()
    assert leaked(dump) == []


@pytest.mark.parametrize("name", [*SECRETS, "CARGO_REGISTRIES_MY_TOKEN", "x_secret"])
def test_the_one_child_environment_drops_secret_names_even_from_overrides(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, "from-the-environment")
    env = proc.child_env({"CARGO_TARGET_DIR": "/t", f"{name}_2": "from-a-caller"})
    assert name not in env and f"{name}_2" not in env
    assert env["CARGO_TARGET_DIR"] == "/t"


@pytest.mark.parametrize(
    "name", ["PATH", "HOME", "CARGO_HOME", "RUSTUP_HOME", "HTTPS_PROXY", "XAUTHORITY", "CARGO_BUILD_JOBS", "LANG"]
)
def test_what_a_build_needs_is_kept(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "kept")
    assert proc.child_env()[name] == "kept"


def test_the_browser_the_ui_opens_gets_no_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from localpack.ui.server import open_browser

    dump = tmp_path / "browser.json"
    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"open({str(dump)!r}, 'w').write(json.dumps({{'argv': sys.argv, 'env': dict(os.environ)}}))\n"
    )
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))  # Python's webbrowser starts $BROWSER first
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    open_browser("http://abc.localhost:1/?key=k")
    got = json.loads(dump.read_text())
    assert got["argv"][1:] == ["http://abc.localhost:1/?key=k"]
    assert not [k for k in SECRETS if k in got["env"]]
