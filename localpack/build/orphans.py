"""Processes a killed localpack left behind, found through the app's build lock.

The Tauri CLI dies with localpack (`core.proc`: PR_SET_PDEATHSIG on Linux), but what it started (cargo,
rustc, the bundler) is not its child in the kernel's eyes once it is gone, and the lock on the app's
workspace is free as soon as localpack dies. So a build marks its tree: every process of it carries
`LOCALPACK_BUILD=<build id>` in its environment, and `<workspace>.tree.json` names that id (and, for a
person reading it, the process group) while the build runs. The next build of the app that takes the
lock looks for live processes carrying the mark and stops them before it starts; `cache clean` refuses to run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from localpack import jsonio
from localpack.core import proc

ENV = "LOCALPACK_BUILD"


def tree_file(workspace: Path) -> Path:
    return Path(str(workspace) + ".tree.json")


def remember(path: Path, pid: int, build_id: str) -> None:
    """Called when the build's command starts: its process group and the mark its processes carry."""
    path.write_text(json.dumps({"pgid": pid, "build": build_id, "started": time.time()}) + "\n", encoding="utf-8")


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def leftovers(path: Path) -> list[int]:
    """Live processes carrying the mark of the build `path` names; [] when none or no such file."""
    if sys.platform == "win32":
        return []
    try:
        data = jsonio.read(path)
        build = str(data["build"])
    except (OSError, ValueError, KeyError, TypeError):
        return []
    import psutil

    found = []
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.environ().get(ENV) == build:
                found.append(process.pid)
        except (OSError, psutil.Error):
            continue
    return found


def stop_leftovers(path: Path, app: str, warn: Callable[[str], None]) -> None:
    """Before a build of `app` starts: stop what a killed earlier build of it left running."""
    pids = leftovers(path)
    if pids:
        warn(
            f"an earlier build of {app} was killed and left {len(pids)} process(es) running "
            f"({', '.join(map(str, pids))}); stopping them first"
        )
        _stop(pids)
    forget(path)


def _stop(pids: list[int]) -> None:
    import psutil

    procs = []
    for pid in pids:
        try:
            procs.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    proc.stop(procs)
