"""`localpack build`."""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import Any

import typer

from localpack.build.artifacts import SUMS, human_size
from localpack.build.pipeline import BuildOptions, BuildOutcome, run_build
from localpack.build.result import NOT_STARTED_JSON
from localpack.cli.options import json_errors, load_config, with_overrides
from localpack.core.targets import parse
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import user_path
from localpack.output import Console
from localpack.paths import Paths


def register(app: typer.Typer) -> None:
    app.command("build")(build)


@with_overrides
def build(
    config_file: Path | None = typer.Argument(None, metavar="[CONFIG]", help="Config file (default ./localpack.toml)."),
    targets: str | None = typer.Option(
        None, "--targets", help="Installer formats, e.g. deb,rpm (default: the config's, else this platform's)."
    ),
    out: Path = typer.Option(Path("dist"), "--out", help="Where the installers go."),
    debug: bool = typer.Option(False, "--debug", help="Debug build (faster to compile, bigger, with devtools)."),
    offline: bool = typer.Option(False, "--offline", help="Never use the network (needs `localpack prefetch` first)."),
    compile: bool = typer.Option(
        False, "--compile", help="Compile this app on its own instead of packaging it around the compiled runtime."
    ),
    runner: str | None = typer.Option(
        None, "--runner", help="Program used instead of cargo (passed to `tauri build --runner`)."
    ),
    timeout: float | None = typer.Option(None, "--timeout", min=1, help="Stop the build after this many seconds."),
    no_preflight: bool = typer.Option(False, "--no-preflight", help="Skip the toolchain check before building."),
    report: bool = typer.Option(False, "--report", help="If the build fails, file it as a GitHub issue (asks first)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the raw build output."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
    events: bool = typer.Option(
        False, "--events", help="Progress and messages as JSON lines on stderr (for programs driving localpack)."
    ),
    *,
    overrides: dict[str, Any],
) -> None:
    """Build installers for an app: preflight, render, package it around the compiled runtime (compiled once), collect into --out."""
    console = Console(events=events)
    try:  # an error is said here, not in main(), so that with --events it is an event too
        with json_errors(as_json, NOT_STARTED_JSON):
            if timeout is not None and not (math.isfinite(timeout) and timeout >= 1):
                raise ConfigError(
                    f"--timeout {timeout} is not a number of seconds",
                    "pass a time limit of at least 1 second, e.g. --timeout 1800, or leave it out",
                )
            cfg = load_config(config_file, overrides, console)
            chosen = parse(targets) if targets else cfg.bundle.targets
        if verbose:  # also show each command localpack runs
            logging.basicConfig(level=logging.INFO, format="%(message)s")
        if runner and (os.sep in runner or "/" in runner):
            runner = str(user_path(runner))
        opts = BuildOptions(
            out=user_path(out),
            targets=tuple(chosen),
            debug=debug,
            offline=offline,
            compile=compile,
            runner=runner,
            timeout=timeout,
            preflight=not no_preflight,
            verbose=verbose,
            events=events,
        )
        with json_errors(as_json, NOT_STARTED_JSON):
            outcome = run_build(cfg, opts, Paths.from_env(), warn=console.warn)
    except LocalpackError as e:
        console.error(e)
        raise typer.Exit(e.exit_code) from None
    if as_json:
        console.emit_json(outcome.result().to_json())
    if outcome.ok:
        if not as_json:
            _summary(console, outcome)
        return
    if not as_json:
        console.error(outcome.error)  # type: ignore[arg-type]
        console.info(f"log: {outcome.log}")
    if report and outcome.record is not None:
        _report(console, outcome.record)
    raise typer.Exit(outcome.error.exit_code)  # type: ignore[union-attr]


def _summary(console: Console, outcome: BuildOutcome) -> None:
    console.success(f"built {outcome.app} {outcome.version} in {outcome.duration_s:.1f}s")
    rows = [(a.path, a.format, human_size(a.size)) for a in outcome.artifacts]
    console.table(("installer", "format", "size"), rows, right=(2,))
    console.info(f"checksums: {Path(outcome.artifacts[0].path).parent / SUMS}")


def _report(console: Console, record_path: Path) -> None:
    """File the failure (asks first). A report that cannot go out is said, but the build's exit code stays."""
    from localpack.cli.report import file_failure  # lazy: only a failed build with --report files one

    try:
        url = file_failure(console, record_path)
    except LocalpackError as e:
        console.warn(f"the failure was not reported: {e.message}" + (f" ({e.hint})" if e.hint else ""))
        return
    if url:
        console.info(f"reported: {url}")
