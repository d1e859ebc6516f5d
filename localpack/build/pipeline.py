"""`localpack build`: check the input → plan (build/plan.py) → lock → preflight → render → obtain the binary
(the cached runtime binary, the runtime compiled once, or the app compiled on its own) → bundle → collect
→ build record.

One build of an app at a time (a lock per app); all compiles share one cargo target dir. Every build that
starts leaves a record (core/records.py) and a full log; `BuildOutcome.result()` is its `--json` object.
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
from localpack.build import (
    artifacts,
    cargo_shim,
    exe_resources,
    orphans,
    outdir,
    runtime_cache,
)
from localpack.build.failure import failure
from localpack.build.plan import BuildOptions, BuildPlan, Mode, plan
from localpack.build.result import BuildResult
from localpack.build.runtime_cache import CachedRuntime
from localpack.build.runtime_compile import compile_runtime, count_crates
from localpack.config.model import AppConfig
from localpack.core import locks, proc, records, targets
from localpack.core.platform import host_os
from localpack.core.progress import Progress
from localpack.core.records import BuildRecord
from localpack.errors import BuildFailed, FileProblem, LocalpackError, ToolMissing
from localpack.fsutil import writing_into
from localpack.output import error_json
from localpack.paths import Paths
from localpack.project.app_settings import windows_product_name
from localpack.project.icons import for_config as icon_set
from localpack.project.workspace import write_project
from localpack.toolchain import RESOURCES, optional_warnings, preflight, tool_versions
from localpack.toolchain.tauri_cli import require

__all__ = ["BuildOptions", "BuildOutcome", "run_build"]


@dataclass
class BuildOutcome:
    """What one build did, in process; `result()` is its `--json` object."""

    app: str
    version: str
    workspace: Path
    log: Path
    record: Path | None = None
    duration_s: float = 0.0
    artifacts: list[artifacts.Artifact] = field(default_factory=list)
    error: LocalpackError | None = None
    runtime: dict[str, Any] | None = None  # BuildPlan.runtime_json(): which runtime packaged the app

    @property
    def ok(self) -> bool:
        return self.error is None

    def result(self) -> BuildResult:
        return BuildResult(
            self.ok,
            self.app,
            self.version,
            str(self.workspace),
            str(self.log),
            self.duration_s,
            list(self.artifacts),
            self.runtime,
            _error_dict(self.error),
        )


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
        self.outcome = BuildOutcome(cfg.name, cfg.app.version, paths.workspace(cfg.name), paths.log(build_id))
        self.record = BuildRecord(
            id=build_id,
            localpack=__version__,
            app=cfg.name,
            title=cfg.app.title,
            version=cfg.app.version,
            config=cfg.to_dict(),
            config_digest=config_digest(cfg),
            debug=opts.debug,
            offline=opts.offline,
            platform=platform_facts(),
            started=stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
            workspace=str(self.outcome.workspace),
            log=str(self.outcome.log),
            out=str(opts.out),
        )
        self._mark = self.started

    def run(self) -> BuildOutcome:
        self._check_input()
        outcome, record = self.outcome, self.record
        self.log = proc.open_log(outcome.log)
        try:
            try:
                self.log.write(
                    f"# localpack {__version__} build of {self.cfg.name} {self.cfg.app.version} "
                    f"at {record.started}\n# platform: {json.dumps(record.platform)}\n"
                )
                self._steps()
            except OSError as e:  # a write of the build itself (workspace, runtime cache, --out) failed
                raise _file_failure(FileProblem.of(e)) from None
            except FileProblem as e:
                raise _file_failure(e) from None
        except LocalpackError as e:
            outcome.error = e
            with contextlib.suppress(FileProblem):  # the log's own disk may be the full one
                self.log.write(f"# failed: {e.code}: {e.message}\n")
        except Exception as e:  # a bug: the record must not say the build worked
            outcome.error = LocalpackError(f"internal error ({type(e).__name__}: {e})")
            raise
        finally:
            outcome.duration_s = time.time() - self.started
            with contextlib.suppress(OSError, FileProblem):
                self.log.close()
            record.duration_s = round(outcome.duration_s, 3)
            record.ok = outcome.ok
            record.error = _error_dict(outcome.error)
            record.artifacts = [a.to_dict() for a in outcome.artifacts]
            try:
                outcome.record = records.save(self.paths, record)
            except FileProblem as e:  # the build's own result (and its exit code) matters more than its record
                self.warn(f"the build record was not saved: {e.message}")
        return outcome

    def _phase(self, name: str) -> None:
        """Record how long the step that just ended took."""
        now = time.time()
        self.record.phases[name] = round(now - self._mark, 3)
        self._mark = now

    def _check_input(self) -> None:
        """What can be refused as invalid input (exit 2), before a log or a record is written."""
        # a file, /dev/null, /, ~, the web app's folder, someone else's SHA256SUMS: refused now
        outdir.check(self.opts.out, self.paths, outdir.config_inputs(self.cfg))
        with writing_into(self.paths.cache / "icons"):
            icon_set(self.cfg, self.warn)  # a picture that cannot be an icon is refused now (cached for render)
        if not self.opts.offline and offline.should_build_offline(self.paths, False, self.warn):
            self.opts = dataclasses.replace(self.opts, offline=True)
            self.record.offline = True
        self.chosen = targets.resolve(
            self.opts.targets,
            offline=self.opts.offline,
            warn=self.warn,
            tools_cached=lambda: offline.appimage_tools_cached(self.paths),
        )
        self.record.targets = self.chosen

    def _steps(self) -> None:
        cfg, paths, chosen = self.cfg, self.paths, self.chosen
        with self._app_lock():
            self._phase("lock")
            the_plan = plan(cfg, self.opts, paths)
            self.record.tools = _preflight(cfg, self.opts, paths, chosen, self.warn, compile=the_plan.compiles)
            self._phase("preflight")

            tauri = require(paths)
            written = write_project(cfg, self.outcome.workspace, self.warn)
            self.log.write(f"# render: {len(written.written)} written, {len(written.removed)} removed\n")
            self._phase("render")
            # Offline: what is not prefetched stops the build here, before anything compiles.
            env = offline.prepare_workspace(
                paths,
                self.outcome.workspace,
                chosen,
                offline=the_plan.offline,
                vendored_crates=the_plan.vendored_crates,
            )

            with self._progress() as progress:
                binary = self._runtime_binary(the_plan, tauri.argv, progress)
                self.outcome.runtime = the_plan.runtime_json()
                if binary is not None:
                    staged = runtime_cache.stage(binary, self.bundle_target, cfg.name)
                    if host_os() == "windows":  # the app's own icon and version info, into its copy of the exe
                        exe_resources.stamp(
                            staged, exe_info(cfg), self.outcome.workspace / "src-tauri" / "icons" / "icon.ico"
                        )
                done = self._tauri(tauri.argv, the_plan, progress, env)
                if the_plan.mode is Mode.COMPILE_APP:
                    self._phase("compile")
                self._phase("bundle")
            self.record.runtime = self.outcome.runtime
            bundles = artifacts.produced(done.lines, since=self.started)
            if not bundles:
                raise BuildFailed(
                    "the Tauri CLI finished but produced no installer",
                    f"see the log: {self.outcome.log}",
                    cause="no_bundle",
                )
            self.outcome.artifacts = artifacts.collect(bundles, self.opts.out, cfg.name)
            self._phase("collect")

    def _runtime_binary(
        self, the_plan: BuildPlan, tauri_argv: tuple[str, ...], progress: Progress
    ) -> CachedRuntime | None:
        """The runtime binary to package around: the cached one, or compiled now (then cached); None when the
        app is compiled on its own."""
        if the_plan.mode is Mode.COMPILE_APP:
            progress.note(f"compiling {self.cfg.name} on its own: {the_plan.reason}")
            return None
        if the_plan.cached is not None and the_plan.cached.source == "wheel":
            progress.note(
                f"using the prebuilt runtime {the_plan.cached.variant.id} of the installed runtime wheel "
                "(checksum verified): no compile"
            )
            return the_plan.cached
        if the_plan.cached is not None:
            progress.note(
                f"reusing the compiled runtime {the_plan.variant.id} ({runtime_cache.age(the_plan.cached)}): no compile"
            )
            return the_plan.cached
        progress.note(f"compiling the app runtime: {the_plan.reason}; later apps reuse it")
        binary = compile_runtime(
            self.paths,
            the_plan.variant,
            tauri_argv=tauri_argv,
            runner=self.opts.runner,
            offline_build=the_plan.offline,
            log_file=self.log,
            log_path=self.outcome.log,
            progress=progress,
            timeout=self._remaining(),
            mark=self.record.id,
            warn=self.warn,
        )
        self._phase("runtime")
        return binary

    @property
    def bundle_target(self) -> Path:
        """The app's own target dir for `tauri bundle`: the staged runtime and the bundles it makes."""
        return self.outcome.workspace / "target"

    def _progress(self) -> Progress:
        return Progress(verbose=self.opts.verbose, events=self.opts.events)

    def _remaining(self) -> float | None:
        return max(self.opts.timeout - (time.time() - self.started), 0.1) if self.opts.timeout else None

    def _tauri(
        self, tauri_argv: tuple[str, ...], the_plan: BuildPlan, progress: Progress, env: dict[str, str]
    ) -> proc.Completed:
        """`tauri build` (the app compiled on its own) or `tauri bundle` (around the staged runtime binary)."""
        opts, workspace, chosen, variant = self.opts, self.outcome.workspace, self.chosen, the_plan.variant
        compile = the_plan.mode is Mode.COMPILE_APP
        cmd = [*tauri_argv, the_plan.tauri_command, "--bundles", ",".join(chosen), "--ci", *variant.feature_args()]
        cmd += ["--debug"] if opts.debug else []
        if compile:
            cmd += ["--runner", opts.runner] if opts.runner else []
            target_dir = self.paths.cargo_target
            progress.total_crates = count_crates(workspace / "src-tauri", variant, opts.runner)
        else:
            cmd += ["--target", variant.triple]  # so the CLI needs no `rustc -vV`
            target_dir = self.bundle_target
            if host_os() == "macos" and "APPLE_SIGNING_IDENTITY" not in os.environ:
                # The bundler patches the staged binary (its bundle-type marker), which breaks the linker's ad-hoc
                # signature; "-" makes it re-sign the .app ad hoc (`codesign --force -s -`), so it stays valid.
                env = {**env, "APPLE_SIGNING_IDENTITY": "-"}
            if cargo_shim.needed():  # no Rust here: answer the CLI's one cargo query ourselves
                shims = cargo_shim.install(workspace / ".localpack-shims")
                env = {**env, "PATH": f"{shims}{os.pathsep}{os.environ.get('PATH', '')}"}
        env = {"CARGO_TARGET_DIR": str(target_dir), orphans.ENV: self.record.id, **env}
        progress.set_phase("compiling" if compile else "bundling", ", ".join(chosen))
        tree = orphans.tree_file(workspace)
        done = proc.run(
            cmd,
            cwd=workspace,
            env=env,
            timeout=self._remaining(),
            log_file=self.log,
            on_line=progress.feed,
            on_start=lambda pid: orphans.remember(tree, pid, self.record.id),
        )
        if not done.ok:
            raise failure(done, self.outcome.log)
        return done

    @contextlib.contextmanager
    def _app_lock(self) -> Iterator[None]:
        """One build per app at a time: a second one waits (bounded by --timeout), saying so."""
        name = self.cfg.name
        try:  # through the gate `cache clean` holds while it removes anything
            lock = locks.take(
                self.paths,
                locks.app_lock(self.paths, name),
                timeout=self.opts.timeout or None,
                warn=self.warn,
                busy=f"another build of {name} is running; waiting for it to finish (Ctrl-C to stop)",
            )
        except locks.Timeout:
            raise BuildFailed(
                f"another build of {name} (or `cache clean`) kept the workspace busy",
                "try again when it is done",
                cause="busy",
            ) from None
        tree = orphans.tree_file(self.outcome.workspace)
        try:
            orphans.stop_leftovers(tree, name, self.warn)  # what a killed earlier build of this app left running
            yield
        finally:
            orphans.forget(tree)
            lock.release()


