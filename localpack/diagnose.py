"""Failed build log → a known cause, a one-line explanation and a fix hint.

(The rule table is filled in by the diagnosis issue; this is the interface the build uses.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnosis:
    id: str  # stable cause id, e.g. "webkit2gtk_missing"
    summary: str  # one line: what went wrong
    hint: str  # what to do about it
    line: str  # the log line that matched


def diagnose(lines: Sequence[str]) -> Diagnosis | None:
    """The first known cause found in a build log, or None."""
    return None
