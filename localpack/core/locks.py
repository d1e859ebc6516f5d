"""The locks that let builds, prefetches, imports and `cache clean` share localpack's cache.

- `app_lock`: `workspaces/<app>.lock`, held by a build, a prefetch or a render of that app's workspace.
- `compile_lock`: `runtimes/.compile.lock`, one runtime compile at a time (`runtimes/src`, the shared target dir).
- `store_lock`: `<cache>/.offline.lock`, an offline import or export (the offline store).
- `gate`: `<cache>/.clean.lock`. `cache clean` holds it while it removes anything, and every other lock is
  taken through it (`take`): so no command starts using the cache while clean removes it, and clean sees, by
  its lock, every command that started before. The gate is held only for the moment a lock is taken, so
  commands never wait for each other there, only for a running clean.

Lock files are never deleted (clean keeps them): a waiter holds the old file open, and a new file at the
same path would be a second, unrelated lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from localpack.errors import ConfigError
from localpack.paths import Paths

__all__ = ["Timeout", "app_idle", "app_lock", "compile_lock", "gate", "held", "store_lock", "take", "try_take"]


def app_lock(paths: Paths, app: str) -> Path:
    return Path(f"{paths.workspace(app)}.lock")


def compile_lock(paths: Paths) -> Path:
    return paths.runtimes / ".compile.lock"


def store_lock(paths: Paths) -> Path:
    return paths.cache / ".offline.lock"


def gate(paths: Paths) -> Path:
    return paths.cache / ".clean.lock"


def is_lock_file(path: Path) -> bool:
    return path.name.endswith(".lock") and path.is_file() and not path.is_symlink()


def try_take(path: Path) -> FileLock | None:
    """`path`'s lock if it is free right now (taken), else None. For `cache clean`, which holds the gate."""
    if not path.is_file():
        return None  # no command made it yet; one that starts now passes the gate, which the caller holds
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    return lock


def take(
    paths: Paths, path: Path, *, timeout: float | None = None, warn: Callable[[str], None] | None = None, busy: str = ""
) -> FileLock:
    """Take `path`'s lock through the gate and return it held; waits up to `timeout` (None: as long as it takes)
    for a running `cache clean`, then for the lock (saying `busy` through `warn` first). Raises `Timeout`."""
    wait = -1 if timeout is None else timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    paths.cache.mkdir(parents=True, exist_ok=True)
    door = FileLock(str(gate(paths)))
    try:
        door.acquire(timeout=0)
    except Timeout:
        if warn:
            warn("`localpack cache clean` is running; waiting for it to finish (Ctrl-C to stop)")
        door.acquire(timeout=wait)
    lock = FileLock(str(path))
    try:
        try:
            lock.acquire(timeout=0)
            return lock
        except Timeout:
            pass
    finally:
        door.release()
    if warn and busy:
        warn(busy)
    lock.acquire(timeout=wait)  # outside the gate: a clean meanwhile sees this lock held and leaves it alone
    return lock


@contextlib.contextmanager
def held(
    paths: Paths, path: Path, *, timeout: float | None = None, warn: Callable[[str], None] | None = None, busy: str = ""
) -> Iterator[None]:
    lock = take(paths, path, timeout=timeout, warn=warn, busy=busy)
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def app_idle(paths: Paths, app: str) -> Iterator[None]:
    """Hold `app`'s lock for a short step on its workspace (a render), refusing while a build or clean uses it."""
    try:
        lock = take(paths, app_lock(paths, app), timeout=0)
    except Timeout:
        raise ConfigError(
            f"the workspace of {app} is in use (a build, prefetch or `cache clean` is running)",
            "try again when it is done, or render elsewhere with --out DIR",
        ) from None
    try:
        yield
    finally:
        lock.release()
