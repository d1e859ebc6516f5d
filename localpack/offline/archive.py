"""`offline export` / `offline import`: the prefetched data as one .tar.gz with a manifest.

The manifest (`manifest.json`, the archive's first member) names the localpack and Tauri CLI
versions, the platform, and the sha256 and size of every file. Import checks the whole manifest
before it extracts anything (its fields, their types, that the declared total fits the free space),
then extracts into a staging folder in the cache, holding each member to its declared size and
checksum; only a complete, intact archive is moved into the store. Member names are checked (no
absolute paths, no `..`, only regular files under the store's folders; sparse members are refused),
and the decompressed stream may not run past what the manifest declares, so nothing is written
outside the cache and no more than the manifest announced. The checksums catch damage and edits of
the data; they are not a signature (whoever can edit the archive can edit the manifest too), so carry
it the way you would carry an installer.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from localpack import __version__, jsonio
from localpack.config.rules import NAME_RE
from localpack.core import locks
from localpack.core.commit import uninterrupted
from localpack.core.platform import platform_id
from localpack.core.targets import TARGETS
from localpack.errors import ConfigError, ToolMissing
from localpack.fsutil import check_output_folder, file_digest, umask, walk_files
from localpack.offline.store import STATE, Store
from localpack.paths import Paths
from localpack.versions import TAURI_CLI

MANIFEST = "manifest.json"
FORMAT = "localpack-offline"
SCHEMA = 2  # 2: each file has {"sha256", "size"}
PARTS = ("vendor", "locks", "npm", "tools", "runtimes")  # runtimes: compiled app runtimes (no compile offline)
MAX_MANIFEST = 64 << 20
SPACE_MARGIN = 64 << 20  # free space kept beyond the declared total
HEADER_ALLOWANCE = 64 << 10  # tar headers (long names as PAX records) per member, in the stream's budget
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _Bounded(io.RawIOBase):
    """A reader that refuses to deliver more than `budget` bytes: a gzip bomb stops at what was declared."""

    def __init__(self, raw: Any, budget: int) -> None:
        self.raw, self.budget, self.read_so_far = raw, budget, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        data = self.raw.read(min(len(buf), self.budget - self.read_so_far + 1))
        self.read_so_far += len(data)
        if self.read_so_far > self.budget:
            raise _OverBudget()
        buf[: len(data)] = data
        return len(data)


class _OverBudget(Exception):
    pass


def _files(store: Store) -> Iterator[tuple[str, Path]]:
    """Every file of the store's folders (the symlink rule of `fsutil.walk_files`), minus partial downloads."""
    for part in PARTS:
        base = store.root / part
        if not base.is_dir():
            continue
        for rel, path in walk_files(base, f"offline {part} folder"):
            if not rel.endswith(".part"):
                yield f"{part}/{rel}", path


