"""Files and folders: atomic writes, digests, private state files, and reading what a user points at.

What a user points at is untrusted: `read_user_file` reads only regular files (a FIFO or a device
would block or never end) up to a size bound, and `walk_files` applies localpack's one rule for
symbolic links in a folder it copies (see its docstring). Both raise `ConfigError` (exit 2).

What localpack writes goes through `write_atomic`, `write_file`, `make_dirs` and the private state files
(or `writing_into` around code that writes on its own): a write the file system refuses (a full disk, a
file where a folder must be) is a `FileProblem` (exit 2) naming the path and the cause, never a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from localpack.errors import FILE_ERRNOS, ConfigError, FileProblem

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
PROBE_PREFIX = ".localpack-probe-"  # what `check_output_folder` makes for a moment to try a folder out
NAME_MAX = 255  # bytes in one file name, on the file systems localpack writes to


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Replace `path` with `data` so readers see the old or the new file, never half of one.

    The file gets `mode`, or the permissions a plain `open()` would give it (0666 minus the umask);
    mkstemp's 0600 would hide installers and checksums from other users. A failure (a full disk, a file
    where its folder must be) is a `FileProblem` naming `path` and the cause, and leaves no temporary file.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # `.NAME.XXXXXXXX.tmp` beside the file, unless that would pass the file system's 255 bytes
        prefix = f".{path.name}." if len(os.fsencode(path.name)) <= NAME_MAX - 16 else ".localpack-"
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except OSError as e:
        raise FileProblem.of(e, path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~umask())
        os.replace(tmp, path)
    except OSError as e:  # a full disk, a quota, a file grown past the size limit
        Path(tmp).unlink(missing_ok=True)
        raise FileProblem.of(e, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes | str) -> None:
    """Write a new file into a folder localpack is filling (a staging folder, the config's folder); unlike
    `write_atomic` it replaces nothing in place. A failure is a `FileProblem` naming `path` and the cause."""
    try:
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as e:
        raise FileProblem.of(e, path) from None


def make_dirs(path: Path) -> Path:
    """`path` and its missing parents, as `mkdir -p`; a failure (a file in the way, a full disk) is a
    `FileProblem` naming the folder."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FileProblem.of(e, e.filename or path, "create the folder") from None
    return path


@contextlib.contextmanager
def writing_into(folder: Path) -> Iterator[None]:
    """Within it, an OSError of the file system (a full disk, no permission) becomes a `FileProblem` naming the
    file, or `folder` when the error names none (a failed `write()` does not): for code that writes on its own."""
    try:
        yield
    except OSError as e:
        if e.errno not in FILE_ERRNOS:
            raise
        raise FileProblem.of(e, None if e.filename or e.filename2 else folder) from None


def file_digest(path: Path, algo: str = "sha256") -> str:
    """Hex digest of a file, read in chunks (installers and crates can be large)."""
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- state files (logs, records)
def private_dir(path: Path) -> Path:
    """A folder of localpack's state (logs, records): made 0700 when localpack creates it."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    except OSError as e:
        raise FileProblem.of(e, path, "create the folder") from None
    return path


class _Log(io.TextIOWrapper):
    """A text file whose failed writes (a full disk) are `FileProblem`s naming it: a `write()` error names
    no file, and a log is written from deep inside a build."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as e:
            raise FileProblem.of(e, self.name) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as e:
            raise FileProblem.of(e, self.name) from None


def open_private_log(path: Path) -> IO[str]:
    """A line-buffered UTF-8 text file for appending, created 0600 in a 0700 folder."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    except OSError as e:
        raise FileProblem.of(e, path) from None
    raw = io.FileIO(fd, "a")
    raw.name = str(path)  # type: ignore[misc]  # what `name` (and a FileProblem) says, instead of the fd number
    return _Log(io.BufferedWriter(raw), encoding="utf-8", line_buffering=True)


# ---------------------------------------------------------------- what a user points at
def unwritable_char(text: str) -> str | None:
    """The first character of `text` that no file name and no UTF-8 file can hold: a NUL, or half of a
    UTF-16 surrogate pair (what a byte that is not UTF-8 becomes in a command-line argument)."""
    if "\0" in text:
        return "\0"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            return text[e.start]
    return None


def unknown_home(text: str) -> str | None:
    """The `~name` that `text` starts with when it expands to no folder (no such user, or no home at all)."""
    if not text.startswith("~"):
        return None
    first = re.split(r"[/\\]", text, maxsplit=1)[0]
    return first if os.path.expanduser(first) == first else None


def path_problem(text: str) -> str | None:
    """Why `text` cannot name a file on this machine (a NUL byte, a character that is not text, `~nobody`);
    None when it can. The words follow the path: "'a\\x00b' holds a NUL byte"."""
    char = unwritable_char(text)
    if char == "\0":
        return "holds a NUL byte, which no file name can"
    if char is not None:
        return f"holds {char!r}, which is not text (a byte that is not UTF-8?)"
    home = unknown_home(text)
    if home is not None:
        return f"starts with {home}, but this machine has no such user (or no home folder)"
    return None


def user_path(path: Path | str) -> Path:
    """An absolute, link-free form of a path a user gave (`~` expanded). Unlike `Path.resolve()` on
    Python < 3.13 it does not raise on a symbolic-link loop: the loop is reported where the path is used.
    A path that cannot name a file (`path_problem`) is a `ConfigError` naming it."""
    problem = path_problem(str(path))
    if problem:
        raise ConfigError(f"{str(path)!r} {problem}", "give the path of a file or folder of this machine")
    return Path(os.path.realpath(os.path.expanduser(path)))


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_user_file(path: Path, what: str, hint: str, limit: int = 16 << 20) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes.

    Opened without blocking and checked on the open file, so a FIFO, a device or a folder is refused
    instead of hanging or reading forever; every OSError becomes a `ConfigError` naming `what`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what}", hint) from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a {what}", hint) from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the {what} ({e.strerror or e})", hint) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = _kind(mode)
        raise ConfigError(
            f"{path}: is {kind}, not a {what}"
            if kind != "not a regular file"
            else f"{path}: not a regular file, so not a {what}",
            hint,
        )
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(limit + 1)
        except OSError as e:
            raise ConfigError(f"{path}: cannot read the {what} ({e.strerror or e})", hint) from None
    if len(data) > limit:
        raise ConfigError(f"{path}: too large for a {what} (more than {limit // (1 << 20) or 1} MiB)", hint)
    return data


def walk_files(
    root: Path, what: str = "folder", skip: Callable[[str, bool], bool] | None = None
) -> list[tuple[str, Path]]:
    """Every regular file under `root` to copy, as (relative POSIX path, file to read), sorted.

    `skip(relative path, is a folder)` is asked about every entry first: True leaves it out (a folder with
    all it holds, unread), before the rules below look at it.

    The rule for symbolic links: a link whose target lies inside `root` (a file or a folder) is
    followed, and its files are copied under the link's name; a link that leads outside `root`,
    points to nothing or loops back into a folder it is in is refused, as is anything that is
    neither a file nor a folder (a FIFO, socket or device). Refusals are `ConfigError`s naming the link.
    """
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []

    def refuse(rel: PurePosixPath, why: str, hint: str) -> ConfigError:
        return ConfigError(f"{root}: {rel.as_posix()} {why}", hint)

    def visit(folder: Path, rel: PurePosixPath, inside: frozenset[Path]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            raise ConfigError(
                f"{root}: cannot read {rel.as_posix() or 'the ' + what} ({e.strerror or e})",
                "check the folder's permissions",
            ) from None
        for entry in entries:
            path, name = Path(entry.path), rel / entry.name
            if skip is not None and skip(name.as_posix(), _is_dir(entry)):
                continue
            if entry.is_symlink():
                try:
                    path = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    raise refuse(
                        name,
                        f"is a symbolic link to {os.readlink(entry.path)!r}, which does not exist (or loops)",
                        "remove the link, or point it at a file inside the folder",
                    ) from None
                if not path.is_relative_to(real_root):
                    raise refuse(
                        name,
                        f"is a symbolic link that leaves the {what} (to {path})",
                        "copy that file into the folder instead: links are followed only inside it",
                    )
            try:
                mode = path.stat().st_mode
            except OSError as e:
                raise refuse(name, f"cannot be read ({e.strerror or e})", "check its permissions") from None
            if stat.S_ISDIR(mode):
                if path in inside:
                    raise refuse(
                        name,
                        "is a symbolic link back to a folder that contains it",
                        "remove the link: it would copy the folder into itself forever",
                    )
                visit(path, name, inside | {path})
            elif stat.S_ISREG(mode):
                found.append((name.as_posix(), path))
            else:
                raise refuse(name, f"is {_kind(mode)}, not a file or a folder", "remove it from the folder")

    visit(real_root, PurePosixPath(), frozenset({real_root}))
    return sorted(found)


def _is_dir(entry: os.DirEntry) -> bool:
    """A folder, or a link to one (a link that cannot be followed counts as a file)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def check_output_folder(path: Path, flag: str) -> None:
    """`path` is a folder localpack can write into, or one it can create; else `ConfigError`.

    Nothing is left behind, and nothing shows for a moment where another command looks: a folder that does not
    exist yet is tried out inside a new private folder beside it (so two builds starting together into one new
    `--out` never see each other's attempt), and the probe file in an existing folder is one that `--out`'s
    check knows to be transient (`.localpack-probe-*`).
    """
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise ConfigError(f"{flag} {path} exists and is not a folder", f"pass a folder (new or existing) to {flag}")
        try:
            fd, probe = tempfile.mkstemp(dir=path, prefix=PROBE_PREFIX)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise ConfigError(
                f"{flag} {path}: cannot write into this folder ({e.strerror or e})",
                f"pass a folder you can write to {flag}",
            ) from None
        return
    missing: list[str] = []
    existing = path
    while not (existing.exists() or existing.is_symlink()) and existing != existing.parent:
        missing.append(existing.name)
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{flag} {path}: {existing} is not a folder", f"pass another folder to {flag}")
    trial: Path | None = None
    try:
        trial = Path(tempfile.mkdtemp(dir=existing, prefix=PROBE_PREFIX))
        trial.joinpath(*reversed(missing)).mkdir(parents=True)
    except OSError as e:
        raise ConfigError(
            f"{flag} {path}: cannot create this folder ({e.strerror or e})", f"pass a folder you can write to {flag}"
        ) from None
    finally:
        if trial is not None:
            shutil.rmtree(trial, ignore_errors=True)
