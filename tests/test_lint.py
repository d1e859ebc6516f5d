"""Python lint over the whole tree, with the pinned ruff and the rules in pyproject.toml ([tool.ruff]): what a
reviewer would otherwise point out (unused and undefined names, import order, likely bugs, old syntax) and one
formatting, so that a diff shows only what changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

RUFF = Path(sys.executable).parent / ("ruff.exe" if sys.platform == "win32" else "ruff")  # the test extra's


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUFF), *args, "--no-cache", "."], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    done = ruff("check", "--output-format", "concise")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_tree_is_ruff_formatted() -> None:
    done = ruff("format", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
