"""`localpack build`: preflight → render → Tauri CLI → collect installers → build record.

One build of an app at a time (a lock per app); all apps share one cargo target
dir in the cache so dependencies compile once. Every build leaves a record in
the state dir and a full log, whether it worked or not.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import __version__, artifacts, proc, records, targets
from localpack.config import AppConfig
from localpack.errors import BuildFailed, LocalpackError
from localpack.paths import Paths
from localpack.progress import Progress, crate_count


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
        """design.md's `build --json` object."""
        from localpack.output import error_json

        return {
            "ok": self.ok,
            "app": self.app,
            "version": self.version,
            "workspace": str(self.workspace),
            "log": str(self.log),
            "duration_s": round(self.duration_s, 2),
            "artifacts": [a.to_dict() for a in self.artifacts],
            "error": error_json(self.error) if self.error else None,
        }


def config_digest(cfg: AppConfig) -> str:
    return hashlib.sha256(json.dumps(cfg.to_dict(), sort_keys=True).encode()).hexdigest()


def platform_facts() -> dict[str, str]:
    facts = {"os": targets.host_os(), "arch": platform.machine().lower(), "release": platform.release()}
    if sys.platform.startswith("linux"):
        try:
            facts["distro"] = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            pass
    return facts


def run_build(cfg: AppConfig, opts: BuildOptions, paths: Paths, warn: Callable[[str], None]) -> BuildOutcome:
    """Build `cfg`; never raises for a failed build: the outcome carries the error (and a record exists)."""
    started = time.time()
    stamp = datetime.now(timezone.utc)
    build_id = f"{cfg.name}-{stamp:%Y%m%dT%H%M%S%f}"
    workspace = paths.workspace(cfg.name)
    outcome = BuildOutcome(cfg.name, cfg.app.version, workspace, paths.logs / f"{build_id}.log")
    record: dict[str, Any] = {
        "schema": records.SCHEMA, "id": build_id, "localpack": __version__,
        "app": cfg.name, "title": cfg.app.title, "version": cfg.app.version,
        "config": cfg.to_dict(), "config_digest": config_digest(cfg),
        "targets": [], "debug": opts.debug, "offline": opts.offline,
        "platform": platform_facts(), "tools": {},
        "started": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "phases": {}, "workspace": str(workspace), "log": str(outcome.log), "out": str(opts.out),
    }
    log_file = proc.open_log(outcome.log)
    try:
        log_file.write(f"# localpack {__version__} build of {cfg.name} {cfg.app.version} at {record['started']}\n")
        log_file.write(f"# platform: {json.dumps(record['platform'])}\n")
        _run_steps(cfg, opts, paths, warn, outcome, record, log_file, started)
    except LocalpackError as e:
        outcome.error = e
        log_file.write(f"# failed: {e.code}: {e.message}\n")
    finally:
        outcome.duration_s = time.time() - started
        log_file.close()
        record.update(
            duration_s=round(outcome.duration_s, 3),
            ok=outcome.ok,
            error=_error_dict(outcome.error),
            artifacts=[a.to_dict() for a in outcome.artifacts],
        )
        outcome.record = records.save(paths, record)
    return outcome


def _error_dict(error: LocalpackError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    from localpack.output import error_json

    return error_json(error)


def _run_steps(cfg, opts, paths, warn, outcome, record, log_file, started) -> None:  # noqa: ANN001
    from filelock import FileLock, Timeout

    phases = record["phases"]

    def phase(name: str, since: float) -> float:
        now = time.time()
        phases[name] = round(now - since, 3)
        return now

    chosen = targets.resolve(opts.targets, offline=opts.offline, warn=warn)
    record["targets"] = chosen
    t = time.time()
    paths.workspace(cfg.name).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(paths.workspace(cfg.name)) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        warn(f"another build of {cfg.name} is running; waiting for it to finish (Ctrl-C to stop)")
        try:
            lock.acquire(timeout=opts.timeout if opts.timeout else -1)
        except Timeout:
            raise BuildFailed(f"another build of {cfg.name} kept the workspace busy", "try again when it is done",
                              cause="busy") from None
    try:
        t = phase("lock", t)
        record["tools"] = _preflight(cfg, opts, paths, chosen)
        t = phase("preflight", t)

        from localpack.render import render
        from localpack.toolchain.tauri_cli import require
        from localpack.workspace import write_tree

        tauri = require(paths)
        written = write_tree(outcome.workspace, render(cfg))
        log_file.write(f"# render: {len(written.written)} written, {len(written.removed)} removed\n")
        t = phase("render", t)

        done = _tauri_build(cfg, opts, paths, tauri.argv, chosen, outcome.workspace, log_file, started)
        t = phase("tauri", t)
        bundles = artifacts.produced(done.lines, since=started)
        if not bundles:
            raise BuildFailed("the Tauri CLI finished but produced no installer",
                              f"see the log: {outcome.log}", cause="no_bundle")
        outcome.artifacts = artifacts.collect(bundles, opts.out, cfg.name)
        phase("collect", t)
    finally:
        lock.release()


def _preflight(cfg: AppConfig, opts: BuildOptions, paths: Paths, chosen: list[str]) -> dict[str, str]:
    """Check the tools first (seconds), instead of failing deep in cargo; returns their versions."""
    if not opts.preflight:
        return {}
    from localpack.toolchain import preflight, tool_versions

    tray = bool(getattr(cfg.behavior, "tray", False))
    checks = preflight(paths, chosen, offline=opts.offline, tray=tray)
    return tool_versions(checks)


def _tauri_build(cfg, opts, paths, tauri_argv, chosen, workspace, log_file, started) -> proc.Completed:  # noqa: ANN001
    cmd = [*tauri_argv, "build", "--bundles", ",".join(chosen)]
    if opts.debug:
        cmd.append("--debug")
    if opts.runner:
        cmd += ["--runner", opts.runner]
    env = {"CARGO_TARGET_DIR": str(paths.cargo_target)}
    if opts.offline:
        env["CARGO_NET_OFFLINE"] = "true"
    progress = Progress(total_crates=crate_count(workspace / "src-tauri" / "Cargo.lock"), verbose=opts.verbose)
    progress.set_phase("starting", f"tauri build ({', '.join(chosen)})")
    timeout = None
    if opts.timeout:
        timeout = max(opts.timeout - (time.time() - started), 0.1)
    try:
        done = proc.run(cmd, cwd=workspace, env=env, timeout=timeout, log_file=log_file, on_line=progress.feed)
    finally:
        progress.close()
    if not done.ok:
        raise _failure(done, log_file.name)
    return done


def _failure(done: proc.Completed, log_path: str) -> BuildFailed:
    from localpack.diagnose import diagnose

    found = diagnose(done.lines)
    if found:
        return BuildFailed(f"build failed: {found.summary}", f"{found.hint} (full log: {log_path})", cause=found.id)
    last = next((line.strip() for line in reversed(done.lines) if "error" in line.lower()), "")
    detail = f": {last}" if last else f" (exit {done.returncode})"
    return BuildFailed(f"build failed{detail}", f"the full log is {log_path}")
