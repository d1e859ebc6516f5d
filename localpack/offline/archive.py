"""`offline export` / `offline import`: the prefetched data as one .tar.gz with a manifest.

The manifest (`manifest.json`, the archive's first member) names the localpack and Tauri CLI
versions, the platform, and the sha256 of every file. Import checks the manifest before it
extracts anything, then extracts into a staging folder in the cache, verifying each file; only a
complete, intact archive is moved into the store. Member names are checked (no absolute paths,
no `..`, only regular files under the store's folders), so nothing is written outside the cache.
The checksums catch damage and edits of the data; they are not a signature (whoever can edit the
archive can edit the manifest too), so carry it the way you would carry an installer.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from localpack import __version__
from localpack.core.platform import platform_id
from localpack.errors import ConfigError, ToolMissing
from localpack.fsutil import file_digest
from localpack.offline.store import Store
from localpack.versions import TAURI_CLI

MANIFEST = "manifest.json"
FORMAT = "localpack-offline"
SCHEMA = 1
PARTS = ("vendor", "locks", "npm", "tools", "runtimes")  # runtimes: compiled app runtimes (no compile offline)


def _files(store: Store) -> Iterator[tuple[str, Path]]:
    for part in PARTS:
        base = store.root / part
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.endswith(".part"):
                yield path.relative_to(store.root).as_posix(), path


def export(store: Store, dest: Path) -> dict[str, Any]:
    """Write the store to `dest` (atomically); returns the manifest."""
    files = dict(_files(store))
    if not any(name.startswith("vendor/") for name in files):
        raise ToolMissing("nothing to export: no prefetched crates in the cache", "run `localpack prefetch` first")
    state = store.read_state()
    manifest = {
        "format": FORMAT, "schema": SCHEMA, "localpack": __version__, "tauri_cli": TAURI_CLI,
        "platform": platform_id(), "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "targets": state.get("targets", []), "apps": state.get("apps", []),
        "files": {name: file_digest(path) for name, path in files.items()},
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
            data = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o644, int(datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in files.items():
                tar.add(path, arcname=name, recursive=False, filter=_anonymous)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _refuse(archive: Path, why: str, hint: str = "") -> ConfigError:
    return ConfigError(f"{archive}: {why}", hint or "nothing was imported; export the archive again on the "
                                                     "connected machine and copy it over")


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise _refuse(archive, "not a localpack offline archive (no manifest.json first)")
    try:
        manifest = json.loads(tar.extractfile(first).read())  # type: ignore[union-attr]
    except ValueError:
        raise _refuse(archive, "manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise _refuse(archive, "not a localpack offline archive (unknown manifest format)")
    if manifest.get("schema") != SCHEMA:
        raise _refuse(archive, f"manifest schema {manifest.get('schema')!r} is not the one this localpack reads ({SCHEMA})",
                      "export it again with this localpack version")
    here = platform_id()
    if manifest.get("platform") != here:
        raise _refuse(archive, f"prefetched for {manifest.get('platform')}, but this machine is {here}",
                      f"run `localpack prefetch` and `localpack offline export` on a connected {here} machine")
    if manifest.get("tauri_cli") != TAURI_CLI:
        raise _refuse(archive, f"prefetched for Tauri CLI {manifest.get('tauri_cli')}, but this localpack uses {TAURI_CLI}",
                      "prefetch again with the same localpack version as the offline machine")
    return manifest


def _safe_name(name: str) -> str | None:
    """The member's store-relative path, or None if it could land outside the store."""
    if "\\" in name or "\0" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("..", "") for part in path.parts) or path.parts[0] not in PARTS:
        return None
    return path.as_posix()


def import_(store: Store, archive: Path) -> dict[str, Any]:
    """Verify `archive` completely, then merge it into the store; returns its manifest."""
    if not archive.is_file():
        raise ConfigError(f"{archive} does not exist", "give the path of a file made by `localpack offline export`")
    store.root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=store.root.parent, prefix=".offline-import-"))
    try:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                manifest = _read_manifest(tar, archive)
                _extract_verified(tar, manifest["files"], staging, archive)
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as e:
            raise _refuse(archive, f"damaged or not a .tar.gz ({e})") from None
        _merge(staging, store.root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    state = store.read_state()
    store.write_state({
        "localpack": manifest.get("localpack"), "tauri_cli": manifest["tauri_cli"], "platform": manifest["platform"],
        "targets": sorted(set(state.get("targets", [])) | set(manifest.get("targets", []))),
        "apps": sorted(set(state.get("apps", [])) | set(manifest.get("apps", []))),
    })
    return manifest


def _extract_verified(tar: tarfile.TarFile, expected: dict[str, str], staging: Path, archive: Path) -> None:
    seen: set[str] = set()
    for index, member in enumerate(tar):
        if index == 0:
            continue  # the manifest, already read
        name = _safe_name(member.name)
        if member.isdir() and name is not None:
            continue
        if name is None or not member.isfile():
            raise _refuse(archive, f"refusing member {member.name!r}: only plain files inside the cache's offline "
                                   "folders are allowed", "this archive was not made by `localpack offline export`")
        if name not in expected:
            raise _refuse(archive, f"{name} is not listed in the manifest (the archive was altered)")
        if name in seen:
            raise _refuse(archive, f"{name} appears twice (the archive was altered)")
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        src = tar.extractfile(member)
        assert src is not None
        with open(target, "wb") as out:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != expected[name]:
            raise _refuse(archive, f"checksum mismatch for {name} (the archive is damaged or was altered)")
        target.chmod(0o755 if member.mode & 0o111 else 0o644)
        seen.add(name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise _refuse(archive, f"{len(missing)} file(s) of the manifest are missing, e.g. {missing[0]}")


def _merge(staging: Path, root: Path) -> None:
    """Move every staged file into the store (crates of other apps already there stay)."""
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            target = root / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
