"""`localpack build`: preflight → render → compile or reuse a runtime → bundle → collect → build record.

An app is packaged around a compiled runtime (`build/runtime.py`) with `tauri bundle`: no compile, unless
this runtime variant was never compiled here. `--compile` (and Windows, whose exe carries its icon)
compiles the app's own project with `tauri build` instead. One build of an app at a time (a lock per
app); all compiles share one cargo target dir. Every build leaves a record and a full log.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import platform
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import __version__, offline
from filelock import FileLock, Timeout

from localpack.build import artifacts, runtime
from localpack.config.model import AppConfig
from localpack.core import proc, records, targets
from localpack.core.platform import host_os
from localpack.core.progress import Progress, crate_count
from localpack.errors import BuildFailed, ConfigError, LocalpackError
from localpack.output import error_json
from localpack.paths import Paths
from localpack.project import app_settings, runtime_source
from localpack.project.render import render_runtime
from localpack.project.workspace import write_project, write_tree
from localpack.toolchain import RESOURCES, optional_warnings, preflight, tool_versions
from localpack.toolchain.npm_assets import jquery_file
from localpack.toolchain.tauri_cli import require


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    targets: tuple[str, ...] = ()
    debug: bool = False
    offline: bool = False
    runner: str | None = None
    timeout: float | None = None
    preflight: bool = True
    verbose: bool = False
    compile: bool = False  # compile this app on its own instead of packaging a compiled runtime
    events: bool = False  # progress as JSON lines (for programs driving localpack)


@dataclass
class BuildOutcome:
    app: str
    version: str
    workspace: Path
    log: Path
    record: Path | None = None
    duration_s: float = 0.0
    artifacts: list[artifacts.Artifact] = field(default_factory=list)
    error: LocalpackError | None = None
    runtime: dict[str, Any] | None = None  # {"id", "compiled", "reason"}: which runtime packaged the app

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        """The `build --json` object (docs/architecture.md)."""
        return {
            "ok": self.ok,
            "app": self.app,
            "version": self.version,
            "workspace": str(self.workspace),
            "log": str(self.log),
            "duration_s": round(self.duration_s, 2),
            "artifacts": [a.to_dict() for a in self.artifacts],
            "runtime": self.runtime,
            "error": _error_dict(self.error),
        }


# The `--json` object of a build that stopped before it began (e.g. an invalid config).
NOT_STARTED_JSON: dict[str, Any] = {"ok": False, "app": None, "version": None, "workspace": None, "log": None,
                                    "duration_s": 0.0, "artifacts": [], "runtime": None}


def config_digest(cfg: AppConfig) -> str:
    return hashlib.sha256(json.dumps(cfg.to_dict(), sort_keys=True).encode()).hexdigest()


def platform_facts() -> dict[str, str]:
    facts = {"os": host_os(), "arch": platform.machine().lower(), "release": platform.release()}
    if sys.platform.startswith("linux"):
        try:
            facts["distro"] = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            pass
    return facts


def run_build(cfg: AppConfig, opts: BuildOptions, paths: Paths, warn: Callable[[str], None]) -> BuildOutcome:
    """Build `cfg`. Invalid input (targets, --out) raises `ConfigError` before anything is written; a build
    that starts never raises: the outcome carries its error, and a log and a record exist."""
    return _Build(cfg, opts, paths, warn).run()


class _Build:
    """One build: its outcome, its record and its log, filled in step by step."""

    def __init__(self, cfg: AppConfig, opts: BuildOptions, paths: Paths, warn: Callable[[str], None]) -> None:
        self.cfg, self.opts, self.paths, self.warn = cfg, opts, paths, warn
        self.started = time.time()
        stamp = datetime.now(timezone.utc)
        build_id = f"{cfg.name}-{stamp:%Y%m%dT%H%M%S%f}"
        self.outcome = BuildOutcome(cfg.name, cfg.app.version, paths.workspace(cfg.name), paths.logs / f"{build_id}.log")
        self.record: dict[str, Any] = {
            "schema": records.SCHEMA, "id": build_id, "localpack": __version__,
            "app": cfg.name, "title": cfg.app.title, "version": cfg.app.version,
            "config": cfg.to_dict(), "config_digest": config_digest(cfg),
            "targets": [], "debug": opts.debug, "offline": opts.offline,
            "platform": platform_facts(), "tools": {},
            "started": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "phases": {}, "workspace": str(self.outcome.workspace), "log": str(self.outcome.log), "out": str(opts.out),
        }
        self._mark = self.started

    def run(self) -> BuildOutcome:
        self._check_input()
        outcome, record = self.outcome, self.record
        self.log = proc.open_log(outcome.log)
        try:
            self.log.write(f"# localpack {__version__} build of {self.cfg.name} {self.cfg.app.version} "
                           f"at {record['started']}\n# platform: {json.dumps(record['platform'])}\n")
            self._steps()
        except LocalpackError as e:
            outcome.error = e
            self.log.write(f"# failed: {e.code}: {e.message}\n")
        finally:
            outcome.duration_s = time.time() - self.started
            self.log.close()
            record.update(
                duration_s=round(outcome.duration_s, 3),
                ok=outcome.ok,
                error=_error_dict(outcome.error),
                artifacts=[a.to_dict() for a in outcome.artifacts],
            )
            outcome.record = records.save(self.paths, record)
        return outcome

    def _phase(self, name: str) -> None:
        """Record how long the step that just ended took."""
        now = time.time()
        self.record["phases"][name] = round(now - self._mark, 3)
        self._mark = now

    def _check_input(self) -> None:
        """What can be refused as invalid input (exit 2), before a log or a record is written."""
        _check_out_dir(self.cfg, self.opts.out)
        if not self.opts.offline and offline.should_build_offline(self.paths, False, self.warn):
            self.opts = dataclasses.replace(self.opts, offline=True)
            self.record["offline"] = True
        self.chosen = targets.resolve(self.opts.targets, offline=self.opts.offline, warn=self.warn,
                                      tools_cached=lambda: offline.appimage_tools_cached(self.paths))
        self.record["targets"] = self.chosen

    def _steps(self) -> None:
        cfg, opts, paths, chosen = self.cfg, self.opts, self.paths, self.chosen
        with self._app_lock():
            self._phase("lock")
            variant = runtime.Variant("debug" if opts.debug else "release",
                                      app_settings.runtime_features(cfg, opts.debug), runtime.host_triple(),
                                      opts.runner or "cargo")
            why_compile = compile_reason(opts)
            cached, why_runtime = (None, "") if why_compile else runtime.find(paths, variant)
            compiling = cached is None
            self.record["tools"] = _preflight(cfg, opts, paths, chosen, self.warn, compile=compiling)
            self._phase("preflight")

            tauri = require(paths)
            written = write_project(cfg, self.outcome.workspace, jquery=_jquery(cfg, paths))
            self.log.write(f"# render: {len(written.written)} written, {len(written.removed)} removed\n")
            self._phase("render")
            # Offline: what is not prefetched stops the build here, before anything compiles.
            env = offline.build_env(paths, self.outcome.workspace, chosen, offline=opts.offline,
                                    compile=bool(why_compile))

            with self._progress() as progress:
                if why_compile:
                    self.outcome.runtime = {"id": None, "compiled": True, "reason": why_compile}
                    progress.note(f"compiling {cfg.name} on its own: {why_compile}")
                    done = self._tauri(tauri.argv, "build", progress, chosen, variant, env, compile=True)
                    self._phase("compile")
                else:
                    if cached is None:
                        progress.note(f"compiling the app runtime: {why_runtime}; later apps reuse it")
                        cached = self._compile_runtime(tauri.argv, variant, progress)
                        self._phase("runtime")
                    else:
                        progress.note(f"reusing the compiled runtime {cached.variant.id} ({runtime.age(cached)}): "
                                      "no compile")
                    self.outcome.runtime = {"id": cached.variant.id, "compiled": compiling,
                                            "reason": why_runtime or None}
                    runtime.stage(cached, self.bundle_target, cfg.name)
                    done = self._tauri(tauri.argv, "bundle", progress, chosen, variant, env, compile=False)
                self._phase("bundle")
            self.record["runtime"] = self.outcome.runtime
            bundles = artifacts.produced(done.lines, since=self.started)
            if not bundles:
                raise BuildFailed("the Tauri CLI finished but produced no installer",
                                  f"see the log: {self.outcome.log}", cause="no_bundle")
            self.outcome.artifacts = artifacts.collect(bundles, opts.out, cfg.name)
            self._phase("collect")

    @property
    def bundle_target(self) -> Path:
        """The app's own target dir for `tauri bundle`: the staged runtime and the bundles it makes."""
        return self.outcome.workspace / "target"

    def _progress(self) -> Progress:
        return Progress(verbose=self.opts.verbose, events=self.opts.events)

    def _count_crates(self, src_tauri: Path, variant: runtime.Variant, progress: Progress) -> None:
        """The M of "compiling N/M", before the first crate: what cargo resolves for this platform and these
        features (read offline from the lock and cargo's index cache); the lock's count when cargo cannot say."""
        total = crate_count(src_tauri / "Cargo.lock")
        if not self.opts.runner:
            cmd = ["cargo", "metadata", "--format-version", "1", "--offline", "--filter-platform", variant.triple,
                   *_feature_args(variant)]
            try:
                done = proc.run(cmd, cwd=src_tauri, timeout=60)
                total = len(json.loads(done.output[done.output.find("{"):])["resolve"]["nodes"]) if done.ok else total
            except (LocalpackError, ValueError, KeyError, TypeError):
                pass
        progress.total_crates = total

    def _remaining(self) -> float | None:
        return max(self.opts.timeout - (time.time() - self.started), 0.1) if self.opts.timeout else None

    def _compile_runtime(self, tauri_argv: tuple[str, ...], variant: runtime.Variant,
                         progress: Progress) -> runtime.Runtime:
        """Compile the runtime of `variant` once (the shared cargo target dir keeps its crates), and cache it."""
        paths, opts = self.paths, self.opts
        runtime.root(paths).mkdir(parents=True, exist_ok=True)
        with FileLock(str(runtime.root(paths) / ".compile.lock")):  # one runtime compile at a time
            found, _ = runtime.find(paths, variant)  # another build may just have compiled it
            if found is not None:
                return found
            ws = runtime.source_workspace(paths)
            write_tree(ws, render_runtime())
            cmd = [*tauri_argv, "build", "--no-bundle", "--ci", *_feature_args(variant)]
            cmd += ["--debug"] if variant.profile == "debug" else []
            cmd += ["--runner", opts.runner] if opts.runner else []
            env = {"CARGO_TARGET_DIR": str(paths.cargo_target),
                   **offline.build_env(paths, ws, [], offline=opts.offline, compile=True)}
            self._count_crates(ws / "src-tauri", variant, progress)
            progress.set_phase("compiling", "the app runtime")
            started = time.time()
            done = proc.run(cmd, cwd=ws, env=env, timeout=self._remaining(), log_file=self.log, on_line=progress.feed)
            if not done.ok:
                raise _failure(done, self.outcome.log)
            built = paths.cargo_target / variant.profile / runtime.binary_name(runtime_source.CRATE)
            if not built.is_file():
                raise BuildFailed(f"the runtime compile finished but left no {built.name}",
                                  f"see the log: {self.outcome.log}", cause="no_binary")
            return runtime.store(paths, variant, built, compile_s=time.time() - started)

    def _tauri(self, tauri_argv: tuple[str, ...], command: str, progress: Progress, chosen: list[str],
               variant: runtime.Variant, env: dict[str, str], *, compile: bool) -> proc.Completed:
        """`tauri build` (the app compiled on its own) or `tauri bundle` (around the staged runtime)."""
        opts, workspace = self.opts, self.outcome.workspace
        cmd = [*tauri_argv, command, "--bundles", ",".join(chosen), "--ci", *_feature_args(variant)]
        cmd += ["--debug"] if opts.debug else []
        if compile:
            cmd += ["--runner", opts.runner] if opts.runner else []
            target_dir = self.paths.cargo_target
            self._count_crates(workspace / "src-tauri", variant, progress)
        else:
            cmd += ["--target", variant.triple]
            target_dir = self.bundle_target
        env = {"CARGO_TARGET_DIR": str(target_dir), **env}
        progress.set_phase("compiling" if compile else "bundling", ", ".join(chosen))
        done = proc.run(cmd, cwd=workspace, env=env, timeout=self._remaining(), log_file=self.log,
                        on_line=progress.feed)
        if not done.ok:
            raise _failure(done, self.outcome.log)
        return done

    @contextlib.contextmanager
    def _app_lock(self) -> Iterator[None]:
        """One build per app at a time: a second one waits (bounded by --timeout), saying so."""
        name = self.cfg.name
        self.outcome.workspace.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.outcome.workspace) + ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            self.warn(f"another build of {name} is running; waiting for it to finish (Ctrl-C to stop)")
            try:
                lock.acquire(timeout=self.opts.timeout or -1)
            except Timeout:
                raise BuildFailed(f"another build of {name} kept the workspace busy", "try again when it is done",
                                  cause="busy") from None
        try:
            yield
        finally:
            lock.release()


