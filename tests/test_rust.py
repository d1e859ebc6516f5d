"""The runtime crate as cargo sees it (marker `rust`, part of the default run): for every target this machine can
check (`tests/rustcheck.py`: Linux, Windows and Apple silicon here, both macOS targets on the project's macOS CI job) and every
feature set localpack can select there, `cargo check` and `cargo clippy -- -D warnings`; on this machine's own
target, `cargo test` (the runtime's #[test]s; rustfmt is tests/test_render.py's, in the fast tier). The builds live outside the clone
(`~/.cache/localpack-tests/cargo-check`), so a second run only re-checks the runtime crate."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from localpack.build import variant
from localpack.config import model
from tests.conftest import REPO
from tests.rustcheck import cargo_env, check_targets, os_of

pytestmark = pytest.mark.rust

RUNTIME = REPO / "runtime"
TIMEOUT = 3600  # a cold check of the tauri tree for one more target takes minutes on 2 cores


def feature_sets(os_name: str) -> list[tuple[str, ...]]:
    """Every feature set `variant.runtime_features` picks on `os_name`, over every value of the options it reads."""
    found = set()
    real_host_os = variant.host_os
    variant.host_os = lambda: os_name  # type: ignore[assignment]
    try:
        for devtools, tray, proxy, debug in itertools.product((False, True), repeat=4):
            cfg = model.load(
                None,
                {
                    "app.name": "demo",
                    "app.url": "https://example.com",
                    "behavior.devtools": devtools,
                    "behavior.tray": tray,
                    "window.proxy": "http://127.0.0.1:3128" if proxy else "",
                },
            )
            found.add(variant.runtime_features(cfg, debug))
    finally:
        variant.host_os = real_host_os  # type: ignore[assignment]
    return sorted(found)


def cargo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    program = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    if not Path(program).exists():
        if os.environ.get("CI"):
            pytest.fail("cargo is not installed (rustup: https://rustup.rs)")
        pytest.skip("cargo is not installed")
    return subprocess.run(
        [program, *args],
        cwd=RUNTIME,
        env={**cargo_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def need_target(triple: str) -> None:
    """The target's standard library, which scripts/test adds with rustup: missing is a skip, a failure in CI."""
    rustc = shutil.which("rustc") or str(Path.home() / ".cargo" / "bin" / "rustc")
    sysroot = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
    if not (Path(sysroot) / "lib" / "rustlib" / triple).is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the Rust target {triple} is not installed (scripts/test adds it with rustup)")
        pytest.skip(f"the Rust target {triple} is not installed (rustup target add {triple})")


def features_args(features: tuple[str, ...]) -> list[str]:
    return ["--features", ",".join(features)] if features else []


def tail(done: subprocess.CompletedProcess[str], lines: int = 80) -> str:
    return "\n".join((done.stdout + done.stderr).splitlines()[-lines:])


CASES = [(t, f) for t in check_targets() for f in feature_sets(os_of(t))]
IDS = [f"{t}-{'+'.join(f) or 'base'}" for t, f in CASES]


@pytest.mark.parametrize(("target", "features"), CASES, ids=IDS)
def test_cargo_check(target: str, features: tuple[str, ...]) -> None:
    need_target(target)
    done = cargo("check", "--locked", "--target", target, *features_args(features))
    assert done.returncode == 0, tail(done)


@pytest.mark.parametrize(("target", "features"), CASES, ids=IDS)
def test_clippy_finds_nothing(target: str, features: tuple[str, ...]) -> None:
    need_target(target)
    done = cargo(
        "clippy", "--locked", "--target", target, "--all-targets", *features_args(features), "--", "-D", "warnings"
    )
    assert done.returncode == 0, tail(done)


def test_cargo_test_passes() -> None:
    done = cargo("test", "--locked")
    assert done.returncode == 0, tail(done)
    assert " 0 failed" in done.stdout and "test result: ok" in done.stdout, tail(done)


def test_every_feature_localpack_selects_is_the_crates_and_each_is_selected_somewhere() -> None:
    declared = set(tomllib.loads((RUNTIME / "Cargo.toml").read_text(encoding="utf-8"))["features"])
    selected = {f for os_name in ("linux", "macos", "windows") for s in feature_sets(os_name) for f in s}
    assert selected == declared
    assert ("macos-proxy",) in feature_sets("macos") and all("macos-proxy" not in s for s in feature_sets("linux"))
