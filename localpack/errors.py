"""Typed errors. Each carries the process exit code, a one-line message and a hint.

Exit codes are part of the contract (docs/architecture.md): 1 internal, 2 invalid input,
3 build failed or timed out, 4 tool missing, 5 report not sent, 130 interrupted.
"""

from __future__ import annotations


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
