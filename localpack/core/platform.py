"""The machine localpack runs on: its OS as localpack names it, its target triple, the platform id prefetched
data is made for, and where the Tauri bundler keeps the tools it downloads."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def host_os() -> str:
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "darwin":
        return "macos"
    if sys.platform == "win32":
        return "windows"
    return sys.platform


_TRIPLES = {
    ("linux", "x86_64"): "x86_64-unknown-linux-gnu",
    ("linux", "aarch64"): "aarch64-unknown-linux-gnu",
    ("macos", "x86_64"): "x86_64-apple-darwin",
    ("macos", "arm64"): "aarch64-apple-darwin",
    ("windows", "amd64"): "x86_64-pc-windows-msvc",
    ("windows", "arm64"): "aarch64-pc-windows-msvc",
}


def host_triple() -> str:
    """The target triple rustup installs by default on this machine (no rustc needed to know it)."""
    machine = platform.machine().lower()
    machine = {"arm64": "aarch64"}.get(machine, machine) if host_os() == "linux" else machine
    return _TRIPLES.get((host_os(), machine), f"{machine}-unknown-{host_os()}")


def platform_id() -> str:
    """`linux-x86_64`, `windows-amd64`…: what prefetched tools and the Tauri CLI binary were made for."""
    return f"{host_os()}-{platform.machine().lower()}"


def tauri_tool_cache() -> Path:
    """Where the Tauri bundler keeps the tools it downloads (linuxdeploy, WiX, NSIS)."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "tauri"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "tauri"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tauri"
