"""Which targets this machine type-checks the runtime crate for, and where those builds live.

Linux checks its own target, Windows' (`x86_64-pc-windows-msvc`: `cargo check` and clippy need no MSVC, only
rustup's standard library for it) and Apple silicon's (`aarch64-apple-darwin`). For macOS one build script
(objc2-exception-helper's) compiles an Objective-C file against Apple's SDK; check and clippy never link, so a
stand-in cc and ar (`tests/objc_standin_cc`) make the empty object and archive it asks for. The project's own
macOS CI job (`.github/workflows/test.yml`) runs the same tests on a Mac, which checks both macOS targets with
the real compiler. Windows checks its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from localpack.build.variant import host_triple

WINDOWS = "x86_64-pc-windows-msvc"
MACOS = ("aarch64-apple-darwin", "x86_64-apple-darwin")
OBJC_STANDIN = Path(__file__).with_name("objc_standin_cc")

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
    return (host_triple(), WINDOWS, MACOS[0])


def os_of(triple: str) -> str:
    """localpack's name for the OS a target triple is for."""
    return "windows" if "windows" in triple else "macos" if "apple" in triple else "linux"


def cargo_env(platform: str = sys.platform) -> dict[str, str]:
    """cargo as the checks run it: the shared target dir, plain output; off a Mac, the stand-in Objective-C
    compiler for the macOS target."""
    env = {**os.environ, "CARGO_TARGET_DIR": str(TARGET_DIR), "CARGO_TERM_COLOR": "never"}
    if platform != "darwin":
        key = MACOS[0].replace("-", "_")
        env |= {f"CC_{key}": str(OBJC_STANDIN), f"AR_{key}": str(OBJC_STANDIN)}
    return env
