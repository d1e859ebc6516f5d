"""`localpack cache info|clean`: what is there, and freeing it without losing what is costly to get back."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.conftest import CARGO_STANDIN, no_traceback


def _build(run, tauri_cli: Path) -> None:
    r = run(
        "build",
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--targets",
        "deb",
        "--no-preflight",
        "--runner",
        str(CARGO_STANDIN),
        env={"LOCALPACK_TAURI": str(tauri_cli)},
    )
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
    assert _only_locks(home / "cache" / "workspaces") and not (home / "cache" / "cargo-target").exists()
    assert (tools / "marker").exists() and any((home / "state" / "builds").iterdir())
    assert run("cache", "clean", "--all").code == 0
    assert _only_locks(home / "cache") and not (home / "state" / "builds").exists()


def _only_locks(folder: Path) -> bool:
    """Clean keeps the (empty) lock files, on which a command may be waiting; nothing else is left."""
    return all(p.name.endswith(".lock") and p.stat().st_size == 0 for p in folder.rglob("*") if p.is_file())


def test_clean_keeps_what_a_running_build_uses(run, home: Path) -> None:
    from filelock import FileLock

    ws = home / "cache" / "workspaces"
    (ws / "example").mkdir(parents=True)
    (home / "cache" / "cargo-target").mkdir()
    with FileLock(str(ws / "example") + ".lock"):
        r = run("cache", "clean")
    assert r.code == 0 and "a build of example is running" in r.err and "kept" in r.err
    assert (ws / "example").exists() and (home / "cache" / "cargo-target").exists()


def test_a_symlinked_target_dir_is_emptied_and_kept(run, home: Path, tmp_path: Path) -> None:
    """Moving cargo-target to a bigger disk with a link is common: clean empties what it points to."""
    big = tmp_path / "bigdisk" / "cargo-target"
    (big / "release" / "deps").mkdir(parents=True)
    (big / "release" / "deps" / "libtauri.rlib").write_bytes(b"x" * 4096)
    (home / "cache").mkdir(parents=True)
    (home / "cache" / "cargo-target").symlink_to(big)
    info = {e["name"]: e for e in json.loads(run("cache", "info", "--json").out)["entries"]}
    assert info["cargo target (shared)"]["size"] == 4096
    r = run("cache", "clean")
    assert r.code == 0 and "freed 4.0 KiB" in r.err, r.err
    assert (home / "cache" / "cargo-target").is_symlink() and big.is_dir() and not any(big.iterdir())
    (big / "again").write_text("y")
    assert run("cache", "clean", "--all").code == 0
    assert _only_locks(home / "cache") and big.is_dir() and not any(big.iterdir())


@pytest.mark.parametrize("target", ["home", "root", "dangling"])
def test_a_link_to_a_folder_that_is_not_the_caches_own_is_not_emptied(
    run, home: Path, tmp_path: Path, target: str
) -> None:
    user_home = tmp_path / "userhome"
    (user_home / "Documents").mkdir(parents=True)
    (home / "cache").mkdir(parents=True)
    link = home / "cache" / "cargo-target"
    link.symlink_to({"home": user_home, "root": Path("/"), "dangling": tmp_path / "gone"}[target])
    r = run("cache", "clean", env={"HOME": str(user_home)})
    if target == "dangling":
        assert r.code == 0 and not link.is_symlink()
    else:
        assert r.code == 2 and "will not empty that folder" in r.err and no_traceback(r.err)
        assert (user_home / "Documents").is_dir() and link.is_symlink()


def test_staging_folders_of_an_interrupted_render_are_shown_and_cleaned(run, home: Path) -> None:
    left = [
        home / "cache" / "workspaces" / ".example.rendering-k2j4",
        home / "cache" / ".offline-import-8d9s",
        home / "cache" / "icons" / ".tmp-x1y2",
    ]  # what `kill -9` during a render, import or icon step leaves
    for folder in left:
        folder.mkdir(parents=True)
        (folder / "Cargo.toml").write_text("[package]\n")
    hour_ago = time.time() - 3600  # no lock guards an icon step: only a staging folder nobody touched lately goes
    os.utime(left[2], (hour_ago, hour_ago))
    info = json.loads(run("cache", "info", "--json").out)
    [row] = [e for e in info["entries"] if e["name"] == "unfinished staging folders"]
    assert row["size"] == 3 * len("[package]\n") and "3 left by an interrupted" in row["note"]
    assert "unfinished staging folders" in run("cache", "info").err
    assert run("cache", "clean").code == 0
    assert not any(folder.exists() for folder in left)
    assert not any(
        e["name"] == "unfinished staging folders" for e in json.loads(run("cache", "info", "--json").out)["entries"]
    )
