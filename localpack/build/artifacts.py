"""Installers: find the ones this build produced, copy them to `--out`, write SHA256SUMS.

Only bundles this build produced are collected: the paths the Tauri CLI printed,
kept only if written after the build started. The shared cargo target dir also
holds other apps' and older versions' bundles; those are never picked up.

`--out` keeps a small manifest of which app each file came from: a file there is
replaced only if it came from the same app, and SHA256SUMS lists every file
localpack put there. What `--out` may be, and the lock around collecting: `outdir.py`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from localpack.build.outdir import MANIFEST, SUMS, lock, read_manifest
from localpack.core.tauri_output import bundle_format, bundle_paths
from localpack.errors import BuildFailed, ConfigError
from localpack.fsutil import file_digest, write_atomic

__all__ = ["MANIFEST", "SUMS", "Artifact", "check_out_dir", "collect", "human_size", "produced"]


@dataclass(frozen=True)
class Artifact:
    path: str
    format: str
    size: int
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)


def produced(lines: Iterable[str], since: float) -> list[Path]:
    """The bundle paths the Tauri CLI reported, that exist and were written at or after `since`."""
    return [p for p in bundle_paths(lines) if p.exists() and _mtime(p) >= since - 1]


def _mtime(path: Path) -> float:
    if path.is_dir():  # a macOS .app bundle
        return max((p.stat().st_mtime for p in path.rglob("*")), default=path.stat().st_mtime)
    return path.stat().st_mtime


def _sha256(path: Path) -> tuple[str, int]:
    """Digest and size; a directory (.app) hashes its files' relative paths and contents in order."""
    if not path.is_dir():
        return file_digest(path), path.stat().st_size
    h = hashlib.sha256()
    size = 0
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(f.relative_to(path).as_posix().encode() + b"\0" + file_digest(f).encode() + b"\0")
        size += f.stat().st_size
    return h.hexdigest(), size


def check_out_dir(out: Path, names: Iterable[str], app: str) -> None:
    """Refuse to replace a file in `out` that localpack did not put there for this app."""
    owners = read_manifest(out)
    for name in names:
        if (out / name).exists() and owners.get(name) != app:
            who = f"app '{owners[name]}'" if name in owners else "something other than localpack"
            raise ConfigError(
                f"{out / name} already exists and came from {who}",
                "choose another --out, or move that file away",
            )


def collect(bundles: list[Path], out: Path, app: str, shown_base: Path | None = None) -> list[Artifact]:
    """Copy `bundles` into `out` (atomically per file) and refresh SHA256SUMS there, holding `out`'s lock."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with lock(out):
            return _collect(bundles, out, app, shown_base)
    except OSError as e:  # --out changed since the build's checks (it was fine then)
        raise BuildFailed(
            f"cannot write the installers into --out {out} ({e.strerror or e})",
            "check that --out is a folder you can write to, then build again",
            cause="out_unwritable",
        ) from None


def _collect(bundles: list[Path], out: Path, app: str, shown_base: Path | None) -> list[Artifact]:
    if (out / SUMS).exists() and not (out / MANIFEST).exists():
        raise ConfigError(
            f"{out / SUMS} already exists and localpack did not write it",
            "choose another --out, or move that file away",
        )
    check_out_dir(out, [b.name for b in bundles], app)
    owners = read_manifest(out)
    artifacts = []
    for bundle in bundles:
        dest = out / bundle.name
        staging = out / f".{bundle.name}.copying"
        if bundle.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(bundle, staging, symlinks=True)
            if dest.exists():
                shutil.rmtree(dest)
        else:
            shutil.copy2(bundle, staging)
        os.replace(staging, dest)
        owners[bundle.name] = app
        digest, size = _sha256(dest)
        artifacts.append(Artifact(_shown(dest, shown_base), bundle_format(bundle.name) or "", size, digest))
    owners = {name: owner for name, owner in owners.items() if (out / name).exists()}
    write_atomic(out / MANIFEST, json.dumps({"files": dict(sorted(owners.items()))}, indent=1) + "\n")
    known = {Path(a.path).name: a.sha256 for a in artifacts}
    lines = []
    for name in sorted(owners):
        digest = known.get(name) or _sha256(out / name)[0]
        lines.append(f"{digest}  {name}\n")
    write_atomic(out / SUMS, "".join(lines))
    return artifacts


def _shown(path: Path, base: Path | None) -> str:
    """A path relative to the current directory when it lies below it (as docs/architecture.md shows them)."""
    base = base or Path.cwd()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover
