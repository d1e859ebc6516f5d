"""What the cache and state dirs hold (`cache info`) and freeing them (`cache clean`).

The cargo target dir, the compiled runtimes and the workspaces are rebuilt by the next build; the Tauri
CLI, prefetched offline data and build records are not cleaned unless asked,
because getting them back needs the network or loses history.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from localpack.build import orphans, runtime_cache
from localpack.core import locks
from localpack.errors import ConfigError
from localpack.fsutil import user_path
from localpack.paths import Paths

# Folders a render, an icon set or an offline import builds before renaming them into place; one that is
# still there was interrupted (e.g. `kill -9`). Relative to the cache.
STAGING_GLOBS = ("workspaces/.*.rendering-*", "icons/.tmp-*", ".offline-import-*")
FRESH_S = 600.0  # an icon set's staging folder younger than this may belong to a running icon step


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


@dataclass(frozen=True)
class Cleaned:
    """What `cache clean` removed, and what it left because a command was using it (each with why)."""

    removed: list[Entry]
    skipped: list[tuple[Path, str]]


class _Held:
    """The locks `clean` took while it holds the gate (so no command starts): which apps, compiles, imports are idle."""

    def __init__(self, paths: Paths) -> None:
        self.locks: list[FileLock] = []
        self.busy = [app for app in _apps(paths) if not self._take(locks.app_lock(paths, app))]
        self.compiling = not self._take(locks.compile_lock(paths))
        self.importing = not self._take(locks.store_lock(paths))

    def _take(self, path: Path) -> bool:
        """True when nobody holds `path`'s lock (then this clean holds it)."""
        if not path.exists():
            return True  # no command made it yet, and one that starts now waits at the gate
        lock = locks.try_take(path)
        if lock is not None:
            self.locks.append(lock)
        return lock is not None

    def release(self) -> None:
        for lock in self.locks:
            lock.release()

    @property
    def users(self) -> str:
        """Who is using the shared parts (target dir, runtimes, tools, offline store); "" when nobody is."""
        who = [f"the build of {app}" for app in self.busy]
        who += ["a runtime compile"] if self.compiling else []
        who += ["an offline import or export"] if self.importing else []
        return ", ".join(who)


def clean(paths: Paths, *, everything: bool = False, logs: bool = False) -> Cleaned:
    """Remove the workspaces, the shared target dir and unfinished staging folders (and, if asked, everything or
    the logs), leaving what a running command uses (said in `skipped`). It takes the locks builds take, holding
    their gate (core/locks.py), so nothing starts using the cache meanwhile: a build that starts waits. A folder
    that is a symbolic link (a target dir moved to a bigger disk) is emptied, the link kept; lock files stay."""
    paths.cache.mkdir(parents=True, exist_ok=True)
    with locks.held(paths, locks.gate(paths)):
        held = _Held(paths)
        try:
            return _clean(paths, held, everything=everything, logs=logs)
        finally:
            held.release()


def _clean(paths: Paths, held: _Held, *, everything: bool, logs: bool) -> Cleaned:
    idle = [app for app in _apps(paths) if app not in held.busy]
    for app in idle:
        _refuse_leftovers(orphans.tree_file(paths.workspace(app)), app)
    if not held.compiling:
        _refuse_leftovers(orphans.tree_file(paths.runtime_workspace), "the app runtime")
    plan: list[Path] = []
    skipped = [(paths.workspace(app), f"a build of {app} is running") for app in held.busy]
    for app in idle:
        plan += [paths.workspace(app), orphans.tree_file(paths.workspace(app))]
    staging = _staging(paths)
    for folder in staging:
        owner = _staging_owner(paths, folder)
        if owner in held.busy or (owner == "offline" and held.importing) or (owner == "icons" and _fresh(folder)):
            skipped.append((folder, "a command is still writing it"))
        else:
            plan.append(folder)
    shared = [paths.cargo_target, paths.runtimes]
    if everything:
        for child in sorted(paths.cache.iterdir()):
            if child in (paths.workspaces, *shared, *staging) or locks.is_lock_file(child):
                continue
            if child.name == "icons" and child.is_dir() and not child.is_symlink():
                shared += [p for p in sorted(child.iterdir()) if p not in staging]
            else:
                shared.append(child)
    users = held.users
    for path in shared:
        if not users:
            plan.append(path)
        elif path.exists() or path.is_symlink():
            skipped.append((path, f"in use by {users}"))
    if logs or everything:
        for path in (paths.logs, paths.records):
            if not held.busy:
                plan.append(path)
            elif path.exists():
                skipped.append((path, f"the build of {', '.join(held.busy)} is writing there"))
    for path in plan:
        if path.is_symlink() and _not_ours(user_path(path)):
            raise ConfigError(
                f"{path} is a link to {user_path(path)}; localpack will not empty that folder",
                f"point {path.name} at a folder of its own, e.g. {user_path(path) / ('localpack-' + path.name)}",
            )
    removed = []
    for path in plan:
        if path.exists() or path.is_symlink():
            size = tree_size(path)
            try:
                _remove(path)
            except OSError as e:
                skipped.append((path, f"it could not be removed ({e.strerror or e})"))
                continue
            removed.append(Entry(path.name, path, size))
    return Cleaned(removed, skipped)


def _apps(paths: Paths) -> list[str]:
    """Every app with a workspace or a lock in the cache."""
    root = paths.workspaces
    if not root.is_dir():
        return []
    return sorted(
        {
            p.name.removesuffix(".lock")
            for p in root.iterdir()
            if not p.name.startswith(".") and (p.is_dir() or locks.is_lock_file(p))
        }
    )


def _staging_owner(paths: Paths, folder: Path) -> str:
    """Whose unfinished folder this is: an app's (`workspaces/.<app>.rendering-*`), "offline" or "icons"."""
    if folder.parent == paths.workspaces:
        return folder.name[1:].split(".rendering-", 1)[0]
    return "icons" if folder.parent.name == "icons" else "offline"


def _fresh(folder: Path) -> bool:
    """An icon set's staging folder, which no lock guards: one changed in the last minutes may still be written."""
    try:
        return time.time() - folder.stat().st_mtime < FRESH_S
    except OSError:
        return False


def _refuse_leftovers(tree: Path, what: str) -> None:
    left = orphans.leftovers(tree)
    if left:
        raise ConfigError(
            f"a killed build of {what} left processes running ({', '.join(map(str, left))})",
            f"build again (it stops them first), or `kill {' '.join(map(str, left))}`",
        )


def _not_ours(target: Path) -> bool:
    """A folder no cache may be emptied into: the root of a file system, the home folder or one above it."""
    home = user_path(Path.home())
    return target.is_dir() and (target == Path(target.anchor) or home.is_relative_to(target))


def _remove(path: Path) -> None:
    """rmtree, except that a symbolic link to a folder has that folder's contents removed (and stays), and lock
    files stay (a command may be waiting on one, see core/locks.py)."""
    if path.is_symlink():
        target = user_path(path)
        if target.is_dir():
            _empty(target)
        else:
            path.unlink()  # a link to nothing (or to a file) holds nothing to clean
    elif path.is_dir():
        _empty(path)
        if not any(path.iterdir()):
            path.rmdir()
    elif not locks.is_lock_file(path):
        path.unlink(missing_ok=True)


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        elif not locks.is_lock_file(child):
            child.unlink()
