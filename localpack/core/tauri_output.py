"""What cargo and the Tauri CLI print during a build, read in one place: the lines that move the progress
(core/progress.py) and the bundle paths the installers are collected from (build/artifacts.py). Written
against Tauri CLI 2.x and cargo's own wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

COMPILING = re.compile(r"^\s*Compiling (\S+) v")
RESOLVING = re.compile(r"^\s*(Updating|Downloading|Downloaded|Locking|Adding|Blocking)\b")
BUILT = re.compile(r"^\s*(Finished `|Built application at)")
BUNDLING = re.compile(r"^\s*Bundling (\S+)")  # its first word names the format being bundled
# "Bundling x.deb (/abs/path/x.deb)" and, after "Finished N bundles at:", "    /abs/path/x.deb (18.9 KiB)"
_BUNDLED = re.compile(r"^\s*Bundling .+? \((?P<path>.+)\)\s*$")
BUNDLES_FINISHED = re.compile(r"^\s*Finished \d+ bundles? at:?")
_LISTED = re.compile(r"^\s+(?P<path>(?:/|[A-Za-z]:[\\/]).+?)(?: \([\d.]+ [KMGT]?i?B\))?\s*$")
BUNDLE_SUFFIXES = {
    ".deb": "deb",
    ".rpm": "rpm",
    ".appimage": "appimage",
    ".msi": "msi",
    ".exe": "nsis",
    ".app": "app",
    ".dmg": "dmg",
}


def bundle_format(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in BUNDLE_SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    return None


def bundle_paths(lines: Iterable[str]) -> list[Path]:
    """The installer paths the Tauri CLI printed ("Bundling …" lines and the list after "Finished N bundles")."""
    found: list[Path] = []
    in_list = False
    for line in lines:
        if BUNDLES_FINISHED.match(line):
            in_list = True
            continue
        m = _BUNDLED.match(line) or (_LISTED.match(line) if in_list else None)
        if m is None:
            in_list = in_list and line.startswith(" ")
            continue
        p = Path(m.group("path").strip())
        if bundle_format(p.name) and p not in found:
            found.append(p)
    return found
