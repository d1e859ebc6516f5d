"""A failed Tauri CLI or cargo run → one `BuildFailed` with the cause and its fix, or the compiler's own words."""

from __future__ import annotations

import re
from pathlib import Path

from localpack.core import proc
from localpack.errors import BuildFailed

_CARGO_ERROR = re.compile(r"^\s*error(\[E\d+\])?:")


def failure(done: proc.Completed, log_path: Path) -> BuildFailed:
    from localpack.core.diagnose import diagnose  # lazy: ~40 patterns compiled on import; only a failure needs them

    found = diagnose(done.lines)
    if found:
        return BuildFailed(f"build failed: {found.summary}", f"{found.hint} (full log: {log_path})", cause=found.id)
    # The compiler's own first error says most; the Tauri CLI's closing "failed to build app" says least.
    last = next((line.strip() for line in done.lines if _CARGO_ERROR.match(line)), "") or next(
        (line.strip() for line in reversed(done.lines) if "error" in line.lower()), ""
    )
    detail = f": {last}" if last else f" (exit {done.returncode})"
    return BuildFailed(f"build failed{detail}", f"the full log is {log_path}")
