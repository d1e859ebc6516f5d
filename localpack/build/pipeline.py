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
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import __version__, offline
from filelock import FileLock, Timeout

from localpack.build import artifacts, cargo_shim, orphans, outdir, runtime
from localpack.build.failure import failure
from localpack.build.runtime_compile import compile_runtime, count_crates, feature_args, variant_for
from localpack.config.model import AppConfig
from localpack.core import proc, records, targets
from localpack.core.platform import host_os
from localpack.core.progress import Progress
from localpack.errors import BuildFailed, ConfigError, LocalpackError
from localpack.output import error_json
from localpack.paths import Paths
from localpack.project.icons import for_config as icon_set
from localpack.project.workspace import write_project
from localpack.toolchain import RESOURCES, optional_warnings, preflight, tool_versions
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
        except Exception as e:  # a bug: the record must not say the build worked
            outcome.error = LocalpackError(f"internal error ({type(e).__name__}: {e})")
            raise
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
        outdir.check(self.opts.out, self.paths)  # a file, /dev/null, /, ~, someone else's SHA256SUMS: refused now
        icon_set(self.cfg)  # a picture that cannot be an icon is refused now (the set is cached for render)
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
            variant = variant_for(cfg, debug=opts.debug, runner=opts.runner)
            why_compile = compile_reason(opts)
            cached, why_runtime = (None, "") if why_compile else runtime.find(paths, variant)
            compiling = cached is None
            self.record["tools"] = _preflight(cfg, opts, paths, chosen, self.warn, compile=compiling)
            self._phase("preflight")

            tauri = require(paths)
            written = write_project(cfg, self.outcome.workspace)
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
                        cached = compile_runtime(paths, variant, tauri_argv=tauri.argv, runner=opts.runner,
                                                 offline_build=opts.offline, log_file=self.log,
                                                 log_path=self.outcome.log, progress=progress,
                                                 timeout=self._remaining(), mark=self.record["id"], warn=self.warn)
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

    def _remaining(self) -> float | None:
        return max(self.opts.timeout - (time.time() - self.started), 0.1) if self.opts.timeout else None

    def _tauri(self, tauri_argv: tuple[str, ...], command: str, progress: Progress, chosen: list[str],
               variant: runtime.Variant, env: dict[str, str], *, compile: bool) -> proc.Completed:
        """`tauri build` (the app compiled on its own) or `tauri bundle` (around the staged runtime)."""
        opts, workspace = self.opts, self.outcome.workspace
        cmd = [*tauri_argv, command, "--bundles", ",".join(chosen), "--ci", *feature_args(variant)]
        cmd += ["--debug"] if opts.debug else []
        if compile:
            cmd += ["--runner", opts.runner] if opts.runner else []
            target_dir = self.paths.cargo_target
            progress.total_crates = count_crates(workspace / "src-tauri", variant, opts.runner)
        else:
            cmd += ["--target", variant.triple]  # so the CLI needs no `rustc -vV`
            target_dir = self.bundle_target
            if cargo_shim.needed():  # no Rust here: answer the CLI's one cargo query ourselves
                shims = cargo_shim.install(workspace / ".localpack-shims")
                env = {**env, "PATH": f"{shims}{os.pathsep}{os.environ.get('PATH', '')}"}
        env = {"CARGO_TARGET_DIR": str(target_dir), orphans.ENV: self.record["id"], **env}
        progress.set_phase("compiling" if compile else "bundling", ", ".join(chosen))
        tree = orphans.tree_file(workspace)
        done = proc.run(cmd, cwd=workspace, env=env, timeout=self._remaining(), log_file=self.log,
                        on_line=progress.feed, on_start=lambda pid: orphans.remember(tree, pid, self.record["id"]))
        if not done.ok:
            raise failure(done, self.outcome.log)
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
        tree = orphans.tree_file(self.outcome.workspace)
        try:
            orphans.stop_leftovers(tree, name, self.warn)  # what a killed earlier build of this app left running
            yield
        finally:
            orphans.forget(tree)
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
