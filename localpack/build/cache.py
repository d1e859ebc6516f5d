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

from localpack.build import runtime
from localpack.errors import ConfigError
from localpack.paths import Paths


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    size: int
    note: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "path": str(self.path), "size": self.size, "note": self.note}


def tree_size(path: Path) -> int:
    """Bytes under `path`, without following links; 0 if it does not exist."""
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
    ws_root = paths.cache / "workspaces"
    if ws_root.is_dir():
        for ws in sorted(p for p in ws_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            rows.append(Entry(f"workspace {ws.name}", ws, tree_size(ws)))
    rows.append(Entry("cargo target (shared)", paths.cargo_target, tree_size(paths.cargo_target),
                      "compiled dependencies of every app"))
    for rt in runtime.entries(paths):
        rows.append(Entry(f"runtime {rt.variant.id}", rt.folder, tree_size(rt.folder),
                          f"{rt.variant.describe()}; {runtime.age(rt)}"))
    known = {paths.cache / "workspaces", paths.cargo_target, runtime.root(paths)}
    if paths.cache.is_dir():
        for other in sorted(p for p in paths.cache.iterdir() if p.is_dir() and p not in known):
            rows.append(Entry(other.name, other, tree_size(other)))
    rows.append(Entry("logs", paths.logs, tree_size(paths.logs)))
    count = len(list(paths.records.glob("*.json"))) if paths.records.is_dir() else 0
    rows.append(Entry("build records", paths.records, tree_size(paths.records), f"{count} builds"))
    return rows


def _busy_apps(paths: Paths) -> list[str]:
    from filelock import FileLock, Timeout

    busy = []
    ws_root = paths.cache / "workspaces"
    for lock_path in sorted(ws_root.glob("*.lock")) if ws_root.is_dir() else []:
        lock = FileLock(str(lock_path))
        try:
            lock.acquire(timeout=0)
            lock.release()
        except Timeout:
            busy.append(lock_path.stem)
    return busy


def clean(paths: Paths, *, everything: bool = False, logs: bool = False) -> list[Entry]:
    """Remove the workspaces and the shared target dir (and, if asked, everything or the logs)."""
    busy = _busy_apps(paths)
    if busy:
        raise ConfigError(f"a build of {', '.join(busy)} is running", "wait for it to finish, then clean")
    targets = [paths.cache / "workspaces", paths.cargo_target, runtime.root(paths)]
    if everything:
        targets = [paths.cache]
    if logs or everything:
        targets += [paths.logs, paths.records]
    removed = []
    for path in targets:
        if path.exists():
            size = tree_size(path)
            shutil.rmtree(path)
            removed.append(Entry(path.name, path, size))
    return removed
