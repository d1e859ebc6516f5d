"""What the cache and state dirs hold (`cache info`) and freeing them (`cache clean`).

The cargo target dir, the compiled runtimes and the workspaces are rebuilt by the next build; the Tauri
CLI, prefetched offline data and build records are not cleaned unless asked,
because getting them back needs the network or loses history.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from localpack.build import orphans, runtime_cache
from localpack.errors import ConfigError
from localpack.fsutil import user_path
from localpack.paths import Paths

# Folders a render, an icon set or an offline import builds before renaming them into place; one that is
# still there was interrupted (e.g. `kill -9`). Relative to the cache.
STAGING_GLOBS = ("workspaces/.*.rendering-*", "icons/.tmp-*", ".offline-import-*")


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    size: int
    note: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "path": str(self.path), "size": self.size, "note": self.note}


def tree_size(path: Path) -> int:
    """Bytes under `path`, without following links inside it; 0 if it does not exist, or if it is a link to a
    folder localpack would not empty (`/`, the home folder)."""
    if path.is_symlink() and _not_ours(user_path(path)):
        return 0
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def entries(paths: Paths) -> list[Entry]:
    """One row per thing worth knowing about, biggest first within each group."""
    rows: list[Entry] = []
    ws_root = paths.workspaces
    if ws_root.is_dir():
        for ws in sorted(p for p in ws_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            rows.append(Entry(f"workspace {ws.name}", ws, tree_size(ws)))
    rows.append(
        Entry(
            "cargo target (shared)",
            paths.cargo_target,
            tree_size(paths.cargo_target),
            "compiled dependencies of every app",
        )
    )
    for rt in runtime_cache.entries(paths):
        rows.append(
            Entry(
                f"runtime {rt.variant.id}",
                rt.folder,
                tree_size(rt.folder),
                f"{rt.variant.describe()}; {runtime_cache.age(rt)}",
            )
        )
    staging = _staging(paths)
    if staging:
        rows.append(
            Entry(
                "unfinished staging folders",
                paths.cache,
                sum(tree_size(p) for p in staging),
                f"{len(staging)} left by an interrupted render or import; `cache clean` removes them",
            )
        )
    known = {paths.workspaces, paths.cargo_target, paths.runtimes, *staging}
    if paths.cache.is_dir():
        for other in sorted(p for p in paths.cache.iterdir() if p.is_dir() and p not in known):
            rows.append(Entry(other.name, other, tree_size(other)))
    rows.append(Entry("logs", paths.logs, tree_size(paths.logs)))
    count = len(list(paths.records.glob("*.json"))) if paths.records.is_dir() else 0
    rows.append(Entry("build records", paths.records, tree_size(paths.records), f"{count} builds"))
    return rows


def _staging(paths: Paths) -> list[Path]:
    return sorted(p for pattern in STAGING_GLOBS for p in paths.cache.glob(pattern) if p.is_dir())


def _busy_apps(paths: Paths) -> list[str]:
    from filelock import FileLock, Timeout

    busy = []
    ws_root = paths.workspaces
    for lock_path in sorted(ws_root.glob("*.lock")) if ws_root.is_dir() else []:
        lock = FileLock(str(lock_path))
        try:
            lock.acquire(timeout=0)
            lock.release()
        except Timeout:
            busy.append(lock_path.stem)
            continue
        _refuse_leftovers(orphans.tree_file(lock_path.with_suffix("")), lock_path.stem)
    compile_lock = paths.runtimes / ".compile.lock"
    if compile_lock.exists():
        lock = FileLock(str(compile_lock))
        try:
            lock.acquire(timeout=0)
            lock.release()
        except Timeout:
            return [*busy, "the app runtime"]
        _refuse_leftovers(orphans.tree_file(paths.runtime_workspace), "the app runtime")
    return busy


def _refuse_leftovers(tree: Path, what: str) -> None:
    left = orphans.leftovers(tree)
    if left:
        raise ConfigError(
            f"a killed build of {what} left processes running ({', '.join(map(str, left))})",
            f"build again (it stops them first), or `kill {' '.join(map(str, left))}`",
        )


def clean(paths: Paths, *, everything: bool = False, logs: bool = False) -> list[Entry]:
    """Remove the workspaces, the shared target dir and unfinished staging folders (and, if asked, everything or
    the logs). A folder that is a symbolic link (a target dir moved to a bigger disk) is emptied, the link kept."""
    busy = _busy_apps(paths)
    if busy:
        raise ConfigError(f"a build of {', '.join(busy)} is running", "wait for it to finish, then clean")
    targets = [*_staging(paths), paths.workspaces, paths.cargo_target, paths.runtimes]
    if everything:
        targets = [p for p in (paths.cargo_target, paths.workspaces) if p.is_symlink()] + [paths.cache]
    if logs or everything:
        targets += [paths.logs, paths.records]
    for path in targets:
        if path.is_symlink() and _not_ours(user_path(path)):
            raise ConfigError(
                f"{path} is a link to {user_path(path)}; localpack will not empty that folder",
                f"point {path.name} at a folder of its own, e.g. {user_path(path) / ('localpack-' + path.name)}",
            )
    removed = []
    for path in targets:
        if path.exists() or path.is_symlink():
            size = tree_size(path)
            _remove(path)
            removed.append(Entry(path.name, path, size))
    return removed


def _not_ours(target: Path) -> bool:
    """A folder no cache may be emptied into: the root of a file system, the home folder or one above it."""
    home = user_path(Path.home())
    return target.is_dir() and (target == Path(target.anchor) or home.is_relative_to(target))


def _remove(path: Path) -> None:
    """rmtree, except that a symbolic link to a folder has that folder's contents removed (and stays)."""
    if not path.is_symlink():
        shutil.rmtree(path)
        return
    target = user_path(path)
    if not target.is_dir():
        path.unlink()  # a link to nothing (or to a file) holds nothing to clean
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
