"""`localpack setup`: install the pinned Tauri CLI (npm `@tauri-apps/cli`) and the pinned jQuery (shipped by
apps with `behavior.inject_jquery`) into `<cache>/tools`.

`npm install --prefix` into localpack's own folder: no global install, no root, and nothing
outside the cache changes. A no-op when exactly that version is already there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from localpack import jsonio
from localpack.core import proc
from localpack.errors import ToolMissing
from localpack.paths import Paths
from localpack.toolchain import npm_assets
from localpack.toolchain.checks import Host
from localpack.toolchain.rust import node_hint
from localpack.toolchain.tauri_cli import NPM_PACKAGE, cache_bin
from localpack.versions import JQUERY, TAURI_CLI

INSTALL_TIMEOUT = 600.0


@dataclass(frozen=True)
class SetupResult:
    path: Path  # the CLI's executable
    version: str
    installed: bool  # False: it was already there
    log: Path | None = None


def installed_version(paths: Paths) -> str | None:
    """The version of the Tauri CLI in the cache, from its package.json; None if absent."""
    manifest = paths.node_modules / NPM_PACKAGE / "package.json"
    try:
        version = jsonio.read(manifest).get("version")
    except (OSError, ValueError):
        return None
    return version if isinstance(version, str) and cache_bin(paths).exists() else None


def setup(
    paths: Paths,
    *,
    on_line: Callable[[str], None] | None = None,
    host: Host | None = None,
    prefetched: Sequence[str] | None = None,
) -> SetupResult:
    """Install `@tauri-apps/cli@TAURI_CLI` with npm into the cache, unless it is there already.

    `prefetched` is the npm command that installs the tarballs `localpack prefetch` kept (no network;
    `localpack.offline.npm.install_command`), used instead of the registry when given.
    """
    host = host or Host.current()
    jquery_dir = paths.node_modules / npm_assets.JQUERY_PACKAGE
    if installed_version(paths) == TAURI_CLI and npm_assets.installed_version(jquery_dir) == JQUERY:
        return SetupResult(cache_bin(paths), TAURI_CLI, installed=False)
    hint = f"install Node.js and npm: {node_hint(host)}; then run `localpack setup` again"
    npm = host.which("npm")
    if npm is None or host.which("node") is None:
        raise ToolMissing(
            f"{'npm' if npm is None else 'node'} was not found; it is needed to install the Tauri CLI", hint
        )
    paths.tools.mkdir(parents=True, exist_ok=True)
    log_path = paths.log(f"setup-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
    package = f"{NPM_PACKAGE}@{TAURI_CLI}"
    cmd = [
        npm,
        "install",
        "--prefix",
        str(paths.tools),
        "--no-audit",
        "--no-fund",
        package,
        f"{npm_assets.JQUERY_PACKAGE}@{JQUERY}",
    ]
    if prefetched is not None:
        cmd = [npm, *prefetched[1:]]
    with proc.open_log(log_path) as log_file:
        env = {**host.env, "NPM_CONFIG_UPDATE_NOTIFIER": "false"}  # no "new npm available" in our output
        done = proc.run(cmd, env=env, timeout=INSTALL_TIMEOUT, log_file=log_file, on_line=on_line)
    if not done.ok:
        raise ToolMissing(
            f"npm install {package} failed (exit {done.returncode})",
            f"see {log_path}; check the connection to the npm registry (`npm config get registry`)",
        )
    version = installed_version(paths)
    if version != TAURI_CLI:
        raise ToolMissing(f"npm finished but {package} is not in {paths.tools}", f"see {log_path}")
    return SetupResult(cache_bin(paths), version, installed=True, log=log_path)
