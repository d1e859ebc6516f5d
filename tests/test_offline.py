"""Offline builds: the source replacement proven with real cargo, `build --offline` through the real
Tauri CLI with the cargo stand-in, and the automatic / doctor-side decisions."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from localpack import offline
from localpack.errors import ToolMissing
from localpack.offline.store import Store
from localpack.paths import Paths
from localpack.project import runtime_source
from tests.conftest import CARGO_STANDIN, no_traceback

CRATE_FILE = b"stand-in for the .crate file crates.io would serve"
PACKAGE_SHA = hashlib.sha256(CRATE_FILE).hexdigest()


def make_crate(vendor_dir: Path, name: str = "tinydep", version: str = "0.1.0") -> Path:
    """A vendored crate as `cargo vendor --versioned-dirs` lays it out, with a valid .cargo-checksum.json."""
    crate = vendor_dir / f"{name}-{version}"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n')
    (crate / "src" / "lib.rs").write_text("pub fn answer() -> u32 { 42 }\n")
    files = {
        p.relative_to(crate).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in crate.rglob("*")
        if p.is_file()
    }
    (crate / ".cargo-checksum.json").write_text(json.dumps({"files": files, "package": PACKAGE_SHA}))
    return crate


def lock_text(app: str = "app") -> str:
    return (
        "version = 4\n\n"
        f'[[package]]\nname = "{app}"\nversion = "0.1.0"\ndependencies = [\n "tinydep",\n]\n\n'
        '[[package]]\nname = "tinydep"\nversion = "0.1.0"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
        f'checksum = "{PACKAGE_SHA}"\n'
    )


def make_project(src_tauri: Path, name: str = "app") -> None:
    (src_tauri / "src").mkdir(parents=True)
    (src_tauri / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntinydep = "0.1"\n'
    )
    (src_tauri / "src" / "main.rs").write_text('fn main() { println!("answer {}", tinydep::answer()); }\n')
    (src_tauri / "Cargo.lock").write_text(lock_text(name))  # render writes the runtime's pinned lock


def prefetched(paths: Paths, app: str = "app") -> Store:
    store = Store.of(paths)
    make_crate(store.vendor)
    store.lock(app).parent.mkdir(parents=True)
    store.lock(app).write_text(lock_text(app))
    return store


@pytest.fixture(autouse=True)
def empty_tauri_tool_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))  # never the user's ~/.cache/tauri


def cargo_build(src_tauri: Path, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    full = {
        **os.environ,
        "CARGO_HOME": str(tmp_path / "cargo-home"),
        "CARGO_TARGET_DIR": str(tmp_path / "target"),
        **env,
    }
    return subprocess.run(
        ["cargo", "build", "--quiet"], cwd=src_tauri, env=full, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")
def test_real_cargo_builds_from_vendored_crates_offline(paths: Paths, tmp_path: Path) -> None:
    prefetched(paths, "app")
    workspace = tmp_path / "workspace" / "app"
    make_project(workspace / "src-tauri")

    env = offline.prepare_workspace(paths, workspace, ["deb"], offline=True, vendored_crates=True)

    assert env == {"CARGO_NET_OFFLINE": "true"}
    assert (workspace / "src-tauri" / "Cargo.lock").read_text() == lock_text("app")  # the lock stays as rendered
    done = cargo_build(workspace / "src-tauri", env, tmp_path)
    assert done.returncode == 0, done.stderr
    binary = tmp_path / "target" / "debug" / "app"
    assert subprocess.run([binary], capture_output=True, text=True).stdout == "answer 42\n"

    # Online again: the replacement is gone, and offline cargo cannot find the crate on its own.
    assert offline.prepare_workspace(paths, workspace, ["deb"], offline=False, vendored_crates=False) == {}
    assert not (workspace / "src-tauri" / ".cargo").exists()
    shutil.rmtree(tmp_path / "target")
    again = cargo_build(workspace / "src-tauri", {"CARGO_NET_OFFLINE": "true"}, tmp_path)
    assert again.returncode != 0


@pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")
def test_real_cargo_refuses_a_vendored_crate_that_does_not_match_the_lock(paths: Paths, tmp_path: Path) -> None:
    store = prefetched(paths, "app")
    lib = store.vendor / "tinydep-0.1.0" / "src" / "lib.rs"
    lib.write_text("pub fn answer() -> u32 { 666 }\n")  # changed after vendoring: checksum no longer matches
    workspace = tmp_path / "workspace" / "app"
    make_project(workspace / "src-tauri")
    done = cargo_build(
        workspace / "src-tauri",
        offline.prepare_workspace(paths, workspace, ["deb"], offline=True, vendored_crates=True),
        tmp_path,
    )
    assert done.returncode != 0 and "checksum" in done.stderr


def test_missing_vendor_dir_is_a_clear_error_naming_prefetch(paths: Paths, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace" / "app"
    make_project(workspace / "src-tauri")
    with pytest.raises(ToolMissing) as e:
        offline.prepare_workspace(paths, workspace, ["deb"], offline=True, vendored_crates=True)
    assert "no vendored crates" in e.value.message
    assert "localpack prefetch" in e.value.hint and "offline import" in e.value.hint
    assert not (workspace / "src-tauri" / ".cargo").exists()


def test_source_config_does_not_disturb_render(paths: Paths, tmp_path: Path) -> None:
    from localpack.config.model import load
    from localpack.project.render import render
    from localpack.project.workspace import write_tree

    cfg = load(tmp_path / "none.toml", {"app.url": "https://example.com", "app.name": "example"})
    prefetched(paths, "example")
    workspace = paths.workspace("example")
    write_tree(workspace, render(cfg))
    offline.prepare_workspace(paths, workspace, ["deb"], offline=True, vendored_crates=True)
    config = workspace / "src-tauri" / ".cargo" / "config.toml"
    before = config.stat().st_mtime_ns

    again = write_tree(workspace, render(cfg))
    offline.prepare_workspace(paths, workspace, ["deb"], offline=True, vendored_crates=True)

    assert not again.changed  # render's files unchanged, ours not counted as stale
    assert config.stat().st_mtime_ns == before  # idempotent: not rewritten
    assert 'replace-with = "localpack-vendored"' in config.read_text()


def test_automatic_offline_only_with_prefetched_crates_and_no_crates_io(paths: Paths) -> None:
    said: list[str] = []
    probes: list[int] = []

    def unreachable() -> bool:
        probes.append(1)
        return False

    assert offline.should_build_offline(paths, False, said.append, reachable=unreachable) is False
    assert probes == []  # nothing prefetched: no network probe at all
    prefetched(paths)
    assert offline.should_build_offline(paths, False, said.append, reachable=lambda: True) is False
    assert offline.should_build_offline(paths, False, said.append, reachable=unreachable) is True
    assert said == [
        "crates.io is not reachable: building offline with the prefetched crates (`--offline` skips this check)"
    ]


def test_missing_names_what_an_offline_build_lacks(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    from localpack.offline import bundler_tools

    monkeypatch.setenv("LOCALPACK_TAURI", "/opt/tauri")
    lacks = dict(offline.missing(paths, ["deb", "appimage"]))
    assert "vendored crates" in lacks
    [tools] = [k for k in lacks if k.startswith("appimage")]
    assert "AppRun-" in tools and lacks[tools].startswith("run `localpack prefetch --targets appimage`")
    rows = {c.name: c for c in offline.doctor_checks(paths, ["deb", "appimage"])}  # doctor --offline
    assert set(rows) == {"vendored-crates", "appimage-bundler-tools"}
    assert not rows["appimage-bundler-tools"].ok and rows["appimage-bundler-tools"].hint == lacks[tools]

    store = prefetched(paths)
    store.tools.mkdir(parents=True)
    for tool in bundler_tools.tools_for(["appimage"]):
        (store.tools / tool.name).write_bytes(b"x")
    assert offline.missing(paths, ["deb", "appimage"]) == []
    assert all(c.ok for c in offline.doctor_checks(paths, ["deb", "appimage"]))


# --- `localpack build --offline` end to end: the real Tauri CLI, the cargo stand-in ---------------

BUILD = [
    "build",
    "--runner",
    str(CARGO_STANDIN),
    "--no-preflight",
    "--offline",
    "--url",
    "https://example.com",
    "--name",
    "example",
]


def cli_env(tmp_path: Path, tauri_cli: Path) -> dict[str, str]:
    return {
        "LOCALPACK_TAURI": str(tauri_cli),
        "STANDIN_RECORD": str(tmp_path / "calls.jsonl"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
    }


def calls(tmp_path: Path) -> list[dict]:
    path = tmp_path / "calls.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_build_offline_passes_offline_mode_and_vendored_sources_to_cargo(
    run, home: Path, tmp_path: Path, tauri_cli: Path
) -> None:
    store = prefetched(Paths.from_env(), "example")
    r = run(*BUILD, "--targets", "deb", env=cli_env(tmp_path, tauri_cli))
    assert r.code == 0, r.err
    assert (tmp_path / "dist" / "example_1.0.0_amd64.deb").is_file()
    recorded = calls(tmp_path)
    [build] = [c for c in recorded if c["argv"][0] == "build"]
    assert build["env"]["CARGO_NET_OFFLINE"] == "true"
    assert build["source"]["crates-io"] == {"replace-with": "localpack-vendored"}
    assert build["source"]["localpack-vendored"] == {"directory": str(store.vendor)}
    assert all(c["env"]["CARGO_NET_OFFLINE"] == "true" for c in recorded)  # `cargo metadata` too
    compiled = home / "cache" / "runtimes" / "src" / "src-tauri"  # the runtime, compiled from its pinned lock
    assert (compiled / "Cargo.lock").read_bytes() == (runtime_source.runtime_dir() / "Cargo.lock").read_bytes()


def test_build_offline_without_prefetch_stops_before_the_tauri_cli(run, tmp_path: Path, tauri_cli: Path) -> None:
    r = run(*BUILD, "--targets", "deb", env=cli_env(tmp_path, tauri_cli))
    assert r.code == 4, r.err
    assert "no vendored crates" in r.err and "localpack prefetch" in r.err and no_traceback(r.err)
    assert calls(tmp_path) == []


def test_offline_appimage_without_cached_tools_fails_fast_with_the_prefetch_hint(
    run, tmp_path: Path, tauri_cli: Path
) -> None:
    prefetched(Paths.from_env(), "example")
    r = run(*BUILD, "--targets", "appimage,deb", env=cli_env(tmp_path, tauri_cli))
    assert r.code == 4, r.err
    assert "bundler tools for appimage are not cached" in r.err
    assert "localpack prefetch --targets appimage" in r.err
    assert calls(tmp_path) == []  # neither cargo nor the bundler ran