def export(paths: Paths, dest: Path, *, force: bool = False) -> dict[str, Any]:
    """Write the store to `dest` (atomically; `check_destination` first); returns the manifest."""
    check_destination(dest, paths, force=force)
    store = Store.of(paths)
    with locks.held(paths, locks.store_lock(paths)):  # not while an import changes the store
        files = dict(_files(store))
        if not any(name.startswith("vendor/") for name in files):
            raise ToolMissing("nothing to export: no prefetched crates in the cache", "run `localpack prefetch` first")
        state = store.read_state()
        manifest = {
            "format": FORMAT,
            "schema": SCHEMA,
            "localpack": __version__,
            "tauri_cli": TAURI_CLI,
            "platform": platform_id(),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "targets": state.get("targets", []),
            "apps": state.get("apps", []),
            "files": {name: {"sha256": file_digest(path), "size": path.stat().st_size} for name, path in files.items()},
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
            os.chmod(tmp, 0o666 & ~umask())
            os.replace(tmp, dest)  # replaces the name only: a link or a device there was refused above
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return manifest


def check_destination(dest: Path, paths: Paths, *, force: bool) -> None:
    """What `offline export FILE` may write: a new path, or a regular file that is an archive localpack wrote
    (replaced), or with `force` any regular file. Never a folder, a device, a FIFO, a socket or a symbolic
    link (even with `force`: the link's target is not replaced through it), and never a file inside
    localpack's own folders (the store it exports, or what `cache clean` removes)."""

    def refuse(why: str, hint: str) -> ConfigError:
        return ConfigError(f"offline export {dest}: {why}", hint)

    for own in (paths.cache, paths.state, paths.config):
        if dest.is_relative_to(own):
            raise refuse(
                f"it is inside localpack's own folder {own}",
                "write the archive outside localpack's cache and state, e.g. offline.tar.gz",
            )
    try:
        mode = os.lstat(dest).st_mode
    except FileNotFoundError:
        check_output_folder(dest.parent, "offline export")  # its folder can hold it (or be made)
        return
    except OSError as e:
        raise refuse(f"cannot be examined ({e.strerror or e})", "pass the path of a new file") from None
    if stat.S_ISLNK(mode):
        raise refuse(
            f"is a symbolic link (to {os.readlink(dest)}); localpack does not write through links",
            "pass the path of a new file, or remove the link",
        )
    if not stat.S_ISREG(mode):
        raise refuse(
            f"is {_kind(mode)}, which localpack never replaces",
            "pass the path of a new file, e.g. offline.tar.gz" + (" inside that folder" if stat.S_ISDIR(mode) else ""),
        )
    if not force and not _is_archive(dest):
        raise refuse(
            "exists and is not an archive localpack wrote", "pass a new file name, or add --force to replace that file"
        )


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISREG, "a file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "something that is neither a file nor a folder"


def _is_archive(path: Path) -> bool:
    """Whether `path` starts like an archive `offline export` wrote (its manifest first, of our format)."""
    try:
        with gzip.open(path, "rb") as raw:
            stream = _Bounded(raw, MAX_MANIFEST + HEADER_ALLOWANCE)
            with tarfile.open(fileobj=io.BufferedReader(stream, 1 << 16), mode="r|") as tar:
                first = tar.next()
                if first is None or first.name != MANIFEST or not first.isfile():
                    return False
                manifest = json.loads(tar.extractfile(first).read())  # type: ignore[union-attr]
    except (_OverBudget, tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, OSError, ValueError, RecursionError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _refuse(archive: Path, why: str, hint: str = "") -> ConfigError:
    return ConfigError(
        f"{archive}: {why}",
        hint or "nothing was imported; export the archive again on the connected machine and copy it over",
    )


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.issparse():
        raise _refuse(archive, "not a localpack offline archive (no manifest.json first)")
    if first.size > MAX_MANIFEST:
        raise _refuse(archive, f"manifest.json is {first.size} bytes, far more than a manifest needs")
    try:
        manifest = jsonio.loads(tar.extractfile(first).read(), limit=MAX_MANIFEST)  # type: ignore[union-attr]
    except ValueError:
        raise _refuse(archive, "manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(archive, "not a localpack offline archive (unknown manifest format)")
    if manifest.get("schema") != SCHEMA:
        raise _refuse(
            archive,
            f"manifest schema {manifest.get('schema')!r} is not the one this localpack reads ({SCHEMA})",
            "export it again with this localpack version",
        )
    here = platform_id()
    if manifest.get("platform") != here:
        raise _refuse(
            archive,
            f"prefetched for {manifest.get('platform')}, but this machine is {here}",
            f"run `localpack prefetch` and `localpack offline export` on a connected {here} machine",
        )
    if manifest.get("tauri_cli") != TAURI_CLI:
        raise _refuse(
            archive,
            f"prefetched for Tauri CLI {manifest.get('tauri_cli')}, but this localpack uses {TAURI_CLI}",
            "prefetch again with the same localpack version as the offline machine",
        )
    problem = _manifest_problem(manifest)
    if problem:
        raise _refuse(
            archive,
            f"manifest.json is not valid: {problem}",
            "this archive was not made by `localpack offline export` (or was altered)",
        )
    return manifest


def _manifest_problem(manifest: dict[str, Any]) -> str | None:
    """Every field import uses, checked before anything is extracted or moved."""
    if not isinstance(manifest.get("localpack", ""), str):
        return "'localpack' must be a version string"
    targets, apps, files = manifest.get("targets", []), manifest.get("apps", []), manifest.get("files")
    if not isinstance(targets, list) or not all(isinstance(t, str) and t in TARGETS for t in targets):
        return f"'targets' must be a list of installer formats ({', '.join(TARGETS)})"
    if not isinstance(apps, list) or not all(isinstance(a, str) and NAME_RE.match(a) for a in apps):
        return "'apps' must be a list of app names"
    if not isinstance(files, dict) or not files:
        return "'files' must list the archive's files"
    for name, entry in files.items():
        if _safe_name(name) != name:
            return f"file name {name!r} would land outside the cache's offline folders"
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and _SHA256.match(entry["sha256"])
            and type(entry.get("size")) is int
            and entry["size"] >= 0
        ):
            return f"{name!r} needs a sha256 (64 hex digits) and a size in bytes"
    return None


def _safe_name(name: str) -> str | None:
    """The member's store-relative path, or None if it could land outside the store."""
    if not isinstance(name, str) or "\\" in name or "\0" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("..", "") for part in path.parts) or path.parts[0] not in PARTS:
        return None
    return path.as_posix()


def import_(paths: Paths, archive: Path) -> dict[str, Any]:
    """Verify `archive` completely, then merge it into the store, all or nothing; returns its manifest."""
    if not archive.is_file():
        raise ConfigError(f"{archive} does not exist", "give the path of a file made by `localpack offline export`")
    store = Store.of(paths)
    with locks.held(paths, locks.store_lock(paths)):  # one import at a time, and not beside `cache clean`
        store.root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=store.root.parent, prefix=".offline-import-"))
        try:
            manifest = _verified(archive, staging)
            state = store.read_state()
            (staging / STATE).write_text(
                json.dumps(
                    {
                        "localpack": manifest.get("localpack"),
                        "tauri_cli": manifest["tauri_cli"],
                        "platform": manifest["platform"],
                        "targets": sorted(set(_strings(state.get("targets"))) | set(manifest.get("targets", []))),
                        "apps": sorted(set(_strings(state.get("apps"))) | set(manifest.get("apps", []))),
                    },
                    indent=1,
                    sort_keys=True,
                )
                + "\n",
                encoding="utf-8",
            )
            moves = _merge_plan(staging, store.root)  # every conflict is found before anything moves
            with uninterrupted():  # the store gets all of the archive, or (before this) nothing of it
                for src, dst in moves:
                    os.replace(src, dst)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _verified(archive: Path, staging: Path) -> dict[str, Any]:
    """Extract `archive` into `staging`, holding it to its manifest; returns the manifest."""
    try:
        with gzip.open(archive, "rb") as raw:
            stream = _Bounded(raw, MAX_MANIFEST + HEADER_ALLOWANCE)
            with tarfile.open(fileobj=io.BufferedReader(stream, 1 << 16), mode="r|") as tar:
                manifest = _read_manifest(tar, archive)
                declared = sum(entry["size"] for entry in manifest["files"].values())
                _check_space(staging.parent, declared, archive)
                stream.budget = stream.read_so_far + declared + HEADER_ALLOWANCE * (len(manifest["files"]) + 16)
                _extract_verified(tar, manifest["files"], staging, archive)
    except _OverBudget:
        raise _refuse(archive, "it unpacks to more data than its manifest declares (the archive was altered)") from None
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, OSError) as e:
        raise _refuse(archive, f"damaged or not a .tar.gz ({e})") from None
    return manifest


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _check_space(folder: Path, declared: int, archive: Path) -> None:
    free = shutil.disk_usage(folder).free
    if declared + SPACE_MARGIN > free:
        raise _refuse(
            archive,
            f"its files need {declared / (1 << 30):.2f} GiB, but {folder} has only {free / (1 << 30):.2f} GiB free",
            "free some space (`localpack cache clean`), then import again",
        )


