"""Writing a rendered project into its workspace: atomic, idempotent, and owning only its files.

- A new workspace is written into a temporary sibling folder and renamed into
  place, so it appears whole or not at all.
- In an existing workspace, each file whose bytes differ is replaced atomically
  (temp file + rename); unchanged files keep their bytes and mtime, so cargo's
  incremental build stays valid. Files rendered last time but not now are removed.
- `MANIFEST` lists the files render owns. Before the first change it is extended
  with the new files, and it is set to exactly the new list last, so even an
  interrupted render leaves a record of every file it may have written. Everything else in the folder
  (`target/`, `gen/`, `Cargo.lock`, …) belongs to the build and is left alone.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from localpack import jsonio
from localpack.config.model import AppConfig
from localpack.errors import ConfigError, FileProblem
from localpack.fsutil import check_output_folder, make_dirs, umask, write_atomic, writing_into
from localpack.paths import Paths
from localpack.project.icons import for_config, quiet
from localpack.project.render import render
from localpack.toolchain.npm_assets import jquery_file

MANIFEST = ".localpack-render.json"


@dataclass(frozen=True)
class WriteResult:
    path: Path
    written: tuple[str, ...]  # files whose content changed (or are new)
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _read_manifest(dest: Path) -> set[str]:
    """The files render owned last time."""
    try:
        return set(jsonio.read(dest / MANIFEST)["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _manifest_bytes(files: set[str]) -> bytes:
    return (json.dumps({"files": sorted(files)}, indent=1) + "\n").encode()


def check_destination(dest: Path) -> None:
    """Refuse a non-empty folder that is not a localpack workspace, so nothing of the user's is overwritten."""
    if dest.exists() and not dest.is_dir():
        raise ConfigError(f"{dest} exists and is not a folder", "choose another --out")
    if dest.is_dir() and not (dest / MANIFEST).exists() and any(dest.iterdir()):
        raise ConfigError(
            f"{dest} is not empty and was not made by localpack",
            "choose an empty or new folder with --out, so nothing of yours is overwritten",
        )
    check_output_folder(dest, "--out")  # e.g. /proc/x, a read-only mount: refused before anything is written


def write_tree(dest: Path, files: dict[str, bytes]) -> WriteResult:
    """Make `dest` hold exactly `files` (plus whatever the build put there)."""
    check_destination(dest)
    if not dest.exists():
        return _write_new(dest, files)
    old = _read_manifest(dest)
    changed = [rel for rel in files if not _unchanged(dest / rel, files[rel])]
    stale = sorted(rel for rel in old - set(files) if ".." not in Path(rel).parts and not Path(rel).is_absolute())
    manifest = _manifest_bytes(set(files))
    if not changed and not stale:
        if _unchanged(dest / MANIFEST, manifest):
            return WriteResult(dest, (), ())
    else:
        write_atomic(dest / MANIFEST, _manifest_bytes(old | set(files)))
    for rel in changed:
        write_atomic(dest / rel, files[rel])
    removed = []
    for rel in stale:
        path = dest / rel
        if path.is_file():
            path.unlink()
            removed.append(rel)
            _prune_empty_parents(path.parent, dest)
    write_atomic(dest / MANIFEST, manifest)
    return WriteResult(dest, tuple(changed), tuple(removed))


def _unchanged(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def _write_new(dest: Path, files: dict[str, bytes]) -> WriteResult:
    with writing_into(dest.parent):
        make_dirs(dest.parent)
        staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.rendering-"))
    staging.chmod(0o777 & ~umask())
    try:
        for rel, data in {**files, MANIFEST: _manifest_bytes(set(files))}.items():
            try:
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                (staging / rel).write_bytes(data)
            except OSError as e:  # named as the file will be, not as its staging copy
                raise FileProblem.of(e, dest / rel) from None
        with writing_into(dest):
            os.replace(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(dest, tuple(sorted(files)), ())


def _prune_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def write_project(cfg: AppConfig, dest: Path, warn: Callable[[str], None] = quiet) -> WriteResult:
    """Render `cfg` (its icon set, and jQuery when it asks for it) into `dest`: the one way a workspace is made."""
    jquery = jquery_file(Paths.from_env()).read_bytes() if cfg.behavior.inject_jquery else None
    with writing_into(Paths.from_env().cache / "icons"):  # the icon set is made (and cached) on its own
        icons = for_config(cfg, warn)
    return write_tree(dest, render(cfg, icons=icons, jquery=jquery, warn=warn))
