"""A build's progress, read from cargo's and the Tauri CLI's output, and shown three ways.

Phases: resolving → compiling N/M crates → bundling <format> → done. M is known before the first
compile (the runtime's Cargo.lock or `cargo metadata`), so the bar moves from the start.

- On a terminal: a live bar (rich) with the phase, crates N/M, the crate being compiled and the elapsed
  time, redrawn while the build is silent (a long link); notes (what is reused) print above it.
- With `events`: one JSON line per change on the stream (`localpack/events.py`: `ProgressEvent`, `LineEvent`,
  `NoteEvent`), for programs that drive localpack (`localpack ui`).
- `verbose`: the raw output. Otherwise (a log, CI) nothing but the notes.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from localpack.core.tauri_output import (
    BUILT,
    BUNDLES_FINISHED,
    BUNDLING,
    COMPILING,
    RESOLVING,
    bundle_format,
)
from localpack.events import Event, LineEvent, NoteEvent, ProgressEvent, to_line


def crate_count(cargo_lock: Path) -> int | None:
    """How many packages a lock file holds: the M of "compiling N/M" when nothing better is known."""
    try:
        return cargo_lock.read_text(encoding="utf-8").count("[[package]]") or None
    except OSError:
        return None


@dataclass
class Progress:
    """Tracks the phase from output lines; draws it live on a terminal or emits it as events."""

    total_crates: int | None = None
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    verbose: bool = False
    events: bool = False
    phase: str = "starting"
    detail: str = ""
    compiled: int = 0
    crate: str = ""
    tick_s: float = 0.5
    _started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _live: Any = None  # the rich view while it runs

    def __enter__(self) -> Progress:
        if self.live:
            self._live = _LiveView(self.stream, self.tick_s)
            self._live.start()
            self._live.update(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def live(self) -> bool:
        return not self.verbose and not self.events and self.stream.isatty()

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self._started

    def set_phase(self, phase: str, detail: str = "") -> None:
        with self._lock:
            self.phase, self.detail = phase, detail
            self._show()

    def note(self, text: str) -> None:
        """A sentence the user should read whatever the display (e.g. which runtime is reused)."""
        with self._lock:
            if self.events:
                self._emit(NoteEvent(text))
            elif self._live is not None:
                self._live.note(text)
            else:
                print(text, file=self.stream, flush=True)

    def feed(self, line: str) -> None:
        """Take one output line of the build."""
        if self.verbose:
            print(line, file=self.stream, flush=True)
        elif self.events:
            with self._lock:
                self._emit(LineEvent(line))
        phase, detail = self.phase, self.detail
        if m := COMPILING.match(line):
            self.compiled += 1
            self.crate = m.group(1)
            total = f"/{self.total_crates}" if self.known_total else ""
            noun = "crate" if self.compiled == 1 and not total else "crates"
            phase, detail = "compiling", f"{self.compiled}{total} {noun} ({self.crate})"
        elif BUNDLES_FINISHED.match(line):
            phase, detail = "done", ""
        elif m := BUNDLING.match(line):
            phase, detail = "bundling", bundle_format(m.group(1)) or m.group(1)
        elif BUILT.match(line):
            phase, detail = "bundling", ""
        elif RESOLVING.match(line) and self.phase in ("starting", "resolving"):
            phase, detail = "resolving", line.strip()
        if (phase, detail) != (self.phase, self.detail):
            self.set_phase(phase, detail)

    @property
    def known_total(self) -> bool:
        return bool(self.total_crates) and self.total_crates >= self.compiled  # type: ignore[operator]

    def _show(self) -> None:
        if self.events:
            self._emit(
                ProgressEvent(
                    self.phase,
                    self.detail,
                    self.compiled,
                    self.total_crates if self.known_total else None,
                    self.crate or None,
                    round(self.elapsed_s, 1),
                )
            )
        elif self._live is not None:
            self._live.update(self)

    def _emit(self, event: Event) -> None:
        self.stream.write(to_line(event) + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Stop the live view so the summary starts on a clean line."""
        with self._lock:
            if self._live is not None:
                self._live.stop()
                self._live = None


class _LiveView:
    """rich's progress bar on a terminal; it redraws on its own, so the elapsed time moves during silences."""

    def __init__(self, stream: TextIO, tick_s: float) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bar

        console = Console(file=stream, force_terminal=True, highlight=False)
        self.bar = Bar(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[phase]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            refresh_per_second=max(1 / tick_s, 1),
        )
        self.task = self.bar.add_task("build", total=None, phase="starting", detail="")

    def start(self) -> None:
        self.bar.start()

    def update(self, p: Progress) -> None:
        total = p.total_crates if p.phase == "compiling" and p.known_total else None
        detail = p.crate if p.phase == "compiling" else p.detail
        self.bar.update(self.task, total=total, completed=p.compiled if total else 0, phase=p.phase, detail=detail)

    def note(self, text: str) -> None:
        from rich.markup import escape

        self.bar.console.print(escape(text))

    def stop(self) -> None:
        self.bar.stop()
