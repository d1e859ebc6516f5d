"""The machine localpack runs on: its OS as localpack names it, the platform id prefetched data is made for,
and where the Tauri bundler keeps the tools it downloads."""

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
