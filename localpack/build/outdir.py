"""`--out`: the folder a command writes into, and what localpack may do there.

`check_out` is the one rule for every output folder (`build --out`, `render --out`, `icon --out`), checked
before anything runs, so a bad `--out` costs no build and writes nothing:
- it is a folder, or a path where one can be made: not a file, `/dev/null`, `/proc/x` or a read-only place;
- it is new, empty, or localpack's for that command: it holds the command's manifest
  (`.localpack-artifacts.json` for installers, naming the app each came from; `.localpack-render.json`;
  `.localpack-icons.json`). A non-empty folder without it (`/`, `~`, a project folder, a folder with a
  SHA256SUMS of your own) is refused; for a build, that manifest and SHA256SUMS must be regular files and
  the manifest valid;
- it is not inside localpack's cache, state or config (`cache clean` would delete what lands there);
- it does not overlap the web app's folder (it would be bundled into the app), and nothing the command
  writes replaces a file it reads (the source picture of `icon`).

Collecting (`build.artifacts.collect`) holds `lock(out)` from reading the manifest to writing it and
SHA256SUMS again, so builds of different apps into one `--out` at the same time keep every entry.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from localpack import jsonio
from localpack.config.model import AppConfig
from localpack.errors import BuildFailed, ConfigError
from localpack.fsutil import PROBE_PREFIX, check_output_folder, user_path
from localpack.paths import Paths

MANIFEST = ".localpack-artifacts.json"
SUMS = "SHA256SUMS"
LOCK = ".localpack-artifacts.lock"
LOCK_WAIT_S = 600.0
STAGING = ".copying"  # the suffix of what collecting stages in `--out` before it commits (`.NAME.<random>.copying`)
_PLAIN_NAME = re.compile(r"^[^./\\][^/\\]*$")
# Names localpack itself leaves for a moment while another build checks or collects (staging copies,
# atomic-write temps, the probe of `check_output_folder`).
_TRANSIENT = re.compile(
    r"^(\.localpack-artifacts\.lock|\..+\.copying|\.(SHA256SUMS|localpack-artifacts\.json)\..+\.tmp"
    rf"|{re.escape(PROBE_PREFIX)}.+)$"
)


def read_manifest(out: Path) -> dict[str, str]:
    """file name → app, from `out`'s manifest ({} when there is none); `ConfigError` when it is damaged."""
    path = out / MANIFEST
    if not (path.exists() or path.is_symlink()):
        return {}
    damaged = ConfigError(
        f"--out {out}: {MANIFEST} is damaged or not localpack's",
        f"remove {path} and the installers it lists, or choose another --out",
    )
    if path.is_symlink() or not path.is_file():
        raise damaged
    try:
        files = jsonio.read(path)["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise damaged from None
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and _PLAIN_NAME.match(k) and isinstance(v, str) for k, v in files.items()
    ):
        raise damaged
    return dict(files)


def check_out(
    out: Path,
    paths: Paths,
    *,
    marker: str,
    inputs: Iterable[Path] = (),
    writes: Iterable[str] = (),
    flag: str = "--out",
) -> None:
    """The one rule for the folder a command writes into (`build`, `render` and `icon --out`), before it writes:

    - not inside (or around) localpack's cache, state or config: `cache clean` would delete what lands there,
      and a render there would be taken for localpack's own;
    - not overlapping a folder the command reads (the web app's `app.dist`: it would be bundled into the app),
      and none of the files it writes (`writes`, relative to `out`) is one it reads (the source picture);
    - a folder, or a path where one can be made (not a file, `/dev/null`, `/proc/x`, a read-only place);
    - new, empty, or localpack's for this command: it holds `marker` (the manifest the command writes there),
      so nothing of the user's in a non-empty folder (`/`, `~`, a project folder) is ever replaced.
    """

    def refuse(why: str, hint: str) -> ConfigError:
        return ConfigError(f"{flag} {out} {why}", hint)

    written = {out / name for name in writes}
    for source in inputs:
        if source.is_dir() and _overlap(out, source):
            raise refuse(
                f"overlaps the web app folder {source}: what is written there would end up inside the app",
                f"pass another folder, e.g. {flag} installers",
            )
        if source in written:
            raise refuse(
                f"would overwrite {source}, which this command reads",
                f"pass another folder to {flag}, so the source stays as it is",
            )
    for own in (paths.cache, paths.state, paths.config):
        if _overlap(out, own):
            raise refuse(
                f"overlaps localpack's own folder {own}",
                f"pass a folder outside localpack's cache and state, e.g. {flag} dist",
            )
    if not out.is_dir():
        check_output_folder(out, flag)  # a file, /dev/null, /proc/x, or a folder that cannot be made
        return
    if not (out / marker).exists():
        others = sorted(p.name for p in out.iterdir() if not _TRANSIENT.match(p.name))
        if others:
            raise refuse(
                f"is not empty and localpack did not make it (it holds {', '.join(others[:3])}"
                f"{', …' if len(others) > 3 else ''})",
                f"pass a new or empty folder to {flag}, e.g. {flag} dist, so nothing of yours is replaced",
            )
    check_output_folder(out, flag)  # last: only a folder localpack may fill is probed for writing


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def config_inputs(cfg: AppConfig) -> list[Path]:
    """What a build or render of `cfg` reads from the user's disk: the web app folder, the icon, injected files,
    the config file itself."""
    found = [cfg.app.dist, cfg.app.icon, *cfg.behavior.inject, cfg.source]
    return [user_path(p) for p in found if p is not None]


def check(out: Path, paths: Paths, inputs: Iterable[Path] = ()) -> None:
    """`build --out`: the one rule (`check_out`), and a manifest and SHA256SUMS there that localpack can read."""
    check_out(out, paths, marker=MANIFEST, inputs=inputs)
    if not out.is_dir():
        return
    read_manifest(out)
    sums = out / SUMS
    if (sums.exists() or sums.is_symlink()) and (sums.is_symlink() or not sums.is_file()):
        raise ConfigError(f"--out {out}: {SUMS} there is not a regular file", "move it away, or choose another --out")


@contextlib.contextmanager
def lock(out: Path) -> Iterator[None]:
    """One build at a time reads and rewrites `out`'s manifest and SHA256SUMS."""
    from filelock import FileLock, Timeout

    held = FileLock(str(out / LOCK))
    try:
        held.acquire(timeout=LOCK_WAIT_S)
    except Timeout:
        raise BuildFailed(
            f"another build kept --out {out} busy for {LOCK_WAIT_S:.0f}s", "try again when it is done", cause="busy"
        ) from None
    try:
        yield
    finally:
        held.release()
