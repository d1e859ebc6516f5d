"""A build's phase, read from cargo's and the Tauri CLI's output, shown as one live line.

Phases: resolving → compiling N/M crates → bundling <format> → done. M comes from
the workspace's Cargo.lock when a previous build wrote one. On a terminal the line
is redrawn in place; when stderr is not a terminal nothing is drawn (logs and CI
output stay clean), and `--verbose` prints the raw output instead.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

_COMPILING = re.compile(r"^\s*Compiling (\S+) v")
_RESOLVING = re.compile(r"^\s*(Updating|Downloading|Downloaded|Locking|Adding|Blocking)\b")
_BUILT = re.compile(r"^\s*(Finished `|Built application at)")
_BUNDLING = re.compile(r"^\s*Bundling (\S+)")
_DONE = re.compile(r"^\s*Finished \d+ bundles? at")
BUNDLE_SUFFIXES = {".deb": "deb", ".rpm": "rpm", ".appimage": "appimage", ".msi": "msi", ".exe": "nsis",
                   ".app": "app", ".dmg": "dmg"}


def crate_count(cargo_lock: Path) -> int | None:
    """How many packages the last build locked, for the M of "compiling N/M"."""
    try:
        return cargo_lock.read_text(encoding="utf-8").count("[[package]]") or None
    except OSError:
        return None


@dataclass
class Progress:
    """Tracks the phase from output lines and draws it when `stream` is a terminal."""

    total_crates: int | None = None
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    verbose: bool = False
    phase: str = "starting"
    detail: str = ""
    compiled: int = 0
    _started: float = field(default_factory=time.monotonic)
    tick_s: float = 1.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _drawn: bool = False
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> "Progress":
        """Redraw every `tick_s` so the elapsed time moves during silent steps (linking can take minutes)."""
        if self.live:
            threading.Thread(target=self._tick, name="progress", daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self.close()

    def _tick(self) -> None:
        while not self._stop.wait(self.tick_s):
            with self._lock:
                self._draw()

    @property
    def live(self) -> bool:
        return not self.verbose and self.stream.isatty()

    def set_phase(self, phase: str, detail: str = "") -> None:
        with self._lock:
            self.phase, self.detail = phase, detail
            self._draw()

    def feed(self, line: str) -> None:
        """Take one output line of the build."""
        if self.verbose:
            print(line, file=self.stream, flush=True)
        phase, detail = self.phase, self.detail
        if m := _COMPILING.match(line):
            self.compiled += 1
            total = f"/{self.total_crates}" if self.total_crates and self.total_crates >= self.compiled else ""
            noun = "crate" if self.compiled == 1 and not total else "crates"
            phase, detail = "compiling", f"{self.compiled}{total} {noun} ({m.group(1)})"
        elif _DONE.match(line):
            phase, detail = "done", ""
        elif m := _BUNDLING.match(line):
            phase, detail = "bundling", bundle_format(m.group(1)) or m.group(1)
        elif _BUILT.match(line):
            phase, detail = "bundling", ""
        elif _RESOLVING.match(line) and self.phase in ("starting", "resolving"):
            phase, detail = "resolving", line.strip()
        if (phase, detail) != (self.phase, self.detail):
            self.set_phase(phase, detail)

    def _draw(self) -> None:
        if not self.live:
            return
        elapsed = time.monotonic() - self._started
        text = f"{self.phase} {self.detail}".strip()
        self.stream.write(f"\r\033[K{text} [{elapsed:.0f}s]")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Clear the live line so the summary starts on a clean line."""
        with self._lock:
            if self._drawn:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._drawn = False


def bundle_format(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in BUNDLE_SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    return None