def _extract_verified(tar: tarfile.TarFile, expected: dict[str, dict[str, Any]], staging: Path, archive: Path) -> None:
    seen: set[str] = set()
    for index, member in enumerate(tar):
        if index == 0:
            continue  # the manifest, already read
        name = _safe_name(member.name)
        if member.isdir() and name is not None:
            continue
        if name is None or not member.isfile() or member.issparse() or member.type == tarfile.CONTTYPE:
            raise _refuse(
                archive,
                f"refusing member {member.name!r}: only plain files inside the cache's offline folders are allowed",
                "this archive was not made by `localpack offline export`",
            )
        if name not in expected:
            raise _refuse(archive, f"{name} is not listed in the manifest (the archive was altered)")
        if name in seen:
            raise _refuse(archive, f"{name} appears twice (the archive was altered)")
        size = expected[name]["size"]
        if member.size != size:
            raise _refuse(
                archive, f"{name} is {member.size} bytes, but the manifest says {size} (the archive was altered)"
            )
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        src = tar.extractfile(member)
        assert src is not None
        written = 0
        with open(target, "wb") as out:
            for chunk in iter(functools.partial(src.read, 1 << 20), b""):
                written += len(chunk)
                if written > size:
                    raise _refuse(archive, f"{name} holds more than the {size} bytes the manifest declares")
                h.update(chunk)
                out.write(chunk)
        if written != size or h.hexdigest() != expected[name]["sha256"]:
            raise _refuse(archive, f"checksum mismatch for {name} (the archive is damaged or was altered)")
        target.chmod(0o755 if member.mode & 0o111 else 0o644)
        seen.add(name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise _refuse(archive, f"{len(missing)} file(s) of the manifest are missing, e.g. {missing[0]}")


def _merge_plan(staging: Path, root: Path) -> list[tuple[Path, Path]]:
    """The renames that put everything staged into the store: a folder the store lacks moves whole, a file
    replaces the store's file. Where the store has a file, a link or something else where the archive has a
    folder (or the reverse), nothing can be merged without losing one of them: `ConfigError`, nothing moved."""
    moves: list[tuple[Path, Path]] = []

    def conflict(target: Path, store_has: str, archive_has: str) -> ConfigError:
        return ConfigError(
            f"offline import: the cache's offline store has {store_has} at {target}, where the archive "
            f"has {archive_has}; nothing was imported",
            f"move {target} away (or run `localpack cache clean --all`), then import again",
        )

    def visit(src: Path, dst: Path) -> None:
        try:
            mode = os.lstat(dst).st_mode
        except FileNotFoundError:
            moves.append((src, dst))
            return
        if src.is_dir():
            if not stat.S_ISDIR(mode):
                raise conflict(dst, _kind(mode), "a folder")
            for child in sorted(src.iterdir()):
                visit(child, dst / child.name)
        elif not stat.S_ISREG(mode):
            raise conflict(dst, _kind(mode), "a file")
        else:
            moves.append((src, dst))

    visit(staging, root)
    return moves
