"""Which targets this machine type-checks the runtime crate for, and where those builds live.

Linux checks its own target and Windows' (`x86_64-pc-windows-msvc`: `cargo check` and clippy need no MSVC, only
rustup's standard library for it). The macOS targets cannot be checked from here: a build script of theirs
compiles Objective-C against an Apple SDK, so the project's own macOS CI job (`.github/workflows/test.yml`) runs
the same tests on a Mac, which checks both macOS targets. Windows checks its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from localpack.build.variant import host_triple

WINDOWS = "x86_64-pc-windows-msvc"
MACOS = ("aarch64-apple-darwin", "x86_64-apple-darwin")

# Outside the clone, shared by every checkout on the machine, so that a second run (or a second worktree) is warm.
TARGET_DIR = Path(
    os.environ.get("LOCALPACK_CARGO_CHECK_DIR") or Path.home() / ".cache" / "localpack-tests" / "cargo-check"
)


def check_targets(platform: str = sys.platform) -> tuple[str, ...]:
    """The targets `cargo check` and clippy run for on this kind of machine (rustup adds them)."""
    if platform == "darwin":
        return MACOS
    if platform == "win32":
        return (WINDOWS,)
    return (host_triple(), WINDOWS)


def os_of(triple: str) -> str:
    """localpack's name for the OS a target triple is for."""
    return "windows" if "windows" in triple else "macos" if "apple" in triple else "linux"


def cargo_env() -> dict[str, str]:
    """cargo as the checks run it: the shared target dir, plain output."""
    return {**os.environ, "CARGO_TARGET_DIR": str(TARGET_DIR), "CARGO_TERM_COLOR": "never"}
