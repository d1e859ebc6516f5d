"""`localpack cache info|clean`: what is there, and freeing it without losing what is costly to get back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CARGO_STANDIN


def _build(run, tauri_cli: Path) -> None:
    r = run("build", "--url", "https://example.com", "--name", "example", "--targets", "deb", "--no-preflight",
            "--runner", str(CARGO_STANDIN), env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 0, r.err


def test_info_lists_workspaces_target_and_records(run, home: Path, tauri_cli: Path) -> None:
    _build(run, tauri_cli)
    r = run("cache", "info", "--json")
    assert r.code == 0
    rows = {e["name"]: e for e in json.loads(r.out)["entries"]}
    assert rows["workspace example"]["size"] > 0
    assert rows["cargo target (shared)"]["size"] > 0
    assert rows["build records"]["note"] == "1 builds"
    human = run("cache", "info")
    assert "workspace example" in human.err and "total" in human.err


def test_clean_keeps_tools_and_records_unless_asked(run, home: Path, tauri_cli: Path) -> None:
    _build(run, tauri_cli)
    tools = home / "cache" / "tools"
    tools.mkdir(parents=True)
    (tools / "marker").write_text("pinned CLI")
    r = run("cache", "clean")
    assert r.code == 0 and "freed" in r.err
    assert not (home / "cache" / "workspaces").exists() and not (home / "cache" / "cargo-target").exists()
    assert (tools / "marker").exists() and any((home / "state" / "builds").iterdir())
    assert run("cache", "clean", "--all").code == 0
    assert not (home / "cache").exists() and not (home / "state" / "builds").exists()


def test_clean_refuses_while_a_build_runs(run, home: Path) -> None:
    from filelock import FileLock

    ws = home / "cache" / "workspaces"
    (ws / "example").mkdir(parents=True)
    with FileLock(str(ws / "example") + ".lock"):
        r = run("cache", "clean")
    assert r.code == 2 and "a build of example is running" in r.err
    assert (ws / "example").exists()
