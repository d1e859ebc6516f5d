"""Installers: find the ones this build produced, copy them to `--out`, write SHA256SUMS.

Only bundles this build produced are collected: the paths the Tauri CLI printed,
kept only if written after the build started. The shared cargo target dir also
holds other apps' and older versions' bundles; those are never picked up.

`--out` keeps a small manifest of which app each file came from: a file there is
replaced only if it came from the same app, and SHA256SUMS lists every file
localpack put there. What `--out` may be, and the lock around collecting: `outdir.py`.

Collecting is all or nothing: every installer, the new manifest and the new SHA256SUMS are first staged in
`--out` under fresh names (created exclusively: a link planted there is never followed), then renamed into
place together with Ctrl-C held off (`core.commit`). An interruption before that leaves the old folder, after
it the new one; the next collect removes staging copies a killed one left.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from localpack.build.outdir import MANIFEST, STAGING, SUMS, lock, read_manifest
from localpack.core.commit import swap_in, uninterrupted
from localpack.core.tauri_output import bundle_format, bundle_paths
from localpack.errors import BuildFailed, ConfigError
from localpack.fsutil import file_digest, umask

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
        if os.path.lexists(out / name) and owners.get(name) != app:
            who = f"app '{owners[name]}'" if name in owners else "something other than localpack"
            raise ConfigError(
                f"{out / name} already exists and came from {who}",
                "choose another --out, or move that file away",
            )


def collect(bundles: list[Path], out: Path, app: str, shown_base: Path | None = None) -> list[Artifact]:
    """Copy `bundles` into `out` and refresh its manifest and SHA256SUMS, all or nothing, holding `out`'s lock."""
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
    _sweep(out)
    if (out / SUMS).exists() and not (out / MANIFEST).exists():
        raise ConfigError(
            f"{out / SUMS} already exists and localpack did not write it",
            "choose another --out, or move that file away",
        )
    check_out_dir(out, [b.name for b in bundles], app)
    owners = read_manifest(out)
    staged: list[tuple[Path, Path]] = []  # (staging copy, where it goes), committed together at the end
    try:
        artifacts, digests = [], {}
        for bundle in bundles:
            copy = _stage_copy(bundle, out)
            staged.append((copy, out / bundle.name))
            digest, size = _sha256(copy)
            digests[bundle.name] = digest
            owners[bundle.name] = app
            artifacts.append(
                Artifact(_shown(out / bundle.name, shown_base), bundle_format(bundle.name) or "", size, digest)
            )
        owners = {
            name: owner
            for name, owner in owners.items()  # a listed file since removed (or made a link) goes
            if name in digests or ((out / name).exists() and not (out / name).is_symlink())
        }
        sums = "".join(f"{digests.get(name) or _sha256(out / name)[0]}  {name}\n" for name in sorted(owners))
        manifest = json.dumps({"files": dict(sorted(owners.items()))}, indent=1) + "\n"
        staged.append((_stage_bytes(out, MANIFEST, manifest.encode()), out / MANIFEST))
        staged.append((_stage_bytes(out, SUMS, sums.encode()), out / SUMS))
        with uninterrupted():  # installers, manifest and SHA256SUMS change together, or (before this) none does
            for copy, dest in staged:
                swap_in(copy, dest)
    finally:
        for copy, _ in staged:
            _discard(copy)
    return artifacts


def _stage_copy(bundle: Path, out: Path) -> Path:
    """A copy of `bundle` under a new, unique name in `out`, created exclusively (a link planted there is never
    followed: O_CREAT|O_EXCL refuses any existing name, a symbolic link included)."""
    if bundle.is_dir():  # a macOS .app
        copy = Path(tempfile.mkdtemp(dir=out, prefix=f".{bundle.name}.", suffix=STAGING))
    else:
        fd, name = tempfile.mkstemp(dir=out, prefix=f".{bundle.name}.", suffix=STAGING)
        copy = Path(name)
    try:
        if bundle.is_dir():
            shutil.copytree(bundle, copy, symlinks=True, dirs_exist_ok=True)
        else:
            with os.fdopen(fd, "wb") as dst, open(bundle, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
            shutil.copystat(bundle, copy)
    except BaseException:
        _discard(copy)
        raise
    return copy


def _stage_bytes(out: Path, name: str, data: bytes) -> Path:
    fd, path = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=STAGING)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(path, 0o666 & ~umask())
    except BaseException:
        _discard(Path(path))
        raise
    return Path(path)


def _discard(path: Path) -> None:
    """Remove a staging copy that was not committed (a folder or a file; never through a link)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.is_file() and not path.is_symlink():
        path.unlink(missing_ok=True)


def _sweep(out: Path) -> None:
    """Staging copies a killed collect left (this build holds `out`'s lock, so no other collect is running).
    Only localpack's own files and folders by that name are removed; a symbolic link is left alone, unused."""
    for entry in os.scandir(out):
        if entry.name.startswith(".") and entry.name.endswith(STAGING) and not entry.is_symlink():
            _discard(Path(entry.path))


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
