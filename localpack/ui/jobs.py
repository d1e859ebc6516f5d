"""The builds this server runs. Each is `python -m localpack build CONFIG --json --events --out DIR …`, a
child process run through `core.proc` (output streamed line by line, the whole tree killed on Cancel),
so it is exactly a CLI build: the same lock, log, record and exit codes. Only its interface is read:
the JSON lines `--events` writes on stderr (as `localpack.events` objects), and the one `--json` object on
stdout (a `BuildResult`; the two arrive merged).
"""

from __future__ import annotations

import secrets
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localpack import events, jsonio
from localpack.build.result import BuildResult
from localpack.core import proc
from localpack.errors import Interrupted, LocalpackError
from localpack.events import EndEvent, Event

RUNNING, OK, FAILED, CANCELLED = "running", "ok", "failed", "cancelled"


@dataclass(frozen=True)
class Request:
    config: Path
    out: Path
    targets: tuple[str, ...] = ()
    debug: bool = False
    preflight: bool = True
    app: str = ""  # the config's app name, for the page

    def argv(self, runner: str | None) -> list[str]:
        argv = [
            sys.executable,
            "-m",
            "localpack",
            "build",
            str(self.config),
            "--json",
            "--events",
            "--out",
            str(self.out),
        ]
        if self.targets:
            argv += ["--targets", ",".join(self.targets)]
        if self.debug:
            argv.append("--debug")
        if not self.preflight:
            argv.append("--no-preflight")
        if runner:  # only from `localpack ui --runner` (tests, unusual systems), never from a page
            argv += ["--runner", runner]
        return argv


@dataclass
class Job:
    id: str
    request: Request
    runner: str | None = None
    state: str = RUNNING
    events: list[Event] = field(default_factory=list)
    result: BuildResult | None = None
    problem: str = ""  # why the build could not run at all
    cancel: threading.Event = field(default_factory=threading.Event)
    _stdout: list[str] = field(default_factory=list)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def cwd(self) -> Path:
        """The build runs in the config's folder; the result's relative paths are relative to it."""
        return self.request.config.parent

    def start(self) -> Job:
        self._thread = threading.Thread(target=self._run, name=f"build-{self.id}", daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def stop(self) -> None:
        """Cancel: `core.proc` kills the build's whole process tree."""
        self.cancel.set()

    def events_since(self, index: int) -> list[Event]:
        with self._lock:
            return self.events[index:]

    def _add(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def _line(self, line: str) -> None:
        event = events.parse(line)
        if event is None:
            self._stdout.append(line)
        else:
            self._add(event)

    def _run(self) -> None:
        try:
            proc.run(self.request.argv(self.runner), cwd=self.cwd, on_line=self._line, cancel=self.cancel)
            self.result = _result(self._stdout)
            state = OK if self.result and self.result.ok else FAILED
        except Interrupted:
            state = CANCELLED
        except LocalpackError as e:
            self.problem, state = e.message, FAILED
        if self.cancel.is_set():
            state = CANCELLED
        self.state = state
        self._add(EndEvent(state))

    # the result, as the page shows it
    @property
    def error(self) -> dict[str, Any] | None:
        return self.result.error if self.result else None

    def artifacts(self) -> list[dict[str, Any]]:
        """The installers this build produced, with absolute paths, that are still where it put them."""
        out = self.request.out.resolve()
        found = []
        for item in self.result.artifacts if self.result else []:
            path = (self.cwd / item.path).resolve()
            if path.parent == out and path.exists():
                found.append({**item.to_dict(), "path": str(path), "name": path.name, "file": path.is_file()})
        return found

    def download(self, name: str) -> Path | None:
        """A file this build produced, by name; None for anything else."""
        for item in self.artifacts():
            if item["name"] == name and item["file"]:
                return Path(item["path"])
        return None


def _result(lines: list[str]) -> BuildResult | None:
    """The `--json` object: the last block of stdout lines that starts with `{` and parses as a build result."""
    for start in range(len(lines) - 1, -1, -1):
        if lines[start] == "{":
            try:
                value = jsonio.loads("\n".join(lines[start:]))
                return BuildResult.from_json(value) if isinstance(value, dict) else None
            except ValueError:
                continue
    return None


class Jobs:
    """Every build of this server run, by id."""

    def __init__(self, runner: str | None) -> None:
        self.runner = runner
        self._jobs: dict[str, Job] = {}

    def start(self, request: Request) -> Job:
        job = Job(secrets.token_hex(6), request, self.runner)
        self._jobs[job.id] = job
        return job.start()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.state == RUNNING]

    def stop_all(self, timeout: float = 15.0) -> None:
        """Cancel every running build and wait until its process tree is gone."""
        jobs = self.running()
        for job in jobs:
            job.stop()
        for job in jobs:
            job.wait(timeout)
