"""`localpack build`: preflight → render → Tauri CLI → collect installers → build record.

One build of an app at a time (a lock per app); all apps share one cargo target
dir in the cache so dependencies compile once. Every build leaves a record in
the state dir and a full log, whether it worked or not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import __version__, offline
from localpack.build import artifacts, orphans, outdir
from localpack.config.model import AppConfig
from localpack.core import proc, records, targets
from localpack.core.platform import host_os
from localpack.core.progress import Progress, crate_count
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
            "error": _error_dict(self.error),
        }


# The `--json` object of a build that stopped before it began (e.g. an invalid config).
NOT_STARTED_JSON: dict[str, Any] = {"ok": False, "app": None, "version": None, "workspace": None, "log": None,
                                    "duration_s": 0.0, "artifacts": []}


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
            self.record["tools"] = _preflight(cfg, opts, paths, chosen, self.warn)
            self._phase("preflight")

            tauri = require(paths)
            written = write_project(cfg, self.outcome.workspace)
            self.log.write(f"# render: {len(written.written)} written, {len(written.removed)} removed\n")
            self._phase("render")

            done = self._tauri_build(tauri.argv, chosen)
            self._phase("tauri")
            bundles = artifacts.produced(done.lines, since=self.started)
            if not bundles:
                raise BuildFailed("the Tauri CLI finished but produced no installer",
                                  f"see the log: {self.outcome.log}", cause="no_bundle")
            self.outcome.artifacts = artifacts.collect(bundles, opts.out, cfg.name)
            self._phase("collect")

    @contextlib.contextmanager
    def _app_lock(self) -> Iterator[None]:
        """One build per app at a time: a second one waits (bounded by --timeout), saying so."""
        from filelock import FileLock, Timeout

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

    def _tauri_build(self, tauri_argv: tuple[str, ...], chosen: list[str]) -> proc.Completed:
        opts = self.opts
        cmd = [*tauri_argv, "build", "--bundles", ",".join(chosen)]
        if opts.debug:
            cmd.append("--debug")
        if opts.runner:
            cmd += ["--runner", opts.runner]
        workspace = self.outcome.workspace
        env = {"CARGO_TARGET_DIR": str(self.paths.cargo_target), orphans.ENV: self.record["id"],
               **offline.build_env(self.paths, workspace, chosen, offline=opts.offline)}
        progress = Progress(total_crates=crate_count(workspace / "src-tauri" / "Cargo.lock"), verbose=opts.verbose)
        progress.set_phase("starting", f"tauri build ({', '.join(chosen)})")
        timeout = max(opts.timeout - (time.time() - self.started), 0.1) if opts.timeout else None
        with progress:
            done = proc.run(cmd, cwd=workspace, env=env, timeout=timeout, log_file=self.log, on_line=progress.feed,
                            on_start=lambda pid: orphans.remember(orphans.tree_file(workspace), pid, self.record["id"]))
        if not done.ok:
            raise _failure(done, self.outcome.log)
        return done


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


def _preflight(cfg: AppConfig, opts: BuildOptions, paths: Paths, chosen: list[str],
               warn: Callable[[str], None]) -> dict[str, str]:
    """Check the tools first (seconds), instead of failing deep in cargo; returns their versions."""
    if not opts.preflight:
        return {}
    tray = bool(getattr(cfg.behavior, "tray", False))
    checks = preflight(paths, chosen, offline=opts.offline, tray=tray)
    for line in optional_warnings([c for c in checks if c.name in RESOURCES]):
        warn(line)
    return tool_versions(checks)


def _failure(done: proc.Completed, log_path: Path) -> BuildFailed:
    from localpack.core.diagnose import diagnose  # lazy: ~40 patterns compiled on import; only a failure needs them

    found = diagnose(done.lines)
    if found:
        return BuildFailed(f"build failed: {found.summary}", f"{found.hint} (full log: {log_path})", cause=found.id)
    last = next((line.strip() for line in reversed(done.lines) if "error" in line.lower()), "")
    detail = f": {last}" if last else f" (exit {done.returncode})"
    return BuildFailed(f"build failed{detail}", f"the full log is {log_path}")
