"""What of a web app's folder (`app.dist`) is shipped, and the names a shipped file may have.

Left out: hidden files and folders (a name starting with `.`: `.git/`, `.env`, `.env.local`, `.DS_Store`,
`.svn/`, `.hg/`, `.#lock` files, `.name.swp`), editors' backups and autosaves (`name~`, `#name#`, `*.swp`,
`*.swo`) and the desktop's folder metadata (`Thumbs.db`, `desktop.ini`): a folder kept in version control or
edited in place holds them, and the app would serve them to its pages. `.well-known/` is kept (sites need
it). `app.dist_include` lists the paths (globs, relative to the folder) to ship anyway.

A shipped file's name, each part of its path, must be one every installer and target file system holds:
  - UTF-8: the package formats, the app's settings and URLs carry names as UTF-8 text;
  - no control characters: dpkg's and rpm's file lists are one name per line, so a newline in a name makes
    a .deb that `dpkg -i` refuses;
  - none of `\\ < > : " | ? *`, no trailing space or dot and no device name (`CON`, `NUL`, `COM1` …):
    Windows cannot hold them, so the msi and nsis installers (and a checkout on Windows) could not;
  - at most 246 bytes: file systems hold 255, and dpkg and rpm unpack each file under a temporary name
    9 bytes longer (`NAME.dpkg-new`, `NAME;XXXXXXXX`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from localpack.errors import ConfigError
from localpack.fsutil import walk_files

WHAT = "web app folder"
KEPT_HIDDEN = frozenset({".well-known"})
JUNK_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})  # compared in lower case, as Windows does
JUNK_SUFFIXES = ("~", ".swp", ".swo")
MAX_NAME_BYTES = 246
WINDOWS_RESERVED = frozenset('\\<>:"|?*')
_DEVICE = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$", re.IGNORECASE)
LISTED = 8  # names the warning lists before "and N more"


@dataclass(frozen=True)
class WebFolder:
    files: list[tuple[str, Path]]  # (relative POSIX path, file to read), sorted: what the app ships
    left_out: list[str]  # relative paths not shipped (a folder as `name/`), sorted

    def warning(self) -> str | None:
        """The one line a build says about what it left out, or None."""
        if not self.left_out:
            return None
        shown = ", ".join(self.left_out[:LISTED])
        more = f" and {len(self.left_out) - LISTED} more" if len(self.left_out) > LISTED else ""
        return (
            f"app.dist: left out {shown}{more} (hidden, backup or desktop files are not shipped); "
            "to ship one, list it in app.dist_include"
        )


def is_left_out(name: str, is_dir: bool) -> bool:
    """A file or folder name the app does not ship unless `app.dist_include` names it."""
    if name.startswith("."):
        return not (is_dir and name in KEPT_HIDDEN)
    if is_dir:
        return False
    return name.lower() in JUNK_FILES or name.endswith(JUNK_SUFFIXES) or (name.startswith("#") and name.endswith("#"))


def name_problem(name: str) -> str | None:
    """Why one part of a shipped path cannot be a file name in every installer, or None."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "is not UTF-8 text (installers and the app's settings carry names as UTF-8): rename it"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name):
        return (
            "holds a control character such as a newline (dpkg and rpm list one file name per line, so the "
            "installer would be refused): rename it"
        )
    bad = sorted(set(name) & WINDOWS_RESERVED)
    if bad:
        return (
            f"holds {' '.join(repr(c) for c in bad)}, which Windows does not allow in a file name "
            "(the msi and nsis installers could not hold it): rename it"
        )
    if name.endswith((" ", ".")):
        return "ends with a space or a dot, which Windows drops from file names: rename it"
    if _DEVICE.match(name):
        return "is a device name on Windows (CON, NUL, COM1 …), which no file may have there: rename it"
    if size > MAX_NAME_BYTES:
        return (
            f"is {size} bytes long; at most {MAX_NAME_BYTES} (file systems hold 255, and dpkg and rpm unpack "
            "each file under a name 9 bytes longer): shorten it"
        )
    return None


def shown(name: str) -> str:
    """A name as one line of text: bytes that are not UTF-8 as `\\xNN`, control characters as `\\n`, `\\t` …"""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def include_problem(pattern: str) -> str | None:
    """Why an `app.dist_include` entry is not a relative path or glob inside the folder, or None."""
    if not pattern.strip():
        return "must not be empty"
    if "\\" in pattern:
        return "must use '/' between folders"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:", pattern):
        return "must be relative to app.dist"
    if any(part in ("..", "") for part in pattern.rstrip("/").split("/")):
        return "must stay inside app.dist (no '..' and no empty parts)"
    return None


def _matches(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """`pattern` (glob parts; `**` any number of parts) matches `parts` or a folder above them."""
    if not pattern:
        return True  # the pattern named a folder this path is in
    if pattern[0] == "**":
        return any(_matches(parts[i:], pattern[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _matches(parts[1:], pattern[1:])


def _may_reach_inside(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """`pattern` could match something inside the folder `parts` (so a left-out folder is still walked)."""
    if not parts or not pattern:
        return True
    if pattern[0] == "**":
        return True
    return fnmatch.fnmatchcase(parts[0], pattern[0]) and _may_reach_inside(parts[1:], pattern[1:])


def collect(root: Path, include: Sequence[str] = ()) -> WebFolder:
    """The files of `root` the app ships, and what it leaves out; `ConfigError` (exit 2) for a shipped file
    whose name no installer can hold, or for the symbolic-link rule of `fsutil.walk_files`."""
    patterns = [pattern.strip("/").split("/") for pattern in include]
    left_out: list[str] = []

    def included(rel: str) -> bool:
        return any(_matches(rel.split("/"), p) for p in patterns)

    def skip(rel: str, is_dir: bool) -> bool:
        """walk_files asks for every entry: True leaves it (a folder, all of it) out."""
        name = rel.rsplit("/", 1)[-1]
        if not is_left_out(name, is_dir) or included(rel):
            return False
        if is_dir and any(_may_reach_inside(rel.split("/"), p) for p in patterns):
            return False  # walked: only what the include names is kept (below)
        left_out.append(rel + "/" if is_dir else rel)
        return True

    files = []
    for rel, path in walk_files(root, WHAT, skip=skip):
        parts = rel.split("/")
        hidden_above = any(is_left_out(part, True) for part in parts[:-1])
        if hidden_above and not included(rel):
            left_out.append(rel)
            continue
        for i, part in enumerate(parts):
            problem = name_problem(part)
            if problem:
                raise ConfigError(
                    f"{root}: the file name '{shown('/'.join(parts[: i + 1]))}' {problem}",
                    "web app folders ship with every installer, whose formats and file systems limit names",
                )
        files.append((rel, path))
    return WebFolder(files, sorted(left_out))
