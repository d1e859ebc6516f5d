"""The one wrapper through which localpack runs every external command.

It logs the command, streams merged stdout/stderr line by line (to a callback
and to the log file, secrets masked), enforces a timeout, and on timeout or
Ctrl-C stops the whole process tree: children first, SIGTERM, then SIGKILL
after a grace period. The child runs in its own session so a terminal's
Ctrl-C reaches localpack only, and localpack decides how the tree ends.
On Linux the child also dies with localpack (PR_SET_PDEATHSIG), so a
`kill -9` of localpack does not leave the command running; what the child
started meanwhile is found by the build's lock (`build/orphans.py`).

The log gets the command, its folder and the environment variables localpack
sets that matter to a build (cargo, rust, Tauri, npm, bundler), values masked.

`child_env` is the one place a child's environment is made. Whatever localpack runs can run third-party
code (cargo runs build scripts and proc macros, npm runs lifecycle scripts, the Tauri CLI runs cargo and
the bundlers, a package manager runs maintainer scripts), so no child gets a variable whose name says it
holds a secret: `LOCALPACK_GITHUB_TOKEN`, `GITHUB_TOKEN`, `GH_TOKEN`, and every other name masking calls
secret (`core.redact.is_secret_name`: TOKEN, SECRET, PASSWORD, KEY … in any part of the name), whether
it comes from localpack's own environment or from a caller's overrides.
"""

from __future__ import annotations

import functools
import logging
import os
import re
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

from localpack.core.redact import is_secret_name, redact
from localpack.errors import CommandTimeout, Interrupted, LocalpackError, ToolMissing
from localpack.fsutil import open_private_log

log = logging.getLogger("localpack.proc")

GRACE_SECONDS = 3.0
TAIL_LINES = 5000
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Environment variables worth a line in a log: what steers cargo, rustc, the Tauri CLI, npm and the bundlers.
_LOGGED_ENV = re.compile(
    r"^(CARGO|RUST|TAURI|NPM_CONFIG|APPIMAGE|LINUXDEPLOY|PKG_CONFIG|MACOSX|WIX|NSIS|LOCALPACK)"
    r"[A-Z0-9_]*$|^(NO_STRIP|CC|CXX|AR|CFLAGS|LDFLAGS|CI)$",
    re.IGNORECASE,
)


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
    stop([*procs, root], grace)  # children first, so a parent cannot respawn them while it shuts down
    if sys.platform != "win32":
        # Anything that double-forked out of the tree still shares the session's group.
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def stop(procs: list, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM each of `procs` (psutil processes, in order), then SIGKILL what is still alive after `grace` s."""
    import psutil

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


def child_env(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every child process: this process's, with `overrides` on top, minus secret names."""
    merged = {**os.environ, **(overrides or {})}
    return {k: v for k, v in merged.items() if not is_secret_name(k)}


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
    on_start: Callable[[int], None] | None = None,
) -> Completed:
    """Run `cmd` to completion and return its exit code and output.

    `env` holds overrides on top of the current environment (see `child_env`: no secret reaches the
    child). Raises
    `ToolMissing` when the program does not exist, `CommandTimeout` after
    `timeout` seconds and `Interrupted` on Ctrl-C or when `cancel` is set (from
    another thread: `localpack ui`'s Cancel button); in all of these the whole
    process tree is gone when the exception propagates. `on_start` gets the
    child's pid (also its process group) as soon as it runs.
    """
    argv = [os.fspath(c) for c in cmd]
    shown = shlex.join(argv)
    full_env = child_env(env)
    log.info("$ %s", shown)
    if log_file is not None:
        log_file.write(f"$ {redact(shown, secrets)}\n")
        if cwd:
            log_file.write(f"# cwd: {cwd}\n")
        for key, value in (env or {}).items():
            if _LOGGED_ENV.match(key) and not is_secret_name(key) and os.environ.get(key) != value:
                log_file.write(f"# env: {key}={redact(value, secrets)}\n")
        log_file.flush()

    popen_kw: dict = {}
    if sys.platform == "win32":
        popen_kw["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        popen_kw["start_new_session"] = True
        popen_kw["preexec_fn"] = _die_with_parent()
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

    if on_start is not None:
        on_start(proc.pid)
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    log_failed: list[LocalpackError] = []

    def pump() -> None:
        assert proc.stdout is not None
        for raw in iter(proc.stdout.readline, b""):
            line = redact(raw.decode("utf-8", errors="replace").rstrip("\r\n"), secrets)
            tail.append(line)
            if log_file is not None and not log_failed:
                try:
                    log_file.write(line + "\n")
                except LocalpackError as e:  # a full disk (FileProblem): read on, or the child would block
                    log_failed.append(e)
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
    if log_failed:
        raise log_failed[0]
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
    """A line-buffered UTF-8 log file (0600, in a 0700 folder: logs are state, and may name private paths)."""
    return open_private_log(path)


@functools.lru_cache(maxsize=1)
def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # stdlib; only Linux needs it

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_parent() -> Callable[[], None] | None:
    """Linux: a preexec function that has the kernel SIGKILL the child when localpack dies (even by `kill -9`).

    It runs in the child between fork and exec, so it only calls the already-loaded prctl."""
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # localpack died before the request took effect
            os._exit(1)

    return preexec