def exe_info(cfg: AppConfig) -> exe_resources.ExeInfo:
    """The version info of the app's exe: what `tauri build` of the app's own project would compile into it."""
    title = windows_product_name(cfg)  # the productName tauri-bundler gives the installers on Windows
    return exe_resources.ExeInfo(
        product_name=title,
        description=" ".join(cfg.app.description.split()) or title,
        version=cfg.app.version,
        copyright=cfg.bundle.copyright,
        company=cfg.bundle.publisher,
        internal_name=cfg.name,
    )


def _file_failure(problem: FileProblem) -> BuildFailed:
    """A file the build had to write could not be: the build failed (exit 3), with the path and the cause."""
    return BuildFailed(problem.message, problem.hint, cause=problem.cause)


def _error_dict(error: LocalpackError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return error_json(error)


def _preflight(
    cfg: AppConfig, opts: BuildOptions, paths: Paths, chosen: list[str], warn: Callable[[str], None], *, compile: bool
) -> dict[str, str]:
    """Check the tools first (seconds), instead of failing deep in cargo; returns their versions.
    Packaging around a cached runtime needs no Rust and no -dev libraries (`compile=False`)."""
    if not opts.preflight:
        return {}
    try:
        checks = preflight(paths, chosen, offline=opts.offline, tray=cfg.behavior.tray, compile=compile)
    except ToolMissing as e:  # offline, nothing can be installed from the network: say how to carry it here
        raise ToolMissing(e.message, offline.offline_hint(paths, e.hint) if opts.offline else e.hint) from None
    for line in optional_warnings([c for c in checks if c.name in RESOURCES]):
        warn(line)
    return tool_versions(checks)
