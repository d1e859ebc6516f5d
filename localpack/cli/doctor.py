"""`localpack doctor` (the toolchain's checks, printed; with --offline also offline/'s) and `localpack setup`
(the pinned Tauri CLI; with --system also the system packages doctor finds missing)."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from localpack import output
from localpack.cli.options import json_errors
from localpack.core import targets as target_sets
from localpack.offline import appimage_tools_cached, doctor_checks
from localpack.offline.npm import install_command
from localpack.offline.store import Store
from localpack.paths import Paths
from localpack.toolchain import fix_hint, run_checks
from localpack.toolchain.checks import Check, Host
from localpack.toolchain import system
from localpack.toolchain.setup import setup as install


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("setup")(setup)


def doctor(
    targets: Optional[str] = typer.Option(None, "--targets", help="Installer formats to check for, e.g. deb,rpm (default: this platform's)."),
    offline: bool = typer.Option(False, "--offline", help="Check for an offline build (skips the network check)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Check the tools and libraries a build needs, with the command that fixes each problem."""
    paths = Paths.from_env()
    with json_errors(as_json):
        requested = target_sets.parse(targets) if targets else ()
        chosen = target_sets.resolve(requested, offline=offline, warn=output.warn,
                                     tools_cached=lambda: appimage_tools_cached(paths))
    host = Host.current()
    checks = run_checks(paths, chosen, offline=offline, host=host)
    if offline:  # what an offline build needs prefetched (vendored crates, bundler tools)
        checks += doctor_checks(paths, chosen)
    failed = [c for c in checks if c.required and not c.ok]
    if as_json:
        output.emit_json({"ok": not failed, "checks": [c.to_json() for c in checks]})
    else:
        _table(checks, chosen)
        if failed:
            output.info(f"{len(failed)} required check(s) failed; to fix: {fix_hint(failed, host)}")
        else:
            output.success("everything a build needs is here")
    if failed:
        raise typer.Exit(4)


def _table(checks: list[Check], chosen: list[str]) -> None:
    good, bad, warn = _marks()
    rows = [(good if c.ok else bad if c.required else warn, c.name + ("" if c.required else " (optional)"),
             c.version or "-", f">= {c.minimum}" if c.minimum else "", c) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(1, 4)]
    output.info(f"checks for: {', '.join(chosen) or 'this platform'}")
    for mark, name, version, minimum, c in rows:
        note = (c.path or "") if c.ok else c.problem
        output.info(f"{mark} {name:<{widths[0]}}  {version:<{widths[1]}}  {minimum:<{widths[2]}}  {note}".rstrip())
        if not c.ok and c.hint:
            output.info(f"    fix: {c.hint}")


def _install_system(paths: Paths) -> None:
    host = Host.current()
    checks = run_checks(paths, list(target_sets.BY_OS.get(host.os, ())), host=host, network=False, resources=False)
    plan = system.plan(checks, host)
    if not plan.packages:
        output.info("the system packages a build needs are already installed")
        return
    output.info(f"installing {len(plan.packages)} system package(s): {' '.join(plan.packages)}")
    log = system.install(plan, paths.logs, host=host, say=output.info, on_line=lambda line: output.info(f"  {line}"))
    output.success(f"installed the system packages (log: {log})")


def _marks() -> tuple[str, str, str]:
    encoding = getattr(sys.stderr, "encoding", None) or "ascii"
    try:
        "✔✘".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "ok", "XX", "!!"
    return "✔", "✘", "!"


def setup(
    system_packages: bool = typer.Option(False, "--system", help="Also install the system packages a build needs (apt, dnf, pacman or zypper; as root or with sudo), printing each command first."),
) -> None:
    """Install the pinned Tauri CLI (npm @tauri-apps/cli) into localpack's cache; --system also installs the system packages a build needs."""
    paths = Paths.from_env()
    if system_packages:
        _install_system(paths)
    prefetched = install_command(Store.of(paths).npm, paths.tools)  # the tarballs `prefetch` kept: no network
    result = install(paths, on_line=lambda line: output.info(f"  {line}"), prefetched=prefetched)
    if result.installed:
        output.success(f"installed Tauri CLI {result.version} at {result.path}")
    else:
        output.info(f"Tauri CLI {result.version} is already installed at {result.path}; nothing to do")
    override = os.environ.get("LOCALPACK_TAURI")
    if override:
        output.warn(f"LOCALPACK_TAURI is set ({override}); builds use that CLI instead of this one")
    print(result.path)
