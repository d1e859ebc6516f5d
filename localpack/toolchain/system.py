"""`localpack setup --system`: install the system packages doctor finds missing, with this Linux's package
manager, as root or through sudo, after printing the exact commands. Nothing else installs system packages."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from localpack.core import proc
from localpack.errors import ToolMissing
from localpack.toolchain.checks import Check, Host
from localpack.toolchain.host import read_os_release

INSTALL_TIMEOUT = 1800.0
# The non-interactive form of each package manager's install (the hints show the interactive one).
_COMMANDS = {
    "apt": (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends"]),
    "dnf": (None, ["dnf", "install", "-y"]),
    "pacman": (None, ["pacman", "-S", "--needed", "--noconfirm"]),
    "zypper": (None, ["zypper", "--non-interactive", "install"]),
}


@dataclass(frozen=True)
class Plan:
    packages: tuple[str, ...]
    commands: tuple[tuple[str, ...], ...]  # empty when nothing is missing


def plan(checks: list[Check], host: Host) -> Plan:
    """The packages behind every failed check that a package provides (optional ones too: a tray or an
    AppImage should not need a second round), and the commands that install them."""
    packages = tuple(dict.fromkeys(p for c in checks if not c.ok for p in c.packages))
    if not packages:
        return Plan((), ())
    if host.os != "linux":
        raise ToolMissing(
            "`setup --system` installs packages on Linux only",
            "install what `localpack doctor` lists with the hints it prints",
        )
    pm = read_os_release(host.os_release).package_manager
    if pm is None:
        raise ToolMissing(
            "this Linux's package manager is unknown (not apt, dnf, pacman or zypper)",
            f"install these packages yourself: {' '.join(packages)}",
        )
    prefix: list[str] = []
    if _euid() != 0:
        sudo = host.which("sudo")
        if sudo is None:
            raise ToolMissing(
                "installing system packages needs root, and sudo was not found",
                f"as root, run: {' '.join(_COMMANDS[pm][1])} {' '.join(packages)}",
            )
        prefix = [sudo]
    update, install = _COMMANDS[pm]
    commands = [[*prefix, *update]] if update else []
    commands.append([*prefix, *install, *packages])
    return Plan(packages, tuple(tuple(c) for c in commands))


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def install(
    plan_: Plan, logs: Path, *, host: Host, say: Callable[[str], None], on_line: Callable[[str], None] | None = None
) -> Path | None:
    """Run the plan's commands (each said first), streaming their output; returns the log, None if nothing ran."""
    if not plan_.commands:
        return None
    log_path = logs / f"setup-system-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.log"
    env = {**host.env, "DEBIAN_FRONTEND": "noninteractive"}
    with proc.open_log(log_path) as log_file:
        for command in plan_.commands:
            say("running: " + " ".join(command))
            done = proc.run(list(command), env=env, timeout=INSTALL_TIMEOUT, log_file=log_file, on_line=on_line)
            if not done.ok:
                raise ToolMissing(
                    f"`{' '.join(command)}` failed (exit {done.returncode})",
                    f"see {log_path}; the packages it was installing: {' '.join(plan_.packages)}",
                )
    return log_path