def _error_dict(error: LocalpackError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return error_json(error)


def _check_out_dir(cfg: AppConfig, out: Path) -> None:
    """Installers must not land inside the web app's folder (they would be bundled into the next build)."""
    web = cfg.app.dist
    if web is not None and (out == web or out.is_relative_to(web) or web.is_relative_to(out)):
        raise ConfigError(
            f"--out {out} overlaps the web app folder {web}: the installers would end up inside the app",
            "pass another folder, e.g. --out installers",
        )


def compile_reason(opts: BuildOptions) -> str:
    """Why this app must be compiled on its own instead of packaged around a compiled runtime ("" if not)."""
    if opts.compile:
        return "--compile was given"
    if host_os() == "windows":
        return "on Windows the exe's own icon and version info are compiled into it"
    return ""


def _feature_args(variant: runtime.Variant) -> list[str]:
    return ["--features", ",".join(variant.features)] if variant.features else []


def _jquery(cfg: AppConfig, paths: Paths) -> bytes | None:
    return jquery_file(paths).read_bytes() if cfg.behavior.inject_jquery else None


def _preflight(cfg: AppConfig, opts: BuildOptions, paths: Paths, chosen: list[str],
               warn: Callable[[str], None], *, compile: bool) -> dict[str, str]:
    """Check the tools first (seconds), instead of failing deep in cargo; returns their versions.
    Packaging around a cached runtime needs no Rust and no -dev libraries (`compile=False`)."""
    if not opts.preflight:
        return {}
    checks = preflight(paths, chosen, offline=opts.offline, tray=cfg.behavior.tray, compile=compile)
    for line in optional_warnings([c for c in checks if c.name in RESOURCES]):
        warn(line)
    return tool_versions(checks)


def _failure(done: proc.Completed, log_path: Path) -> BuildFailed:
    from localpack.core.diagnose import diagnose  # lazy: ~40 patterns compiled on import; only a failure needs them

    found = diagnose(done.lines)
    if found:
        return BuildFailed(f"build failed: {found.summary}", f"{found.hint} (full log: {log_path})", cause=found.id)
    # The compiler's own first error says most; the Tauri CLI's closing "failed to build app" says least.
    cargo_error = re.compile(r"^\s*error(\[E\d+\])?:")
    last = next((line.strip() for line in done.lines if cargo_error.match(line)), "") or next(
        (line.strip() for line in reversed(done.lines) if "error" in line.lower()), "")
    detail = f": {last}" if last else f" (exit {done.returncode})"
    return BuildFailed(f"build failed{detail}", f"the full log is {log_path}")
