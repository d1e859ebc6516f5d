"""Files and folders: atomic writes, digests, private state files, and reading what a user points at.

What a user points at is untrusted: `read_user_file` reads only regular files (a FIFO or a device
would block or never end) up to a size bound, and `walk_files` applies localpack's one rule for
symbolic links in a folder it copies (see its docstring). Both raise `ConfigError` (exit 2).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath
from typing import IO

from localpack.errors import ConfigError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Replace `path` with `data` so readers see the old or the new file, never half of one.

    The file gets `mode`, or the permissions a plain `open()` would give it (0666 minus the umask);
    mkstemp's 0600 would hide installers and checksums from other users.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return path


def open_private_log(path: Path) -> IO[str]:
    """A line-buffered UTF-8 text file for appending, created 0600 in a 0700 folder."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    return open(fd, "a", encoding="utf-8", buffering=1)


# ---------------------------------------------------------------- what a user points at
def user_path(path: Path | str) -> Path:
    """An absolute, link-free form of a path a user gave (`~` expanded). Unlike `Path.resolve()` on
    Python < 3.13 it does not raise on a symbolic-link loop: the loop is reported where the path is used."""
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


def walk_files(root: Path, what: str = "folder") -> list[tuple[str, Path]]:
    """Every regular file under `root` to copy, as (relative POSIX path, file to read), sorted.

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


def check_output_folder(path: Path, flag: str) -> None:
    """`path` is a folder localpack can write into, or one it can create; else `ConfigError`.

    Nothing is left behind: the folders made to find out are removed again.
    """
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise ConfigError(f"{flag} {path} exists and is not a folder", f"pass a folder (new or existing) to {flag}")
        try:
            fd, probe = tempfile.mkstemp(dir=path, prefix=".localpack-probe-")
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise ConfigError(
                f"{flag} {path}: cannot write into this folder ({e.strerror or e})",
                f"pass a folder you can write to {flag}",
            ) from None
        return
    missing = []
    existing = path
    while not (existing.exists() or existing.is_symlink()) and existing != existing.parent:
        missing.append(existing)
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{flag} {path}: {existing} is not a folder", f"pass another folder to {flag}")
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
    except OSError as e:
        raise ConfigError(
            f"{flag} {path}: cannot create this folder ({e.strerror or e})", f"pass a folder you can write to {flag}"
        ) from None
    finally:
        for folder in reversed(made):
            folder.rmdir()
