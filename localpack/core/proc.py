"""The one wrapper through which localpack runs every external command.

It logs the command, streams merged stdout/stderr line by line (to a callback
and to the log file, secrets masked), enforces a timeout, and on timeout or
Ctrl-C stops the whole process tree: children first, SIGTERM, then SIGKILL
after a grace period. The child runs in its own session so a terminal's
Ctrl-C reaches localpack only, and localpack decides how the tree ends.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from localpack.errors import CommandTimeout, Interrupted, ToolMissing
from localpack.core.redact import redact

log = logging.getLogger("localpack.proc")

GRACE_SECONDS = 3.0
TAIL_LINES = 5000


@dataclass
class Completed:
    cmd: list[str]
    returncode: int
    lines: list[str]  # the last TAIL_LINES lines of merged output, secrets masked
    duration_s: float

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def kill_tree(pid: int, grace: float = GRACE_SECONDS) -> None:
    """Terminate `pid` and every descendant; kill what is still alive after `grace` seconds."""
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    try:
        procs = root.children(recursive=True)
    except psutil.NoSuchProcess:
        procs = []
    procs = [*procs, root]
    # Children first, so a parent cannot respawn them while it shuts down.
    for p in procs:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)
    if sys.platform != "win32":
        # Anything that double-forked out of the tree still shares the session's group.
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    log_file: IO[str] | None = None,
    on_line: Callable[[str], None] | None = None,
    secrets: Sequence[str] = (),
    cancel: threading.Event | None = None,
) -> Completed:
    """Run `cmd` to completion and return its exit code and output.

    `env` holds overrides on top of the current environment. Raises
    `ToolMissing` when the program does not exist, `CommandTimeout` after
    `timeout` seconds and `Interrupted` on Ctrl-C or when `cancel` is set (from
    another thread: `localpack ui`'s Cancel button); in all of these the whole
    process tree is gone when the exception propagates.
    """
    argv = [os.fspath(c) for c in cmd]
    shown = shlex.join(argv)
    full_env = {**os.environ, **(env or {})}
    log.info("$ %s", shown)
    if log_file is not None:
        log_file.write(f"$ {redact(shown, secrets)}\n")
        if cwd:
            log_file.write(f"# cwd: {cwd}\n")
        for key, value in (env or {}).items():
            log_file.write(f"# env: {key}={redact(value, secrets)}\n")
        log_file.flush()

    popen_kw: dict = {}
    if sys.platform == "win32":
        popen_kw["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        popen_kw["start_new_session"] = True
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **popen_kw,
        )
    except FileNotFoundError as e:
        raise ToolMissing(f"{argv[0]} was not found", "run `localpack doctor` to see what to install") from e
    except PermissionError as e:
        raise ToolMissing(f"{argv[0]} is not executable", f"check the permissions of {argv[0]}") from e

    tail: deque[str] = deque(maxlen=TAIL_LINES)

    def pump() -> None:
        assert proc.stdout is not None
        for raw in iter(proc.stdout.readline, b""):
            line = redact(raw.decode("utf-8", errors="replace").rstrip("\r\n"), secrets)
            tail.append(line)
            if log_file is not None:
                log_file.write(line + "\n")
            if on_line is not None:
                on_line(line)
        proc.stdout.close()

    reader = threading.Thread(target=pump, name="proc-output", daemon=True)
    reader.start()
    try:
        _wait(proc, timeout, cancel)
    except subprocess.TimeoutExpired:
        kill_tree(proc.pid)
        reader.join(timeout=GRACE_SECONDS)
        _log_end(log_file, f"killed after {timeout:g}s (timeout)")
        raise CommandTimeout(
            f"{os.path.basename(argv[0])} did not finish within {timeout:g}s and was stopped",
            "raise the limit with --timeout SECONDS",
            cause="timeout",
        ) from None
    except (KeyboardInterrupt, Interrupted) as e:
        kill_tree(proc.pid)
        reader.join(timeout=GRACE_SECONDS)
        _log_end(log_file, "interrupted")
        reason = e.message if isinstance(e, Interrupted) else "interrupted"
        raise Interrupted(f"{reason}; {os.path.basename(argv[0])} and its child processes were stopped") from None
    reader.join()
    duration = time.monotonic() - start
    _log_end(log_file, f"exit {proc.returncode} after {duration:.1f}s")
    log.info("exit %s after %.1fs: %s", proc.returncode, duration, argv[0])
    return Completed(argv, proc.returncode, list(tail), duration)


def _wait(proc: subprocess.Popen, timeout: float | None, cancel: threading.Event | None) -> None:
    if cancel is None:
        proc.wait(timeout=timeout)
        return
    deadline = None if timeout is None else time.monotonic() + timeout
    while proc.poll() is None:
        if cancel.wait(0.1):
            raise Interrupted("cancelled")
        if deadline is not None and time.monotonic() >= deadline:
            raise subprocess.TimeoutExpired(proc.args, timeout)  # type: ignore[arg-type]


def _log_end(log_file: IO[str] | None, text: str) -> None:
    if log_file is not None:
        log_file.write(f"# {text}\n")
        log_file.flush()


def open_log(path: Path) -> IO[str]:
    """A line-buffered UTF-8 log file, created with its parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "a", encoding="utf-8", buffering=1)
