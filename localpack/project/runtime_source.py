"""The app runtime's sources: the one fixed Tauri program every app runs (`runtime/` in a checkout,
`localpack/runtime` when installed), and the digest of those sources that names a compiled runtime."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from localpack import versions
from localpack.errors import ToolMissing

CRATE = "localpack-runtime"  # the cargo package, and the binary a runtime compile leaves
_SKIP = {"target", "gen", "node_modules", "__pycache__"}


def runtime_dir() -> Path:
    package = Path(__file__).resolve().parent.parent
    installed = package / "runtime"
    return installed if installed.is_dir() else package.parent / "runtime"


@functools.lru_cache(maxsize=1)
def sources() -> dict[str, bytes]:
    """Every file of the runtime crate, by POSIX path relative to it."""
    root = runtime_dir()
    if not (root / "Cargo.toml").is_file():  # a broken install: the wheel always carries them
        raise ToolMissing(f"localpack's app runtime sources are missing ({root})", "reinstall localpack")
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(p in _SKIP or p.startswith(".") for p in rel.parts):
            files[rel.as_posix()] = path.read_bytes()
    return files


@functools.lru_cache(maxsize=1)
def digest() -> str:
    """Changes whenever anything that goes into a compiled runtime changes: its sources, the lock, the CLI."""
    h = hashlib.sha256(f"tauri-cli {versions.TAURI_CLI}\n".encode())
    for rel, data in sources().items():
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()
