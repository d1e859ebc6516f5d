"""`--out`: the folder installers go to, and what localpack may do there.

Checked before a build starts (`check`), so a bad `--out` costs no build and writes nothing:
- it is a folder, or a path where one can be made: not a file, `/dev/null`, `/proc/x` or a read-only place;
- it is new, empty, or localpack's: it holds `.localpack-artifacts.json`, which names the app each
  installer there came from. A non-empty folder without it (`/`, `~`, a project folder, a folder with a
  SHA256SUMS of your own) is refused, as `render` refuses one; that manifest and SHA256SUMS must be
  regular files and the manifest valid;
- it is not inside localpack's cache or state (`cache clean` would delete the installers).

Collecting (`build.artifacts.collect`) holds `lock(out)` from reading the manifest to writing it and
SHA256SUMS again, so builds of different apps into one `--out` at the same time keep every entry.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from localpack.errors import BuildFailed, ConfigError
from localpack.fsutil import check_output_folder
from localpack.paths import Paths

MANIFEST = ".localpack-artifacts.json"
SUMS = "SHA256SUMS"
LOCK = ".localpack-artifacts.lock"
LOCK_WAIT_S = 600.0
STAGING = ".copying"  # the suffix of what collecting stages in `--out` before it commits (`.NAME.<random>.copying`)
_PLAIN_NAME = re.compile(r"^[^./\\][^/\\]*$")
# Names localpack itself leaves for a moment while another build collects (staging copies, atomic-write temps).
_TRANSIENT = re.compile(r"^(\.localpack-artifacts\.lock|\..+\.copying|\.(SHA256SUMS|localpack-artifacts\.json)\..+\.tmp)$")


def read_manifest(out: Path) -> dict[str, str]:
    """file name → app, from `out`'s manifest ({} when there is none); `ConfigError` when it is damaged."""
    path = out / MANIFEST
    if not (path.exists() or path.is_symlink()):
        return {}
    damaged = ConfigError(f"--out {out}: {MANIFEST} is damaged or not localpack's",
                          f"remove {path} and the installers it lists, or choose another --out")
    if path.is_symlink() or not path.is_file():
        raise damaged
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise damaged from None
    if not isinstance(files, dict) or not all(isinstance(k, str) and _PLAIN_NAME.match(k) and isinstance(v, str)
                                              for k, v in files.items()):
        raise damaged
    return dict(files)


def check(out: Path, paths: Paths) -> None:
    """Everything about `out` that can be known before the build (see the module's docstring)."""
    for own in (paths.cache, paths.state):
        if out == own or out.is_relative_to(own) or own.is_relative_to(out):
            raise ConfigError(f"--out {out} overlaps localpack's own folder {own}",
                              "pass a folder outside localpack's cache and state, e.g. --out dist")
    if not out.is_dir():
        check_output_folder(out, "--out")  # a file, /dev/null, /proc/x, or a folder that cannot be made
        return
    owners = read_manifest(out)
    sums = out / SUMS
    if (sums.exists() or sums.is_symlink()) and (sums.is_symlink() or not sums.is_file()):
        raise ConfigError(f"--out {out}: {SUMS} there is not a regular file", "move it away, or choose another --out")
    if not owners and not (out / MANIFEST).exists():
        others = sorted(p.name for p in out.iterdir() if not _TRANSIENT.match(p.name))
        if others:
            raise ConfigError(
                f"--out {out} is not empty and localpack did not make it (it holds {', '.join(others[:3])}"
                f"{', …' if len(others) > 3 else ''})",
                "pass a new or empty folder, e.g. --out dist, so nothing of yours is replaced")
    check_output_folder(out, "--out")  # last: only a folder localpack may fill is probed for writing


@contextlib.contextmanager
def lock(out: Path) -> Iterator[None]:
    """One build at a time reads and rewrites `out`'s manifest and SHA256SUMS."""
    from filelock import FileLock, Timeout

    held = FileLock(str(out / LOCK))
    try:
        held.acquire(timeout=LOCK_WAIT_S)
    except Timeout:
        raise BuildFailed(f"another build kept --out {out} busy for {LOCK_WAIT_S:.0f}s",
                          "try again when it is done", cause="busy") from None
    try:
        yield
    finally:
        held.release()
