"""Locating the Tauri CLI: `LOCALPACK_TAURI`, then the one `localpack setup` installed in the
cache, then `cargo tauri` (cargo-tauri), then `tauri` on PATH."""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from localpack.core import proc
from localpack.errors import LocalpackError, ToolMissing
from localpack.paths import Paths
from localpack.versions import TAURI_CLI

VERSION_RE = re.compile(r"(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)")
NPM_PACKAGE = "@tauri-apps/cli"


@dataclass(frozen=True)
class TauriCli:
    argv: tuple[str, ...]  # how to invoke it, e.g. ("/…/tauri",) or ("/…/cargo-tauri", "tauri")
    source: str  # "LOCALPACK_TAURI", "localpack setup", "cargo tauri", "PATH"

    @property
    def path(self) -> str:
        return self.argv[0]

    def version(self) -> str | None:
        """The bare version (`2.12.6`), or None if it does not answer."""
        try:
            done = proc.run([*self.argv, "--version"], timeout=20)
        except LocalpackError:
            return None
        match = VERSION_RE.search(done.output)
        return match.group(1) if done.ok and match else None


def cache_bin(paths: Paths) -> Path:
    name = "tauri.cmd" if sys.platform == "win32" else "tauri"
    return paths.node_modules / ".bin" / name


def locate(paths: Paths) -> TauriCli | None:
    env = os.environ.get("LOCALPACK_TAURI")
    if env:
        return TauriCli((env,), "LOCALPACK_TAURI")
    cached = cache_bin(paths)
    if cached.exists():
        return TauriCli((str(cached),), "localpack setup")
    cargo_tauri = shutil.which("cargo-tauri") or _in_cargo_home("cargo-tauri")
    if cargo_tauri:
        return TauriCli((cargo_tauri, "tauri"), "cargo tauri")
    on_path = shutil.which("tauri")
    if on_path:
        return TauriCli((on_path,), "PATH")
    return None


def require(paths: Paths) -> TauriCli:
    found = locate(paths)
    if found is None:
        raise ToolMissing(
            "the Tauri CLI was not found",
            f"run `localpack setup` (installs {NPM_PACKAGE}@{TAURI_CLI} into localpack's cache; needs node and npm)",
        )
    return found


def _in_cargo_home(exe: str) -> str | None:
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    candidate = home / "bin" / (exe + (".exe" if sys.platform == "win32" else ""))
    return str(candidate) if candidate.exists() else None
