"""`localpack doctor` (the toolchain's checks, printed; with --offline also offline/'s) and `localpack setup`
(the pinned Tauri CLI; with --system also the system packages doctor finds missing)."""

from __future__ import annotations

import os
import sys

import typer

from localpack.cli.options import json_errors
from localpack.core import targets as target_sets
from localpack.offline.doctor import DoctorResult, run_doctor
from localpack.offline.npm import install_command
from localpack.offline.store import Store
from localpack.output import Console
from localpack.paths import Paths
from localpack.toolchain import run_checks, system
from localpack.toolchain.checks import Host
from localpack.toolchain.setup import setup as install


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("setup")(setup)


def doctor(
    targets: str | None = typer.Option(
        None, "--targets", help="Installer formats to check for, e.g. deb,rpm (default: this platform's)."
    ),
    offline: bool = typer.Option(False, "--offline", help="Check for an offline build (skips the network check)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Check the tools and libraries a build needs, with the command that fixes each problem."""
    console = Console()
    with json_errors(as_json):
        result = run_doctor(Paths.from_env(), targets, offline=offline, warn=console.warn)
    if as_json:
        console.emit_json(result.to_json())
    else:
        _table(console, result)
        if result.failed:
            console.info(f"{len(result.failed)} required check(s) failed; to fix: {result.fix}")
        else:
            console.success("everything a build needs is here")
    if result.failed:
        raise typer.Exit(4)


def _table(console: Console, result: DoctorResult) -> None:
    good, bad, warn = _marks()
    rows = [
        (
            good if c.ok else bad if c.required else warn,
            c.name + ("" if c.required else " (optional)"),
            c.version or "-",
            f">= {c.minimum}" if c.minimum else "",
            c,
        )
        for c in result.checks
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(1, 4)]
    console.info(f"checks for: {', '.join(result.chosen) or 'this platform'}")
    for mark, name, version, minimum, c in rows:
        note = (c.path or "") if c.ok else c.problem
        console.info(f"{mark} {name:<{widths[0]}}  {version:<{widths[1]}}  {minimum:<{widths[2]}}  {note}".rstrip())
        if not c.ok and c.hint:
            console.info(f"    fix: {c.hint}")


def _install_system(paths: Paths, console: Console) -> None:
    host = Host.current()
    checks = run_checks(paths, list(target_sets.BY_OS.get(host.os, ())), host=host, network=False, resources=False)
    plan = system.plan(checks, host)
    if not plan.packages:
        console.info("the system packages a build needs are already installed")
        return
    console.info(f"installing {len(plan.packages)} system package(s): {' '.join(plan.packages)}")
    log = system.install(plan, paths.logs, host=host, say=console.info, on_line=lambda line: console.info(f"  {line}"))
    console.success(f"installed the system packages (log: {log})")


def _marks() -> tuple[str, str, str]:
    encoding = getattr(sys.stderr, "encoding", None) or "ascii"
    try:
        "✔✘".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "ok", "XX", "!!"
    return "✔", "✘", "!"


def setup(
    system_packages: bool = typer.Option(
        False,
        "--system",
        help="Also install the system packages a build needs (apt, dnf, pacman or zypper; as root or with sudo), printing each command first.",
    ),
) -> None:
    """Install the pinned Tauri CLI (npm @tauri-apps/cli) into localpack's cache; --system also installs the system packages a build needs."""
    paths, console = Paths.from_env(), Console()
    if system_packages:
        _install_system(paths, console)
    prefetched = install_command(Store.of(paths).npm, paths.tools)  # the tarballs `prefetch` kept: no network
    result = install(paths, on_line=lambda line: console.info(f"  {line}"), prefetched=prefetched)
    if result.installed:
        console.success(f"installed Tauri CLI {result.version} at {result.path}")
    else:
        console.info(f"Tauri CLI {result.version} is already installed at {result.path}; nothing to do")
    override = os.environ.get("LOCALPACK_TAURI")
    if override:
        console.warn(f"LOCALPACK_TAURI is set ({override}); builds use that CLI instead of this one")
    print(result.path)
