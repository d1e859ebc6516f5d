"""The one subprocess wrapper: streaming, full log, secrets masked, timeouts kill the whole tree."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psutil
import pytest

from localpack.core import proc
from localpack.errors import CommandTimeout, ToolMissing

PY = sys.executable


def test_streams_lines_and_keeps_the_full_log(tmp_path: Path) -> None:
    seen: list[str] = []
    log_path = tmp_path / "logs" / "b.log"
    with proc.open_log(log_path) as log:
        done = proc.run(
            [PY, "-c", "import sys\nfor i in range(3): print('out', i)\nprint('err', file=sys.stderr)"],
            log_file=log,
            on_line=seen.append,
            env={
                "CARGO_TARGET_DIR": "/t",
                "PATH": os.environ["PATH"],
                "MY_DIARY": "private",
                "TAURI_SIGNING_PRIVATE_KEY": "k" * 12,
            },
        )
    assert done.ok and sorted(seen) == ["err", "out 0", "out 1", "out 2"]
    text = log_path.read_text()
    assert text.startswith(f"$ {PY} -c ") and "# env: CARGO_TARGET_DIR=/t" in text and "out 2" in text
    assert "# exit 0 after" in text
    # only what matters to a build, changed from the environment, and never a secret-named variable
    assert "PATH=" not in text and "MY_DIARY" not in text and "SIGNING" not in text
    assert log_path.stat().st_mode & 0o777 == 0o600 and log_path.parent.stat().st_mode & 0o777 == 0o700


def test_tokens_never_reach_the_log_or_the_callback(tmp_path: Path) -> None:
    token = "ghp_" + "a1B2" * 9
    seen: list[str] = []
    with proc.open_log(tmp_path / "b.log") as log:
        proc.run(
            [PY, "-c", f"print('auth with {token}')"], log_file=log, on_line=seen.append, env={"GITHUB_TOKEN": token}
        )
    assert token not in (tmp_path / "b.log").read_text() and token not in "".join(seen)


def test_a_missing_program_is_a_tool_error() -> None:
    with pytest.raises(ToolMissing, match="no-such-program-xyz was not found"):
        proc.run(["no-such-program-xyz", "--version"])


def test_timeout_kills_children_too(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    script = (
        "import subprocess, sys, time\n"
        f"c = subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(300)'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(c.pid))\n"
        "print('started', flush=True)\n"
        "time.sleep(300)\n"
    )
    start = time.monotonic()
    with pytest.raises(CommandTimeout):
        proc.run([PY, "-c", script], timeout=2)
    assert time.monotonic() - start < 20
    child = int(pidfile.read_text())
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE


def test_children_that_ignore_sigterm_are_killed(tmp_path: Path) -> None:
    script = (
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('x', flush=True)\ntime.sleep(300)"
    )
    p = psutil.Popen([PY, "-c", script])
    time.sleep(0.5)
    proc.kill_tree(p.pid, grace=0.5)
    p.wait(timeout=5)
    assert not p.is_running()


def test_cancel_from_another_thread_stops_the_tree(tmp_path: Path) -> None:
    """`localpack ui`'s Cancel: a thread sets the event; the command and its child are gone."""
    import threading

    from localpack.errors import Interrupted

    pidfile = tmp_path / "pid"
    script = (
        "import subprocess, sys, time\n"
        f"c = subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(300)'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(c.pid))\n"
        "print('started', flush=True)\n"
        "time.sleep(300)\n"
    )
    cancel = threading.Event()
    seen: list[str] = []

    def on_line(line: str) -> None:
        seen.append(line)
        cancel.set()

    with pytest.raises(Interrupted, match="cancelled"):
        proc.run([PY, "-c", script], on_line=on_line, cancel=cancel, timeout=60)
    assert seen == ["started"]
    child = int(pidfile.read_text())
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE


def test_a_cancel_event_that_is_never_set_changes_nothing() -> None:
    import threading

    done = proc.run([PY, "-c", "print('hi')"], cancel=threading.Event())
    assert done.ok and done.lines == ["hi"]
    with pytest.raises(CommandTimeout):
        proc.run([PY, "-c", "import time; time.sleep(30)"], cancel=threading.Event(), timeout=0.5)
