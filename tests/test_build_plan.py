"""`plan()` decides a build's mode, variant and reason once, from the config, the options and the runtime
cache, without running anything: every mode, every reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from localpack.build import runtime_cache
from localpack.build.plan import BuildOptions, BuildPlan, Mode, app_compile_reason, plan
from localpack.build.variant import Variant, variant_for
from localpack.config import model as config
from localpack.paths import Paths


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(config=tmp_path / "config", cache=tmp_path / "cache", state=tmp_path / "state")


def cfg(**values: object) -> config.AppConfig:
    return config.load(None, {"app.name": "demo", "app.url": "https://example.com/", **values})


def opts(**kw: object) -> BuildOptions:
    return BuildOptions(out=Path("dist"), **kw)  # type: ignore[arg-type]


def cache(paths: Paths, variant: Variant, tmp_path: Path) -> runtime_cache.CachedRuntime:
    """A compiled runtime binary of `variant` in the cache, as a runtime compile leaves it."""
    built = tmp_path / "built-binary"
    built.write_bytes(b"\x7fELF a runtime")
    return runtime_cache.store(paths, variant, built, compile_s=1.0)


def test_an_uncached_variant_compiles_the_runtime_first(paths: Paths) -> None:
    got = plan(cfg(), opts(), paths)
    assert got.mode is Mode.COMPILE_RUNTIME and got.compiles and got.tauri_command == "bundle"
    assert got.reason == "first build of this runtime (release, no extra features)" and got.cached is None
    assert got.runtime_json() == {"id": got.variant.id, "compiled": True, "reason": got.reason, "source": "compiled"}


def test_a_cached_variant_is_packaged_without_a_compile(paths: Paths, tmp_path: Path) -> None:
    stored = cache(paths, variant_for(cfg(), debug=False, runner=None), tmp_path)
    got = plan(cfg(), opts(), paths)
    assert got == BuildPlan(Mode.PACKAGE_CACHED, stored.variant, None, stored)
    assert not got.compiles and got.tauri_command == "bundle" and not got.vendored_crates
    assert got.runtime_json() == {"id": stored.variant.id, "compiled": False, "reason": None, "source": "cache"}


def test_compile_and_windows_compile_the_app_on_its_own(paths: Paths, tmp_path: Path) -> None:
    cache(paths, variant_for(cfg(), debug=False, runner=None), tmp_path)  # cached, yet not used
    given = plan(cfg(), opts(compile=True), paths)
    assert given.mode is Mode.COMPILE_APP and given.reason == "--compile was given"
    assert given.tauri_command == "build" and given.cached is None
    assert given.runtime_json() == {"id": None, "compiled": True, "reason": "--compile was given", "source": None}
    assert app_compile_reason(opts()) is None  # on every OS, Windows too (build/exe_resources.py)


def test_changed_sources_and_a_damaged_cache_say_why_they_compile(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = variant_for(cfg(), debug=False, runner=None)
    stored = cache(paths, variant, tmp_path)
    stored.binary.write_bytes(b"tampered")
    damaged = plan(cfg(), opts(), paths)
    assert damaged.mode is Mode.COMPILE_RUNTIME and "damaged" in (damaged.reason or "")
    assert not stored.folder.exists()  # a damaged entry is never used again
    cache(paths, variant, tmp_path)
    monkeypatch.setattr("localpack.project.runtime_source.digest", lambda: "0" * 64)  # the sources changed since
    changed = plan(cfg(), opts(), paths)
    assert (
        changed.mode is Mode.COMPILE_RUNTIME and changed.reason == "the runtime's sources changed since it was compiled"
    )


@pytest.mark.parametrize(
    "values,debug,features,profile",
    [
        ({}, False, (), "release"),
        ({"behavior.tray": True}, False, ("tray",), "release"),
        ({"behavior.devtools": True}, False, ("devtools",), "release"),
        ({"behavior.devtools": True, "behavior.tray": True}, True, ("tray",), "debug"),  # debug has the inspector
    ],
)
def test_the_variant_follows_features_and_profile(
    paths: Paths, tmp_path: Path, values: dict, debug: bool, features: tuple, profile: str
) -> None:
    got = plan(cfg(**values), opts(debug=debug), paths)
    assert (got.variant.features, got.variant.profile) == (features, profile)
    assert got.variant.feature_args() == (["--features", ",".join(features)] if features else [])
    plain = plan(cfg(), opts(), paths)
    assert (got.variant.id == plain.variant.id) == (features == () and profile == "release")


def test_a_runner_is_its_own_variant(paths: Paths, tmp_path: Path) -> None:
    cache(paths, variant_for(cfg(), debug=False, runner=None), tmp_path)
    got = plan(cfg(), opts(runner="/bin/stand-in"), paths)
    assert got.mode is Mode.COMPILE_RUNTIME and got.variant.builder == "/bin/stand-in"
    assert got.reason and got.reason.startswith("first build of this runtime")


def test_offline_the_app_workspace_reads_vendored_crates_only_when_the_app_compiles(
    paths: Paths, tmp_path: Path
) -> None:
    assert plan(cfg(), opts(offline=True, compile=True), paths).vendored_crates
    runtime_first = plan(cfg(), opts(offline=True), paths)  # the runtime compile brings its own
    assert runtime_first.offline and runtime_first.mode is Mode.COMPILE_RUNTIME and not runtime_first.vendored_crates
    assert not plan(cfg(), opts(compile=True), paths).vendored_crates  # online
    cache(paths, variant_for(cfg(), debug=False, runner=None), tmp_path)
    packaged = plan(cfg(), opts(offline=True), paths)
    assert packaged.offline and packaged.mode is Mode.PACKAGE_CACHED and not packaged.vendored_crates


def test_a_carried_runtime_from_the_offline_store_is_used(paths: Paths, tmp_path: Path) -> None:
    stored = cache(paths, variant_for(cfg(), debug=False, runner=None), tmp_path)
    carried = runtime_cache.carry(stored, paths)
    shutil.rmtree(stored.folder)
    got = plan(cfg(), opts(), paths)
    assert got.mode is Mode.PACKAGE_CACHED and got.cached is not None and got.cached.folder == carried.folder
