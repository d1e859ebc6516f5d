"""Typed errors. Each carries the process exit code, a one-line message and a hint.

Exit codes are part of the contract (docs/architecture.md): 1 internal, 2 invalid input,
3 build failed or timed out, 4 tool missing, 5 report not sent, 130 interrupted.
"""

from __future__ import annotations

import errno
import os


class LocalpackError(Exception):
    """Base error: `cli` prints `error: <message>` and `hint: <hint>`, then exits with `exit_code`."""

    exit_code = 1
    code = "internal"  # the `error.code` of `--json` output
    cause: str | None = None  # a diagnosis id, when one is known

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(LocalpackError):
    """Invalid input: a config file, a flag, a path. Nothing has been written."""

    exit_code = 2
    code = "config_invalid"


class FileProblem(LocalpackError):
    """A file or folder localpack must write (or create) cannot be: the disk is full, a file stands where a
    folder must be, no permission, a read-only file system. One line names the path and the cause."""

    exit_code = 2
    code = "file_error"

    @classmethod
    def of(cls, e: OSError, path: os.PathLike[str] | str | None = None, doing: str = "write") -> FileProblem:
        """The error for `e`, met while doing `doing` to `path` (else the path `e` names)."""
        where = path if path is not None else e.filename2 or e.filename  # a copy or a rename: the target
        reason = e.strerror or type(e).__name__
        message = f"cannot {doing} {where}: {reason}" if where is not None else f"cannot {doing} a file: {reason}"
        problem = cls(message, _FILE_HINTS.get(e.errno or 0, "check that path, then run again"))
        problem.cause = "disk_full" if e.errno in _DISK_FULL else None
        return problem


_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FILE_HINTS = {
    **dict.fromkeys(
        _DISK_FULL, "free some space on that disk (`localpack cache clean` frees localpack's cache), then run again"
    ),
    errno.EACCES: "check the permissions of that path, or choose another folder",
    errno.EPERM: "check the permissions of that path, or choose another folder",
    errno.EROFS: "that file system is read-only: choose a folder on another one",
    errno.ENOTDIR: "a file stands where a folder must be: move it away (or point LOCALPACK_HOME at a folder)",
    errno.EEXIST: "a file stands where a folder must be: move it away (or point LOCALPACK_HOME at a folder)",
    errno.EISDIR: "a folder stands where a file must be: move it away",
    errno.ENAMETOOLONG: "use a shorter path",
}
# The errors of the file system (not of a socket or a process): `cli.main()` turns one that escapes into a
# `FileProblem` instead of a crash report.
FILE_ERRNOS = frozenset({*_FILE_HINTS, errno.ELOOP, errno.EIO, errno.EMLINK, errno.ENOENT, errno.EXDEV})


class ToolMissing(LocalpackError):
    """A required tool or library is not installed or too old."""

    exit_code = 4
    code = "toolchain_missing"


class BuildFailed(LocalpackError):
    """The build ran and failed."""

    exit_code = 3
    code = "build_failed"

    def __init__(self, message: str, hint: str = "", cause: str | None = None) -> None:
        super().__init__(message, hint)
        self.cause = cause


class CommandTimeout(BuildFailed):
    """An external command ran past its time limit and was killed with its children."""

    code = "timeout"


class Interrupted(LocalpackError):
    """Ctrl-C (or SIGTERM): the running command tree was stopped."""

    exit_code = 130
    code = "interrupted"
    cause = "interrupted"


class ReportFailed(LocalpackError):
    """A failure report could not be delivered; it is kept on disk for `report --retry`."""

    exit_code = 5
    code = "report_failed"
