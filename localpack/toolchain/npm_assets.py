"""Files from npm that apps ship (the pinned jQuery for `behavior.inject_jquery`), installed by
`localpack setup` next to the Tauri CLI, so a build needs no CDN and works offline."""

from __future__ import annotations

import os
from pathlib import Path

from localpack import jsonio
from localpack.errors import ToolMissing
from localpack.paths import Paths
from localpack.versions import JQUERY

JQUERY_PACKAGE = "jquery"


def jquery_dirs(paths: Paths) -> list[Path]:
    """Where the jquery package may be: localpack's tools, or beside the CLI that LOCALPACK_TAURI names."""
    dirs = [paths.node_modules / JQUERY_PACKAGE]
    env = os.environ.get("LOCALPACK_TAURI")
    if env:  # <node_modules>/.bin/tauri, or the package's own script inside <node_modules>
        for cli in (Path(env), Path(env).resolve()):
            modules = next((p for p in cli.parents if p.name == "node_modules"), None)
            if modules is not None:
                dirs.append(modules / JQUERY_PACKAGE)
    return dirs


def jquery_file(paths: Paths) -> Path:
    for folder in jquery_dirs(paths):
        found = folder / "dist" / "jquery.min.js"
        if found.is_file() and installed_version(folder) == JQUERY:
            return found
    raise ToolMissing(
        "behavior.inject_jquery: jQuery is not installed",
        f"run `localpack setup` (installs {JQUERY_PACKAGE}@{JQUERY} from npm next to the Tauri CLI)",
    )


def installed_version(folder: Path) -> str | None:
    try:
        version = jsonio.read(folder / "package.json").get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None
