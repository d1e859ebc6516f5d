"""Compiling the runtime binary of a variant: `tauri build --no-bundle` of the runtime crate in one stable
workspace, with the shared cargo target dir, then into the runtime cache. Used by `build` (the first app of a
variant, mode COMPILE_RUNTIME) and by `prefetch` (so an offline machine needs no compile at all)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from localpack import jsonio, offline
from localpack.build import orphans, runtime_cache
from localpack.build.failure import failure
from localpack.build.runtime_cache import CachedRuntime
from localpack.build.variant import Variant, binary_name, variant_for
from localpack.config.model import AppConfig
from localpack.core import locks, proc
from localpack.core.progress import Progress, crate_count
from localpack.errors import BuildFailed, LocalpackError
from localpack.paths import Paths
from localpack.project import runtime_source
from localpack.project.render import render_runtime
from localpack.project.workspace import write_tree

# `cargo metadata` of the runtime prints about 2 MB (every crate's manifest); far more is not cargo's answer.
CARGO_METADATA_BYTES = 64 << 20


def count_crates(src_tauri: Path, variant: Variant, runner: str | None) -> int | None:
    """The M of "compiling N/M", before the first crate: what cargo resolves for this platform and these
    features (read offline from the lock and cargo's index cache); the lock's count when cargo cannot say."""
    total = crate_count(src_tauri / "Cargo.lock")
    if runner:
        return total
    cmd = [
        "cargo",
        "metadata",
        "--format-version",
        "1",
        "--offline",
        "--filter-platform",
        variant.triple,
        *variant.feature_args(),
    ]
    try:
        done = proc.run(cmd, cwd=src_tauri, timeout=60)
        return (
            len(jsonio.loads(done.output[done.output.find("{") :], limit=CARGO_METADATA_BYTES)["resolve"]["nodes"])
            if done.ok
            else total
        )
    except (LocalpackError, ValueError, KeyError, TypeError):
        return total


def compile_runtime(
    paths: Paths,
    variant: Variant,
    *,
    tauri_argv: tuple[str, ...],
    runner: str | None,
    offline_build: bool,
    log_file: IO[str],
    log_path: Path,
    progress: Progress,
    timeout: float | None,
    mark: str,
    warn: Callable[[str], None],
) -> CachedRuntime:
    """Compile the runtime binary of `variant` (unless another build just did) and cache it. `mark` tags every
    process of the compile (build/orphans.py), so what a killed compile left running is stopped by the next one."""
    paths.runtimes.mkdir(parents=True, exist_ok=True)
    with locks.held(paths, locks.compile_lock(paths)):  # one runtime compile at a time (and not beside `cache clean`)
        found, _ = runtime_cache.find(paths, variant)
        if found is not None:
            return found
        ws = paths.runtime_workspace
        tree = orphans.tree_file(ws)
        orphans.stop_leftovers(tree, "the app runtime", warn)
        write_tree(ws, render_runtime())
        cmd = [*tauri_argv, "build", "--no-bundle", "--ci", *variant.feature_args()]
        cmd += ["--debug"] if variant.profile == "debug" else []
        cmd += ["--runner", runner] if runner else []
        env = {
            "CARGO_TARGET_DIR": str(paths.cargo_target),
            orphans.ENV: mark,
            **offline.prepare_workspace(paths, ws, [], offline=offline_build, vendored_crates=True),
        }
        progress.total_crates = count_crates(ws / "src-tauri", variant, runner)
        progress.set_phase("compiling", "the app runtime")
        started = time.time()
        try:
            done = proc.run(
                cmd,
                cwd=ws,
                env=env,
                timeout=timeout,
                log_file=log_file,
                on_line=progress.feed,
                on_start=lambda pid: orphans.remember(tree, pid, mark),
            )
        finally:
            orphans.forget(tree)
        if not done.ok:
            raise failure(done, log_path)
        built = paths.cargo_target / variant.profile / binary_name(runtime_source.CRATE)
        if not built.is_file():
            raise BuildFailed(
                f"the runtime compile finished but left no {built.name}", f"see the log: {log_path}", cause="no_binary"
            )
        return runtime_cache.store(paths, variant, built, compile_s=time.time() - started)


def prefetch_runtime(
    cfg: AppConfig,
    paths: Paths,
    *,
    tauri_argv: tuple[str, ...],
    log_path: Path,
    warn: Callable[[str], None],
    verbose: bool = False,
) -> tuple[CachedRuntime, bool]:
    """The release runtime binary `cfg` needs, compiled here if it is not yet, and carried into the offline store
    so `offline export` takes it along; returns it and whether it was compiled now."""
    variant = variant_for(cfg, debug=False, runner=None)
    found, _ = runtime_cache.find(paths, variant)
    compiled = found is None
    if found is None:
        with proc.open_log(log_path) as log_file, Progress(verbose=verbose) as progress:
            found = compile_runtime(
                paths,
                variant,
                tauri_argv=tauri_argv,
                runner=None,
                offline_build=False,
                log_file=log_file,
                log_path=log_path,
                progress=progress,
                timeout=None,
                mark=f"prefetch-{cfg.name}-{os.getpid()}",
                warn=warn,
            )
    return runtime_cache.carry(found, paths), compiled
