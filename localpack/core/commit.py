"""Several files that must change together: staged first, then moved into place with Ctrl-C held off.

`uninterrupted()` defers SIGINT and SIGTERM (the CLI turns them into `Interrupted`) until the block ends, so
a handful of renames that commit a change (installers + manifest + SHA256SUMS, an offline import's files)
all happen or, when the signal came before, none does. `swap_in` is one such rename, for files and folders.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Run the block to its end even when Ctrl-C or SIGTERM arrives; the signal's handler runs afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread: nothing to hold off here
        return
    arrived: list[int] = []
    before = {s: signal.signal(s, lambda signum, _frame: arrived.append(signum)) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        if arrived:
            handler = before[arrived[0]]
            if callable(handler):
                handler(arrived[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(arrived[0])


def swap_in(staged: Path, dest: Path) -> None:
    """Put `staged` (a file or a folder beside `dest`) at `dest`, replacing what is there without following a link."""
    if staged.is_dir() and not staged.is_symlink() and (dest.is_dir() and not dest.is_symlink()):
        old = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.old-", suffix=".copying"))
        os.replace(dest, old)  # a folder cannot be renamed over a folder that holds something
        os.replace(staged, dest)
        shutil.rmtree(old, ignore_errors=True)
        return
    if staged.is_dir() and (dest.is_symlink() or dest.exists()):
        dest.unlink()
    os.replace(staged, dest)
