"""Compile once, package many (fast tier: the stand-in cargo compiles a stub runtime). The first build of a
runtime variant compiles it; every further app is packaged around it with `tauri bundle`; a damaged cached
runtime is compiled again, never used; a machine without Rust can still package."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CARGO_STANDIN

BUILD = ["build", "--targets", "deb,rpm", "--runner", str(CARGO_STANDIN), "--json"]


@pytest.fixture
def env(tauri_cli: Path, tmp_path: Path) -> dict[str, str]:
    return {"LOCALPACK_TAURI": str(tauri_cli), "STANDIN_RECORD": str(tmp_path / "cargo-calls.jsonl")}


def cargo_calls(tmp_path: Path) -> list[list[str]]:
    record = tmp_path / "cargo-calls.jsonl"
    return [json.loads(line)["argv"] for line in record.read_text().splitlines()] if record.exists() else []


def build(run, env: dict[str, str], *args: str, **kw) -> dict:
    r = run(*BUILD, *args, env=env, **kw)
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_the_second_app_reuses_the_runtime_the_first_compiled(run, env, tmp_path: Path) -> None:
    first = build(run, env, "--url", "https://one.example", "--name", "one")
    assert first["runtime"]["compiled"] is True and "first build of this runtime" in first["runtime"]["reason"]
    compiles = len([c for c in cargo_calls(tmp_path) if c[0] == "build"])
    assert compiles == 1
    second = build(run, env, "--url", "https://two.example", "--name", "two", "--title", "Two", "--width", "640")
    assert second["runtime"] == {"id": first["runtime"]["id"], "compiled": False, "reason": None, "source": "cache"}
    assert len([c for c in cargo_calls(tmp_path) if c[0] == "build"]) == compiles  # no compile for the second app
    debs = {a["path"] for a in second["artifacts"]}
    assert debs == {"dist/two_1.0.0_amd64.deb", "dist/two-1.0.0-1.x86_64.rpm"}
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(tmp_path / "dist" / "two_1.0.0_amd64.deb")], capture_output=True, text=True, check=True
    ).stdout
    assert " usr/bin/two\n" in listing and " usr/lib/two/localpack/app.json\n" in listing


def test_a_feature_set_is_its_own_runtime(run, env, tmp_path: Path) -> None:
    plain = build(run, env, "--url", "https://one.example", "--name", "one")
    tray = build(run, env, "--url", "https://one.example", "--name", "one", "--tray")
    assert tray["runtime"]["compiled"] is True and tray["runtime"]["id"] != plain["runtime"]["id"]
    assert "features tray" in tray["runtime"]["reason"]
    [with_tray] = [c for c in cargo_calls(tmp_path) if c[0] == "build" and "tray" in " ".join(c)]
    assert "tray" in with_tray[with_tray.index("--features") + 1]


def test_a_damaged_runtime_is_compiled_again_not_used(run, env, home: Path, tmp_path: Path) -> None:
    first = build(run, env, "--url", "https://one.example", "--name", "one")
    binary = home / "cache" / "runtimes" / first["runtime"]["id"] / "localpack-runtime"
    binary.write_bytes(binary.read_bytes() + b"tampered")
    again = build(run, env, "--url", "https://one.example", "--name", "one")
    assert again["runtime"]["compiled"] is True and "damaged" in again["runtime"]["reason"]
    (home / "cache" / "runtimes" / first["runtime"]["id"] / "runtime.json").write_text("{not json")
    third = build(run, env, "--url", "https://one.example", "--name", "one")
    assert third["runtime"]["compiled"] is True


def test_compile_builds_the_app_on_its_own(run, env, tmp_path: Path) -> None:
    result = build(run, env, "--url", "https://one.example", "--name", "one", "--compile")
    assert result["runtime"] == {"id": None, "compiled": True, "reason": "--compile was given", "source": None}
    [compile_call] = [c for c in cargo_calls(tmp_path) if c[0] == "build"]
    assert compile_call[-1] == "--release"


def test_a_machine_without_rust_packages_around_a_cached_runtime(run, env, tmp_path: Path) -> None:
    build(run, env, "--url", "https://one.example", "--name", "one")
    no_rust = tmp_path / "no-rust-bin"  # PATH as on a machine with node and Python but no cargo or rustc
    no_rust.mkdir()
    for tool in ("node", "npm", "dpkg-deb", "sh", "uname", "pkg-config"):
        found = shutil.which(tool)
        if found:
            (no_rust / tool).symlink_to(found)
    r = run(*BUILD, "--url", "https://two.example", "--name", "two", env={**env, "PATH": str(no_rust)})
    assert r.code == 0, r.err
    assert json.loads(r.out)["runtime"]["compiled"] is False
    assert (tmp_path / "dist" / "two_1.0.0_amd64.deb").is_file()


def test_cache_info_lists_runtimes_and_clean_removes_them(run, env, home: Path) -> None:
    first = build(run, env, "--url", "https://one.example", "--name", "one")
    info = run("cache", "info", "--json")
    names = [e["name"] for e in json.loads(info.out)["entries"]]
    assert f"runtime {first['runtime']['id']}" in names
    assert run("cache", "clean").code == 0
    assert not (home / "cache" / "runtimes" / first["runtime"]["id"]).exists()


def test_windows_packages_around_the_runtime_too() -> None:
    """The exe's own icon and version info are written into the app's copy (build/exe_resources.py): no compile."""
    from localpack.build import plan

    assert plan.app_compile_reason(plan.BuildOptions(out=Path("dist"))) is None


def test_the_pins_name_what_the_runtime_lock_pins() -> None:
    import tomllib

    from localpack import versions
    from localpack.project import runtime_source

    lock = tomllib.loads((runtime_source.runtime_dir() / "Cargo.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"]}
    assert locked["tauri"] == versions.TAURI and locked["tauri-build"] == versions.TAURI_BUILD
    assert {name: locked[name] for name in versions.PLUGINS} == versions.PLUGINS
    manifest = tomllib.loads((runtime_source.runtime_dir() / "Cargo.toml").read_text())
    assert manifest["package"]["rust-version"] == versions.RUST_MIN
